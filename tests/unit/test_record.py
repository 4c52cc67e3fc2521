"""Records behave as typing.NamedTuple classes do: the type checker is shown NamedTuple for them."""

import copy
import pickle
from collections.abc import Callable
from functools import cached_property
from typing import NamedTuple

import pytest

from mdlcli.record import Record


class Lecture(Record):
    id: str
    week: int
    room: str | None = None
    cancelled: bool = False

    @property
    def shown(self) -> str:
        return f"{self.id} (week {self.week})"


class LectureTuple(NamedTuple):
    id: str
    week: int
    room: str | None = None
    cancelled: bool = False


class Indexed(Lecture):
    """A subclass of a record, like Course: it may keep a __dict__ of things computed once."""

    @cached_property
    def doubled(self) -> int:
        return self.week * 2


CALLS = [
    ((), {"id": "lec1", "week": 1}),
    (("lec1", 1), {}),
    (("lec1", 1, "WWH 109"), {"cancelled": True}),
    (("lec1",), {"week": 2, "room": None}),
]


# A class binds its first records in Python and compiles its own constructor after that many:
# both ways must make the same records and raise the same errors.
MANY = 100


def lecture_class(made_before: int) -> type[Lecture]:
    """A class of its own, like Lecture, that has made `made_before` records already."""

    class Fresh(Record):
        id: str
        week: int
        room: str | None = None
        cancelled: bool = False

    for _ in range(made_before):
        Fresh("lec0", week=0)
    return Fresh  # type: ignore[return-value]


@pytest.mark.parametrize("made_before", [0, MANY])
@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_made_like_a_named_tuple(args: tuple[object, ...], kwargs: dict[str, object], made_before: int) -> None:
    cls = lecture_class(made_before)
    record, expected = cls(*args, **kwargs), LectureTuple(*args, **kwargs)  # type: ignore[arg-type]
    assert tuple(record) == tuple(expected)
    assert record == expected and hash(record) == hash(expected)
    assert isinstance(record, tuple)
    assert (record.id, record.week, record.room, record.cancelled) == tuple(expected)
    assert repr(record) == repr(expected).replace("LectureTuple", "Fresh")
    assert record._asdict() == expected._asdict()
    assert record._replace(room="x") == expected._replace(room="x")
    assert type(record._replace(room="x")) is cls


def test_class_attributes_match() -> None:
    assert Lecture._fields == LectureTuple._fields == ("id", "week", "room", "cancelled")
    assert Lecture._field_defaults == LectureTuple._field_defaults
    assert Lecture.__match_args__ == LectureTuple.__match_args__
    assert Lecture._make(["a", 1, None, False]) == ("a", 1, None, False)
    assert Lecture("a", 1).shown == "a (week 1)"


@pytest.mark.parametrize("made_before", [0, MANY])
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda cls: cls("lec1"), "missing 1 required positional argument: 'week'"),
        (lambda cls: cls("lec1", 1, "r", True, "extra"), "positional"),
        (lambda cls: cls("lec1", 1, colour="red"), "unexpected keyword argument 'colour'"),
        (lambda cls: cls("lec1", 1, id="lec2"), "multiple values for argument 'id'"),
        (lambda cls: cls("lec1", 1)._replace(colour="red"), "colour"),
        (lambda cls: cls._make(["a"]), "4"),
    ],
)
def test_wrong_calls_raise_type_error(call: Callable[[type[Lecture]], object], message: str, made_before: int) -> None:
    cls = lecture_class(made_before)
    with pytest.raises(TypeError, match=message):
        call(cls)
    assert cls("lec1", week=1) == ("lec1", 1, None, False)  # a wrong call leaves the class working


def test_fields_are_read_only_and_records_have_no_dict() -> None:
    record = Lecture("lec1", 1)
    with pytest.raises(AttributeError):
        record.week = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        record.colour = "red"  # type: ignore[attr-defined]
    assert not hasattr(record, "__dict__")


def test_a_field_without_default_may_not_follow_one_with() -> None:
    with pytest.raises(TypeError, match="without a default"):

        class Broken(Record):  # type: ignore[misc]
            first: int = 0
            second: int


def test_pickled_copied_and_matched() -> None:
    record = Lecture("lec1", 1, "WWH 109")
    for again in (pickle.loads(pickle.dumps(record)), copy.copy(record), copy.deepcopy(record)):  # noqa: S301
        assert again == record and type(again) is Lecture
    match record:
        case Lecture(lecture_id, week, room):
            assert (lecture_id, week, room) == ("lec1", 1, "WWH 109")
        case _:
            pytest.fail("a record matches its class pattern")


def test_a_subclass_keeps_computed_values_out_of_its_pickle() -> None:
    indexed = Indexed("lec1", 3)
    assert indexed.doubled == 6 and "doubled" in indexed.__dict__
    again = pickle.loads(pickle.dumps(indexed))  # noqa: S301 - its own pickle
    assert type(again) is Indexed and again == indexed and again.__dict__ == {}
    assert type(indexed._replace(week=4)) is Indexed and indexed._replace(week=4).doubled == 8


def test_a_subclass_made_first_gives_its_record_class_a_constructor() -> None:
    class Base(Record):
        name: str
        size: int = 1

    class Derived(Base):
        pass

    assert Derived("a") == ("a", 1) and type(Derived("a")) is Derived
    assert Base("b", size=2) == ("b", 2) and type(Base("b")) is Base
