"""The event model: a timeline of events in lanes, with eras and the source it was built from.

Everything here is immutable once built, so views may cache anything they derive from a
:class:`Timeline` for as long as they hold the same object.

A timeline's events are a sequence of :class:`Event`: a tuple for small timelines, an
:class:`~desktop.model.store.EventStore` (columns, events built on demand) for big ones and for
the readers of big files. Both read alike: ``timeline.events[i]``, ``len``, iteration, ``==``.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple

from desktop.model.dates import DateSpan, TimePoint
from desktop.model.index import EventIndex
from desktop.model.store import (  # the bits of EventColumns.flags, defined with the store
    END_UNCERTAIN,
    END_VAGUE,
    SPAN,
    START_UNCERTAIN,
    START_VAGUE,
    EventStore,
)

_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ModelError(ValueError):
    """A timeline that breaks the model's rules (duplicate ids, unknown lanes, bad colours)."""


class Provenance(StrEnum):
    ARTICLE = "article"  # the source document itself states the event
    OTHER_REPORTING = "other-reporting"  # dated or added from other reporting
    UNKNOWN = "unknown"  # imported from a format that does not say

    @property
    def label(self) -> str:
        return {
            Provenance.ARTICLE: "Stated in the source article",
            Provenance.OTHER_REPORTING: "From other reporting (not in the source article)",
            Provenance.UNKNOWN: "Provenance not recorded",
        }[self]


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    UNKNOWN = "unknown"


def check_color(color: str, what: str) -> str:
    if not _COLOR_RE.match(color):
        raise ModelError(f"{what}: colour {color!r} is not #RRGGBB")
    return color.upper()


# The value types are NamedTuples rather than frozen dataclasses: this module is imported at every
# start-up, and on Python 3.11 @dataclass costs ~0.5 ms a class there, a NamedTuple ~0.1 ms.
# Events are also built on demand from a big timeline's columns, and a tuple is quicker to make.
class Reference(NamedTuple):
    quote: str = ""  # the source's own words, verbatim; empty when not quoted
    url: str = ""
    publisher: str = ""
    title: str = ""


class SourceDocument(NamedTuple):
    title: str
    publisher: str = ""
    date: TimePoint | None = None
    url: str = ""
    note: str = ""


class _LaneFields(NamedTuple):
    id: str
    name: str
    color: str
    description: str


class Lane(_LaneFields):
    __slots__ = ()

    def __new__(cls, id: str, name: str, color: str = "#999999", description: str = "") -> Lane:
        return super().__new__(cls, id, name, check_color(color, f"lane {id!r}"), description)


# Where events that name no lane are shown: a lane of their own, after the declared ones.
OTHER_EVENTS = Lane(id="", name="Other events", description="Events that name no lane")


class _EraFields(NamedTuple):
    name: str
    span: DateSpan
    color: str
    id: str


class Era(_EraFields):
    __slots__ = ()

    def __new__(cls, name: str, span: DateSpan, color: str = "#EEEEEE", id: str = "") -> Era:
        return super().__new__(cls, name, span, check_color(color, f"era {name!r}"), id)


class Event(NamedTuple):
    id: str
    title: str
    when: DateSpan
    summary: str = ""
    body: str = ""  # may hold simple HTML
    actors: tuple[str, ...] = ()
    place: str = ""
    lane: str = ""  # a Lane.id, or "" for the timeline's default lane
    tags: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    provenance: Provenance = Provenance.UNKNOWN
    confidence: Confidence = Confidence.UNKNOWN
    display_date: str = ""  # how the source writes the date, when it says more than the date

    @property
    def start(self) -> TimePoint:
        return self.when.start

    @property
    def end(self) -> TimePoint | None:
        return self.when.end

    @property
    def is_span(self) -> bool:
        return self.when.end is not None

    def date_text(self) -> str:
        return self.display_date or self.when.describe()


class EventColumns(NamedTuple):
    """Per-event facts the canvas reads every frame, as compact columns in start order.

    The layout and the painter read these instead of Event objects, so drawing never needs
    more than the numbers and the title of what is on screen.
    """

    titles: Sequence[str]
    lane_slots: array  # index into Timeline.lane_order(), 'H'
    flags: array  # SPAN | START_VAGUE | ..., 'B'
    start_period_ends: array  # where the start's precision period ends, 'd'
    end_period_starts: array  # where the end's precision period starts ('d'; = ends for points)

    @classmethod
    def from_events(cls, events: Sequence[Event], lane_order: Sequence[str]) -> EventColumns:
        slot_of = {lane_id: slot for slot, lane_id in enumerate(lane_order)}
        flags = array("B")
        start_period_ends = array("d")
        end_period_starts = array("d")
        for event in events:
            start, end = event.when.start, event.when.end
            bits = 0
            if start.approximate or start.uncertain:
                bits |= START_VAGUE
            if start.uncertain:
                bits |= START_UNCERTAIN
            start_period_ends.append(start.end_seconds())
            if end is not None:
                bits |= SPAN
                if end.approximate or end.uncertain:
                    bits |= END_VAGUE
                if end.uncertain:
                    bits |= END_UNCERTAIN
                end_period_starts.append(end.start_seconds())
            else:
                end_period_starts.append(start.end_seconds())
            flags.append(bits)
        return cls(
            titles=[event.title for event in events],
            lane_slots=array("H", (slot_of[event.lane] for event in events)),
            flags=flags,
            start_period_ends=start_period_ends,
            end_period_starts=end_period_starts,
        )


# From this many events on, a Timeline built from Event objects keeps them as an EventStore:
# below it a tuple is as small and quicker to read.
STORE_MIN_EVENTS = 10_000
# What a Timeline is made from, in its constructor's order: what equality and hashing compare.
_LOADED = ("title", "events", "summary", "source", "lanes", "eras", "view")


class Timeline:
    """A loaded timeline. Events are kept sorted by start, same-start events in source order.

    Immutable once built. Two timelines are equal when what was loaded is (title, events,
    summary, source, lanes, eras, view); the index and columns derived from it do not count.
    """

    __slots__ = (
        "_lane_order",
        "_lanes_by_id",
        "columns",
        "eras",
        "events",
        "index",
        "lanes",
        "source",
        "summary",
        "title",
        "view",
    )
    title: str
    events: Sequence[Event]  # a tuple, or an EventStore for big timelines
    summary: str
    source: SourceDocument | None
    lanes: tuple[Lane, ...]
    eras: tuple[Era, ...]
    view: DateSpan | None  # the range to open on; None: fit all events
    index: EventIndex
    columns: EventColumns
    _lane_order: tuple[str, ...]
    _lanes_by_id: dict[str, Lane]

    def __init__(
        self,
        title: str,
        events: Sequence[Event],
        summary: str = "",
        source: SourceDocument | None = None,
        lanes: tuple[Lane, ...] = (),
        eras: tuple[Era, ...] = (),
        view: DateSpan | None = None,
    ) -> None:
        loaded = (title, events, summary, source, lanes, eras, view)
        for name, value in zip(_LOADED, loaded, strict=True):
            object.__setattr__(self, name, value)
        lanes_by_id: dict[str, Lane] = {}
        for lane in self.lanes:
            if lane.id in lanes_by_id:
                raise ModelError(f"lane id {lane.id!r} is used twice")
            lanes_by_id[lane.id] = lane
        object.__setattr__(self, "_lanes_by_id", lanes_by_id)
        events = self.events
        if not isinstance(events, EventStore):
            events = tuple(events)
            seen: set[str] = set()
            for event in events:
                if event.id in seen:
                    raise ModelError(f"event id {event.id!r} is used twice")
                seen.add(event.id)
                if event.lane and event.lane not in lanes_by_id:
                    raise ModelError(f"event {event.id!r}: lane {event.lane!r} is not declared")
            if len(events) >= STORE_MIN_EVENTS:
                events = EventStore.from_events(events)
        if isinstance(events, EventStore):
            self._adopt(events, lanes_by_id)
            return
        starts = [event.when.start_seconds() for event in events]
        order = sorted(range(len(events)), key=starts.__getitem__)  # stable: source order
        events = tuple(events[i] for i in order)
        object.__setattr__(self, "events", events)
        lane_order = tuple(lane.id for lane in self.lanes)
        if any(not event.lane for event in events):
            lane_order += ("",)
        object.__setattr__(self, "_lane_order", lane_order)
        object.__setattr__(
            self,
            "index",
            EventIndex(
                [starts[i] for i in order],
                [event.when.end_seconds() for event in events],
                [event.id for event in events],
            ),
        )
        object.__setattr__(self, "columns", EventColumns.from_events(events, lane_order))

    def _adopt(self, store: EventStore, lanes_by_id: dict[str, Lane]) -> None:
        """Take a store's index and columns, its lane slots renumbered to this lane order."""
        for slot, lane_id in enumerate(store.lane_ids):
            if lane_id and lane_id not in lanes_by_id:
                position = store.lane_slots.index(slot)
                raise ModelError(f"event {store.ids[position]!r}: lane {lane_id!r} is not declared")
        lane_order = tuple(lane.id for lane in self.lanes)
        if store.uses_lane(""):
            lane_order += ("",)
        slots = store.lane_slots
        if store.lane_ids != lane_order[: len(store.lane_ids)]:
            renumber = [lane_order.index(lane_id) for lane_id in store.lane_ids]
            slots = array("H", map(renumber.__getitem__, slots))
        object.__setattr__(self, "events", store)
        object.__setattr__(self, "_lane_order", lane_order)
        object.__setattr__(self, "index", store.index)
        object.__setattr__(
            self,
            "columns",
            EventColumns(
                titles=store.titles,
                lane_slots=slots,
                flags=store.flags,
                start_period_ends=store.start_period_ends,
                end_period_starts=store.end_period_starts,
            ),
        )

    def _loaded(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _LOADED)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeline):
            return NotImplemented
        return self._loaded() == other._loaded()

    def __hash__(self) -> int:
        return hash(self._loaded())

    def __repr__(self) -> str:
        return (
            f"Timeline(title={self.title!r}, events=<{len(self.events)}>, "
            f"lanes={[lane.id for lane in self.lanes]!r}, eras=<{len(self.eras)}>, "
            f"view={self.view!r})"
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Timeline is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Timeline is immutable: cannot delete {name!r}")

    def lane(self, lane_id: str) -> Lane | None:
        return self._lanes_by_id.get(lane_id)

    def shown_lane(self, lane_id: str) -> Lane:
        """The lane an event is shown in: its declared lane, or :data:`OTHER_EVENTS` for
        events that name none (an event's lane is always one of the two)."""
        return OTHER_EVENTS if lane_id == "" else self._lanes_by_id[lane_id]

    def lane_order(self) -> tuple[str, ...]:
        """Lane ids top to bottom: declared lanes, then "" if any event has no lane."""
        return self._lane_order

    def event(self, event_id: str) -> Event:
        return self.events[self.index.position(event_id)]

    def extent(self) -> tuple[float, float] | None:
        """(first start, last end) in axis seconds over events and eras; None when empty."""
        starts = [era.span.start_seconds() for era in self.eras]
        ends = [era.span.end_seconds() for era in self.eras]
        if self.events:
            starts.append(self.index.starts[0])
            ends.append(self.index.max_end)
        if not starts:
            return None
        return min(starts), max(ends)

    def initial_range(self) -> tuple[float, float] | None:
        if self.view is not None:
            return self.view.start_seconds(), self.view.end_seconds()
        return self.extent()
