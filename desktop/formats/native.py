"""The native format: JSON with EDTF dates. Reference: resources/schema/timeline.schema.json.

Reading collects every problem in the file (not only the first) with its JSON path, then turns
the paths into line and column numbers for the user.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from desktop.formats import jsonstream
from desktop.formats.errors import FormatError, Problem
from desktop.formats.jsonpos import JsonPath, JsonProblems
from desktop.formats.progress import READ_EVENTS_SHARE, Progress, no_progress, reporting
from desktop.model.dates import DateError, DateSpan, plain_span
from desktop.model.stepwise import ShardedSet, Tick, no_tick, within
from desktop.model.store import CHUNK, EventStore, EventStoreBuilder
from desktop.model.timeline import (
    STORE_MIN_EVENTS,
    Confidence,
    Era,
    Event,
    Lane,
    ModelError,
    Provenance,
    Reference,
    SourceDocument,
    Timeline,
)

FORMAT_NAME = "timeline-viewer"
FORMAT_VERSION = 1

Path = JsonPath
T = TypeVar("T")


class _Reader:
    def __init__(self, problems: JsonProblems) -> None:
        self.problems = problems

    def field(self, data: dict[str, Any], key: str, path: Path, kind: type[T], default: T) -> T:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, kind):
            self.problems.add((*path, key), f"expected {_KIND_NAMES[kind]}, found {_kind(value)}")
            return default
        return value

    def strings(self, data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
        values = self.field(data, key, path, list, [])
        if not all(isinstance(value, str) for value in values):
            self.problems.add((*path, key), "expected a list of strings")
            return ()
        return tuple(values)

    def span(self, data: dict[str, Any], key: str, path: Path) -> DateSpan | None:
        text = self.field(data, key, path, str, "")
        if not text:
            if not _wrong_type(data, key, str):  # a wrong type is already reported
                self.problems.add((*path, key) if key in data else path, f"missing {key!r}")
            return None
        try:
            return DateSpan.parse(text)
        except DateError as error:
            # locate() gives the opening quote's column, so adding the 1-based column in the
            # string lands on the character itself.
            self.problems.add((*path, key), str(error), error.column)
            return None

    def enum(
        self, data: dict[str, Any], key: str, path: Path, kind: Callable[[str], T], default: T
    ) -> T:
        text = self.field(data, key, path, str, "")
        if not text:
            return default
        try:
            return kind(text)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)  # type: ignore[attr-defined]
            self.problems.add((*path, key), f"{text!r} is not one of {allowed}")
            return default

    def objects(self, data: dict[str, Any], key: str, path: Path) -> list[tuple[Path, dict]]:
        found = []
        for position, item in enumerate(self.field(data, key, path, list, [])):
            if isinstance(item, dict):
                found.append(((*path, key, position), item))
            else:
                self.problems.add(
                    (*path, key, position), f"expected an object, found {_kind(item)}"
                )
        return found


_KIND_NAMES = {str: "a string", list: "a list", dict: "an object", int: "a number"}


def _wrong_type(data: dict[str, Any], key: str, kind: type) -> bool:
    """Whether ``key`` holds a value of another type (which ``field`` has reported)."""
    value = data.get(key)
    return value is not None and not isinstance(value, kind)


def _kind(value: object) -> str:
    return {
        str: "a string", list: "a list", dict: "an object", bool: "true/false", int: "a number",
        float: "a number", type(None): "null",
    }.get(type(value), type(value).__name__)  # fmt: skip


def looks_native(data: object) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT_NAME


def parse_json(text: str) -> Any:
    """``json.loads``, with syntax errors (and absurd nesting) as a FormatError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # json writes its messages to be followed by ": line L column C"; here the position is
        # given apart, and "Unterminated string starting at" would read as cut short.
        message = error.msg.removesuffix(" at") + (" here" if error.msg.endswith(" at") else "")
        if _cut_short(text, error):  # from a user test: a truncated file said only the above
            message += ", and the file ends there: it may be cut short"
        raise FormatError([Problem(message, error.lineno, error.colno)]) from None
    except RecursionError:
        raise FormatError([Problem("the JSON is nested too deeply to read")]) from None
    except ValueError:  # the one other ValueError json raises: int() refuses over 4,300 digits
        raise FormatError([Problem("a number in the file has over 4,300 digits")]) from None


def _cut_short(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the JSON stops where json found it wanting: nothing follows, or an unfinished
    string runs to the end of the text."""
    rest = text[error.pos :]
    if error.msg.startswith("Unterminated string"):
        return '"' not in rest[1:]
    return not rest.strip()


def read_native(text: str) -> Timeline:
    """Parse a native JSON document; raises FormatError listing every problem found."""
    return timeline_from_native(parse_json(text), text)


def timeline_from_native(
    data: object, text: str, tick: Tick = no_tick, store_from: int = STORE_MIN_EVENTS
) -> Timeline:
    """The timeline of a parsed native document; raises FormatError listing every problem.

    From ``store_from`` events on, the events go straight into the store's columns (as
    Timeline would put them), most without ever being built as Event objects; ``tick`` then
    hears the share of them read, and may raise to stop the reading.
    """
    problems = JsonProblems()
    read = _Reader(problems)
    if not isinstance(data, dict):
        raise FormatError(
            [Problem(f"expected a JSON object at the top, found {_kind(data)}", 1, 1)]
        )
    head = _read_head(read, data)
    try:
        listed = data.get("events")
        if isinstance(listed, list) and len(listed) >= store_from:
            events = _read_into_store(_EventReader(read, head), listed, tick)
        else:
            seen_ids = ShardedSet()
            events = tuple(
                event
                for path, event_data in read.objects(data, "events", ())
                if (event := _event(read, event_data, path, head.declared, seen_ids)) is not None
            )
        title = read.field(data, "title", (), str, "Untitled timeline")
        summary = read.field(data, "summary", (), str, "")
        problems.raise_if_any(text)
        return head.timeline(title, summary, events)
    except ModelError as error:  # more lanes than a store holds
        raise FormatError([Problem(str(error))]) from None


def _read_into_store(reader: _EventReader, listed: list[Any], tick: Tick) -> EventStore:
    try:
        for first in range(0, len(listed), _TICK_EVERY):
            tick(READ_EVENTS_SHARE * first / len(listed))
            reader.add(listed[first : first + _TICK_EVERY])
    finally:
        reader.release()
    return reader.builder.build(within(tick, READ_EVENTS_SHARE, 1.0))


def stream_native(pieces: Iterable[str], sorting: Tick = no_tick) -> Timeline | None:
    """The Timeline of a native document whose text comes in ``pieces``, or None when the
    document is to be read whole (see :func:`desktop.formats.loader.read_text_document`).

    As :func:`desktop.formats.timelinejs.stream_timelinejs` does for TimelineJS, each batch
    of events is put into the store as soon as it is parsed, and dropped. Only a plain
    document is read so: valid JSON, this format, its other members before "events" ("title"
    and "summary" may follow), one "events" list and nothing to report (a problem's place
    needs the whole text); for anything else this gives None, mostly within the first piece.
    Whenever it gives a Timeline, it is the one reading the whole text gives. ``sorting``
    hears how far putting the events in order has got, and may raise to stop it.
    """
    read = _Reader(JsonProblems())
    data: dict[str, Any] = {}  # the top-level members but "events"
    reader: _EventReader | None = None
    try:
        for key, value in jsonstream.members(pieces, "events", CHUNK):
            if key != "events":
                if reader is not None and key not in ("title", "summary"):
                    return None  # what the events were read against is not all known
                data[key] = value
            elif reader is not None or not isinstance(value, jsonstream.Elements):
                return None  # not a list, or a second "events" (which json.loads would keep)
            elif not looks_native(data):
                return None
            else:
                reader = _EventReader(read, _read_head(read, data))
                for batch in value:
                    reader.add(batch)
                    if read.problems.found:
                        return None
    except (jsonstream.NotStreamable, ModelError):  # reading whole reports a ModelError
        return None
    finally:
        if reader is not None:
            reader.release()
    if reader is None or read.problems.found:
        return None
    title = read.field(data, "title", (), str, "Untitled timeline")
    summary = read.field(data, "summary", (), str, "")
    if read.problems.found:
        return None
    try:
        return reader.head.timeline(title, summary, reader.builder.build(sorting))
    except ModelError:
        return None  # reading whole reports it


class _Head(NamedTuple):
    """What a document says besides its events, title and summary."""

    source: SourceDocument | None
    view: DateSpan | None
    lanes: tuple[Lane, ...]
    declared: set[str]  # lane ids, including lanes refused for a bad colour
    eras: tuple[Era, ...]

    def timeline(self, title: str, summary: str, events: Sequence[Event]) -> Timeline:
        return Timeline(
            title=title,
            summary=summary,
            source=self.source,
            lanes=self.lanes,
            eras=self.eras,
            events=events,
            view=self.view,
        )


def _read_head(read: _Reader, data: dict[str, Any]) -> _Head:
    problems = read.problems
    if data.get("format") != FORMAT_NAME:
        problems.add(("format",), f'"format" must be "{FORMAT_NAME}"')
    version = data.get("version")
    if type(version) is not int or version != FORMAT_VERSION:  # not true, not 1.0
        problems.add(
            ("version",), f"version {version!r} is not supported (this reads {FORMAT_VERSION})"
        )

    source = None
    source_data = read.field(data, "source", (), dict, {})
    if source_data:
        source_date = None
        if source_data.get("date"):
            span = read.span(source_data, "date", ("source",))
            source_date = span.start if span is not None else None
        source = SourceDocument(
            title=read.field(source_data, "title", ("source",), str, ""),
            publisher=read.field(source_data, "publisher", ("source",), str, ""),
            date=source_date,
            url=read.field(source_data, "url", ("source",), str, ""),
            note=read.field(source_data, "note", ("source",), str, ""),
        )

    view = None
    view_data = read.field(data, "view", (), dict, {})
    if view_data:
        view_start = read.span(view_data, "start", ("view",))
        view_end = read.span(view_data, "end", ("view",)) if "end" in view_data else None
        if view_start is not None and "end" not in view_data:
            view = view_start
        elif view_start is not None and view_end is not None:
            try:
                view = DateSpan(view_start.start, (view_end.end or view_end.start))
            except DateError as error:
                problems.add(("view",), str(error))

    lanes = []
    declared: set[str] = set()
    for path, lane_data in read.objects(data, "lanes", ()):
        lane_id = read.field(lane_data, "id", path, str, "")
        if not lane_id:
            if not _wrong_type(lane_data, "id", str):
                problems.add(path, 'a lane needs an "id"')
            continue
        if lane_id in declared:
            problems.add((*path, "id"), f"lane id {lane_id!r} is used twice")
            continue
        declared.add(lane_id)
        try:
            lanes.append(
                Lane(
                    id=lane_id,
                    name=read.field(lane_data, "name", path, str, lane_id),
                    color=read.field(lane_data, "color", path, str, "#999999"),
                    description=read.field(lane_data, "description", path, str, ""),
                )
            )
        except ModelError as error:
            problems.add((*path, "color"), str(error))

    eras = []
    for path, era_data in read.objects(data, "eras", ()):
        span = read.span(era_data, "date", path)
        if span is None:
            continue
        try:
            eras.append(
                Era(
                    name=read.field(era_data, "name", path, str, ""),
                    span=span,
                    color=read.field(era_data, "color", path, str, "#EEEEEE"),
                    id=read.field(era_data, "id", path, str, ""),
                )
            )
        except ModelError as error:
            problems.add((*path, "color"), str(error))
    return _Head(source, view, tuple(lanes), declared, tuple(eras))


class _EventReader:
    """Puts the "events" list into a store, a batch at a time: the plain events appended as
    numbers and texts, the others read as :func:`_event` reads them (which reports their
    problems). An event in a lane refused for its colour is not a second problem."""

    def __init__(self, read: _Reader, head: _Head) -> None:
        self.read = read
        self.head = head
        self.builder = EventStoreBuilder()
        # The declared lanes take the first slots, in order: the Timeline then keeps them.
        self.slots = {lane.id: self.builder.lane_slot(lane.id) for lane in head.lanes}
        self.slots[""] = EventStoreBuilder.DEFAULT_SLOT
        self.seen_ids = ShardedSet()
        self.spans: dict[str, tuple[float, float, float, float, int, int]] = {}
        self.count = 0  # events read so far: the next one's place in the list

    def add(self, batch: list[Any]) -> None:
        builder, slots, seen_ids, spans = self.builder, self.slots, self.seen_ids, self.spans
        problems = self.read.problems
        for position, item in enumerate(batch, self.count):
            if type(item) is dict and _add_plain(item, builder, slots, seen_ids, spans):
                continue
            path = ("events", position)
            if type(item) is not dict:
                problems.add(path, f"expected an object, found {_kind(item)}")
                continue
            event = _event(self.read, item, path, self.head.declared, seen_ids)
            if event is not None and not problems.found:  # else no timeline is made anyway
                builder.add_event(event, check_id=False)
        self.count += len(batch)

    def release(self) -> None:
        """Drop what only the reading needs, a little at a time (see ShardedSet)."""
        self.seen_ids.release()
        self.spans.clear()


# Reading the events into the store reports its progress every this many events (a few
# milliseconds of work).
_TICK_EVERY = 4096

# What a plain event may hold: the fields the store keeps in its columns, and the two whose
# defaults it need not store.
_PLAIN_FIELDS = frozenset(("id", "title", "date", "lane", "body", "provenance", "confidence"))
_UNKNOWN = ("", None, "unknown")
# Dates read, kept to be looked up when they come again (events share days): at most this many.
_SPANS_KEPT = 1 << 16


def _add_plain(
    item: dict[str, Any],
    builder: EventStoreBuilder,
    slots: dict[str, int],
    seen_ids: ShardedSet,
    spans: dict[str, tuple[float, float, float, float, int, int]],
) -> bool:
    """Append an event written as this program writes a plain one: text fields, a plainly
    written date (:func:`desktop.model.dates.plain_span`), a declared lane or none, a new id.
    False, appending nothing, for any other event, which :func:`_event` then reads."""
    if not item.keys() <= _PLAIN_FIELDS:
        return False
    event_id, title, date = item.get("id"), item.get("title"), item.get("date")
    body, lane = item.get("body"), item.get("lane")  # None: the default, as for _Reader.field
    if (
        type(event_id) is not str
        or type(title) is not str
        or type(date) is not str
        or not (body is None or type(body) is str)
        or not (lane is None or type(lane) is str)
        or not event_id
        or not title
        or event_id in seen_ids
    ):
        return False
    slot = slots.get(lane or "")
    if slot is None:  # not declared
        return False
    span = spans.get(date)
    if span is None:
        span = plain_span(date)
        if span is None:
            return False
        if len(spans) >= _SPANS_KEPT:
            spans.clear()
        spans[date] = span
    extras = None
    provenance, confidence = item.get("provenance"), item.get("confidence")
    if provenance not in _UNKNOWN or confidence not in _UNKNOWN:
        try:
            extras = (
                "", (), "", (), (),
                Provenance(provenance or "unknown"), Confidence(confidence or "unknown"), "",
            )  # fmt: skip
        except (ValueError, TypeError):  # not one of the values, or not a string
            return False
    seen_ids.add(event_id)
    builder.add_plain(event_id, title, body or "", slot, span, extras)
    return True


def _event(
    read: _Reader, data: dict[str, Any], path: Path, lane_ids: set[str], seen_ids: ShardedSet
) -> Event | None:
    problems = read.problems
    event_id = read.field(data, "id", path, str, "")
    title = read.field(data, "title", path, str, "")
    span = read.span(data, "date", path)
    if not event_id:
        if not _wrong_type(data, "id", str):  # a wrong type is already reported
            problems.add(path, 'an event needs an "id"')
    elif event_id in seen_ids:
        problems.add((*path, "id"), f"event id {event_id!r} is used twice")
    seen_ids.add(event_id)
    if not title and not _wrong_type(data, "title", str):
        problems.add(path, 'an event needs a "title"')
    lane = read.field(data, "lane", path, str, "")
    if lane and lane not in lane_ids:
        problems.add((*path, "lane"), f'lane {lane!r} is not declared in "lanes"')
    references = []
    for ref_path, ref in read.objects(data, "references", path):
        references.append(
            Reference(
                quote=read.field(ref, "quote", ref_path, str, ""),
                url=read.field(ref, "url", ref_path, str, ""),
                publisher=read.field(ref, "publisher", ref_path, str, ""),
                title=read.field(ref, "title", ref_path, str, ""),
            )
        )
    provenance = read.enum(data, "provenance", path, Provenance, Provenance.UNKNOWN)
    confidence = read.enum(data, "confidence", path, Confidence, Confidence.UNKNOWN)
    # Read every field before giving up on the event, so all its problems are reported at once.
    summary = read.field(data, "summary", path, str, "")
    body = read.field(data, "body", path, str, "")
    actors = read.strings(data, "actors", path)
    place = read.field(data, "place", path, str, "")
    tags = read.strings(data, "tags", path)
    display_date = read.field(data, "display_date", path, str, "")
    if span is None or not event_id or not title:
        return None
    return Event(
        id=event_id,
        title=title,
        when=span,
        summary=summary,
        body=body,
        actors=actors,
        place=place,
        lane=lane if lane in lane_ids else "",
        tags=tags,
        references=tuple(references),
        provenance=provenance,
        confidence=confidence,
        display_date=display_date,
    )


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in ("", (), [], None)}


def json_pieces(
    head: dict[str, Any],
    key: str,
    items: Iterable[object],
    tail: Callable[[], dict[str, Any]] = dict,
) -> Iterator[str]:
    """The JSON object ``head | {key: [*items]} | tail()`` as text ending in a line break,
    in pieces: indented as ``json.dumps(..., indent=2)`` does, but each item on a line of its
    own (an event per line, which diffs and greps well).

    An item is made when its text is wanted, so a document of a million events is never a list
    of a million objects, nor one string; ``tail`` is called once the items are all made.
    Items are written without indent, by Python's encoder in C: 0.38 s for 100,000 events,
    against 0.57 s for its indenting one in Python (which also leaves 33 objects in garbage
    cycles at every call).
    """
    opening = json.dumps(head | {key: []}, ensure_ascii=False, indent=2)
    yield opening[: -len("[]\n}")]  # up to '"key": '
    separator = "[\n    "
    for item in items:
        yield separator + json.dumps(item, ensure_ascii=False)
        separator = ",\n    "
    yield "[]" if separator.startswith("[") else "\n  ]"
    rest = tail()
    # The members after the items, as json.dumps writes them: '{' and a line break dropped.
    yield "," + json.dumps(rest, ensure_ascii=False, indent=2)[1:] + "\n" if rest else "\n}\n"


def _native_document(
    timeline: Timeline, progress: Progress
) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The members of the timeline's native document but its events, and its events."""
    data: dict[str, Any] = {"summary": timeline.summary}
    if timeline.source is not None:
        source = timeline.source
        # "title" always: a source object left empty would read back as no source at all.
        data["source"] = {"title": source.title} | _without_empty(
            {
                "publisher": source.publisher,
                "date": source.date.isoformat() if source.date else "",
                "url": source.url,
                "note": source.note,
            }
        )
    if timeline.view is not None:
        data["view"] = {"start": timeline.view.start.isoformat()}
        if timeline.view.end is not None:
            data["view"]["end"] = timeline.view.end.isoformat()
    data["lanes"] = [
        # "name" always: a missing name reads back as the lane's id.
        {"id": lane.id, "name": lane.name}
        | _without_empty({"color": lane.color, "description": lane.description})
        for lane in timeline.lanes
    ]
    data["eras"] = [
        _without_empty(
            {"id": era.id, "name": era.name, "date": era.span.isoformat(), "color": era.color}
        )
        for era in timeline.eras
    ]
    # "title" always, even empty: a missing title reads back as "Untitled timeline".
    head = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "title": timeline.title}
    # "events" (last) always, even empty: the schema requires it, so any file we write
    # validates.
    events = map(_event_to_native, reporting(timeline.events, progress, "Writing"))
    return head | _without_empty(data), events


def timeline_to_native(timeline: Timeline) -> dict[str, Any]:
    head, events = _native_document(timeline, no_progress)
    return head | {"events": list(events)}


def _event_to_native(event: Event) -> dict[str, Any]:
    return _without_empty(
        {
            "id": event.id,
            "title": event.title,
            "date": event.when.isoformat(),
            "display_date": event.display_date,
            "summary": event.summary,
            "body": event.body,
            "actors": list(event.actors),
            "place": event.place,
            "lane": event.lane,
            "tags": list(event.tags),
            "provenance": event.provenance.value,
            "confidence": event.confidence.value,
            "references": [
                _without_empty(
                    {"quote": r.quote, "url": r.url, "publisher": r.publisher, "title": r.title}
                )
                for r in event.references
            ],
        }
    )


def native_pieces(timeline: Timeline, progress: Progress = no_progress) -> Iterator[str]:
    """The text of the timeline's native document, in pieces (see :func:`json_pieces`)."""
    head, events = _native_document(timeline, progress)
    return json_pieces(head, "events", events)


def write_native(timeline: Timeline) -> str:
    return "".join(native_pieces(timeline))
