"""Records: the named tuples mdl's data is made of, with classes that cost little to make.

`typing.NamedTuple` takes ~70 µs to make a class: it compiles a `__new__` for every class and checks
every annotation. A warm `mdl schedule` imports some forty record classes, and making them was a
fifth of mdl's own time. A `Record` class is the same kind of class (a tuple subclass with a
read-only attribute per field, defaults, `_fields`, `_field_defaults`, `_make`, `_replace`,
`_asdict`, a repr) made in a few microseconds: its first records are bound by one shared `__new__`,
and its own (compiled, as collections.namedtuple's) only once it has made enough of them to repay
the compiling; a run makes records of few of the classes it imports, and few of most. A pickled
record (the cache) is rebuilt by `tuple.__new__`, with no Python call per record.

Type checkers are shown `typing.NamedTuple` itself, so fields, constructors and `_replace` are
checked exactly as before; tests/test_record.py holds the two to the same behaviour.
"""

from typing import TYPE_CHECKING, Any

__all__ = ["Record"]

if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    try:
        # The field accessor collections.namedtuple uses: faster to read than a property.
        from _collections import _tuplegetter
    except ImportError:  # pragma: no cover - a Python without the C accelerator
        from operator import itemgetter

        def _tuplegetter(index: int, doc: str | None) -> property:
            return property(itemgetter(index), doc=doc)

    class _RecordType(type):
        """Turns the annotations of a class deriving from Record into its fields."""

        def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            declares_fields = any(isinstance(base, _RecordType) for base in bases) and not any(
                getattr(base, "_fields", ()) for base in bases
            )
            if not declares_fields:  # Record itself, or a subclass of a record (Course)
                return super().__new__(mcs, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", ()))
            defaults = {field: namespace[field] for field in fields if field in namespace}
            if tuple(defaults) != fields[len(fields) - len(defaults) :]:
                raise TypeError(f"{name}: a field without a default follows one with a default")
            for index, field in enumerate(fields):
                namespace[field] = _tuplegetter(index, None)
            namespace.update(__slots__=(), _fields=fields, _field_defaults=defaults, __match_args__=fields)
            return super().__new__(mcs, name, bases, namespace)

    class _Base(tuple, metaclass=_RecordType):
        __slots__ = ()

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            # A class's first records are bound here, in Python: compiling a constructor costs
            # as much as binding some forty records this way, and most classes a run imports
            # make fewer. A class that makes more gets its compiled constructor, and so does a
            # call this does not bind (a wrong one), so that Python's own binding words its error.
            made = _made.get(cls, 0)
            if made < _BOUND_IN_PYTHON:
                values = _bound(cls, args, kwargs)
                if values is not None:
                    _made[cls] = made + 1
                    return tuple.__new__(cls, values)
            owner = next(c for c in cls.__mro__ if "_fields" in c.__dict__)
            owner.__new__ = _constructor(owner)  # from now on, the class's own
            return owner.__new__(cls, *args, **kwargs)

        @classmethod
        def _make(cls, values: Any) -> Any:
            record = tuple.__new__(cls, values)
            if len(record) != len(cls._fields):
                raise TypeError(f"expected {len(cls._fields)} values, got {len(record)}")
            return record

        def _replace(self, **changes: Any) -> Any:
            record = self._make(map(changes.pop, self._fields, self))
            if changes:
                raise TypeError(f"unexpected field names: {list(changes)!r}")
            return record

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

        def __repr__(self) -> str:
            shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
            return f"{type(self).__name__}({shown})"

        def __reduce__(self) -> tuple[Any, ...]:
            return (tuple.__new__, (type(self), tuple(self)))

    _BOUND_IN_PYTHON = 40
    _made: dict[type, int] = {}

    def _bound(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
        """The values of a record made with these arguments; None unless the call is right."""
        fields = cls._fields
        if not kwargs and len(args) == len(fields):
            return args
        if len(args) > len(fields):
            return None
        values = list(args)
        defaults = cls._field_defaults
        taken = 0
        for name in fields[len(args) :]:
            if name in kwargs:
                values.append(kwargs[name])
                taken += 1
            elif name in defaults:
                values.append(defaults[name])
            else:
                return None
        return tuple(values) if taken == len(kwargs) else None

    def _constructor(cls: type) -> Any:
        """The `__new__` collections.namedtuple would make: positional or keyword fields, defaults."""
        listed = ", ".join(cls._fields)
        # The names are fields declared in mdl's source, never data, as in collections.namedtuple.
        made = eval(f"lambda _cls, {listed}: _tuple_new(_cls, ({listed},))", {"_tuple_new": tuple.__new__})  # noqa: S307
        made.__defaults__ = tuple(cls._field_defaults.values()) or None
        made.__name__ = "__new__"
        made.__qualname__ = f"{cls.__qualname__}.__new__"
        return made

    Record = _Base
