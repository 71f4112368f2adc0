"""iCalendar export: valid RFC 5545 lines (CRLF, 75-octet folds, escapes) and the right dates."""

from __future__ import annotations

import datetime as dt
import re

from formats_helpers import fixture_text, timelines
from hypothesis import given, settings

from desktop.formats.ics import escape_text, fold, ics_skipped, write_ics
from desktop.formats.loader import load_bundled, read_text_document
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import Event, Lane, Reference, Timeline

NOW = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


# -- a tiny reader, to check the output as a calendar program would ---------------------------


def unfold(text: str) -> list[str]:
    """Content lines: CRLF-separated, a line starting with a space continues the one before."""
    assert text.endswith("\r\n")
    lines: list[str] = []
    for physical in text[:-2].split("\r\n"):
        if physical.startswith(" "):
            lines[-1] += physical[1:]
        else:
            lines.append(physical)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def split_list(value: str) -> list[str]:
    """A comma-separated list of TEXT values, escaped commas kept inside their value."""
    return [unescape(part) for part in re.split(r"(?<!\\),", value)]


def vevents(text: str) -> list[dict[str, str]]:
    """Each VEVENT as {"NAME;PARAMS": raw value}."""
    found: list[dict[str, str]] = []
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            found.append({})
        elif found and line != "END:VEVENT" and not line.startswith(("BEGIN:", "END:")):
            name, _, value = line.partition(":")
            found[-1][name] = value
    return found


def one_event(event: Event, lanes: tuple[Lane, ...] = ()) -> dict[str, str]:
    (found,) = vevents(write_ics(Timeline("T", (event,), lanes=lanes), now=NOW))
    return found


# -- the calendar's shape -------------------------------------------------------------------


def test_the_bundled_timeline_exports_as_a_valid_calendar() -> None:
    timeline = load_bundled()
    text = write_ics(timeline, now=NOW)
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    lines = unfold(text)
    assert lines[:4] == ["BEGIN:VCALENDAR", "VERSION:2.0", lines[2], "CALSCALE:GREGORIAN"]
    assert lines[2].startswith("PRODID:")
    assert lines[-1] == "END:VCALENDAR"
    events = vevents(text)
    assert len(events) == len(timeline.events)
    assert {event["UID"] for event in events} == {
        f"{event.id}@timeline-viewer" for event in timeline.events
    }
    assert all(event["DTSTAMP"] == "20250102T030405Z" for event in events)
    assert all(any(name.startswith("DTSTART") for name in event) for event in events)


def test_each_fixture_exports() -> None:
    for name in ("events.csv", "rome.timeline", "timelinejs-wild.json"):
        timeline = read_text_document(fixture_text(name))
        events = vevents(write_ics(timeline, now=NOW))
        assert len(events) == len(timeline.events) - len(ics_skipped(timeline))


# -- dates ----------------------------------------------------------------------------------


def test_a_day_is_an_all_day_event_with_an_exclusive_end() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-12-12")))
    assert found["DTSTART;VALUE=DATE"] == "20241212"
    assert found["DTEND;VALUE=DATE"] == "20241213"
    assert "DESCRIPTION" not in found  # nothing to say: the date is exact


def test_a_span_of_days_ends_the_day_after_its_last_day() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-02-26/2024-02-29")))
    assert (found["DTSTART;VALUE=DATE"], found["DTEND;VALUE=DATE"]) == ("20240226", "20240301")


def test_months_and_years_cover_their_whole_period_and_say_so() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-12~")))
    assert (found["DTSTART;VALUE=DATE"], found["DTEND;VALUE=DATE"]) == ("20241201", "20250101")
    assert unescape(found["DESCRIPTION"]) == "Date: about December 2024"
    found = one_event(Event("b", "B", DateSpan.parse("1989?/1991")))
    assert (found["DTSTART;VALUE=DATE"], found["DTEND;VALUE=DATE"]) == ("19890101", "19920101")
    assert "1989 (uncertain) – 1991" in unescape(found["DESCRIPTION"])


def test_zoned_times_are_written_in_utc() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-12-12T13:00[Europe/Warsaw]")))
    assert found["DTSTART"] == "20241212T120000Z"
    assert "DTEND" not in found  # a moment
    summer = one_event(Event("a", "A", DateSpan.parse("2024-07-01T13:00[Europe/Warsaw]")))
    assert summer["DTSTART"] == "20240701T110000Z"  # daylight saving time
    fixed = one_event(Event("a", "A", DateSpan.parse("2024-12-12T13:00+05:30/2024-12-12T15:00Z")))
    assert (fixed["DTSTART"], fixed["DTEND"]) == ("20241212T073000Z", "20241212T150000Z")


def test_floating_times_stay_floating() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-12-12T13:00/2024-12-12T15:30")))
    assert (found["DTSTART"], found["DTEND"]) == ("20241212T130000", "20241212T153000")


def test_a_timed_span_never_ends_at_its_start() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-12-12T13/2024-12-12T13")))
    assert (found["DTSTART"], found["DTEND"]) == ("20241212T130000", "20241212T140000")


def test_a_span_from_a_day_to_a_time_is_all_day() -> None:
    found = one_event(Event("a", "A", DateSpan.parse("2024-12-12/2024-12-14T10:00")))
    assert (found["DTSTART;VALUE=DATE"], found["DTEND;VALUE=DATE"]) == ("20241212", "20241215")


def test_years_outside_one_to_9999_are_skipped_and_listed() -> None:
    events = (
        Event("bc", "Caesar", DateSpan.parse("-0043-03-15")),
        Event("far", "Far", DateSpan(TimePoint(12_000, precision=Precision.YEAR))),
        Event("last", "Last day", DateSpan.parse("9999-12-31")),  # would end in 10000
        Event("ok", "Fine", DateSpan.parse("0001-01-01")),
    )
    timeline = Timeline("T", events)
    assert [event.id for event in ics_skipped(timeline)] == ["bc", "last", "far"]
    assert [found["UID"] for found in vevents(write_ics(timeline, now=NOW))] == [
        "ok@timeline-viewer"
    ]


# -- text -----------------------------------------------------------------------------------


def test_text_is_escaped() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf\x00g\th") == "a\\\\b\\;c\\,d\\ne\\nfg\th"


def test_properties_carry_the_event() -> None:
    lane = Lane("pl", "Poland, Warsaw")
    event = Event(
        "warsaw", "Tusk; Macron, Warsaw", DateSpan.parse("2024-12-12"),
        summary="Short.", body="<p>Long <b>body</b>.</p><p>Second</p>", place="Warsaw, PL",
        lane="pl", tags=("nato", "troops"), display_date="12 December",
        references=(Reference(quote="Q", url="https://x.invalid/a,b", publisher="PAP",
                              title="Report"),),
    )  # fmt: skip
    found = one_event(event, (lane,))
    assert unescape(found["SUMMARY"]) == "Tusk; Macron, Warsaw"
    assert unescape(found["LOCATION"]) == "Warsaw, PL"
    assert split_list(found["CATEGORIES"]) == ["Poland, Warsaw", "nato", "troops"]
    assert found["URL"] == "https://x.invalid/a,b"  # a URI: not escaped
    assert unescape(found["DESCRIPTION"]) == (
        "Date: 12 December\n\nShort.\n\nLong body.\n\nSecond\n\n"
        "Source: “Q” — Report, PAP — https://x.invalid/a,b"
    )


def test_folding_never_splits_a_character() -> None:
    line = "DESCRIPTION:" + "ż😀" * 40
    folded = fold(line)
    physical = folded[:-2].split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert "".join(physical[:1] + [part[1:] for part in physical[1:]]) == line
    assert len(physical[0].encode("utf-8")) > 70  # lines are filled, not split early


@settings(max_examples=60, deadline=None)
@given(timelines())
def test_any_timeline_exports_to_lines_that_read_back(timeline: Timeline) -> None:
    text = write_ics(timeline, now=NOW)
    assert all(len(line.encode("utf-8")) <= 75 for line in text[:-2].split("\r\n"))
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    written = [event for event in timeline.events if event not in ics_skipped(timeline)]
    found = vevents(text)
    assert [entry["UID"] for entry in found] == [f"{event.id}@timeline-viewer" for event in written]
    for event, entry in zip(written, found, strict=True):
        assert unescape(entry["SUMMARY"]) == event.title
        assert unescape(entry.get("LOCATION", "")) == event.place
        if "DTEND;VALUE=DATE" in entry:
            assert entry["DTEND;VALUE=DATE"] > entry["DTSTART;VALUE=DATE"]
        if "DTEND" in entry:
            assert entry["DTEND"].rstrip("Z") > entry["DTSTART"].rstrip("Z")
