"""The walk over the schema (walker.py) on small texts: structure, types, places, aliases, order."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from mdlcli import schema
from mdlcli.errors import CourseInvalid
from mdlcli.parse import parse_course
from mdlcli.walker import Record, Walker

LINK = schema.Shape(
    "link",
    (
        schema.Key("id", "id", "", required=True),
        schema.Key("title", "text", ""),
        schema.Key("url", "url", "", required=True),
    ),
)
PAGE = schema.Shape(
    "page",
    (
        schema.Key("name", "text", "", required=True),
        schema.Key("kind", "choice", "", choices=("lecture", "lab"), default="lecture"),
        schema.Key("optional", "boolean", ""),
        schema.Key("tags", "texts", ""),
        schema.Key("links", "list", "", shape=LINK),
    ),
)


def walked(text: str, builders: dict[str, Any] | None = None) -> tuple[Any, list[str]]:
    walker = Walker("t.yaml", text, builders or {})
    try:
        found = walker.record(walker.document(), PAGE, "page", None)
        walker.finish()
    finally:
        walker.close()
    return found, [str(p) for p in walker.problems]


def test_a_mapping_reads_through_its_shape_with_defaults_and_places() -> None:
    found, problems = walked("name: Intro\nlinks:\n  - {id: a, url: 'https://x.org'}\n")
    assert problems == []
    assert isinstance(found, Record)
    assert found["name"] == "Intro" and found["kind"] == "lecture" and found["optional"] is False
    assert found["tags"] == () and found["links"][0]["url"] == "https://x.org"
    assert (found.places["name"].line, found.places["name"].column) == (0, 6)


def test_each_type_says_what_is_wrong_where() -> None:
    text = "name: ''\nkind: Lectur\noptional: maybe\ntags: [a, {b: 1}]\nlinks:\n  - {id: a b, url: ftp://x}\n"
    _, problems = walked(text)
    assert problems == [
        "t.yaml:1:7: page.name: must not be empty",
        "t.yaml:2:7: page.kind: 'Lectur' is not one of: lecture, lab; did you mean 'lecture'?",
        "t.yaml:3:11: page.optional: 'maybe' is not true or false",
        "t.yaml:4:11: page.tags[1]: expected text, got a mapping",
        "t.yaml:6:10: page.links[0].id: 'a b' is not a valid id (letters, digits, '-', '_', '.')",
        "t.yaml:6:20: page.links[0].url: 'ftp://x' is not a web address (http:// or https://)",
    ]


def test_unknown_duplicate_and_missing_keys_in_the_order_of_the_file() -> None:
    _, problems = walked("nmae: x\nkind: lab\nkind: lab\n")
    assert problems == [
        "t.yaml:1:1: page.nmae: unknown key 'nmae'; did you mean 'name'?",
        "t.yaml:3:1: page.kind: duplicate key (the earlier value would be lost)",
        "t.yaml:1:1: page.name: is required",
    ]


def test_a_builder_makes_each_item_and_an_item_with_an_error_is_not_built() -> None:
    built = {"link": lambda r: ("link", r["id"])}
    found, problems = walked("name: x\nlinks:\n  - {id: a, url: 'https://a'}\n  - {id: b}\n", built)
    assert found is None  # an error inside: the page is not built either
    assert problems == ["t.yaml:4:5: page.links[1].url: is required"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: !!python/object:os.system x\n", "page.name: the tag tag:yaml.org,2002:python/object:os.system is not"),
        ("<<: {name: x}\n", "page.<<: merge keys (<<: *name) are not supported"),
        ("name: x\nlinks: &l []\ntags: *l\n", "page.tags: aliases (*name) of lists or mappings are not supported"),
        ("name: [x]\n", "page.name: expected a single value, got a list"),
        ("name: x\nlinks: {id: a}\n", "page.links: expected a list (lines starting with '- '), got a mapping"),
    ],
)
def test_what_needs_a_node_is_read_by_the_same_walk(text: str, message: str) -> None:
    _, problems = walked(text)
    assert any(message in p for p in problems), problems


def test_an_alias_of_a_text_reads_as_the_text_and_an_empty_anchor_is_still_named() -> None:
    found, problems = walked("name: &n Intro\ntags: [*n]\n")
    assert problems == [] and found["tags"] == ("Intro",)
    with pytest.raises(Exception, match="duplicate anchor"):
        walked("name: x\ntags: &a\nlinks: &a []\n")


def test_a_list_of_texts_keeps_its_places_but_is_stored_as_a_plain_tuple() -> None:
    found, _ = walked("name: x\ntags:\n  - a\n  - b\n")
    assert [p.line for p in found["tags"].places] == [2, 3]
    assert type(pickle.loads(pickle.dumps(found["tags"]))) is tuple  # noqa: S301 - the cache loads it without the walker


def test_schema_errors_name_their_field_and_sections_wait_for_what_they_need() -> None:
    course = "course: {id: c, title: C, timezone: UTC, term_start: 2024-01-01, term_end: 2024-03-01}\n"
    with pytest.raises(CourseInvalid) as raised:
        parse_course("schema: two\n" + course, "c.yaml")
    assert [str(p) for p in raised.value.problems] == ["c.yaml:1:9: schema: 'two' is not a whole number"]
    # Sessions before the meetings they take their times from, the course last: read the same.
    sessions = "sessions:\n  - {id: s, date: 2024-01-03, title: T, meeting: lab}\n"
    meetings = "meetings:\n  - {id: lab, weekday: wednesday, start: '10:00', end: '11:00'}\n"
    first = parse_course("schema: 2\n" + course + meetings + sessions, "c.yaml")
    later = parse_course(sessions + meetings + "schema: 2\n" + course, "c.yaml")
    assert first.sessions == later.sessions and first.sessions[0].meeting == "lab"


def test_an_optional_mapping_may_be_left_empty() -> None:
    course = "schema: 2\ncourse: {id: c, title: C, timezone: UTC, term_start: 2024-01-01, term_end: 2024-03-01}\n"
    read = parse_course(course + "prerequisites:\n  required: ~\n  nice_to_have: {topics: [calculus]}\n", "c.yaml")
    assert [(g.name, g.topics) for g in read.prerequisites] == [("nice to have", ("calculus",))]
