"""The Timeline Project's ``.timeline`` XML (version 1.x–2.x, Gregorian time): read and write.

Safety: a timeline file may come from anyone, and XML's document type declarations can declare
entities that expand a few hundred bytes into gigabytes ("billion laughs") or pull in local files
and URLs (external entities). ``.timeline`` files never have a DOCTYPE, so any file that has one is
refused: expat reports the DOCTYPE to a handler (see :func:`_parse_xml`) before it reads a
single declaration, and that handler stops the parse. No entity is ever declared, so none can be
expanded, and pyexpat fetches nothing external without an ``ExternalEntityRefHandler``, which is
never set. Parsing is done with expat directly, not through ``xml.etree`` (which keeps no
positions), so every element knows its line and column for problem reports.

Mapping (also in the user notes, see the project README):

- ``start``/``end`` ("YYYY-MM-DD HH:MM:SS", astronomical years: 0 is 1 BC): when both times are
  midnight the event is dated to the day, and the end day is inclusive, as the program shows it
  ("26 Feb 2024 to 28 Feb 2024"); otherwise to the minute (the second when seconds are used).
  Equal start and end make a point, as does ``milestone``. Times are floating.
- ``fuzzy`` marks both ends approximate; ``text`` is the title, ``description`` the body,
  ``hyperlink`` (";"-separated) the references, ``category`` the lane: nested categories are
  flattened into lanes named "Parent / Child", with the category's colour.
- Containers (``[1]Name``) become events; their members (``(1)Name``) are tagged with the
  container's name. ``ends_today`` keeps the end saved in the file. Icons, alerts, progress,
  ``default_color`` and hidden categories are ignored. ``displayed_period`` is the opening view.
  The file has no title: the timeline is "Untitled timeline".

Writing keeps titles, bodies as plain text (the summary first), lane names and colours, the URLs
of references, eras and the view. The format has no time zones (times are written as their wall
clock), no month or year precision (such dates are written as the days they cover), no ids,
places, tags or provenance, one "fuzzy" flag for both ends of an event and none for eras.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from xml.parsers import expat

from desktop.formats.common import (
    UNTITLED_EVENT,
    UNTITLED_TIMELINE,
    IdAllocator,
    LaneRegistry,
    era_color,
    html_to_text,
    normalize_text,
    text_to_html,
)
from desktop.formats.errors import FormatError, Problem
from desktop.formats.progress import Progress, no_progress, reporting
from desktop.model import calendar
from desktop.model.dates import DateError, DateSpan, Precision, TimePoint
from desktop.model.timeline import Era, Event, Reference, Timeline

WRITTEN_VERSION = "2.9.0"
_TIME_RE = re.compile(r"^\s*(-?\d+)-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})\s*$")
_COLOR_RE = re.compile(r"^\s*(\d{1,3}),(\d{1,3}),(\d{1,3})\s*$")
_CONTAINER_RE = re.compile(r"^\[(\d*)\](.*)$", re.DOTALL)
_MEMBER_RE = re.compile(r"^\((\d*)\)(.*)$", re.DOTALL)
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def accepts(text_start: str) -> bool:
    """Any XML document: the reader then says clearly when it is not a timeline."""
    return text_start.startswith(("<?xml", "<timeline", "<!DOCTYPE"))


# -- a small element tree that knows where each element and its text are -------------------


class _Element:
    """An element with its children, its text and where its tag starts."""

    __slots__ = ("children", "column", "first", "line", "parts", "path", "tag")

    def __init__(self, tag: str, line: int, column: int, path: tuple[str, ...] = ()) -> None:
        self.tag, self.line, self.column = tag, line, column
        self.path = (*path, tag)  # the tags from the root element's down to this one's
        self.children: list[_Element] = []
        self.first: dict[str, _Element] = {}  # the first child of each tag, found in O(1)
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def child(self, tag: str) -> _Element | None:
        return self.first.get(tag)

    def all(self, tag: str) -> Iterator[_Element]:
        return (child for child in self.children if child.tag == tag)

    def text_of(self, tag: str) -> str | None:
        child = self.child(tag)
        return None if child is None else child.text


class _Refused(Exception):
    pass


# The elements the reader looks at, by the path of their parent: only these are kept while
# parsing. Elements the program writes and the reader has no use for (<progress>, <locked>…)
# are skipped, and so are any others: a file of millions of unknown elements would otherwise
# take about 300 bytes of memory for each (a 10 MB file of them took 784 MiB).
_READ: dict[tuple[str, ...], frozenset[str]] = {
    ("timeline",): frozenset(("timetype", "categories", "eras", "events", "view")),
    ("timeline", "categories"): frozenset(("category",)),
    ("timeline", "categories", "category"): frozenset(("name", "parent", "color")),
    ("timeline", "eras"): frozenset(("era",)),
    ("timeline", "eras", "era"): frozenset(("name", "start", "end", "color")),
    ("timeline", "events"): frozenset(("event",)),
    ("timeline", "events", "event"): frozenset(
        ("start", "end", "text", "fuzzy", "milestone", "category", "description", "hyperlink")
    ),
    ("timeline", "view"): frozenset(("displayed_period",)),
    ("timeline", "view", "displayed_period"): frozenset(("start", "end")),
}


def _parse_xml(text: str) -> _Element:
    parser = expat.ParserCreate()
    document = _Element("", 0, 0)
    stack: list[_Element | None] = [document]  # None: an element skipped, and all it holds

    def start(tag: str, _attributes: dict[str, str]) -> None:
        parent = stack[-1]
        if parent is None or (
            parent is not document and tag not in _READ.get(parent.path, frozenset())
        ):
            stack.append(None)
            return
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        element = _Element(tag, line, column, parent.path if parent is not document else ())
        parent.children.append(element)
        parent.first.setdefault(tag, element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def data(chunk: str) -> None:
        element = stack[-1]
        if element is not None:
            element.parts.append(chunk)

    def refuse_doctype(*_args: object) -> None:
        raise _Refused(
            "the file has a DOCTYPE declaration; .timeline files never do, and DOCTYPEs can hide "
            "entity expansion attacks, so it is not read"
        )

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype  # entities live in a DOCTYPE: a second guard
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.buffer_text = True  # one call per text, not one per line
    try:
        parser.Parse(text, True)
    except _Refused as refusal:
        # Expat is inside the declaration by now; its start is the "<!DOCTYPE" before.
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        offset = text.find("<!DOCTYPE")
        if offset >= 0:
            line = text.count("\n", 0, offset) + 1
            column = offset - text.rfind("\n", 0, offset)
        raise FormatError([Problem(str(refusal), line, column)]) from None
    except expat.ExpatError as error:
        message = f"not well-formed XML: {expat.ErrorString(error.code)}"
        raise FormatError([Problem(message, error.lineno, error.offset + 1)]) from None
    if not document.children:
        raise FormatError([Problem("the file has no XML element", 1, 1)])
    return document.children[0]


# -- reading -------------------------------------------------------------------------------


class _Reader:
    """Reads values out of the tree, noting problems at the text they are about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []
        self._line_starts: list[int] = []

    def problem(self, element: _Element, message: str) -> Problem:
        """A problem placed at the element's text, or at its tag when it has none."""
        if not element.text.strip():
            return Problem(message, element.line, element.column)
        # Expat gives the tag's place; the text's is found in the source only when needed,
        # which keeps the parse of a valid file free of bookkeeping.
        if not self._line_starts:
            # Lines as expat counts them: XML ends a line at "\r\n", "\n" or a lone "\r".
            breaks = re.finditer("\r\n?|\n", self.text)
            self._line_starts = [0, *(match.end() for match in breaks)]
        offset = self._line_starts[element.line - 1] + element.column - 1
        offset = self.text.index(">", offset) + 1
        while offset < len(self.text) and self.text[offset].isspace():
            offset += 1
        line = bisect.bisect_right(self._line_starts, offset)
        return Problem(message, line, offset - self._line_starts[line - 1] + 1)

    def note(self, element: _Element, message: str) -> None:
        self.problems.append(self.problem(element, message))

    def time(self, owner: _Element, tag: str) -> tuple[int, ...] | None:
        """(year, month, day, hour, minute, second) of ``<tag>``; None (noted) when bad."""
        element = owner.child(tag)
        if element is None:
            self.note(owner, f"<{owner.tag}> has no <{tag}>")
            return None
        match = _TIME_RE.match(element.text)
        if match is None:
            self.note(element, f"<{tag}> {element.text.strip()!r} is not YYYY-MM-DD HH:MM:SS")
            return None
        # The year's length is checked before int() of it, which refuses over 4,300 digits.
        digits = len(match[1].lstrip("-").lstrip("0"))
        if digits > calendar.MAX_YEAR_DIGITS or abs(int(match[1])) > calendar.MAX_YEAR:
            self.note(element, f"<{tag}>: the year is out of range")
            return None
        parts = tuple(int(group) for group in match.groups())
        year, month, day, hour, minute, second = parts
        if not 1 <= month <= 12 or not 1 <= day <= calendar.days_in_month(year, month):
            self.note(element, f"<{tag}> {element.text.strip()!r}: no such day")
            return None
        if hour > 23 or minute > 59 or second > 59:
            self.note(element, f"<{tag}> {element.text.strip()!r}: time out of range")
            return None
        return parts

    def span(self, owner: _Element, fuzzy: bool = False, point: bool = False) -> DateSpan | None:
        """The period from ``<start>`` to ``<end>``, dated as precisely as its times are."""
        start, end = self.time(owner, "start"), self.time(owner, "end")
        if start is None or end is None:
            return None
        if start[3:] == end[3:] == (0, 0, 0):
            precision = Precision.DAY
        elif start[5] or end[5]:
            precision = Precision.SECOND
        else:
            precision = Precision.MINUTE
        first, last = (
            TimePoint.from_parts(time, precision, approximate=fuzzy) for time in (start, end)
        )
        if point or first == last:
            return DateSpan(first)
        try:
            return DateSpan(first, last)
        except DateError:
            self.note(owner, f"<{owner.tag}> ends before it starts")
            return None

    def color(self, element: _Element | None) -> str | None:
        if element is None or not element.text.strip():
            return None
        match = _COLOR_RE.match(element.text)
        channels = [int(value) for value in match.groups()] if match else []
        if not channels or max(channels) > 255:
            self.note(element, f"colour {element.text.strip()!r} is not R,G,B (each 0–255)")
            return None
        return "#" + "".join(f"{value:02X}" for value in channels)


def read_thetimelineproj(text: str) -> Timeline:
    """A Timeline from a ``.timeline`` file's text; FormatError lists every problem found."""
    root = _parse_xml(text)
    reader = _Reader(text)
    if root.tag != "timeline":
        raise FormatError(
            [Problem(f"the root element is <{root.tag}>, not <timeline>", root.line, root.column)]
        )
    timetype = root.child("timetype")
    if timetype is not None and timetype.text.strip() != "gregoriantime":
        message = f"time type {timetype.text.strip()!r} is not supported (only gregoriantime)"
        raise FormatError([reader.problem(timetype, message)])

    lanes = LaneRegistry()
    full_names: dict[str, str] = {}  # category name → lane name, parents first
    lane_by_category: dict[str, str] = {}
    for category in _all(root, "categories", "category"):
        name = (category.text_of("name") or "").strip()
        parent = (category.text_of("parent") or "").strip()
        full_names[name] = name
        if parent in full_names:
            full_names[name] = f"{full_names[parent]} / {name}"
        elif parent:
            reader.note(category, f"parent category {parent!r} is not defined")
        color = reader.color(category.child("color"))
        lane_by_category[name] = lanes.lane_id(full_names[name], color)

    eras = []
    for index, era in enumerate(_all(root, "eras", "era")):
        span = reader.span(era)
        color = reader.color(era.child("color")) or era_color(index)
        if span is not None:
            eras.append(Era(name=(era.text_of("name") or "").strip(), span=span, color=color))

    containers: dict[str, str] = {}  # container id → name, for tagging its members
    for element in _all(root, "events", "event"):
        kind, container_id, title = _split_text(element.text_of("text") or "")
        if kind == "container":
            containers[container_id] = title

    events = []
    for position, element in enumerate(_all(root, "events", "event"), start=1):
        # The format has no ids: the event's place in the file names it, the same on every read.
        event = _event(reader, element, f"event-{position}", lane_by_category, containers)
        if event is not None:
            events.append(event)

    view_element = root.child("view")
    period = view_element.child("displayed_period") if view_element is not None else None
    view = reader.span(period) if period is not None else None
    if reader.problems:
        reader.problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        raise FormatError(reader.problems)
    return Timeline(
        title=UNTITLED_TIMELINE,
        events=tuple(events),
        lanes=lanes.lanes(),
        eras=tuple(eras),
        view=view,
    )


def _all(root: _Element, group: str, tag: str) -> Iterator[_Element]:
    container = root.child(group)
    return container.all(tag) if container is not None else iter(())


def _split_text(text: str) -> tuple[str, str, str]:
    """(kind, container id, title) of an event's text: "[1]Name" is container 1, "(1)Name" a
    member of it; the program writes one space before a plain title that starts with "[" or
    "(", which is taken off here as the program does."""
    if text.startswith((" [", " (")):
        return "event", "", text[1:].strip()
    for kind, pattern in (("container", _CONTAINER_RE), ("member", _MEMBER_RE)):
        if match := pattern.match(text):
            return kind, match[1], match[2].strip()
    return "event", "", text.strip()


def _flag(element: _Element, tag: str) -> bool:
    return (element.text_of(tag) or "").strip() == "True"


def _event(
    reader: _Reader,
    element: _Element,
    event_id: str,
    lane_by_category: dict[str, str],
    containers: dict[str, str],
) -> Event | None:
    """The event, or None when its dates cannot be read (the problems are noted)."""
    span = reader.span(element, fuzzy=_flag(element, "fuzzy"), point=_flag(element, "milestone"))
    kind, container_id, title = _split_text(element.text_of("text") or "")
    container = containers.get(container_id) if kind == "member" else None
    tags = (container,) if container else ()
    category = (element.text_of("category") or "").strip()
    lane = ""
    if category:
        if category in lane_by_category:
            lane = lane_by_category[category]
        else:
            where = element.child("category") or element
            reader.note(where, f"category {category!r} is not defined")
    links = (element.text_of("hyperlink") or "").split(";")
    if span is None:
        return None
    return Event(
        id=event_id,
        title=title or UNTITLED_EVENT,
        when=span,
        body=text_to_html(element.text_of("description") or ""),
        lane=lane,
        tags=tags,
        references=tuple(Reference(url=url.strip()) for url in links if url.strip()),
    )


# -- writing -------------------------------------------------------------------------------


def _time_text(point: TimePoint, last_day: bool = False) -> str:
    """The point's wall-clock start; with ``last_day``, the last day a date without a time
    covers (the format's end days are inclusive)."""
    year, month, day = point.year, point.month, point.day
    if last_day and point.precision == Precision.YEAR:
        month, day = 12, 31
    elif last_day and point.precision == Precision.MONTH:
        day = calendar.days_in_month(year, month)
    return f"{year}-{month:02d}-{day:02d} {point.hour:02d}:{point.minute:02d}:{point.second:02d}"


def _rgb(color: str) -> str:
    return ",".join(str(int(color[index : index + 2], 16)) for index in (1, 3, 5))


class _XmlLines:
    """Indented XML written line by line: elements hold either text or other elements.

    Written directly rather than through ElementTree, which takes several times as long to
    build and serialise a tree of a hundred thousand events.
    """

    def __init__(self) -> None:
        self.lines = ['<?xml version="1.0" encoding="utf-8"?>']
        self.depth = 0

    def open(self, tag: str) -> None:
        self.lines.append(f"{'  ' * self.depth}<{tag}>")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.lines.append(f"{'  ' * self.depth}</{tag}>")

    def leaf(self, tag: str, text: str) -> None:
        # XML 1.0 cannot hold most control characters, not even escaped.
        text = _NOT_XML_RE.sub("", text).replace("&", "&amp;").replace("<", "&lt;")
        self.lines.append(f"{'  ' * self.depth}<{tag}>{text.replace('>', '&gt;')}</{tag}>")

    def period(self, span: DateSpan) -> None:
        self.leaf("start", _time_text(span.start))
        self.leaf("end", _time_text(span.end or span.start, last_day=True))

    def take(self) -> str:
        """The lines written since the last take, each ending in a line break."""
        text = "\n".join(self.lines) + "\n"
        self.lines.clear()
        return text


def thetimelineproj_pieces(timeline: Timeline, progress: Progress = no_progress) -> Iterator[str]:
    """The timeline as a ``.timeline`` file, an event at a time (see the module notes for what
    it cannot hold)."""
    out = _XmlLines()
    out.open("timeline")
    out.leaf("version", WRITTEN_VERSION)
    out.leaf("timetype", "gregoriantime")
    if timeline.eras:
        out.open("eras")
        for era in timeline.eras:
            out.open("era")
            out.leaf("name", era.name)
            out.period(era.span)
            out.leaf("color", _rgb(era.color))
            out.leaf("ends_today", "False")
            out.close("era")
        out.close("eras")
    # Category names are the keys events refer to, so they must be unique.
    names = IdAllocator("category")
    category_of = {lane.id: names.take(lane.name, 0) for lane in timeline.lanes}
    out.open("categories")
    for lane in timeline.lanes:
        out.open("category")
        out.leaf("name", category_of[lane.id])
        out.leaf("color", _rgb(lane.color))
        out.leaf("font_color", "0,0,0")
        out.close("category")
    out.close("categories")
    out.open("events")
    for event in reporting(timeline.events, progress, "Writing"):
        out.open("event")
        out.period(event.when)
        # The program reads a leading "[" or "(" as a container mark, and strips one added space.
        out.leaf("text", f" {event.title}" if event.title.startswith(("[", "(")) else event.title)
        out.leaf("progress", "0")
        fuzzy = any(point.qualifier for point in (event.start, event.end) if point is not None)
        out.leaf("fuzzy", str(fuzzy))
        out.leaf("locked", "False")
        out.leaf("ends_today", "False")
        if event.lane:
            out.leaf("category", category_of[event.lane])
        description = "\n\n".join(
            text for text in (normalize_text(event.summary), html_to_text(event.body)) if text
        )
        if description:
            out.leaf("description", description)
        links = ";".join(reference.url for reference in event.references if reference.url)
        if links:
            out.leaf("hyperlink", links)
        out.close("event")
        yield out.take()
    out.close("events")
    out.open("view")
    if timeline.view is not None:
        out.open("displayed_period")
        out.period(timeline.view)
        out.close("displayed_period")
    out.close("view")
    out.close("timeline")
    yield out.take()


def write_thetimelineproj(timeline: Timeline) -> str:
    return "".join(thetimelineproj_pieces(timeline))
