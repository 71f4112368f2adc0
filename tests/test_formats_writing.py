"""Writing data files: progress reports, Cancel, and files replaced only when complete."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.formats import ics, native
from desktop.formats.common import UNTITLED_TIMELINE, palette_color
from desktop.formats.loader import read_text_document
from desktop.formats.progress import REPORT_EVERY, Cancelled, no_progress, reporting
from desktop.formats.writers import DATA_WRITERS, FACETS, DataWriter, facets_of
from desktop.model.dates import DateSpan
from desktop.model.store import EventStore
from desktop.model.timeline import (
    Confidence,
    Era,
    Event,
    Lane,
    Provenance,
    Reference,
    SourceDocument,
    Timeline,
)

# More events than one report covers, so every writer reports several times.
EVENT_COUNT = 2 * REPORT_EVERY + 123


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    lanes = (Lane("pl", "Poland"), Lane("fr", "France"))
    events = tuple(
        Event(
            f"e{number}",
            f"Event {number}",
            DateSpan.parse(f"{1900 + number % 120}-{1 + number % 12:02d}-{1 + number % 28:02d}"),
            body="<p>Said <b>this</b>.</p>",
            lane=lanes[number % 2].id,
        )
        for number in range(EVENT_COUNT)
    )
    return Timeline("Many", events, lanes=lanes)


@given(st.integers(0, 3 * REPORT_EVERY))
def test_reporting_yields_every_item_and_reports_before_each_batch(count):
    reports: list[tuple[float, str]] = []
    items = list(range(count))
    yielded = list(reporting(items, lambda done, stage: reports.append((done, stage)), "Do"))
    assert yielded == items
    assert len(reports) == -(-count // REPORT_EVERY)  # one per batch begun
    shares = [done for done, _stage in reports]
    assert shares == [batch * REPORT_EVERY / count for batch in range(len(reports))]
    assert {stage for _done, stage in reports} <= {"Do"}


@pytest.mark.parametrize("writer", DATA_WRITERS, ids=lambda writer: writer.suffix)
def test_saving_reports_its_progress_and_writes_what_write_gives(timeline, writer, tmp_path):
    reports: list[tuple[float, str]] = []
    path = tmp_path / f"out{writer.suffix}"
    written, note = writer.save(timeline, path, lambda done, stage: reports.append((done, stage)))
    assert (written, note) == (EVENT_COUNT, writer.report(timeline)[1])
    shares = [done for done, _stage in reports]
    assert shares == sorted(shares)
    assert len(reports) > EVENT_COUNT // REPORT_EVERY  # a report for each batch of events
    assert reports[-1] == (1.0, "Writing")  # the last chance to cancel
    if writer.suffix == ".ics":  # the stamp is the time of writing: compare the rest
        kept = [line for line in path.read_bytes().decode().split("\r\n") if "DTSTAMP" not in line]
        again = "".join(writer.pieces(timeline, no_progress)).split("\r\n")
        assert kept == [line for line in again if "DTSTAMP" not in line]
    else:
        assert path.read_bytes().decode("utf-8") == "".join(writer.pieces(timeline, no_progress))
    assert sorted(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("writer", DATA_WRITERS, ids=lambda writer: writer.suffix)
def test_cancel_leaves_the_file_that_was_there(timeline, writer, tmp_path):
    path = tmp_path / f"out{writer.suffix}"
    path.write_text("what was there", encoding="utf-8")
    reports = []

    def progress(done: float, stage: str) -> None:
        reports.append(done)
        if len(reports) == 2:  # cancelled while the events are being written
            raise Cancelled

    with pytest.raises(Cancelled):
        writer.save(timeline, path, progress)
    assert path.read_text(encoding="utf-8") == "what was there"
    assert sorted(tmp_path.iterdir()) == [path]


def test_a_failed_save_leaves_no_part_file(timeline, tmp_path):
    writer: DataWriter = DATA_WRITERS[0]
    path = tmp_path / "taken.json"
    path.mkdir()  # a folder where the file should go: the last step, the rename, fails
    with pytest.raises(OSError):
        writer.save(timeline, path)
    assert sorted(tmp_path.iterdir()) == [path]


# Years on both sides of iCalendar's 1–9999, where ics_skipped's quick answer must agree with
# looking at every event.
edge_dates = st.builds(
    lambda year, month, day, hour, zone: (
        f"{year:05d}-{month:02d}-{day:02d}T{hour:02d}:00{zone}"
        if year < 0
        else f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:00{zone}"
    ),
    st.sampled_from((-1, 0, 1, 2, 3, 9997, 9998, 9999)),
    st.sampled_from((1, 12)),
    st.sampled_from((1, 31)),
    st.sampled_from((0, 23)),
    st.sampled_from(("", "Z", "+14:00", "-12:00")),
) | st.sampled_from(("Y10000", "Y-10000", "9999", "0001", "9999-12", "0001-01"))


@given(st.lists(edge_dates, min_size=1, max_size=6))
def test_ics_skipped_agrees_with_a_look_at_every_event(dates):
    events = tuple(Event(f"e{n}", "E", DateSpan.parse(text)) for n, text in enumerate(dates))
    timeline = Timeline("T", events)
    every = tuple(event for event in timeline.events if ics._date_lines(event) is None)
    assert ics.ics_skipped(timeline) == every


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=10,
)
json_objects = st.dictionaries(st.text(max_size=6), json_values, max_size=4)


@given(json_objects, st.lists(json_values, max_size=4), json_objects)
def test_json_pieces_write_the_object_an_item_a_line(head, items, tail):
    head.pop("events", None)
    tail = {key: value for key, value in tail.items() if key not in head and key != "events"}
    text = "".join(native.json_pieces(head, "events", iter(items), lambda: tail))
    assert json.loads(text) == head | {"events": items} | tail
    # Indented as json.dumps indents, but for the items, which are a line each.
    indented = json.dumps(head | {"events": []} | tail, ensure_ascii=False, indent=2) + "\n"
    lines = text.split("\n")[:-1]  # not splitlines(), which also splits at "\x85"
    if items:
        first = lines.index('  "events": [')
        assert [
            json.loads(line.strip().rstrip(",")) for line in lines[first + 1 :][: len(items)]
        ] == items
        assert lines[first + 1 + len(items)].startswith("  ]")
        lines[first : first + len(items) + 2] = [
            '  "events": []' + lines[first + len(items) + 1][3:]
        ]
    assert "\n".join(lines) + "\n" == indented


def test_two_saves_of_one_file_at_once_each_write_a_whole_file(timeline, tmp_path):
    # Two exports to the same name, the second started while the first runs: they shared one
    # part file, and the file came out with megabytes of zeros in it.
    writer = DATA_WRITERS[3]
    path = tmp_path / "same.csv"
    whole = "".join(writer.pieces(timeline, no_progress))
    reports = []

    def first_progress(done: float, stage: str) -> None:
        reports.append(done)
        if len(reports) == 2:  # the first is half-written: the second runs to its end
            writer.save(timeline, path)
            assert path.read_bytes().decode("utf-8") == whole

    writer.save(timeline, path, first_progress)
    assert path.read_bytes().decode("utf-8") == whole
    assert sorted(tmp_path.iterdir()) == [path]


def test_a_replaced_file_keeps_its_permissions(timeline, tmp_path):
    path = tmp_path / "private.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    DATA_WRITERS[3].save(timeline, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("id,")


def test_saving_through_a_link_replaces_the_file_it_names(timeline, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    DATA_WRITERS[3].save(timeline, link)
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8").startswith("id,")


# -- what a format has no place for -------------------------------------------------------------
# From a user test: a CSV export dropped the article's quotes, the sources after the first and
# every event's confidence, and said only "Exported 28 events".
FACET_FIELDS: dict[str, dict[str, object]] = {
    "actors": {"actors": ("Donald Tusk",)},
    "places": {"place": "Warsaw"},
    "tags": {"tags": ("troops",)},
    "quotes from sources": {"references": (Reference(quote="We agreed."),)},
    "sources after the first": {
        "references": (Reference(url="https://a.example"), Reference(url="https://b.example"))
    },
    "sources' titles and publishers": {"references": (Reference(publisher="AP"),)},
    "provenance": {"provenance": Provenance.ARTICLE},
    "confidence": {"confidence": Confidence.HIGH},
    "display dates": {"display_date": "that winter"},
}


def facet_event(
    event_id: str, names: Iterable[str], zoned: bool = False, coarse: bool = False
) -> Event:
    fields: dict[str, object] = {}
    for name in names:
        fields |= FACET_FIELDS[name]
    written = "2024-12-12T13:00+01:00" if zoned else "2024-12" if coarse else "2024-12-12"
    when = DateSpan.parse(written)
    return Event(event_id, f"Event {event_id}", when, **fields)  # type: ignore[arg-type]


# Every event has an id, which one format has no place for.
IDS = "event ids"
COARSE = "month and year precision (written as the days they cover)"


@pytest.mark.parametrize("name", list(FACET_FIELDS))
def test_each_field_a_format_may_drop_is_found_alone(name: str) -> None:
    events = (facet_event("plain", ()), facet_event("rich", (name,)))
    assert facets_of(Timeline(UNTITLED_TIMELINE, events), FACETS) == [IDS, name]


def test_what_a_timeline_has_as_a_whole_is_found_alone() -> None:
    plain = facet_event("plain", ())

    def found(**fields: object) -> list[str]:
        title = str(fields.pop("title", UNTITLED_TIMELINE))
        timeline = Timeline(title, (plain,), **fields)  # type: ignore[arg-type]
        return [name for name in facets_of(timeline, FACETS) if name != IDS]

    assert found() == []
    assert found(title="Warsaw") == ["the timeline's title"]
    assert found(summary="Talks.") == ["the timeline's summary"]
    assert found(source=SourceDocument("Tusk and Macron")) == ["the source document"]
    assert found(view=DateSpan.parse("2024")) == ["the opening view"]
    assert found(lanes=(Lane("pl", "Poland"),)) == ["lane colours"]
    described = Lane("pl", "Poland", description="The Polish government")
    assert found(lanes=(described,)) == ["lane colours", "lane descriptions"]
    assert found(eras=(Era("Winter", DateSpan.parse("2024-12")),)) == ["eras"]
    vague = Era("Winter", DateSpan.parse("2024-12~"))
    assert found(eras=(vague,)) == ["eras", "eras' approximate or uncertain dates"]


def test_zones_and_coarse_dates_are_found_alone() -> None:
    plain = facet_event("plain", ())
    zoned = Timeline(UNTITLED_TIMELINE, (plain, facet_event("zoned", (), zoned=True)))
    assert facets_of(zoned, FACETS) == [IDS, "time zones"]
    coarse = Timeline(UNTITLED_TIMELINE, (plain, facet_event("coarse", (), coarse=True)))
    assert facets_of(coarse, FACETS) == [IDS, COARSE]


@given(
    st.lists(
        st.tuples(
            st.sets(st.sampled_from(list(FACET_FIELDS))), st.sampled_from(["", "zoned", "coarse"])
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_big_timeline_s_columns_give_what_its_events_give(
    plan: list[tuple[set[str], str]],
) -> None:
    """A timeline kept as columns (EventStore) reads only its events with sparse fields, and
    its date columns for zones and precision."""
    events = tuple(
        facet_event(f"e{index}", sorted(names), kind == "zoned", kind == "coarse")
        for index, (names, kind) in enumerate(plan)
    )
    as_tuple = Timeline("t", events)
    as_store = Timeline("t", EventStore.from_events(events))
    assert isinstance(as_store.events, EventStore) and not isinstance(as_tuple.events, EventStore)
    assert facets_of(as_store, FACETS) == facets_of(as_tuple, FACETS)


def test_an_export_says_what_its_format_has_no_place_for() -> None:
    from desktop.formats.loader import load_bundled

    bundled = load_bundled()
    writers = {writer.suffix: writer for writer in DATA_WRITERS}
    assert writers[".json"].report(bundled) == (len(bundled.events), "")
    written, note = writers[".csv"].report(bundled)
    assert written == len(bundled.events)
    assert note == (
        "CSV has no place for the timeline's title, the timeline's summary, the source document,"
        " the opening view, lane colours, lane descriptions, eras, actors, tags, quotes from"
        " sources, sources after the first, sources' titles and publishers, provenance, confidence"
    )  # and not for places, display dates or time zones, which CSV keeps
    plain = Timeline(UNTITLED_TIMELINE, (facet_event("plain", ()),))
    for writer in DATA_WRITERS:
        ids = "The Timeline Project has no place for event ids"
        assert writer.report(plain) == (1, ids if writer.suffix == ".timeline" else "")


@st.composite
def lanes_and_events(draw: st.DrawFn) -> Timeline:
    """A few lanes, each in the palette's colour for some place or in another, and events in
    them (or in none) with ids that are or are not the ones a reading would number them with."""
    lane_count = draw(st.integers(0, 4))
    lanes = tuple(
        Lane(
            f"lane-{n}",
            f"Lane {n}",
            draw(st.one_of(st.integers(0, 5).map(palette_color), st.just("#123456"))),
        )
        for n in range(lane_count)
    )
    numbered = draw(st.booleans())
    count = draw(st.integers(1, 6))
    events = tuple(
        Event(
            f"event-{n}" if numbered else f"e{n}",
            f"Event {n}",
            DateSpan.parse(f"2024-12-{n:02d}"),  # in this order, the order they are written in
            lane=draw(st.sampled_from(["", *(lane.id for lane in lanes)])),
        )
        for n in range(1, count + 1)
    )
    return Timeline(UNTITLED_TIMELINE, events, lanes=lanes)


def _used_lane_colours(timeline: Timeline) -> dict[str, str]:
    used = {event.lane for event in timeline.events}
    return {lane.name: lane.color.upper() for lane in timeline.lanes if lane.id in used}


@pytest.mark.parametrize(
    "writer", [w for w in DATA_WRITERS if w.read_back], ids=lambda writer: writer.suffix
)
@given(timeline=lanes_and_events())
def test_lane_colours_and_ids_are_named_when_a_reading_would_not_give_them_again(
    writer: DataWriter, timeline: Timeline
) -> None:
    """From a user test: a CSV exported again was said to lose the lane colours its reading had
    given, and would give again. What the note names is what a reading of the file changes."""
    read = read_text_document("".join(writer.pieces(timeline, no_progress)))
    _, note = writer.report(timeline)
    if "lane colours" in writer.drops:
        colours_change = _used_lane_colours(read) != _used_lane_colours(timeline)
        assert ("lane colours" in note) == colours_change
    if "event ids" in writer.drops:
        ids_change = [event.id for event in read.events] != [event.id for event in timeline.events]
        assert ("event ids" in note) == ids_change


def test_a_calendar_is_told_of_lane_colours_it_cannot_have() -> None:
    """iCalendar is not read back: lane colours in the palette's order are lost too."""
    lane = Lane("pl", "Poland", palette_color(0))
    event = Event("event-1", "Talks", DateSpan.parse("2024-12-12"), lane="pl")
    (calendar,) = [writer for writer in DATA_WRITERS if writer.suffix == ".ics"]
    written = Timeline(UNTITLED_TIMELINE, (event,), lanes=(lane,))
    assert calendar.report(written) == (1, "iCalendar has no place for lane colours")


@given(timeline=lanes_and_events())
def test_a_big_timeline_s_columns_give_what_a_reading_would_give_again(timeline: Timeline) -> None:
    """Lane colours and ids are checked through the columns of a timeline kept as EventStore."""
    columns = EventStore.from_events(timeline.events)
    as_store = Timeline(timeline.title, columns, lanes=timeline.lanes)
    assert isinstance(as_store.events, EventStore)
    found = facets_of(as_store, FACETS, read_back=True)
    assert found == facets_of(timeline, FACETS, read_back=True)
