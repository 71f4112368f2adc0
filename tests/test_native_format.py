"""The native JSON format: lossless round trips, and problems reported at their line and column."""

from __future__ import annotations

import json
import re
from typing import Any
from unittest.mock import patch

import pytest
from formats_helpers import NATIVE_LANE_IDS, assert_same_timeline, native_events
from formats_helpers import points as shared_points
from formats_helpers import spans as shared_spans
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop.bundled import BUNDLED_TIMELINE, read_text
from desktop.formats import jsonpos, native
from desktop.formats.errors import FormatError, Problem
from desktop.formats.jsonpos import Locator, locate
from desktop.formats.loader import read_text_document
from desktop.formats.native import (
    FORMAT_NAME,
    FORMAT_VERSION,
    looks_native,
    read_native,
    timeline_from_native,
    timeline_to_native,
    write_native,
)
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.store import EventStore, EventStoreBuilder
from desktop.model.timeline import (
    STORE_MIN_EVENTS,
    Confidence,
    Era,
    Event,
    Lane,
    Provenance,
    Reference,
    SourceDocument,
    Timeline,
)

# -- helpers ------------------------------------------------------------------------------


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, computed independently of jsonpos."""
    before = text[:offset]
    return before.count("\n") + 1, len(before.split("\n")[-1]) + 1


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(FormatError) as caught:
        read_native(text)
    return caught.value.problems


def document(**fields: Any) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "title": "T", **fields}


def good_event(event_id: str = "a", **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "title": event_id.upper(), "date": "2024-02-26", **fields}


# -- strategies ---------------------------------------------------------------------------

texts = st.text(max_size=40)
names = st.text(min_size=1, max_size=20)
html = st.builds(
    lambda a, b: (
        f"<p>{a} &ldquo;quoted&rdquo;</p><p><a href='https://x.invalid/?a=1&amp;b=2'>{b}</a></p>"
    ),
    texts,
    texts,
)
colors = st.from_regex(r"#[0-9A-Fa-f]{6}", fullmatch=True)


def points() -> st.SearchStrategy[TimePoint]:
    return shared_points(zones=(None, "Z", "+05:30", "-03:00", "Europe/Warsaw"))


def spans() -> st.SearchStrategy[DateSpan]:
    return shared_spans(points())


references = st.builds(
    Reference,
    quote=texts,
    url=st.sampled_from(["", "https://example.invalid/a?b=c&d=é", "https://pap.pl/en/news/x"]),
    publisher=texts,
    title=texts,
)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    lane_ids = draw(st.lists(names, max_size=5, unique=True))
    lanes = tuple(
        Lane(
            id=lane_id,
            name=draw(texts),
            color=draw(colors),
            description=draw(texts),
        )
        for lane_id in lane_ids
    )
    eras = tuple(
        Era(name=draw(texts), span=draw(spans()), color=draw(colors), id=draw(texts))
        for _ in range(draw(st.integers(0, 3)))
    )
    event_ids = draw(st.lists(names, max_size=12, unique=True))
    events = tuple(
        Event(
            id=event_id,
            title=draw(names),
            when=draw(spans()),
            summary=draw(texts),
            body=draw(st.one_of(texts, html)),
            actors=tuple(draw(st.lists(names, max_size=3))),
            place=draw(texts),
            lane=draw(st.sampled_from(["", *lane_ids])),
            tags=tuple(draw(st.lists(names, max_size=3))),
            references=tuple(draw(st.lists(references, max_size=3))),
            provenance=draw(st.sampled_from(list(Provenance))),
            confidence=draw(st.sampled_from(list(Confidence))),
            display_date=draw(texts),
        )
        for event_id in event_ids
    )
    source = draw(
        st.one_of(
            st.none(),
            st.builds(
                SourceDocument,
                title=texts,
                publisher=texts,
                date=st.one_of(st.none(), points()),
                url=texts,
                note=texts,
            ),
        )
    )
    return Timeline(
        title=draw(texts),
        summary=draw(texts),
        events=events,
        source=source,
        lanes=lanes,
        eras=eras,
        view=draw(st.one_of(st.none(), spans())),
    )


# -- round trips --------------------------------------------------------------------------


def test_bundled_timeline_round_trips() -> None:
    text = read_text(BUNDLED_TIMELINE)
    timeline = read_native(text)
    written = write_native(timeline)
    again = read_native(written)
    assert again == timeline
    assert again.events == timeline.events
    assert write_native(again) == written


def without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v not in ("", [], None)}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


def test_writer_keeps_everything_in_the_bundled_file() -> None:
    # Reading and writing the shipped file loses nothing but empty strings and lists.
    text = read_text(BUNDLED_TIMELINE)
    written = json.loads(write_native(read_native(text)))
    assert without_empty(written) == without_empty(json.loads(text))


@settings(max_examples=150, deadline=None)
@given(timelines())
def test_random_timelines_round_trip(timeline: Timeline) -> None:
    text = write_native(timeline)
    again = read_native(text)
    assert again == timeline
    assert again.events == timeline.events
    assert [event.id for event in again.events] == [event.id for event in timeline.events]
    assert write_native(again) == text


@settings(max_examples=50, deadline=None)
@given(timelines())
def test_written_files_are_recognised_by_the_loader(timeline: Timeline) -> None:
    text = write_native(timeline)
    assert looks_native(json.loads(text))
    assert read_text_document(text) == timeline
    assert read_text_document("\ufeff" + text) == timeline


def test_writer_output_shape() -> None:
    timeline = Timeline(
        title="Ünïcode – “quotes”",
        events=(
            Event(id="a", title="A", when=DateSpan.parse("2024-07~"), body="<p>x &amp; y</p>"),
        ),
    )
    text = write_native(timeline)
    assert text.endswith("}\n")
    assert "Ünïcode – “quotes”" in text  # not \u-escaped
    data = json.loads(text)
    assert list(data)[:3] == ["format", "version", "title"]
    assert data["events"] == [
        {
            "id": "a",
            "title": "A",
            "date": "2024-07~",
            "body": "<p>x &amp; y</p>",
            "provenance": "unknown",
            "confidence": "unknown",
        }
    ]
    assert timeline_to_native(timeline)["version"] == FORMAT_VERSION


def test_view_of_one_day_and_of_an_interval() -> None:
    one_day = read_native(json.dumps(document(view={"start": "2024-12-12"})))
    assert one_day.view == DateSpan.parse("2024-12-12")
    both = read_native(json.dumps(document(view={"start": "2024-02-26", "end": "2024-12-12"})))
    assert both.view == DateSpan.parse("2024-02-26/2024-12-12")
    assert both.initial_range() == (
        TimePoint.parse("2024-02-26").start_seconds(),
        TimePoint.parse("2024-12-12").end_seconds(),
    )


def test_defaults_of_a_minimal_file() -> None:
    timeline = read_native(json.dumps({"format": FORMAT_NAME, "version": 1}))
    assert timeline.title == "Untitled timeline"
    assert timeline.events == ()
    assert timeline.source is None
    assert timeline.view is None
    lane = read_native(json.dumps(document(lanes=[{"id": "pl"}]))).lanes[0]
    assert lane == Lane("pl", "pl", "#999999")


def test_nulls_read_as_absent() -> None:
    text = json.dumps(document(summary=None, events=[good_event(summary=None, tags=None)]))
    timeline = read_native(text)
    assert timeline.summary == ""
    assert timeline.events[0].tags == ()


# -- errors -------------------------------------------------------------------------------


def test_syntax_error_gives_line_and_column() -> None:
    text = '{\n  "format": "timeline-viewer",\n  "version": 1,\n  "title": "x"\n  "events": []\n}\n'
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        expected = (error.lineno, error.colno)
    problems = problems_of(text)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == expected == (5, 3)
    assert "delimiter" in problems[0].message
    with pytest.raises(FormatError) as caught:
        read_text_document(text)
    assert caught.value.problems == problems


# From a user test: a truncated file said only "Unterminated string starting here".
CUT_SHORT = ", and the file ends there: it may be cut short"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "timeline-viewer", "title": "Cut sh',
            "Unterminated string starting here" + CUT_SHORT,
        ),
        ('{"title": "a\tb"}', "Invalid control character here"),
        ('{"title": "a", "events": [', "Expecting value" + CUT_SHORT),
        ('{"title": "a", "events": [}', "Expecting value"),  # a mistake, not cut short
    ],
)
def test_syntax_messages_read_whole_without_json_s_position_suffix(text: str, message: str) -> None:
    """json's messages end in "at" before the position it appends; ours give it apart."""
    (problem,) = problems_of(text)
    assert problem.message == message
    assert problem.line == 1
    assert problem.column is not None and problem.column > 1


@pytest.mark.parametrize("indent", [None, 0, 2, 4, "\t"])
@pytest.mark.parametrize("k", [0, 1, 4])
def test_bad_date_points_at_the_first_character_of_the_string(indent: Any, k: int) -> None:
    events = [good_event(f"e{i}", date=f"2024-0{1 + i}-0{1 + i}") for i in range(5)]
    events[k]["date"] = "the day Macron came"
    text = json.dumps(document(summary="dates: 2024", events=events), indent=indent)
    problems = problems_of(text)
    assert len(problems) == 1
    problem = problems[0]
    content = text.index('"the day Macron came"') + 1
    assert (problem.line, problem.column) == line_col(text, content)
    assert problem.message.startswith(f"events/{k}/date: ")
    assert "not an EDTF date" in problem.message
    rendered = problem.render("x.json")
    assert rendered.startswith(f"x.json:{problem.line}:{problem.column}: events/{k}/date")


@pytest.mark.parametrize(
    ("bad", "offset_in_string"),
    [
        ("2024-13-01", 5),  # the month
        ("2024-02-30", 8),  # the day
        ("2024-21", 5),  # a season
        ("2024-12-12T13:00[Mars/Olympus]", 17),  # the zone
        ("2024/2023", 5),  # the interval's end
        ("  2024-13", 7),
    ],
)
def test_bad_date_column_points_inside_the_string(bad: str, offset_in_string: int) -> None:
    text = (
        "{\n"
        '  "format": "timeline-viewer", "version": 1,\n'
        '  "events": [\n'
        '    {"id": "ok", "title": "OK", "date": "2024"},\n'
        f'    {{"id": "bad", "title": "Bad",\n      "date":   "{bad}"}}\n'
        "  ]\n"
        "}\n"
    )
    (problem,) = problems_of(text)
    content = text.index(f'"{bad}"') + 1
    assert (problem.line, problem.column) == line_col(text, content + offset_in_string)
    assert problem.line == 6


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["2024", "2024-07~", "-0043-03-15", "2024-06-07/2024-07~"]), max_size=6
    ),
    st.integers(0, 6),
    st.sampled_from([None, 1, 2, "\t"]),
    st.text(alphabet='é中🙂 "\\/\nab', max_size=8),
)
def test_bad_date_position_in_random_documents(
    dates: list[str], k: int, indent: Any, noise: str
) -> None:
    k = min(k, len(dates))
    dates.insert(k, "2024-13-01")
    events = [
        {"title": noise or "t", "id": f"id{i}", "body": noise, "date": date}
        for i, date in enumerate(dates)
    ]
    text = json.dumps(document(summary=noise, events=events), indent=indent, ensure_ascii=False)
    (problem,) = problems_of(text)
    content = text.index('"2024-13-01"') + 1
    assert (problem.line, problem.column) == line_col(text, content + 5)
    assert problem.message.startswith(f"events/{k}/date: ")


def test_several_problems_are_reported_at_once() -> None:
    text = json.dumps(
        document(
            title=5,
            lanes=[{"id": "pl", "color": "red"}, {"id": "fr"}, {"id": "fr"}],
            events=[
                good_event("a", date="2024-13"),
                good_event("b", provenance="rumour"),
                {"id": "c", "date": "2024"},
                {"title": "D", "date": "2024"},
                good_event("e", lane="de"),
                good_event("a"),
                good_event("g", confidence="certain"),
            ],
        ),
        indent=2,
    )
    problems = problems_of(text)
    messages = [problem.message for problem in problems]
    expected = [
        "title: expected a string, found a number",
        "lanes/0/color: lane 'pl': colour 'red' is not #RRGGBB",
        "lanes/2/id: lane id 'fr' is used twice",
        "events/0/date: '2024-13': month 13 does not exist (1–12)",
        "events/1/provenance: 'rumour' is not one of 'article', 'other-reporting', 'unknown'",
        'events/2: an event needs a "title"',
        'events/3: an event needs an "id"',
        "events/4/lane: lane 'de' is not declared in \"lanes\"",
        "events/5/id: event id 'a' is used twice",
        "events/6/confidence: 'certain' is not one of 'high', 'medium', 'low', 'unknown'",
    ]
    assert sorted(messages) == sorted(expected)
    # In file order, each at its place.
    assert [(p.line, p.column) for p in problems] == sorted((p.line, p.column) for p in problems)
    for problem in problems:
        assert problem.line is not None
        assert problem.column is not None


DROP = object()  # removes the key from the event


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"title": DROP}, "events/0", 'an event needs a "title"'),
        ({"title": ""}, "events/0", 'an event needs a "title"'),
        ({"id": DROP}, "events/0", 'an event needs an "id"'),
        ({"date": DROP}, "events/0", "missing 'date'"),
        ({"date": ""}, "events/0/date", "missing 'date'"),
        ({"title": 5}, "events/0/title", "expected a string, found a number"),
        ({"id": 7}, "events/0/id", "expected a string, found a number"),
        ({"date": 2024}, "events/0/date", "expected a string, found a number"),
        ({"date": ["2024"]}, "events/0/date", "expected a string, found a list"),
        ({"tags": "x"}, "events/0/tags", "expected a list, found a string"),
        ({"tags": ["x", 1]}, "events/0/tags", "expected a list of strings"),
        ({"summary": True}, "events/0/summary", "expected a string, found true/false"),
        ({"references": [5]}, "events/0/references/0", "expected an object, found a number"),
        (
            {"references": [{"url": 1}]},
            "events/0/references/0/url",
            "expected a string, found a number",
        ),
        ({"provenance": "gossip"}, "events/0/provenance", "'gossip' is not one of"),
        ({"provenance": "Article"}, "events/0/provenance", "'Article' is not one of"),
        ({"lane": "nowhere"}, "events/0/lane", "lane 'nowhere' is not declared"),
        ({"lane": 3}, "events/0/lane", "expected a string, found a number"),
        ({"body": ["b"]}, "events/0/body", "expected a string, found a list"),
        ({"confidence": 1}, "events/0/confidence", "expected a string, found a number"),
    ],
)
@pytest.mark.parametrize("store_from", [0, STORE_MIN_EVENTS], ids=["to the store", "as events"])
def test_single_event_problems(changes: dict, path: str, message: str, store_from: int) -> None:
    """Each mistake is reported once, at the value (or the event when the value is missing),
    whether the events go straight into a store (big files) or are read as Event objects."""
    event_data = {
        key: value
        for key, value in {"id": "a", "title": "A", "date": "2024", **changes}.items()
        if value is not DROP
    }
    text = json.dumps(document(events=[event_data]), indent=2)
    with pytest.raises(FormatError) as caught:
        timeline_from_native(json.loads(text), text, store_from=store_from)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.message.startswith(f"{path}: {message}")
    parts = [int(p) if p.isdigit() else p for p in path.split("/")]
    assert (problem.line, problem.column) == locate(text, parts)


def test_all_field_problems_of_an_unusable_event_are_reported() -> None:
    text = json.dumps(document(events=[{"id": "a", "title": 5, "summary": 1, "actors": [2]}]))
    messages = sorted(problem.message for problem in problems_of(text))
    assert messages == [
        "events/0/actors: expected a list of strings",
        "events/0/summary: expected a string, found a number",
        "events/0/title: expected a string, found a number",
        "events/0: missing 'date'",
    ]


def test_top_level_problems() -> None:
    problems = problems_of(json.dumps({"format": FORMAT_NAME, "version": 2, "summary": []}))
    assert sorted(p.message for p in problems) == [
        "summary: expected a string, found a list",
        "version: version 2 is not supported (this reads 1)",
    ]
    for version in (True, 1.0, "1"):
        (problem,) = problems_of(json.dumps({"format": FORMAT_NAME, "version": version}))
        assert problem.message == (f"version: version {version!r} is not supported (this reads 1)")
    (problem,) = problems_of("[1, 2]")
    assert problem.message == "expected a JSON object at the top, found a list"
    assert (problem.line, problem.column) == (1, 1)
    (problem,) = problems_of(json.dumps(document(events={"a": 1})))
    assert problem.message == "events: expected a list, found an object"


def test_bad_view_and_era_and_source() -> None:
    text = json.dumps(
        document(
            view={"start": "2024-12-12", "end": "2024-02-26"},
            eras=[{"name": "x", "date": "2024-99"}, {"name": "y", "date": "2024", "color": "#12"}],
            source={"title": "s", "date": "yesterday"},
        ),
        indent=1,
    )
    messages = sorted(problem.message for problem in problems_of(text))
    assert messages == [
        "eras/0/date: '2024-99': month 99 does not exist (1–12)",
        "eras/1/color: era 'y': colour '#12' is not #RRGGBB",
        "source/date: 'yesterday' is not an EDTF date (YYYY, YYYY-MM, YYYY-MM-DD or an ISO"
        " date-time, optionally ending in ~ ? or %)",
        "view: the interval ends (2024-02-26) before it starts",
    ]


def test_format_error_needs_problems_and_renders_them() -> None:
    with pytest.raises(ValueError, match="at least one"):
        FormatError([])
    error = FormatError([Problem("a", 1, 2), Problem("b", 3), Problem("c")])
    assert str(error) == "<file>:1:2: a; <file>:3: b; <file>: c"
    assert Problem("m", None, 5).render("f") == "f: m"


# -- jsonpos ------------------------------------------------------------------------------

NESTED = """{
  "a": {"b": [10, {"c": "x"}, [true, null]]},
  "key with \\"quotes\\" and [brackets]": {"d": "}]"},
  "events": [
    {
      "id": "one",
      "date":"2024"
    },
    {"id": "two", "refs": [{"url": ""}, {"url": "https://x"}]}
  ]
}"""


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ((), "{"),
        (("a",), '{"b"'),
        (("a", "b"), "[10"),
        (("a", "b", 0), "10"),
        (("a", "b", 1), '{"c"'),
        (("a", "b", 1, "c"), '"x"'),
        (("a", "b", 2, 0), "true"),
        (("a", "b", 2, 1), "null"),
        (('key with "quotes" and [brackets]', "d"), '"}]"'),
        (("events", 0, "date"), '"2024"'),
        (("events", 1), '{"id": "two"'),
        (("events", 1, "refs", 1, "url"), '"https://x"'),
    ],
)
def test_locate_nested_paths(path: tuple, needle: str) -> None:
    assert locate(NESTED, path) == line_col(NESTED, NESTED.index(needle))


@pytest.mark.parametrize(
    ("path", "parent"),
    [
        (("missing",), ()),
        (("a", "missing"), ("a",)),
        (("a", "b", 7), ("a", "b")),
        (("a", "b", 0, "deeper"), ("a", "b", 0)),
        (("events", 0, "title"), ("events", 0)),
        (("events", "0"), ("events",)),  # a key where an index is needed
        ((0,), ()),
    ],
)
def test_locate_falls_back_to_the_deepest_existing_parent(path: tuple, parent: tuple) -> None:
    assert locate(NESTED, path) == locate(NESTED, parent)


def test_locate_in_broken_text() -> None:
    assert locate("", ()) == (1, 1)  # the start of an empty text
    assert locate("  \n ", ("a",)) == (2, 2)  # the end of a blank one
    assert locate('{"a": [1, 2', ("a", 5)) == (1, 7)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet='ab"\\/{}[],:é🙂\n\t ', max_size=6),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet='ab"\\{}[]:,é ', max_size=4), children, max_size=4)
    ),
    max_leaves=25,
)


def all_paths(value: Any, prefix: tuple = ()) -> list[tuple[tuple, Any]]:
    found = [(prefix, value)]
    if isinstance(value, dict):
        for key, child in value.items():
            found += all_paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += all_paths(child, (*prefix, index))
    return found


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 0, 1, 2, "\t"]), st.booleans())
def test_locate_finds_every_value(value: Any, indent: Any, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    decoder = json.JSONDecoder()
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for path, expected in all_paths(value):
        place = locate(text, path)
        assert place is not None
        line, column = place
        offset = line_starts[line - 1] + column - 1
        found, _ = decoder.raw_decode(text, offset)
        assert found == expected, (path, text)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 1, "\t"]), st.randoms(use_true_random=False))
def test_one_locator_for_many_paths_in_any_order_finds_what_each_locate_finds(
    value: Any, indent: Any, rng: Any
) -> None:
    """A Locator remembers the arrays it walked and where it last counted lines; asked in any
    order, for paths that exist or not, it answers as a fresh walk does."""
    text = json.dumps(value, indent=indent)
    paths = [path for path, _ in all_paths(value)]
    paths += [(*path, 10**6) for path in paths] + [(*path, "missing") for path in paths]
    rng.shuffle(paths)
    locator = Locator(text)
    for path in paths:
        assert locator.locate(path) == locate(text, path), path


def test_many_problems_in_a_long_list_are_placed_in_one_walk(monkeypatch: Any) -> None:
    """Each problem's place was found by walking the list from its start: 1,900 bad dates in
    a 94 KB file took 5 s. Counted in values skipped, not in seconds: twice the problems,
    twice the skipping (it was four times)."""
    skipped = 0
    skip_value = jsonpos._skip_value

    def counting(text: str, index: int) -> int:
        nonlocal skipped
        skipped += 1
        return skip_value(text, index)

    def skips_to_place(count: int) -> int:
        nonlocal skipped
        events = [good_event(f"e{n}", date="2024-13") for n in range(count)]
        text = json.dumps(document(events=events), indent=1)
        skipped = 0
        locator = Locator(text)
        places = [locator.locate(("events", n, "date")) for n in range(count)]
        lines = text.splitlines()
        for place in places[:: count // 10]:
            assert place is not None
            line, column = place
            assert lines[line - 1][column - 1 :] == '"2024-13"'
        return skipped

    monkeypatch.setattr(jsonpos, "_skip_value", counting)
    assert skips_to_place(2000) <= 2.1 * skips_to_place(1000)
    (problem, *_) = problems_of(
        json.dumps(document(events=[good_event(f"e{n}", date="2024-13") for n in range(50)]))
    )
    assert problem.message.startswith("events/0/date: ")


def test_an_event_in_a_lane_with_a_bad_colour_is_not_a_second_problem() -> None:
    text = json.dumps(
        document(lanes=[{"id": "pl", "color": "#12"}], events=[good_event("a", lane="pl")])
    )
    (problem,) = problems_of(text)
    assert problem.message == "lanes/0/color: lane 'pl': colour '#12' is not #RRGGBB"


# -- big files: events read straight into the store ---------------------------------------


def read_both_ways(events: list[Any]) -> tuple[Any, Any]:
    """(what reading through the store gives, what reading through Event objects gives): a
    Timeline, or the problems of the FormatError raised."""
    lanes = [{"id": lane_id} for lane_id in NATIVE_LANE_IDS]
    text = json.dumps(document(lanes=lanes, events=events))
    results = []
    for store_from in (0, 10**9):
        try:
            results.append(timeline_from_native(json.loads(text), text, store_from=store_from))
        except FormatError as error:
            results.append(error.problems)
    return results[0], results[1]


@settings(max_examples=300, deadline=None)
@given(st.booleans().flatmap(lambda plain: st.lists(native_events(plain), max_size=12)))
def test_a_store_reads_events_as_event_objects_do(events: list[Any]) -> None:
    through_store, through_events = read_both_ways(events)
    if isinstance(through_events, list):  # problems: the same ones, in the same order
        assert through_store == through_events
        return
    assert isinstance(through_store.events, EventStore)
    assert_same_timeline(through_events, through_store)


@settings(max_examples=100, deadline=None)
@given(st.lists(native_events(plain=True), max_size=12))
def test_plain_events_are_not_built_on_the_way_to_the_store(events: list[Any]) -> None:
    assume(len({event["id"] for event in events}) == len(events))  # a repeat goes to _event

    def not_called(*args: object) -> None:
        raise AssertionError("a plain event was read as an Event")

    lanes = [{"id": lane_id} for lane_id in NATIVE_LANE_IDS]
    text = json.dumps(document(lanes=lanes, events=events))
    with patch.object(native, "_event", not_called):
        timeline = timeline_from_native(json.loads(text), text, store_from=0)
    assert len(timeline.events) == len(events)


def test_zoned_events_before_plain_ones_keep_their_wall_clocks() -> None:
    events = [
        good_event("zoned", date="2024-02-26T10:00[Europe/Warsaw]"),
        *(
            good_event(f"plain-{n}", date=f"2024-02-{n:02d}T09:30/2024-02-{n:02d}T11")
            for n in range(1, 5)
        ),
    ]
    through_store, through_events = read_both_ways(events)
    assert_same_timeline(through_events, through_store)
    assert through_store.events[0].when.start.precision == Precision.MINUTE


def test_more_lanes_than_a_store_holds_is_reported_not_raised() -> None:
    lanes = [{"id": f"lane-{n}"} for n in range(4)]
    events = [good_event(f"e{n}", lane=f"lane-{n}") for n in range(4)]
    with patch.object(EventStoreBuilder, "DEFAULT_SLOT", 3):  # room for three lanes
        text = json.dumps(document(lanes=lanes, events=events))
        with pytest.raises(FormatError) as caught:
            timeline_from_native(json.loads(text), text, store_from=0)
        assert native.stream_native([text]) is None  # read whole, to report it
    assert "more than 3 lanes" in caught.value.problems[0].message
