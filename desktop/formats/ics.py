"""iCalendar (RFC 5545) export: one VEVENT per event, for calendar programs.

Dates:

- an event dated to the day, month or year is an all-day event over the whole period, with the
  exclusive end RFC 5545 uses (``DTSTART;VALUE=DATE:20241212``, ``DTEND;VALUE=DATE:20241213``);
  a span runs to the day after its end's last day. When the date is coarser than a day,
  approximate or uncertain, or has a display date, the DESCRIPTION says so ("Date: about July
  2024"), as calendars have no field for it;
- an event with times at both ends is timed: a time in a named zone ("Europe/Warsaw") or at a
  fixed offset is written in UTC (``DTSTART:20241212T120000Z``), which every calendar reads and
  shows in its user's zone without the VTIMEZONE definitions a ``TZID`` would need; a floating
  time stays floating (``DTSTART:20241212T130000``). A timed point has no DTEND (an instant); a
  timed span ends at its end's time (or after its end's period when that is no later);
- iCalendar dates have four-digit years (1–9999): events outside them are left out, and
  :func:`ics_skipped` lists them so the caller can tell the user.

Text is escaped (``\\\\``, ``\\;``, ``\\,``, ``\\n``), lines are folded at 75 octets without
splitting a UTF-8 character, and lines end in CRLF.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from desktop import version
from desktop.formats.common import html_to_text, lane_names, normalize_text
from desktop.formats.progress import Progress, no_progress, reporting
from desktop.model import calendar
from desktop.model.dates import Precision, TimePoint
from desktop.model.timeline import Event, Reference, Timeline

UID_DOMAIN = "timeline-viewer"
_LINE_OCTETS = 75
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, ";", "," and newlines escaped; other control
    characters, which TEXT may not hold, dropped."""
    text = _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into CRLF-ended physical lines of at most 75 octets each."""
    data = line.encode("utf-8")
    if len(data) <= _LINE_OCTETS:
        return line + "\r\n"
    pieces = []
    start, limit = 0, _LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: never cut a character
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, limit = end, _LINE_OCTETS - 1  # continuation lines start with one space
    pieces.append(data[start:].decode("utf-8"))
    return "\r\n ".join(pieces) + "\r\n"


# -- dates ------------------------------------------------------------------------------------


def _stamp(parts: tuple[int, ...]) -> str:
    year, month, day, hour, minute, second = parts
    return f"{year:04d}{month:02d}{day:02d}T{hour:02d}{minute:02d}{second:02d}"


def _day(year: int, month: int, day: int) -> str:
    return f"{year:04d}{month:02d}{day:02d}"


def _timed(point: TimePoint, seconds: float | None = None) -> tuple[str, int]:
    """(value, year) of the point's start, or of the instant ``seconds``, as a DATE-TIME.

    A zoned time is written in UTC. A floating time's place on the axis is its wall clock read
    as UTC, so the same conversion gives back its wall clock, written without the "Z".
    """
    instant = point.start_seconds() if seconds is None else seconds
    year, month, day, hour, minute, second = calendar.from_seconds(instant)
    suffix = "" if point.zone is None else "Z"
    return _stamp((year, month, day, hour, minute, int(second))) + suffix, year


def _first_day(point: TimePoint) -> tuple[int, int, int]:
    return point.year, point.month, point.day


def _day_after(point: TimePoint) -> tuple[int, int, int]:
    """The first day after the days the point covers (for a time: the day after its date)."""
    if point.precision <= Precision.DAY:
        after = point.next_period()
        return after.year, after.month, after.day
    return calendar.civil_from_days(
        calendar.days_from_civil(point.year, point.month, point.day) + 1
    )


# Events within these axis seconds all have dates iCalendar can write: a year inside its years
# 1–9999 on each side, for time zones and for the day after a last day.
_SURELY_DATABLE = (calendar.to_seconds(2), calendar.to_seconds(9999))


def _date_lines(event: Event) -> list[str] | None:
    """DTSTART and DTEND lines, or None when a date falls outside the years 1–9999."""
    start, end = event.when.start, event.when.end
    last = end or start
    if start.precision >= Precision.HOUR and last.precision >= Precision.HOUR:
        value, year = _timed(start)
        lines, years = [f"DTSTART:{value}"], [year]
        if end is not None:
            # DTEND must come after DTSTART: "13:00/13:00" at minute precision ends at 13:01.
            end_at = end.start_seconds()
            if end_at <= start.start_seconds():
                end_at = end.end_seconds()
            value, year = _timed(end, end_at)
            lines.append(f"DTEND:{value}")
            years.append(year)
    else:
        first, after = _first_day(start), _day_after(last)
        lines = [f"DTSTART;VALUE=DATE:{_day(*first)}", f"DTEND;VALUE=DATE:{_day(*after)}"]
        years = [first[0], after[0]]
    if not all(1 <= year <= 9999 for year in years):
        return None
    return lines


def ics_skipped(timeline: Timeline) -> tuple[Event, ...]:
    """The events :func:`write_ics` leaves out: iCalendar cannot date them (years 1–9999 only)."""
    extent = timeline.extent()
    if extent is not None and _SURELY_DATABLE[0] <= extent[0] and extent[1] <= _SURELY_DATABLE[1]:
        return ()  # the usual case, answered without building every event again
    return tuple(event for event in timeline.events if _date_lines(event) is None)


# -- events -----------------------------------------------------------------------------------


def _reference_text(reference: Reference) -> str:
    about = ", ".join(part for part in (reference.title, reference.publisher) if part)
    quote = f"“{reference.quote}”" if reference.quote else ""
    return "Source: " + " — ".join(part for part in (quote, about, reference.url) if part)


def _description(event: Event) -> str:
    start, end = event.when.start, event.when.end
    coarse = start.precision < Precision.DAY or (end is not None and end.precision < Precision.DAY)
    qualified = any(point.qualifier for point in (start, end) if point is not None)
    parts = []
    if event.display_date or coarse or qualified:
        parts.append(f"Date: {event.date_text()}")
    parts += [normalize_text(event.summary), html_to_text(event.body)]
    parts += [_reference_text(reference) for reference in event.references]
    return "\n\n".join(part for part in parts if part)


def _vevent(event: Event, dates: list[str], stamp: str, lane_name: dict[str, str]) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.id)}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        *dates,
        f"SUMMARY:{escape_text(event.title)}",
    ]
    description = _description(event)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if event.place:
        lines.append(f"LOCATION:{escape_text(event.place)}")
    categories = [lane_name[event.lane]] if event.lane else []
    categories += [tag for tag in event.tags if tag not in categories]
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(category) for category in categories))
    url = next((reference.url for reference in event.references if reference.url), "")
    if url:
        # A URI value, not TEXT: no escaping, but no line breaks either.
        lines.append("URL:" + "".join(url.split()))
    lines.append("END:VEVENT")
    return lines


def ics_pieces(
    timeline: Timeline, progress: Progress = no_progress, now: _dt.datetime | None = None
) -> Iterator[str]:
    """The timeline as an iCalendar file, an event at a time; ``now`` (default: the current
    time) is the DTSTAMP.

    Events iCalendar cannot date are left out: see :func:`ics_skipped`.
    """
    moment = (now or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    header = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Timeline Viewer//timeline-viewer {version()}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(timeline.title)}",
    ]
    names = lane_names(timeline.lanes)
    yield "".join(map(fold, header))
    for event in reporting(timeline.events, progress, "Writing"):
        dates = _date_lines(event)
        if dates is not None:
            yield "".join(map(fold, _vevent(event, dates, stamp, names)))
    yield fold("END:VCALENDAR")


def write_ics(timeline: Timeline, now: _dt.datetime | None = None) -> str:
    return "".join(ics_pieces(timeline, now=now))
