"""The Timeline Project's .timeline XML: read safely, problems placed, what it holds kept."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from formats_helpers import (
    FIXTURES,
    by_id,
    fixture_text,
    points,
    problems_of,
    spans,
    timelines,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.app import main
from desktop.formats import thetimelineproj
from desktop.formats.common import UNTITLED_EVENT, UNTITLED_TIMELINE, html_to_text, normalize_text
from desktop.formats.errors import FormatError
from desktop.formats.loader import load_path, read_text_document
from desktop.formats.thetimelineproj import read_thetimelineproj, write_thetimelineproj
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import Event, Lane, Reference, Timeline

# -- the fixture ----------------------------------------------------------------------------


def test_the_fixture_reads() -> None:
    timeline = read_thetimelineproj(fixture_text("rome.timeline"))
    assert timeline.title == UNTITLED_TIMELINE
    assert [(lane.id, lane.name, lane.color) for lane in timeline.lanes] == [
        ("politics", "Politics", "#E69F00"),
        ("politics-wars", "Politics / Wars", "#D55E00"),  # nested categories flattened
        ("culture", "Culture", "#0072B2"),
    ]
    events = by_id(timeline)
    assert len(events) == 7

    caesar = events["event-1"]
    assert caesar.title == "Assassination of Julius Caesar"
    assert caesar.when == DateSpan(TimePoint(-43, 3, 15))  # astronomical year: 44 BC
    assert caesar.lane == "politics"
    assert html_to_text(caesar.body) == (
        "Stabbed in the Theatre of Pompey.\nBrutus & Cassius lead the conspirators."
    )
    assert [reference.url for reference in caesar.references] == [
        "https://en.wikipedia.org/wiki/Assassination_of_Julius_Caesar",
        "https://www.britannica.com/biography/Julius-Caesar-Roman-ruler",
    ]

    gallic = events["event-2"]  # a container, fuzzy: approximate at both ends
    assert gallic.title == "Gallic Wars"
    assert gallic.when.isoformat() == "-0057-01-01~/-0049-12-31~"
    assert gallic.lane == "politics-wars"
    alesia = events["event-3"]  # a member of container 1
    assert alesia.title == "Siege of Alesia"
    assert alesia.tags == ("Gallic Wars",)
    pharsalus = events["event-4"]  # the added space before "(" is taken off, no container
    assert pharsalus.title == "(not a member) Battle of Pharsalus"
    assert pharsalus.tags == ()

    zero = events["event-5"]  # a milestone, in year 0 (1 BC), without a category
    assert zero.when == DateSpan(TimePoint(0, 1, 1))
    assert zero.lane == ""

    lecture = events["event-6"]  # times: dated to the minute, floating
    assert lecture.when.isoformat() == "2024-02-26T19:30/2024-02-26T21:15"
    assert lecture.start.precision is Precision.MINUTE and lecture.start.zone is None

    conference = events["event-7"]  # midnight to midnight: days, the end day included
    assert conference.when.isoformat() == "2024-02-26/2024-02-28"

    (era,) = timeline.eras
    assert (era.name, era.span.isoformat(), era.color) == (
        "Roman Republic", "-0508-01-01/-0026-01-16", "#FFDCC8"
    )  # fmt: skip
    assert timeline.view == DateSpan.parse("-0060-01-01/-0040-01-01")


def test_content_decides_and_check_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rome.xml.txt"
    shutil.copy(FIXTURES / "rome.timeline", target)
    assert len(load_path(target).events) == 7
    assert len(read_text_document(fixture_text("rome.timeline")).events) == 7
    assert main(["--check", str(FIXTURES / "rome.timeline")]) == 0
    assert ": OK, 7 events, " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("start", "expected"),
    [("<?xml version='1.0'?><timeline/>", True), ("<timeline>", True), ("<!DOCTYPE x>", True),
     ("{", False), ("start,title", False)],
)  # fmt: skip
def test_accepts(start: str, expected: bool) -> None:
    assert thetimelineproj.accepts(start) is expected


# -- safety ---------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<timeline><version>2.9.0</version><events><event><start>2024-01-01 00:00:00</start>
<end>2024-01-01 00:00:00</end><text>&lol9;</text></event></events></timeline>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE timeline [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<timeline><version>2.9.0</version><events><event><start>2024-01-01 00:00:00</start>
<end>2024-01-01 00:00:00</end><text>&secret;</text></event></events></timeline>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_a_doctype_is_refused_quickly_with_a_clear_problem(text: str, tmp_path: Path) -> None:
    began = time.perf_counter()
    (problem,) = problems_of(read_text_document, text)
    assert time.perf_counter() - began < 0.5
    assert "DOCTYPE" in problem.message
    assert (problem.line, problem.column) == (2, 1)
    assert "root:" not in problem.message  # nothing of /etc/passwd came in
    target = tmp_path / "evil.timeline"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError):
        load_path(target)


# -- problems -------------------------------------------------------------------------------

BAD = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>2.9.0</version>
  <categories>
    <category><name>Child</name><color>1,2,3</color><parent>Nobody</parent></category>
    <category><name>Bad colour</name><color>300,0,0</color></category>
  </categories>
  <events>
    <event><start>2024-13-01 00:00:00</start><end>2024-12-01 00:00:00</end><text>a</text></event>
    <event><start>2023-02-29 00:00:00</start><end>2023-03-01 00:00:00</end><text>b</text></event>
    <event><start>2024-01-02 00:00:00</start><end>2024-01-01 00:00:00</end><text>c</text></event>
    <event><start>yesterday</start><end>2024-01-01 00:00:00</end><text>d</text></event>
    <event><end>2024-01-01 00:00:00</end><text>e</text></event>
    <event><start>2024-01-01 25:00:00</start><end>2024-01-01 00:00:00</end><text>f</text></event>
    <event><start>2024-01-01 00:00:00</start><end>2024-01-01 00:00:00</end><text>g</text>
      <category>Unknown</category></event>
  </events>
</timeline>
"""


def place_of(text: str, needle: str) -> tuple[int, int]:
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before.split("\n")[-1]) + 1


def test_problems_are_reported_with_their_line_and_column() -> None:
    problems = problems_of(read_thetimelineproj, BAD)
    found = {(problem.line, problem.column): problem.message for problem in problems}
    expected = {
        place_of(BAD, "<category><name>Child"): "parent category 'Nobody' is not defined",
        place_of(BAD, "300,0,0"): "is not R,G,B",
        place_of(BAD, "2024-13-01 00:00:00</start>"): "no such day",
        place_of(BAD, "2023-02-29"): "no such day",
        place_of(BAD, "<event><start>2024-01-02"): "ends before it starts",
        place_of(BAD, "yesterday"): "is not YYYY-MM-DD HH:MM:SS",
        place_of(BAD, "<event><end>"): "<event> has no <start>",
        place_of(BAD, "2024-01-01 25:00:00"): "time out of range",
        place_of(BAD, "Unknown"): "category 'Unknown' is not defined",
    }
    assert set(found) == set(expected), found
    for place, fragment in expected.items():
        assert fragment in found[place]


@pytest.mark.parametrize(
    ("text", "place", "fragment"),
    [
        ("<timeline>\n  <events>\n</timeline>", (3, 3), "not well-formed XML: mismatched tag"),
        ("<?xml version='1.0'?>\n<svg/>", (2, 1), "not <timeline>"),
        ("<timeline><timetype>numtime</timetype></timeline>", (1, 21), "numtime"),
    ],
)
def test_documents_that_are_not_timelines(text: str, place: tuple[int, int], fragment: str) -> None:
    (problem,) = problems_of(read_thetimelineproj, text)
    assert (problem.line, problem.column) == place
    assert fragment in problem.message


def test_columns_count_characters_not_bytes() -> None:
    text = "<timeline><events><event><text>ŁŁŁ</text><start>x</start></event></events></timeline>"
    problem = next(p for p in problems_of(read_thetimelineproj, text) if "'x'" in p.message)
    assert problem.column == text.index(">x<") + 2


# -- writing --------------------------------------------------------------------------------


def test_writing_maps_precision_to_periods() -> None:
    events = (
        Event("m", "[Not a container", DateSpan.parse("2024-07~")),
        Event("t", "Talk", DateSpan.parse("2024-02-26T19:30+01:00")),
    )
    text = write_thetimelineproj(Timeline("T", events))
    assert "<start>2024-07-01 00:00:00</start>" in text
    assert "<end>2024-07-31 00:00:00</end>" in text  # the last day of July: ends are inclusive
    assert "<fuzzy>True</fuzzy>" in text
    assert "<text> [Not a container</text>" in text
    assert "<start>2024-02-26 19:30:00</start>" in text  # the wall clock, without the zone
    back = by_id(read_thetimelineproj(text))
    assert back["event-1"].title == "Talk"
    assert back["event-2"].title == "[Not a container"
    assert back["event-2"].when.isoformat() == "2024-07-01~/2024-07-31~"


def test_the_fixture_round_trips_through_the_writer() -> None:
    first = read_thetimelineproj(fixture_text("rome.timeline"))
    second = read_thetimelineproj(write_thetimelineproj(first))
    assert second.view == first.view
    assert second.eras == first.eras
    assert second.lanes == first.lanes
    for before, after in zip(first.events, second.events, strict=True):
        # Ids are places in the file, which is now in date order; containers are not written.
        assert after == Event(**{**_fields(before), "id": after.id, "tags": ()})


def _fields(event: Event) -> dict:
    return {name: getattr(event, name) for name in Event._fields}


# -- what the format holds, kept (property) -------------------------------------------------

_years = st.integers(-9999, 9999)
_day_points = points(precisions=(Precision.DAY,), years=_years, qualifiers=False)
_minute_points = points(
    precisions=(Precision.MINUTE,), zones=(None,), years=_years, qualifiers=False
).filter(lambda point: (point.hour, point.minute) != (0, 0))


@st.composite
def _held_spans(draw: st.DrawFn) -> DateSpan:
    """Dates the format holds: days, or minutes that are not midnight; the same at both ends."""
    span = draw(spans(draw(st.sampled_from([_day_points, _minute_points]))))
    if span.end == span.start:  # written alike, read back as the point it is
        span = DateSpan(span.start)
    if not draw(st.booleans()):
        return span
    fuzzy = [TimePoint.from_parts(_parts(p), p.precision, approximate=True) for p in _ends(span)]
    return DateSpan(*fuzzy)


def _exact(span: DateSpan) -> DateSpan:
    return DateSpan(*(TimePoint.from_parts(_parts(p), p.precision) for p in _ends(span)))


def _ends(span: DateSpan) -> list[TimePoint]:
    return [point for point in (span.start, span.end) if point is not None]


def _parts(point: TimePoint) -> tuple[int, ...]:
    return (point.year, point.month, point.day, point.hour, point.minute, point.second)


@settings(max_examples=60, deadline=None)
@given(timelines(span_strategy=_held_spans()), st.one_of(st.none(), spans(_day_points)))
def test_the_timeline_project_keeps_what_it_can_hold(
    timeline: Timeline, view: DateSpan | None
) -> None:
    """Titles, dates to the day or minute (fuzzy as approximate at both ends), the text of the
    summary and body, lane names and colours, reference URLs, eras and the view."""
    timeline = Timeline(
        timeline.title, timeline.events, lanes=timeline.lanes, eras=timeline.eras, view=view
    )
    back = read_text_document(write_thetimelineproj(timeline))
    assert back.view == (DateSpan(view.start) if view and view.end == view.start else view)
    assert [(era.name, era.span, era.color) for era in back.eras] == [
        (era.name.strip(), _exact(era.span), era.color) for era in timeline.eras
    ]  # eras have no "fuzzy"
    lanes = {lane.id: (lane.name, lane.color) for lane in timeline.lanes}
    back_lanes = {lane.id: (lane.name, lane.color) for lane in back.lanes}
    assert sorted(back_lanes.values()) == sorted(lanes.values())
    assert len(back.events) == len(timeline.events)
    # No ids in the format: events come back in the order written, which is the model's.
    for event, got in zip(timeline.events, back.events, strict=True):
        assert got.title == (event.title.strip() or UNTITLED_EVENT)
        assert got.when == event.when
        assert back_lanes.get(got.lane) == lanes.get(event.lane)
        text = [normalize_text(event.summary), html_to_text(event.body)]
        assert html_to_text(got.body) == "\n\n".join(part for part in text if part)
        assert [ref.url for ref in got.references] == [ref.url for ref in event.references]


def test_lane_names_that_repeat_stay_apart() -> None:
    lanes = (Lane("a", "Same"), Lane("b", "Same"))
    events = (
        Event("x", "X", DateSpan.parse("2024"), lane="a"),
        Event("y", "Y", DateSpan.parse("2025"), lane="b"),
    )
    back = read_thetimelineproj(write_thetimelineproj(Timeline("T", events, lanes=lanes)))
    assert back.events[0].lane != back.events[1].lane


def test_control_characters_are_left_out_so_the_file_stays_xml() -> None:
    event = Event("x", "Bell\x07 and NUL\x00", DateSpan.parse("2024"),
                  references=(Reference(url="https://x.invalid"),))  # fmt: skip
    back = read_thetimelineproj(write_thetimelineproj(Timeline("T", (event,))))
    assert back.events[0].title == "Bell and NUL"
