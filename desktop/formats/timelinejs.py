"""TimelineJS3 JSON (Knight Lab): read and write.

Files in the wild differ from TimelineJS's documentation, so reading is liberal: date parts may be
numbers or strings, "" means absent, unknown keys are ignored. What cannot be read (a missing
year, month 13, 31 February) is reported with the line and column of the value.

How the model maps (also in the module's notes for users, see the project README):

- the ``title`` slide's headline (tags stripped) is the timeline's title, its text (as plain
  text) the summary;
- an event's date parts are its precision (year … second; milliseconds are dropped); a
  negative year -N is N BC, as TimelineJS shows it (see common.from_timelinejs_year); times are
  floating (TimelineJS has no time zones); ``display_date`` on the event, else on its
  ``start_date`` (and ``end_date``), becomes the event's display date; an ``end_date`` equal to
  the start is a point;
- ``text.headline`` (tags stripped) is the title, ``text.text`` the HTML body; ``media`` a
  reference (url, caption as title, credit as publisher); ``group`` a lane (ids made from the
  names, colours assigned in order of first appearance); ``unique_id`` the id ("event-N" when
  missing, "-2"… on repeats); ``eras`` eras; ``background``, ``autolink`` and ``scale`` are
  ignored.

Writing keeps ids, titles, dates and their precision, lane names, bodies (the summary as a first
paragraph) and the first reference with a URL. TimelineJS has no field for approximate or
uncertain dates, time zones, places, tags or provenance: qualified dates are described in
``display_date`` ("about July 2024") when the event has none, times are written as their wall
clock, the rest is lost.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from desktop.formats import jsonstream
from desktop.formats.common import (
    PART_NAMES,
    UNTITLED_EVENT,
    UNTITLED_TIMELINE,
    IdAllocator,
    LaneRegistry,
    PartError,
    era_color,
    from_timelinejs_year,
    html_to_line,
    html_to_text,
    lane_names,
    point_from_timelinejs_parts,
    point_parts,
    text_to_html,
    to_timelinejs_year,
    whole_number,
)
from desktop.formats.errors import FormatError, Problem
from desktop.formats.jsonpos import JsonPath, JsonProblems
from desktop.formats.native import FORMAT_NAME as NATIVE_FORMAT_NAME
from desktop.formats.native import json_pieces, parse_json
from desktop.formats.progress import READ_EVENTS_SHARE, Progress, no_progress, reporting
from desktop.model import calendar
from desktop.model.dates import DateError, DateSpan, TimePoint
from desktop.model.stepwise import ShardedSet, Tick, no_tick, within
from desktop.model.store import (
    CHUNK,
    END_PRECISION_SHIFT,
    SEPARATOR,
    EventStoreBuilder,
    PackedStringsBuilder,
)
from desktop.model.timeline import (
    SPAN,
    Confidence,
    Era,
    Event,
    ModelError,
    Provenance,
    Reference,
    Timeline,
)

# JavaScript's Date reaches ±100,000,000 days from 1970; TimelineJS needs its "cosmological"
# scale (whole years only) beyond that.
_JS_DATE_YEARS = (-271_820, 275_759)


def accepts(data: object) -> bool:
    """A TimelineJS document: events with ``start_date``, or only a title slide."""
    if not isinstance(data, dict):
        return False
    events = data.get("events")
    if not isinstance(events, list):
        return False
    return _accepts_shape(data, bool(events), any(map(_dated, events)))


def _dated(event: object) -> bool:
    return isinstance(event, dict) and "start_date" in event


def _accepts_shape(data: dict[str, Any], has_events: bool, any_dated: bool) -> bool:
    """:func:`accepts` of ``data`` with an events list that ``has_events``, ``any_dated``."""
    if data.get("format") == NATIVE_FORMAT_NAME:
        return False
    if has_events:
        return any_dated
    title = data.get("title")
    return isinstance(title, dict) and "text" in title


def read_timelinejs(text: str) -> Timeline:
    """A Timeline from TimelineJS JSON text; FormatError lists every problem with its place."""
    return timeline_from_timelinejs(parse_json(text), text)


def timeline_from_timelinejs(
    data: Any, text: str, tick: Tick = no_tick, *, careful: bool = False, consume: bool = False
) -> Timeline:
    """A Timeline from parsed TimelineJS JSON; ``text`` locates problems. Raises FormatError.

    Events are read by a fast path that handles the common shapes (see :func:`_read_events`)
    and hands every other event to the careful reader, event by event; ``careful`` reads every
    event carefully, as a reference for the fast path. ``consume`` lets the reader drop each
    event's JSON once read (``data["events"]`` is left a list of None), so that a big file does
    not hold its parsed JSON and its timeline at once. ``tick`` hears the share of the events
    read by the fast path, and then sorted, and may raise to stop the reading.
    """
    if not isinstance(data, dict):
        raise FormatError([Problem("expected a JSON object at the top", 1, 1)])
    if careful:
        return _read_carefully(data, text)
    reader = _Reader(())
    title, summary = _title_slide(reader, data)
    builder = EventStoreBuilder()
    listed = data.get("events")
    if isinstance(listed, list):
        _read_events(
            _slices(listed, consume, within(tick, 0.0, READ_EVENTS_SHARE)), reader, builder
        )
    else:
        reader.items(data, "events")  # notes a value that is not a list
    eras = _eras(reader, data)
    reader.problems.raise_if_any(text)
    return Timeline(
        title=title,
        summary=summary,
        events=builder.build(within(tick, READ_EVENTS_SHARE, 1.0)),
        lanes=reader.lanes.lanes(),
        eras=eras,
    )


def stream_timelinejs(pieces: Iterable[str], sorting: Tick = no_tick) -> Timeline | None:
    """The Timeline of a TimelineJS document whose text comes in ``pieces``, or None when the
    document is to be read whole (see :func:`desktop.formats.loader.read_text_document`).

    Each batch of events is read into the store's columns as soon as it is parsed and then
    dropped, so neither the parsed document nor a long call into the JSON parser is ever
    needed (see desktop.formats.jsonstream). Only a plain document is read so: valid JSON, a
    TimelineJS document, nothing to report (a problem's place needs the whole text) and one
    "events" list; for anything else this gives None, often after the first piece. Whenever it
    gives a Timeline, it is the one reading the whole text gives. ``sorting`` hears how far
    putting the events in order has got, and may raise to stop it.
    """
    reader = _Reader(())
    builder = EventStoreBuilder()
    data: dict[str, Any] = {}  # the top-level members but "events"
    events_read = False
    try:
        for key, value in jsonstream.members(pieces, "events", CHUNK):
            if key != "events":
                data[key] = value
            elif events_read or not isinstance(value, jsonstream.Elements):
                return None  # not a list, or a second "events" (which json.loads would keep)
            else:
                events_read = True
                _read_events(_until_problems(value, reader), reader, builder)
                if reader.problems.found:
                    return None
    except jsonstream.NotStreamable:
        return None
    except ModelError:
        return None  # (too many lanes) as reading whole says, unless the JSON breaks further on
    # Without problems every event was an object with a "start_date" and made a row.
    if not events_read or not _accepts_shape(data, bool(len(builder)), bool(len(builder))):
        return None
    title, summary = _title_slide(reader, data)
    eras = _eras(reader, data)
    if reader.problems.found:
        return None
    return Timeline(
        title=title,
        summary=summary,
        events=builder.build(sorting),
        lanes=reader.lanes.lanes(),
        eras=eras,
    )


def _until_problems(batches: Iterable[list[Any]], reader: _Reader) -> Iterator[list[Any]]:
    """``batches`` until one has a problem: a streamed document with one is read again whole."""
    for batch in batches:
        yield batch
        if reader.problems.found:
            return


def _read_carefully(data: dict[str, Any], text: str) -> Timeline:
    listed = data.get("events")
    reader = _Reader(
        str(item["unique_id"])
        for item in (listed if isinstance(listed, list) else [])
        if isinstance(item, dict) and isinstance(item.get("unique_id"), str | int)
    )
    title, summary = _title_slide(reader, data)
    events = [
        event
        for position, (path, item) in enumerate(reader.items(data, "events"), start=1)
        if (event := reader.event(item, path, position)) is not None
    ]
    eras = _eras(reader, data)
    reader.problems.raise_if_any(text)
    return Timeline(
        title=title,
        summary=summary,
        events=tuple(events),
        lanes=reader.lanes.lanes(),
        eras=eras,
    )


def _title_slide(reader: _Reader, data: dict[str, Any]) -> tuple[str, str]:
    title, summary = UNTITLED_TIMELINE, ""
    if isinstance(data.get("title"), str):
        # TimelineJS wants a slide here; a file written by hand often gives just the name.
        return html_to_line(data["title"]) or title, summary
    slide = reader.mapping(data, "title", ())
    if slide:
        slide_text = reader.mapping(slide, "text", ("title",))
        title = html_to_line(reader.string(slide_text, "headline", ("title", "text"))) or title
        summary = html_to_text(reader.string(slide_text, "text", ("title", "text")))
    return title, summary


def _eras(reader: _Reader, data: dict[str, Any]) -> tuple[Era, ...]:
    eras = []
    for position, (path, item) in enumerate(reader.items(data, "eras")):
        span, _ = reader.span(item, path)
        era_text = reader.mapping(item, "text", path)
        name = html_to_line(reader.string(era_text, "headline", (*path, "text")))
        if span is not None:
            eras.append(Era(name=name, span=span, color=era_color(position)))
    return tuple(eras)


class _Reader:
    """Reads values leniently, noting what it cannot read under the value's JSON path."""

    def __init__(self, explicit_ids: Iterable[str]) -> None:
        self.problems = JsonProblems()
        self.lanes = LaneRegistry()
        self.ids = IdAllocator("event", explicit_ids)

    def mapping(self, data: dict[str, Any], key: str, path: JsonPath) -> dict[str, Any]:
        value = data.get(key)
        if value is None or value == "":
            return {}
        if not isinstance(value, dict):
            self.problems.add((*path, key), "expected an object")
            return {}
        return value

    def string(self, data: dict[str, Any], key: str, path: JsonPath) -> str:
        """A text value; numbers are taken as their text ("group": 1 is group "1")."""
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.problems.add((*path, key), "expected text")
        return ""

    def items(self, data: dict[str, Any], key: str) -> list[tuple[JsonPath, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.add((key,), "expected a list")
            return []
        found = []
        for position, item in enumerate(value):
            if isinstance(item, dict):
                found.append(((key, position), item))
            else:
                self.problems.add((key, position), "expected an object")
        return found

    def point(self, data: dict[str, Any], key: str, path: JsonPath) -> TimePoint | None:
        """The date object at ``key``; None when it is absent or cannot be read."""
        value = data[key]
        if not isinstance(value, dict):
            self.problems.add((*path, key), 'expected a date object such as {"year": 2024}')
            return None
        parts: list[int | None] = []
        for name in PART_NAMES:
            try:
                parts.append(whole_number(value.get(name)))
            except ValueError as error:
                self.problems.add((*path, key, name), str(error))
                return None
        try:
            return point_from_timelinejs_parts(parts)
        except PartError as error:
            # Point at the bad part when it is written, else at the date object.
            name = PART_NAMES[error.part]
            self.problems.add((*path, key, name) if name in value else (*path, key), str(error))
            return None

    def span(self, data: dict[str, Any], path: JsonPath) -> tuple[DateSpan | None, str]:
        """(the dates from ``start_date`` and ``end_date``, the display date they carry)."""
        if "start_date" not in data:
            self.problems.add(path, 'missing "start_date"')
            return None, ""
        start = self.point(data, "start_date", path)
        end = None
        end_data = data.get("end_date")
        # An end_date of only empty strings is no end at all.
        if isinstance(end_data, dict) and any(
            end_data.get(name) not in (None, "") for name in PART_NAMES
        ):
            end = self.point(data, "end_date", path)
            if end is None:
                return None, ""
        elif end_data not in (None, "") and not isinstance(end_data, dict):
            self.problems.add((*path, "end_date"), "expected a date object")
        display = _date_display(data.get("start_date"))
        if display and _date_display(end_data):
            display = f"{display} – {_date_display(end_data)}"
        if start is None:
            return None, display
        if end is None or end == start:
            return DateSpan(start), display
        try:
            return DateSpan(start, end), display
        except DateError:
            self.problems.add((*path, "end_date"), "the end date is before the start date")
            return None, display

    def event(self, data: dict[str, Any], path: JsonPath, position: int) -> Event | None:
        event, wanted = self.event_parts(data, path)
        event_id = self.ids.take(wanted, position)
        return None if event is None else event._replace(id=event_id)

    def event_parts(self, data: dict[str, Any], path: JsonPath) -> tuple[Event | None, str]:
        """(the event with an empty id, or None when it cannot be read; the id it asks for)."""
        span, date_display = self.span(data, path)
        text = self.mapping(data, "text", path)
        headline = html_to_line(self.string(text, "headline", (*path, "text")))
        body = self.string(text, "text", (*path, "text")).strip()
        media = self.mapping(data, "media", path)
        references = ()
        url = self.string(media, "url", (*path, "media")).strip()
        caption = html_to_line(self.string(media, "caption", (*path, "media")))
        if url or caption:
            credit = html_to_line(self.string(media, "credit", (*path, "media")))
            references = (Reference(url=url, title=caption, publisher=credit),)
        lane = self.lanes.lane_id(self.string(data, "group", path))
        wanted = self.string(data, "unique_id", path)
        display = self.string(data, "display_date", path).strip() or date_display
        if span is None:
            return None, wanted
        event = Event(
            id="",
            title=headline or UNTITLED_EVENT,
            when=span,
            body=body,
            lane=lane,
            references=references,
            display_date=display,
        )
        return event, wanted


def _date_display(date: object) -> str:
    if isinstance(date, dict) and isinstance(date.get("display_date"), str):
        return date["display_date"].strip()
    return ""


# -- the fast path ---------------------------------------------------------------------------
#
# A big file is millions of small dicts; building an Event, a DateSpan and two TimePoints for
# each, checking every value as the careful reader does, costs ten times json.load itself. The
# fast path reads the shapes files really have (date parts as digit strings or ints, text as
# strings) with a few dict lookups and integer arithmetic, appends the results to the store's
# columns, and hands any event it does not recognise to the careful reader, which reports the
# problems exactly as before. It gives the same timeline as the careful reader: the tests
# compare the two.


class _Careful(Exception):
    """This event needs the careful reader."""


def _two_ways(low: int, high: int) -> dict[str, int]:
    """Date part text → value: "7" and "07" alike (as whole_number reads them)."""
    return {f"{value}": value for value in range(low, high + 1)} | {
        f"{value:02d}": value for value in range(low, min(high, 9) + 1)
    }


_MONTHS = _two_ways(1, 12)
_DAYS = _two_ways(1, 31)
_HOURS = _two_ways(0, 23)
_SIXTY = _two_ways(0, 59)
# Days before each month (1-based; [13] is the year's length), in common and leap years.
_BEFORE_MONTH = tuple(
    (0, *(sum(calendar.days_in_month(year, m) for m in range(1, month)) for month in range(1, 14)))
    for year in (2023, 2024)
)
# Years this far out are left to the careful reader: the float arithmetic below is exact for
# them, and far beyond them the seconds stop being exact at all.
_FAST_YEARS = 1_000_000
# Whitespace str.split() splits on, other than the space, in ASCII.
_ASCII_BREAKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"

# An event's summary, actors, place and tags: TimelineJS has none of them.
_NO_EXTRAS = ("", (), "", ())


def _year(text: str) -> tuple[int, tuple[int, ...]] | None:
    """(days from 1970 to the year's 1 January, days before each month) of a year in digits."""
    digits = text[1:] if text[:1] == "-" else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    year = from_timelinejs_year(int(text))
    if not -_FAST_YEARS <= year <= _FAST_YEARS:
        return None
    return calendar.days_from_civil(year, 1, 1), _BEFORE_MONTH[calendar.is_leap_year(year)]


def _int_point(date: dict[str, Any]) -> tuple[float, float, int]:
    """(start, end of its period, precision) of a date object whose parts are JSON numbers."""
    parts = [date.get(name) for name in PART_NAMES]
    given = len(parts)
    while given and parts[given - 1] is None:
        given -= 1
    if given == 0 or len(date) != given or any(type(part) is not int for part in parts[:given]):
        raise _Careful  # missing or non-integer parts, or other keys (display_date, …)
    year, month, day, hour, minute, second = parts[:given] + [1, 1, 0, 0, 0][given - 1 :]
    year = from_timelinejs_year(year)  # type: ignore[arg-type]
    if not -_FAST_YEARS <= year <= _FAST_YEARS:
        raise _Careful
    before = _BEFORE_MONTH[calendar.is_leap_year(year)]  # type: ignore[arg-type]
    if not (
        1 <= month <= 12  # type: ignore[operator]
        and 1 <= day <= before[month + 1] - before[month]  # type: ignore[index,operator]
        and 0 <= hour <= 23  # type: ignore[operator]
        and 0 <= minute <= 59  # type: ignore[operator]
        and 0 <= second <= 59  # type: ignore[operator]
    ):
        raise _Careful
    days = calendar.days_from_civil(year, 1, 1) + before[month] + day - 1  # type: ignore[arg-type,index,operator]
    start = float(days * 86_400 + hour * 3_600 + minute * 60 + second)  # type: ignore[operator]
    precision = given - 1
    if precision >= 3:
        return start, start + (3_600, 60, 1)[precision - 3], precision
    if precision == 2:
        return start, float((days + 1) * 86_400), 2
    if precision == 1:
        return start, float((days - day + 1 + before[month + 1] - before[month]) * 86_400), 1  # type: ignore[index,operator]
    return start, float((days + before[13]) * 86_400), 0


def _point(date: Any, years: dict[str, tuple[int, tuple[int, ...]]]) -> tuple[float, float, int]:
    """(start, end of its period, precision) of a date object of parts written as digits.

    Raises _Careful for anything else. ``years`` caches _year().
    """
    year = date.get("year")
    found = years.get(year)
    if found is None:
        found = _year(year) if type(year) is str else None
        if found is None:
            return _int_point(date) if type(year) is int else _careful()
        years[year] = found
    days, before = found
    month_text = date.get("month")
    if month_text is None:
        if len(date) != 1:
            raise _Careful
        return float(days * 86_400), float((days + before[13]) * 86_400), 0
    month = _MONTHS[month_text]
    day_text = date.get("day")
    if day_text is None:
        if len(date) != 2:
            raise _Careful
        return (
            float((days + before[month]) * 86_400),
            float((days + before[month + 1]) * 86_400),
            1,
        )
    day = _DAYS[day_text]
    if day > before[month + 1] - before[month]:
        raise _Careful
    days += before[month] + day - 1
    hour_text = date.get("hour")
    if hour_text is None:
        if len(date) != 3:
            raise _Careful
        return float(days * 86_400), float((days + 1) * 86_400), 2
    seconds = days * 86_400 + _HOURS[hour_text] * 3_600
    minute_text = date.get("minute")
    if minute_text is None:
        if len(date) != 4:
            raise _Careful
        start = float(seconds)
        return start, start + 3_600, 3
    seconds += _SIXTY[minute_text] * 60
    second_text = date.get("second")
    if second_text is None:
        if len(date) != 5:
            raise _Careful
        start = float(seconds)
        return start, start + 60, 4
    if len(date) != 6:
        raise _Careful
    start = float(seconds + _SIXTY[second_text])
    return start, start + 1, 5


def _careful() -> tuple[float, float, int]:
    raise _Careful


def _slow_end(date: Any) -> tuple[float, float, int] | None:
    """An "end_date" object as the careful reader reads it, without noting problems: (start,
    end, precision), None for one of only empty parts (no end).

    Raises _Careful where the careful reader would note a problem, or where the date needs
    more than the store's floats (see desktop.model.store).
    """
    if type(date) is not dict:
        raise _Careful
    if not any(date.get(name) not in (None, "") for name in PART_NAMES):
        return None
    try:
        point = point_from_timelinejs_parts([whole_number(date.get(name)) for name in PART_NAMES])
    except ValueError:
        raise _Careful from None
    start = point.start_seconds()
    if abs(start) >= 2.0**53:
        raise _Careful
    return start, point.end_seconds(), int(point.precision)


def _text(value: object) -> str:
    """What _Reader.string() makes of a value; _Careful where it notes a problem."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _Careful


def _media(media: object) -> tuple[Reference, ...]:
    """The reference _Reader.event() makes of a "media" value."""
    if media is None or media == "":
        return ()
    if type(media) is not dict:
        raise _Careful
    url = _text(media.get("url")).strip()
    caption = html_to_line(_text(media.get("caption")))
    if not (url or caption):
        return ()
    credit = html_to_line(_text(media.get("credit")))
    return (Reference(url=url, title=caption, publisher=credit),)


def _title(headline: str) -> str:
    """html_to_line(headline) or UNTITLED_EVENT, quicker when there is no markup."""
    if "<" in headline or "&" in headline:
        return html_to_line(headline) or UNTITLED_EVENT
    return " ".join(headline.split()) or UNTITLED_EVENT


def _titles_as_written(joined: str) -> bool:
    """Whether every headline in ``joined`` (SEPARATOR between them) is already its own title:
    no markup, one space between words, none at either end, not empty.

    A space where each separator is shows empty headlines and spaces at the ends as two spaces
    in a row; a separator inside a headline can only make it look wrong, never right.
    """
    if not joined or "<" in joined or "&" in joined:
        return False
    if joined.isascii():
        if any(char in joined for char in _ASCII_BREAKS):
            return False
    elif _OTHER_WHITESPACE.search(joined):
        return False
    spaced = joined.replace(SEPARATOR, " ")
    return not ("  " in spaced or spaced[0] == " " or spaced[-1] == " ")


_OTHER_WHITESPACE = re.compile(r"[^\S ]")


def _slices(listed: list[Any], consume: bool, tick: Tick = no_tick) -> Iterator[list[Any]]:
    """``listed`` in slices of CHUNK events; with ``consume``, each left None once taken.
    ``tick`` hears the share of the list taken before each slice."""
    for first in range(0, len(listed), CHUNK):
        tick(first / len(listed))
        batch = listed[first : first + CHUNK]
        if consume:
            listed[first : first + CHUNK] = [None] * len(batch)
        yield batch


def _read_events(batches: Iterable[list[Any]], reader: _Reader, builder: EventStoreBuilder) -> None:
    """Append the events in ``batches`` (the "events" list in order, in slices of CHUNK but the
    last) to ``builder``: quickly when they look as files usually do, through the careful
    reader otherwise. Problems go to ``reader.problems``."""
    # The ids asked for, to tell whether they are unique.
    seen_ids = ShardedSet()
    try:
        ids_given, ids_asked, float_ids = _read_batches(batches, reader, builder, seen_ids)
        unique_ids = len(seen_ids)
    finally:
        seen_ids.release()  # also when the reading is cancelled
    if not ids_asked:
        _number_ids(builder)
    elif not ids_given or unique_ids != len(builder):
        _allocate_ids(builder, float_ids)


def _read_batches(
    batches: Iterable[list[Any]],
    reader: _Reader,
    builder: EventStoreBuilder,
    seen_ids: ShardedSet,
) -> tuple[bool, bool, set[int]]:
    """The reading of :func:`_read_events`, each id asked for added to ``seen_ids``:
    (whether every event asks for an id, whether any does, the rows whose id is a JSON float)."""
    years: dict[str, tuple[int, tuple[int, ...]]] = {}
    slots: dict[str | None, int] = {None: EventStoreBuilder.DEFAULT_SLOT}
    starts, ends = builder.starts.append, builder.ends.append
    period_ends, period_starts = builder.start_period_ends.append, builder.end_period_starts.append
    flags, dates, lanes = builder.flags.append, builder.dates.append, builder.lane_slots.append
    extras = builder.extras
    months, month_days = _MONTHS, _DAYS  # locals: this loop runs a million times
    float_ids: set[int] = set()  # rows whose id is a JSON float: not an explicit id
    ids_given = True  # every event asks for an id (whether they are unique is checked at the end)
    ids_asked = False  # some event asks for an id
    first = 0  # the position in "events" of the batch's first event
    for batch in batches:
        heads: list[str] = []
        bodies: list[str] = []
        wanted: list[str] = []
        head, body_of, wants = heads.append, bodies.append, wanted.append
        titled: list[int] = []  # indexes in heads of titles already made (careful events)
        for index, item in enumerate(batch, first):
            try:
                date = item["start_date"]
                found = years.get(date.get("year"))
                day_text = date.get("day")
                if found is not None and day_text is not None and len(date) == 3:
                    # _point() for the commonest date, a day, without the call
                    days, before = found
                    month = months[date["month"]]
                    day = month_days[day_text]
                    if day > before[month + 1] - before[month]:
                        raise _Careful
                    start = (days + before[month] + day - 1) * 86_400.0  # exact: |years| small
                    period_end = start + 86_400.0
                    precision = 2
                else:
                    start, period_end, precision = _point(date, years)
                text = item["text"]
                headline = text.get("headline", "")
                body = text.get("text", "").strip()
                group = item.get("group")
                slot = slots.get(group)
                if slot is None:
                    slot = _lane_slot(group, reader, builder, slots)
                event_id = item.get("unique_id", "")
                if type(headline) is not str or type(event_id) is not str:
                    raise _Careful
                if len(item) == 4 and group is not None and event_id:
                    end = extra = None  # the four keys read above are all the event has
                else:
                    end_date = item.get("end_date")
                    end = None if end_date is None else _end(end_date, years, start, precision)
                    display, media = item.get("display_date"), item.get("media")
                    extra = None if display is None and media is None else _extras(display, media)
            except (_Careful, LookupError, TypeError, AttributeError, ValueError):
                if type(item) is not dict:
                    reader.problems.add(("events", index), "expected an object")
                    continue
                event, wanted_id = reader.event_parts(item, ("events", index))
                if event is not None:
                    if type(item.get("unique_id")) is float:
                        float_ids.add(len(builder))
                    builder.add_event(event, check_id=False, texts=False)
                    titled.append(len(heads))
                    head(event.title)
                    body_of(event.body)
                    wants(wanted_id)
                continue
            if extra is not None:
                extras[len(builder)] = extra
            starts(start)
            period_ends(period_end)
            if end is None:
                period_starts(period_end)
                ends(period_end)
                flags(0)
                dates(precision)
            else:
                period_starts(end[0])
                ends(end[1])
                flags(SPAN)
                dates(precision | end[2] << END_PRECISION_SHIFT)
            lanes(slot)
            head(headline)
            body_of(body)
            wants(event_id)

        joined: str | None = SEPARATOR.join(heads)
        if titled or not _titles_as_written(joined):  # type: ignore[arg-type]
            # A careful event's title is made already (and may hold "<" or "&" as text).
            done = set(titled)
            heads = [title if i in done else _title(title) for i, title in enumerate(heads)]
            joined = None
        builder.titles.extend(heads, joined)
        builder.bodies.extend(bodies)
        if ids_given and not all(map(str.strip, wanted)):
            ids_given = False
        if not ids_asked and any(map(str.strip, wanted)):
            ids_asked = True
        for event_id in wanted:
            seen_ids.add(event_id)
        builder.ids.extend(wanted)
        first += len(batch)
    return ids_given, ids_asked, float_ids


def _extras(display: object, media: object) -> tuple[Any, ...] | None:
    """The store's rare fields for an event with a "display_date" or "media"; None if empty.

    The start and end dates read by the fast path carry no display date of their own, so the
    event's display date is its "display_date" alone.
    """
    display_date = _text(display).strip()
    references = _media(media)
    if not (display_date or references):
        return None
    return (*_NO_EXTRAS, references, Provenance.UNKNOWN, Confidence.UNKNOWN, display_date)


def _lane_slot(
    group: object, reader: _Reader, builder: EventStoreBuilder, slots: dict[str | None, int]
) -> int:
    """The builder's slot for the lane of a "group" value; text values are remembered."""
    slot = builder.lane_slot(reader.lanes.lane_id(_text(group)))
    if type(group) is str:
        slots[group] = slot
    return slot


def _end(
    end_date: object, years: dict[str, tuple[int, tuple[int, ...]]], start: float, precision: int
) -> tuple[float, float, int] | None:
    """The end as (start, end, precision); None when there is none (no parts, or the start
    again: TimelineJS writes points so). _Careful for an end before the start."""
    if end_date == "":
        return None
    try:
        end = _point(end_date, years)
    except (_Careful, LookupError, TypeError, AttributeError, ValueError):
        # Other shapes (display dates, blanks, "+5", 2024.0): the end's display date is not
        # used, since a start read by the fast path has none (see _Reader.span).
        found = _slow_end(end_date)
        if found is None:
            return None
        end = found
    if end[2] == precision and end[0] == start:
        return None
    if end[1] <= start:
        raise _Careful  # "the end date is before the start date"
    return end


def _number_ids(builder: EventStoreBuilder) -> None:
    """The ids the careful reader gives when no event asks for one: "event-1", "event-2"…

    Made a chunk at a time, with no set of them: a million strings freed at once, as a list or
    a set of them is, take one long call into C (see desktop.model.stepwise).
    """
    count = len(builder)
    builder.ids = PackedStringsBuilder()
    for first in range(1, count + 1, CHUNK):
        builder.ids.extend([f"event-{row}" for row in range(first, min(first + CHUNK, count + 1))])


def _allocate_ids(builder: EventStoreBuilder, float_ids: set[int]) -> None:
    """Ids as the careful reader gives them, for files with missing or repeated ids.

    The ids go a chunk at a time, as in _number_ids (a PackedStrings iterates so too).
    """
    wanted = builder.ids.build()
    explicit = (event_id for row, event_id in enumerate(wanted) if row not in float_ids)
    allocator = IdAllocator("event", explicit)
    builder.ids = PackedStringsBuilder()
    taken: list[str] = []
    for row, event_id in enumerate(wanted, 1):
        taken.append(allocator.take(event_id, row))
        if len(taken) == CHUNK:
            builder.ids.extend(taken)
            taken = []
    builder.ids.extend(taken)
    allocator.forget()


# -- writing --------------------------------------------------------------------------------


def _date(point: TimePoint) -> dict[str, int]:
    year, *rest = point_parts(point)
    return dict(zip(PART_NAMES, (to_timelinejs_year(year), *rest), strict=False))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _event_to_timelinejs(event: Event, lane_name: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"start_date": _date(event.start)}
    if event.end is not None:
        item["end_date"] = _date(event.end)
    body = (text_to_html(event.summary) if event.summary else "") + event.body
    item["text"] = {"headline": _escape(event.title)} | ({"text": body} if body else {})
    qualified = any(point.qualifier for point in (event.start, event.end) if point is not None)
    display = event.display_date or (event.when.describe() if qualified else "")
    if display:
        item["display_date"] = display
    if event.lane:
        item["group"] = lane_name[event.lane]
    reference = next((ref for ref in event.references if ref.url), None)
    if reference is not None:
        item["media"] = {"url": reference.url} | {
            key: _escape(value)
            for key, value in (("caption", reference.title), ("credit", reference.publisher))
            if value
        }
    item["unique_id"] = event.id
    return item


def _beyond_js_dates(span: DateSpan) -> bool:
    first, last = _JS_DATE_YEARS
    return any(
        not first <= point.year <= last for point in (span.start, span.end) if point is not None
    )


def _timelinejs_document(
    timeline: Timeline, progress: Progress
) -> tuple[dict[str, Any], Iterator[dict[str, Any]], Callable[[], dict[str, Any]]]:
    """The members of the timeline's TimelineJS document before its events, its events, and
    (once the events are made) the members after them."""
    slide_text = {"headline": _escape(timeline.title)}
    if timeline.summary:
        slide_text["text"] = text_to_html(timeline.summary)
    names = lane_names(timeline.lanes)
    cosmological = any(_beyond_js_dates(era.span) for era in timeline.eras)

    def events() -> Iterator[dict[str, Any]]:
        nonlocal cosmological
        # The years are checked in the same pass: each event is built from the store's columns
        # when it is read, which costs more than anything done with it here.
        for event in reporting(timeline.events, progress, "Writing"):
            cosmological = cosmological or _beyond_js_dates(event.when)
            yield _event_to_timelinejs(event, names)

    def after_events() -> dict[str, Any]:
        return {"scale": "cosmological"} if cosmological else {}

    data: dict[str, Any] = {"title": {"text": slide_text}}
    if timeline.eras:
        data["eras"] = [
            {
                "start_date": _date(era.span.start),
                # TimelineJS needs an end for an era; a one-period era ends where it starts.
                "end_date": _date(era.span.end or era.span.start),
                "text": {"headline": _escape(era.name)},
            }
            for era in timeline.eras
        ]
    return data, events(), after_events


def timeline_to_timelinejs(timeline: Timeline) -> dict[str, Any]:
    head, events, after_events = _timelinejs_document(timeline, no_progress)
    return head | {"events": list(events)} | after_events()


def timelinejs_pieces(timeline: Timeline, progress: Progress = no_progress) -> Iterator[str]:
    """TimelineJS3 JSON for the timeline, in pieces (see the module notes for what it cannot
    hold, and :func:`desktop.formats.native.json_pieces`)."""
    head, events, after_events = _timelinejs_document(timeline, progress)
    return json_pieces(head, "events", events, after_events)


def write_timelinejs(timeline: Timeline) -> str:
    return "".join(timelinejs_pieces(timeline))
