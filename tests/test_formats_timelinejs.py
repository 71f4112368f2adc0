"""TimelineJS3 JSON: files in the wild read, problems placed, and what the format holds kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from formats_helpers import by_id, fixture_text, points, problems_of, spans, timelines
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.app import main
from desktop.formats import timelinejs
from desktop.formats.common import (
    UNTITLED_EVENT,
    UNTITLED_TIMELINE,
    era_color,
    from_timelinejs_year,
    normalize_text,
    palette_color,
    text_to_html,
    to_timelinejs_year,
)
from desktop.formats.loader import load_path, read_text_document
from desktop.formats.timelinejs import read_timelinejs, timeline_to_timelinejs, write_timelinejs
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import Era, Event, Lane, Provenance, Reference, Timeline

# -- reading the fixtures -------------------------------------------------------------------


def test_a_file_in_the_wild_reads() -> None:
    timeline = read_timelinejs(fixture_text("timelinejs-wild.json"))
    assert timeline.title == "Europe & Ukraine: a chronology"
    assert timeline.summary == "Events around the Warsaw meeting.\n\nCompiled from press reports."
    assert [lane.name for lane in timeline.lanes] == ["France", "Poland"]
    assert [lane.id for lane in timeline.lanes] == ["france", "poland"]
    assert [lane.color for lane in timeline.lanes] == [palette_color(0), palette_color(1)]
    events = by_id(timeline)
    assert set(events) == {
        "paris-conference", "warsaw-meeting", "event-3", "event-4", "warsaw-meeting-2", "event-6"
    }  # fmt: skip

    paris = events["paris-conference"]
    assert paris.when == DateSpan(TimePoint(2024, 2, 26, 19, 30, precision=Precision.MINUTE))
    assert paris.start.zone is None  # TimelineJS has no zones: floating
    # Tags stripped, but a <q>'s quotation marks kept, as a browser draws them (a user test
    # found the headline's quotation gone on the canvas, in the list and in Details).
    assert paris.title == "Macron: troops \u201ccannot be ruled out\u201d"
    assert paris.body.startswith("<p>After a Paris conference")  # HTML kept
    assert paris.display_date == "26 February 2024, evening"
    assert paris.references == (
        Reference(url="https://example.org/paris.jpg", title="Élysée press conference",
                  publisher="AP"),
    )  # fmt: skip
    assert paris.lane == "france"
    assert paris.provenance is Provenance.UNKNOWN

    meeting = events["warsaw-meeting"]
    assert meeting.when.isoformat() == "2024-12-12T13:00/2024-12-12T15:30"
    assert meeting.lane == "poland"

    summer = events["event-3"]  # "unique_id": "" is no id
    assert summer.when.isoformat() == "2024-07/2024-09"
    assert summer.display_date == "Summer 2024 – autumn"  # from inside the date objects

    # TimelineJS shows year -44 as "44 BCE", so its authors write -44 for 44 BC: astronomically
    # (0 is 1 BC) that is -43.
    ides = events["event-4"]
    assert ides.when.isoformat() == "-0043-03-15"
    assert ides.lane == ""

    greece = events["warsaw-meeting-2"]  # a repeated unique_id is made unique
    assert greece.when.isoformat() == "-0499/-0299"  # 500 BC – 300 BC

    untitled = events["event-6"]
    assert untitled.title == UNTITLED_EVENT
    assert untitled.when.isoformat() == "1989-06-04"

    assert [(era.name, era.span.isoformat(), era.color) for era in timeline.eras] == [
        ("War in Ukraine", "2022-02-24/2025", era_color(0)),
        ("End of the Cold War", "1989/1991", era_color(1)),
    ]


def test_a_cosmological_timeline_reads() -> None:
    timeline = read_timelinejs(fixture_text("timelinejs-cosmos.json"))
    assert len(timeline.events) == 6
    big_bang = timeline.events[0]
    assert big_bang.title == "Big Bang"
    # Year -13798000000, shown by TimelineJS as 13,798,000,000 BCE: astronomically one later.
    assert big_bang.start == TimePoint(-13_797_999_999, precision=Precision.YEAR)
    assert [lane.name for lane in timeline.lanes] == ["Cosmos", "Life", "Humans"]
    assert by_id(timeline)["event-4"].display_date == "66 million years ago"


def test_generated_ids_never_take_an_id_the_file_gives() -> None:
    data = {
        "events": [
            {"start_date": {"year": 2001}},
            {"start_date": {"year": 2002}, "unique_id": "event-1"},
            {"start_date": {"year": 2003}, "unique_id": 7},
        ]
    }
    events = by_id(timelinejs.timeline_from_timelinejs(data, json.dumps(data)))
    assert events["event-1"].start.year == 2002
    assert events["event-1-2"].start.year == 2001
    assert events["7"].start.year == 2003


def test_an_end_equal_to_the_start_is_a_point() -> None:
    day = {"year": "2024", "month": "5", "day": "1"}
    data = {"events": [{"start_date": day, "end_date": dict(day)}]}
    (event,) = timelinejs.timeline_from_timelinejs(data, json.dumps(data)).events
    assert event.end is None


def test_an_empty_title_slide_and_no_events() -> None:
    data = {"title": {"text": {"headline": "", "text": ""}}, "events": []}
    assert timelinejs.accepts(data)
    timeline = timelinejs.timeline_from_timelinejs(data, json.dumps(data))
    assert timeline.title == UNTITLED_TIMELINE
    assert timeline.events == ()


def test_a_title_given_as_text_names_the_timeline() -> None:
    """TimelineJS wants a slide for the title; a file written by hand often gives its name."""
    day = {"year": "2024", "month": "5", "day": "1"}
    data = {"title": "Spring <b>2024</b>", "events": [{"start_date": day}]}
    timeline = timelinejs.timeline_from_timelinejs(data, json.dumps(data))
    assert timeline.title == "Spring 2024"
    assert len(timeline.events) == 1


# -- detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"events": [{"start_date": {"year": 1}}]}, True),
        ({"events": [{"text": {}}, {"start_date": {"year": 1}}]}, True),
        ({"title": {"text": {"headline": "x"}}, "events": []}, True),
        ({"events": []}, False),
        ({"events": [{"date": "2024"}]}, False),
        ({"format": "timeline-viewer", "events": [{"start_date": {"year": 1}}]}, False),
        ({"events": {"start_date": {}}}, False),
        ([{"start_date": {"year": 1}}], False),
    ],
)
def test_accepts(data: object, expected: bool) -> None:
    assert timelinejs.accepts(data) is expected


def test_content_decides_not_the_file_name(tmp_path: Path) -> None:
    target = tmp_path / "exported.txt"
    shutil.copy(Path(__file__).parent / "fixtures" / "timelinejs-wild.json", target)
    assert len(load_path(target).events) == 6
    assert read_text_document(fixture_text("timelinejs-cosmos.json")).events[0].title == "Big Bang"


@pytest.mark.parametrize(
    ("name", "count"), [("timelinejs-wild.json", 6), ("timelinejs-cosmos.json", 6)]
)
def test_check_command_counts_the_events(
    name: str, count: int, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(Path(__file__).parent / "fixtures" / name)
    assert main(["--check", path]) == 0
    assert f": OK, {count} events, " in capsys.readouterr().out


# -- problems -------------------------------------------------------------------------------

BAD = """{
  "events": [
    {"start_date": {"year": "2024", "month": "13"}},
    {"start_date": {"year": "2023", "month": 2, "day": "31"}},
    {"start_date": {"month": "2"}},
    {"text": {"headline": "no date"}},
    {"start_date": {"year": "twenty"}},
    {"start_date": {"year": 2024, "day": 5}},
    {"start_date": {"year": 2024}, "end_date": {"year": 2020}},
    {"start_date": {"year": 2024, "month": 1, "day": 1, "hour": "24"}},
    "not an event"
  ]
}
"""


def place_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``occurrence``-th ``needle``, found independently."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    before = text[:offset]
    return before.count("\n") + 1, len(before.split("\n")[-1]) + 1


def test_problems_are_reported_with_their_line_and_column() -> None:
    problems = problems_of(read_timelinejs, BAD)
    found = {(problem.line, problem.column): problem.message for problem in problems}
    expected = {
        place_of(BAD, '"13"'): "month 13",
        place_of(BAD, '"31"'): "day 31 does not exist in February 2023",
        place_of(BAD, '{"month": "2"}'): "the year is missing",
        place_of(BAD, '{"text": {"headline": "no date"}}'): 'missing "start_date"',
        place_of(BAD, '"twenty"'): "is not a whole number",
        place_of(BAD, "5}}"): "the day is given without the month",
        place_of(BAD, '{"year": 2020}'): "before the start",
        place_of(BAD, '"24"'): "hour 24",
        place_of(BAD, '"not an event"'): "expected an object",
    }
    assert set(found) == set(expected)
    for place, fragment in expected.items():
        assert fragment in found[place], (place, found[place])
    assert problems == sorted(problems, key=lambda problem: (problem.line, problem.column))


def test_problems_name_the_json_path() -> None:
    (problem,) = problems_of(
        read_timelinejs, '{"events": [{"start_date": {"year": 1, "month": 0}}]}'
    )
    assert problem.message.startswith("events/0/start_date/month: ")


def test_a_syntax_error_is_a_problem_too() -> None:
    (problem,) = problems_of(read_timelinejs, '{"events": [\n  {"start_date": }\n]}')
    assert (problem.line, problem.column) == (2, 18)


# -- writing --------------------------------------------------------------------------------


def test_writing_gives_timelinejs_shapes() -> None:
    lane = Lane("fr", "France", "#E69F00")
    july = TimePoint(2024, 7, precision=Precision.MONTH, approximate=True)
    reference = Reference(url="https://x.invalid", title="T", publisher="P & Q")
    events = (
        Event("a", "Troops <b>& tanks</b>", DateSpan(july), summary="Short.", body="<p>Long</p>",
              lane="fr", references=(Reference(url="", title="no url"), reference)),
        Event("b", "Talk", DateSpan.parse("2024-02-26T19:30+01:00/2024-02-26T21:00+01:00"),
              display_date="that evening"),
    )  # fmt: skip
    eras = (Era("War", DateSpan.parse("2022")),)
    data = timeline_to_timelinejs(
        Timeline("A & B", events, summary="Line one\nline two", lanes=(lane,), eras=eras)
    )
    assert data["title"] == {
        "text": {"headline": "A &amp; B", "text": "<p>Line one<br>line two</p>"}
    }
    second, first = data["events"]  # in date order
    assert first == {
        "start_date": {"year": 2024, "month": 7},
        "text": {
            "headline": "Troops &lt;b&gt;&amp; tanks&lt;/b&gt;",
            "text": "<p>Short.</p><p>Long</p>",
        },
        "display_date": "about July 2024",  # the qualifier has no field of its own
        "group": "France",
        "media": {"url": "https://x.invalid", "caption": "T", "credit": "P &amp; Q"},
        "unique_id": "a",
    }  # fmt: skip
    assert second["start_date"] == {"year": 2024, "month": 2, "day": 26, "hour": 19, "minute": 30}
    assert second["end_date"] == {"year": 2024, "month": 2, "day": 26, "hour": 21, "minute": 0}
    assert second["display_date"] == "that evening"
    assert "group" not in second
    assert data["eras"] == [
        {"start_date": {"year": 2022}, "end_date": {"year": 2022}, "text": {"headline": "War"}}
    ]
    assert "scale" not in data
    assert timelinejs.accepts(data)


def test_writing_years_beyond_javascript_dates_uses_the_cosmological_scale() -> None:
    event = Event("bang", "Big Bang", DateSpan(TimePoint(-13_797_999_999, precision=0)))
    data = json.loads(write_timelinejs(Timeline("Cosmos", (event,))))
    assert data["scale"] == "cosmological"
    assert data["events"][0]["start_date"] == {"year": -13_798_000_000}  # 13,798,000,000 BC


def test_the_wild_fixture_round_trips_through_the_writer() -> None:
    first = read_timelinejs(fixture_text("timelinejs-wild.json"))
    second = read_timelinejs(write_timelinejs(first))
    assert second.title == first.title and second.summary == first.summary
    assert by_id(second) == by_id(first)
    # Lanes come back in the order events are written (by date), so with other colours.
    assert {lane.id: lane.name for lane in second.lanes} == {
        lane.id: lane.name for lane in first.lanes
    }
    assert [(era.name, era.span) for era in second.eras] == [
        (era.name, era.span) for era in first.eras
    ]


# -- what TimelineJS holds, kept (property) -------------------------------------------------


def _floating(point: TimePoint) -> TimePoint:
    """What TimelineJS keeps of a date: its wall-clock parts and precision."""
    parts = (point.year, point.month, point.day, point.hour, point.minute, point.second)
    return TimePoint.from_parts(parts, point.precision)


def _kept_span(span: DateSpan) -> DateSpan:
    start = _floating(span.start)
    end = _floating(span.end) if span.end is not None else None
    return DateSpan(start, None if end == start else end)


def _plain(text: str) -> str:
    """Plain text as it comes back: the writer escapes it as HTML, and the reader reads HTML
    ("&amp" stays "&amp", though as HTML it would be "&"), collapsing white space."""
    return " ".join(text.split())


@settings(max_examples=60, deadline=None)
@given(timelines(span_strategy=spans(points(zones=(None,)))))
def test_timelinejs_keeps_what_it_can_hold(timeline: Timeline) -> None:
    """Ids, titles, dates with their precision (not their qualifiers or zones), lane names,
    bodies (the summary as a first paragraph), display dates, the first reference with a URL,
    eras' names and dates, and the title and summary."""
    text = write_timelinejs(timeline)
    back = read_text_document(text)  # detected by content
    assert back.title == (_plain(timeline.title) or UNTITLED_TIMELINE)
    assert back.summary == normalize_text(timeline.summary)
    names = {lane.id: lane.name for lane in timeline.lanes}
    back_names = {lane.id: lane.name for lane in back.lanes}
    read = by_id(back)
    assert set(read) == {event.id for event in timeline.events}
    for event in timeline.events:
        got = read[event.id]
        assert got.title == (_plain(event.title) or UNTITLED_EVENT)
        assert got.when == _kept_span(event.when)
        assert back_names.get(got.lane, "") == names.get(event.lane, "")
        summary = text_to_html(event.summary) if event.summary else ""
        assert got.body == (summary + event.body).strip()
        qualified = any(p.qualifier for p in (event.start, event.end) if p is not None)
        assert got.display_date == (
            event.display_date or (event.when.describe() if qualified else "")
        )
        first = next((ref for ref in event.references if ref.url), None)
        if first is None:
            assert got.references == ()
        else:
            assert got.references == (
                Reference(url=first.url, title=_plain(first.title),
                          publisher=_plain(first.publisher)),
            )  # fmt: skip
    assert [(era.name, era.span) for era in back.eras] == [
        (_plain(era.name), _kept_span(era.span)) for era in timeline.eras
    ]


def test_quotations_marked_up_in_html_keep_their_quotation_marks() -> None:
    """<q> is drawn with quotation marks by a browser; dropping the tag dropped the marks
    ("Macron: troops cannot be ruled out"). A quotation within one takes single marks, and an
    end tag with no start adds none."""
    from desktop.formats.common import html_to_text

    nested = "<q>He said <q>no</q> twice</q>."
    assert html_to_text(nested) == "\u201cHe said \u2018no\u2019 twice\u201d."
    assert html_to_text("a </q>stray end") == "a stray end"


@pytest.mark.parametrize(
    ("written", "read", "shown"),
    [
        (-500, -499, "500 BC"),
        (-44, -43, "44 BC"),
        (-1, 0, "1 BC"),
        (1, 1, "1"),
        (2024, 2024, "2024"),
    ],
)
def test_a_year_is_read_as_timelinejs_shows_it_and_written_back_so(
    written: int, read: int, shown: str
) -> None:
    """TimelineJS shows year -N as "N BCE" (the absolute value and an era label), so that is
    what its authors mean; read astronomically (0 is 1 BC), BC dates were a year early (from
    a user test: -500 was "501 BC")."""
    for year in (written, str(written)):  # the fast reader's two shapes, and the careful one
        data = {"events": [{"start_date": {"year": year}, "text": {"headline": "x"}}]}
        timeline = read_timelinejs(json.dumps(data))
        assert timeline.events[0].start.year == read
        assert shown in timeline.events[0].when.describe()
    data = json.loads(write_timelinejs(timeline))
    assert data["events"][0]["start_date"] == {"year": written}


@given(st.integers(-(10**12), 10**12))
def test_timelinejs_years_map_both_ways(year: int) -> None:
    assert from_timelinejs_year(to_timelinejs_year(year)) == year
    assert to_timelinejs_year(year) != 0  # TimelineJS has no year 0 to write
