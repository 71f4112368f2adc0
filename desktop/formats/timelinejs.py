"""TimelineJS3 JSON (Knight Lab): read and write.

Files in the wild differ from TimelineJS's documentation, so reading is liberal: date parts may be
numbers or strings, "" means absent, unknown keys are ignored. What cannot be read (a missing
year, month 13, 31 February) is reported with the line and column of the value.

How the model maps (also in the module's notes for users, see the project README):

- the ``title`` slide's headline (tags stripped) is the timeline's title, its text (as plain
  text) the summary;
- an event's date parts are its precision (year … second; milliseconds are dropped); times are
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
import json
from collections.abc import Iterable
from typing import Any

from desktop.formats.common import (
    PART_NAMES,
    UNTITLED_EVENT,
    UNTITLED_TIMELINE,
    IdAllocator,
    LaneRegistry,
    PartError,
    era_color,
    html_to_line,
    html_to_text,
    lane_names,
    point_from_parts,
    point_parts,
    text_to_html,
    whole_number,
)
from desktop.formats.errors import FormatError, Problem
from desktop.formats.jsonpos import JsonPath, JsonProblems
from desktop.formats.native import FORMAT_NAME as NATIVE_FORMAT_NAME
from desktop.formats.native import parse_json
from desktop.model.dates import DateError, DateSpan, TimePoint
from desktop.model.timeline import Era, Event, Reference, Timeline

# JavaScript's Date reaches ±100,000,000 days from 1970; TimelineJS needs its "cosmological"
# scale (whole years only) beyond that.
_JS_DATE_YEARS = (-271_820, 275_759)


def accepts(data: object) -> bool:
    """A TimelineJS document: events with ``start_date``, or only a title slide."""
    if not isinstance(data, dict) or data.get("format") == NATIVE_FORMAT_NAME:
        return False
    events = data.get("events")
    if not isinstance(events, list):
        return False
    if events:
        return any(isinstance(event, dict) and "start_date" in event for event in events)
    title = data.get("title")
    return isinstance(title, dict) and "text" in title


def read_timelinejs(text: str) -> Timeline:
    """A Timeline from TimelineJS JSON text; FormatError lists every problem with its place."""
    return timeline_from_timelinejs(parse_json(text), text)


def timeline_from_timelinejs(data: Any, text: str) -> Timeline:
    """A Timeline from parsed TimelineJS JSON; ``text`` locates problems. Raises FormatError."""
    if not isinstance(data, dict):
        raise FormatError([Problem("expected a JSON object at the top", 1, 1)])
    listed = data.get("events")
    reader = _Reader(
        str(item["unique_id"])
        for item in (listed if isinstance(listed, list) else [])
        if isinstance(item, dict) and isinstance(item.get("unique_id"), str | int)
    )
    title, summary = UNTITLED_TIMELINE, ""
    slide = reader.mapping(data, "title", ())
    if slide:
        slide_text = reader.mapping(slide, "text", ("title",))
        title = html_to_line(reader.string(slide_text, "headline", ("title", "text"))) or title
        summary = html_to_text(reader.string(slide_text, "text", ("title", "text")))

    events = [
        event
        for position, (path, item) in enumerate(reader.items(data, "events"), start=1)
        if (event := reader.event(item, path, position)) is not None
    ]
    eras = []
    for position, (path, item) in enumerate(reader.items(data, "eras")):
        span, _ = reader.span(item, path)
        era_text = reader.mapping(item, "text", path)
        name = html_to_line(reader.string(era_text, "headline", (*path, "text")))
        if span is not None:
            eras.append(Era(name=name, span=span, color=era_color(position)))
    reader.problems.raise_if_any(text)
    return Timeline(
        title=title,
        summary=summary,
        events=tuple(events),
        lanes=reader.lanes.lanes(),
        eras=tuple(eras),
    )


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
            return point_from_parts(parts)
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
        event_id = self.ids.take(self.string(data, "unique_id", path), position)
        display = self.string(data, "display_date", path).strip() or date_display
        if span is None:
            return None
        return Event(
            id=event_id,
            title=headline or UNTITLED_EVENT,
            when=span,
            body=body,
            lane=lane,
            references=references,
            display_date=display,
        )


def _date_display(date: object) -> str:
    if isinstance(date, dict) and isinstance(date.get("display_date"), str):
        return date["display_date"].strip()
    return ""


# -- writing --------------------------------------------------------------------------------


def _date(point: TimePoint) -> dict[str, int]:
    return dict(zip(PART_NAMES, point_parts(point), strict=False))


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


def timeline_to_timelinejs(timeline: Timeline) -> dict[str, Any]:
    slide_text = {"headline": _escape(timeline.title)}
    if timeline.summary:
        slide_text["text"] = text_to_html(timeline.summary)
    names = lane_names(timeline.lanes)
    data: dict[str, Any] = {
        "title": {"text": slide_text},
        "events": [_event_to_timelinejs(event, names) for event in timeline.events],
    }
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
    years = [
        point.year
        for span in [event.when for event in timeline.events] + [e.span for e in timeline.eras]
        for point in (span.start, span.end)
        if point is not None
    ]
    if years and not (_JS_DATE_YEARS[0] <= min(years) and max(years) <= _JS_DATE_YEARS[1]):
        data["scale"] = "cosmological"
    return data


def write_timelinejs(timeline: Timeline) -> str:
    """TimelineJS3 JSON for the timeline (see the module notes for what it cannot hold)."""
    return json.dumps(timeline_to_timelinejs(timeline), ensure_ascii=False, indent=2) + "\n"
