"""Events kept as compact columns, materialised as :class:`Event` objects only when asked for.

A million ``Event`` objects (each with its ``DateSpan``, two ``TimePoint`` and a dozen strings)
take gigabytes and seconds to build, while the canvas only ever reads numbers and the titles of
what is on screen. :class:`EventStore` therefore holds one column per field, in start order:
times as ``array('d')``, date precision and qualifiers as small integers, lanes as slots into a
lane table, texts packed into a few big strings (:class:`PackedStrings`), and the fields that
most events leave empty (summary, actors, references, …) in a sparse dict. ``store[i]`` builds
the ``Event`` on demand, so every caller written for a tuple of events keeps working.

The dates are rebuilt exactly: a floating time's calendar parts are recomputed from its seconds
(exact while they stay below 2**53, years up to about ±285 million), a zoned time keeps its
zone and its wall-clock seconds, and anything else keeps its ``DateSpan`` as it was given.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from operator import add, itemgetter
from typing import TYPE_CHECKING, Any, overload

from desktop.model import calendar
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.index import EventIndex
from desktop.model.stepwise import (
    STEP,
    Tick,
    converted,
    is_sorted,
    no_tick,
    picked,
    stable_order,
    within,
)

if TYPE_CHECKING:
    from desktop.model.timeline import Event

# Bits of the flags column (EventColumns.flags, see timeline.py): what the painter needs to know
# about an event's date.
SPAN = 1
START_VAGUE = 2  # the start is approximate or uncertain
START_UNCERTAIN = 4
END_VAGUE = 8
END_UNCERTAIN = 16
# Bits of EventStore's date column: the start's and the end's precision and "approximate";
# "uncertain" and "is a span" are in the flags column (above) already.
START_PRECISION = 0b000_0111
END_PRECISION_SHIFT = 3
START_APPROXIMATE = 0b0100_0000
END_APPROXIMATE = 0b1000_0000

# Texts are packed this many to a string: big enough that the per-string overhead vanishes,
# small enough that one non-ASCII title widens only its own chunk (str stores a whole string
# at the width of its widest character).
CHUNK_BITS = 10
CHUNK = 1 << CHUNK_BITS
_CHUNK_MASK = CHUNK - 1
# Texts are joined with this separator, so that checks on a whole chunk at once can see where
# each text starts and ends (see the TimelineJS reader).
SEPARATOR = "\x00"

# Beyond this many seconds from 1970 a float no longer holds every whole second, so the
# calendar parts cannot be recomputed from it: such dates keep their DateSpan.
_EXACT_SECONDS = 2.0**53

# Events built recently, kept so that repeated reads of the same rows (a view, a table)
# return the same objects and do not rebuild them.
_CACHE_SIZE = 4096


class PackedStrings(Sequence[str]):
    """Strings stored back to back in big strings, read as a sequence of separate ones.

    ``order`` maps a position to the row the strings were appended in: the columns are built in
    file order and read in start order, and moving the numbers is cheaper than moving text.
    """

    __slots__ = ("_chunks", "_ends", "_order", "_size")

    def __init__(self, chunks: list[str], ends: array, order: array | None = None) -> None:
        self._chunks = chunks
        self._ends = ends  # end of each string within its chunk; the next starts one later
        self._order = order
        self._size = len(ends)

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._size))]
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError("PackedStrings index out of range")
        if self._order is not None:
            index = self._order[index]
        ends = self._ends
        start = ends[index - 1] + 1 if index & _CHUNK_MASK else 0
        return self._chunks[index >> CHUNK_BITS][start : ends[index]]

    def __iter__(self) -> Iterator[str]:
        if self._order is None:
            for chunk in range(len(self._chunks)):
                yield from self._chunk(chunk)
        else:
            yield from self.tolist()

    def tolist(self) -> list[str]:
        """Every string, in order: much quicker than reading them one by one."""
        rows = [text for chunk in range(len(self._chunks)) for text in self._chunk(chunk)]
        if self._order is None:
            return rows
        if len(self._order) < 2:  # itemgetter of one item returns the item, not a tuple
            return [rows[row] for row in self._order]
        return list(itemgetter(*self._order)(rows))

    def _chunk(self, chunk: int) -> list[str]:
        """The strings of one chunk, in row order."""
        texts = self._chunks[chunk].split(SEPARATOR)
        first = chunk << CHUNK_BITS
        count = min(CHUNK, len(self._ends) - first)
        if len(texts) == count:
            return texts
        # A string holds the separator itself: cut by the stored ends instead.
        ends, text = self._ends, self._chunks[chunk]
        rows = range(first, first + count)
        starts = [0, *(ends[row] + 1 for row in rows[:-1])]
        return [text[start : ends[row]] for start, row in zip(starts, rows, strict=True)]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # compares by content, like a list

    def __repr__(self) -> str:
        return f"PackedStrings({self._size} strings)"


class PackedStringsBuilder:
    """Collects strings in row order and packs them :data:`CHUNK` at a time."""

    __slots__ = ("_chunks", "_ends", "pieces")

    def __init__(self) -> None:
        self.pieces: list[str] = []  # not yet packed
        self._chunks: list[str] = []
        self._ends = array("q")

    def __len__(self) -> int:
        return len(self._ends) + len(self.pieces)

    def append(self, text: str) -> None:
        self.pieces.append(text)
        if len(self.pieces) >= CHUNK:
            self._pack()

    def extend(self, texts: list[str], joined: str | None = None) -> None:
        """Append ``texts``; ``joined`` is ``SEPARATOR.join(texts)`` when the caller has it."""
        if joined is not None and not self.pieces and len(texts) == CHUNK:
            self._seal(texts, joined)  # the common case of a reader going a chunk at a time
            return
        self.pieces.extend(texts)
        if len(self.pieces) >= CHUNK:
            self._pack()

    def _pack(self) -> None:
        pieces = self.pieces
        done = 0
        while len(pieces) - done >= CHUNK:
            self._seal(pieces[done : done + CHUNK])
            done += CHUNK
        del pieces[:done]

    def _seal(self, pieces: list[str], joined: str | None = None) -> None:
        self._chunks.append(SEPARATOR.join(pieces) if joined is None else joined)
        # end of string k = its length + the lengths and separators of the ones before it
        self._ends.extend(map(add, accumulate(map(len, pieces)), range(len(pieces))))

    def build(self, order: array | None = None) -> PackedStrings:
        if self.pieces:
            self._seal(self.pieces)
            self.pieces = []
        return PackedStrings(self._chunks, self._ends, order)


def _exact_wall(point: TimePoint) -> float | None:
    """The point's wall-clock seconds when its parts can be recomputed from them, else None."""
    wall = calendar.to_seconds(
        point.year, point.month, point.day, point.hour, point.minute, point.second
    )
    return wall if -_EXACT_SECONDS < wall < _EXACT_SECONDS else None


def _point(
    wall: float, precision: int, approximate: bool, uncertain: bool, zone: str | None
) -> TimePoint:
    year, month, day, hour, minute, second = calendar.from_seconds(wall)
    return TimePoint(
        year, month, day, hour, minute, int(second), Precision(precision),
        approximate=approximate, uncertain=uncertain, zone=zone,
    )  # fmt: skip


class EventStore(Sequence["Event"]):
    """A timeline's events in start order, as columns; ``store[i]`` is the i-th :class:`Event`.

    Build one with :class:`EventStoreBuilder` (or :meth:`from_events`). The columns are shared
    with the timeline's :class:`EventIndex` and :class:`EventColumns` and never change.
    """

    __slots__ = (
        "_bodies", "_cache", "_dates", "_exact", "_extras", "_hash", "_ids", "_rows", "_titles",
        "_walls", "_zone_names", "_zones", "end_period_starts", "ends", "flags", "index",
        "lane_ids", "lane_slots", "start_period_ends", "starts",
    )  # fmt: skip

    def __init__(
        self,
        *,
        ids: PackedStrings,
        titles: PackedStrings,
        bodies: PackedStrings,
        starts: array,
        ends: array,
        start_period_ends: array,
        end_period_starts: array,
        flags: array,
        dates: array,
        rows: array | None,
        lane_slots: array,
        lane_ids: tuple[str, ...],
        zones: array | None = None,
        walls: array | None = None,
        zone_names: tuple[str | None, ...] = (None,),
        exact: dict[int, DateSpan] | None = None,
        extras: dict[int, tuple[Any, ...]] | None = None,
        tick: Tick = no_tick,
    ) -> None:
        """``tick`` hears how far the index has got (see EventStoreBuilder.build)."""
        self._ids = ids
        self._titles = titles
        self._bodies = bodies
        self.starts = starts
        self.ends = ends
        self.start_period_ends = start_period_ends
        self.end_period_starts = end_period_starts
        self.flags = flags
        self._dates = dates  # in file order: read through rows (position → row) when given
        self._rows = rows
        self.lane_slots = lane_slots
        self.lane_ids = lane_ids
        self._zones = zones  # two per event: the start's and the end's index in zone_names
        self._walls = walls  # two per event: their wall-clock seconds (only when zoned)
        self._zone_names = zone_names
        self._exact = exact or {}
        self._extras = extras or {}
        self._cache: dict[int, Event] = {}
        self._hash: int | None = None
        self.index = EventIndex(starts, ends, ids, trusted=True, tick=tick)

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> EventStore:
        """The store of ``events``, sorted by start (ties in the given order).

        Raises ModelError for a repeated id.
        """
        builder = EventStoreBuilder()
        for event in events:
            builder.add_event(event)
        return builder.build()

    # -- columns ------------------------------------------------------------------------
    @property
    def ids(self) -> PackedStrings:
        return self._ids

    @property
    def titles(self) -> PackedStrings:
        return self._titles

    @property
    def bodies(self) -> PackedStrings:
        return self._bodies

    def events_with_extras(self) -> Iterator[Event]:
        """The events that have any of the fields most leave empty (summary, actors, place,
        tags, references, provenance, confidence, display date), in start order: what a check
        of those fields needs to read, without building every event."""
        for i in sorted(self._extras):
            yield self[i]

    def has_coarse_dates(self) -> bool:
        """Whether any event's start or end is known only to the month or the year."""
        day = int(Precision.DAY)
        exact = self._exact.values()
        if any(
            point.precision < day for span in exact for point in (span.start, span.end) if point
        ):
            return True
        spans, shift = SPAN, END_PRECISION_SHIFT
        rows = self._rows
        for i, flags in enumerate(self.flags):
            if i in self._exact:
                continue
            dates = self._dates[i if rows is None else rows[i]]
            if dates & START_PRECISION < day or (
                flags & spans and (dates >> shift) & START_PRECISION < day
            ):
                return True
        return False

    def has_zones(self) -> bool:
        """Whether any event has a time in a zone or at an offset."""
        if self._zones is not None:
            return True
        spans = self._exact.values()
        return any(point.zone for span in spans for point in (span.start, span.end) if point)

    def uses_lane(self, lane_id: str) -> bool:
        """Whether any event is in the lane (cheap: a lane table only lists used lanes)."""
        return lane_id in self.lane_ids

    # -- the sequence -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...

    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        size = len(self.starts)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("EventStore index out of range")
        event = self._cache.get(index)
        if event is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            event = self._cache[index] = self._build(index)
        return event

    def __iter__(self) -> Iterator[Event]:
        for index in range(len(self.starts)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        if len(self) != len(other):
            return False
        if isinstance(other, EventStore) and (
            self.starts != other.starts or self.ends != other.ends or self.flags != other.flags
        ):
            return False  # sorted the same way, equal events have equal columns
        return all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        # Equal to the hash of the tuple of the same events, as equality with it demands.
        if self._hash is None:
            self._hash = hash(tuple(self))
        return self._hash

    def __repr__(self) -> str:
        return f"EventStore({len(self)} events)"

    # -- building one event -------------------------------------------------------------
    def _build(self, i: int) -> Event:
        from desktop.model.timeline import Event

        when = self._exact.get(i) if self._exact else None
        if when is None:
            dates = self._dates[i if self._rows is None else self._rows[i]]
            flags = self.flags[i]
            start_zone = end_zone = None
            start_wall, end_wall = self.starts[i], self.end_period_starts[i]
            if self._zones is not None and self._walls is not None:
                start_zone = self._zone_names[self._zones[2 * i]]
                end_zone = self._zone_names[self._zones[2 * i + 1]]
                start_wall, end_wall = self._walls[2 * i], self._walls[2 * i + 1]
            start = _point(
                start_wall,
                dates & START_PRECISION,
                bool(dates & START_APPROXIMATE),
                bool(flags & START_UNCERTAIN),
                start_zone,
            )
            end = None
            if flags & SPAN:
                end = _point(
                    end_wall,
                    (dates >> END_PRECISION_SHIFT) & START_PRECISION,
                    bool(dates & END_APPROXIMATE),
                    bool(flags & END_UNCERTAIN),
                    end_zone,
                )
            when = DateSpan(start, end)
        lane = self.lane_ids[self.lane_slots[i]]
        extras = self._extras.get(i) if self._extras else None
        if extras is None:
            return Event(
                id=self._ids[i], title=self._titles[i], when=when, body=self._bodies[i], lane=lane
            )
        summary, actors, place, tags, references, provenance, confidence, display = extras
        return Event(
            id=self._ids[i], title=self._titles[i], when=when, summary=summary,
            body=self._bodies[i], actors=actors, place=place, lane=lane, tags=tags,
            references=references, provenance=provenance, confidence=confidence,
            display_date=display,
        )  # fmt: skip


class EventStoreBuilder:
    """Columns of events appended in file order; :meth:`build` sorts them into a store.

    Fast readers append to the public columns directly (one row per event, every column the
    same length, rare fields in ``extras`` by row); :meth:`add_event` appends a whole
    :class:`Event`. Lanes are slots into ``lane_ids``; :data:`DEFAULT_SLOT` stands for the
    default lane "" until :meth:`build` places it after the declared lanes, as
    ``Timeline.lane_order`` does.

    (One tuple per event instead of seven appends was tried: the appends get cheaper, but
    sorting and splitting a million scattered tuples costs more than it saves.)
    """

    DEFAULT_SLOT = 0xFFFF

    def __init__(self) -> None:
        self.ids = PackedStringsBuilder()
        self.titles = PackedStringsBuilder()
        self.bodies = PackedStringsBuilder()
        self.starts = array("d")
        self.ends = array("d")
        self.start_period_ends = array("d")
        self.end_period_starts = array("d")
        # Small numbers go to lists while building (an append is half the cost of an array's)
        # and to arrays once sorted.
        self.flags: list[int] = []
        self.dates: list[int] = []
        self.lane_slots: list[int] = []
        self.lane_ids: list[str] = []  # slot → lane id, "" excluded
        self.extras: dict[int, tuple[Any, ...]] = {}  # row → rare fields
        self.exact: dict[int, DateSpan] = {}  # row → dates the floats cannot rebuild
        self.zones: array | None = None
        self.walls: array | None = None
        self.zone_names: list[str | None] = [None]
        self._slot_of: dict[str, int] = {"": self.DEFAULT_SLOT}
        self._zone_of: dict[str | None, int] = {None: 0}
        self._seen_ids: set[str] = set()

    def __len__(self) -> int:
        return len(self.starts)

    def lane_slot(self, lane_id: str) -> int:
        slot = self._slot_of.get(lane_id)
        if slot is None:
            slot = len(self.lane_ids)
            if slot >= self.DEFAULT_SLOT:
                from desktop.model.timeline import ModelError

                # Slots 0 … DEFAULT_SLOT - 1 name lanes; DEFAULT_SLOT is the lane "".
                raise ModelError(f"more than {self.DEFAULT_SLOT} lanes")
            self.lane_ids.append(lane_id)
            self._slot_of[lane_id] = slot
        return slot

    def add_event(self, event: Event, *, check_id: bool = True, texts: bool = True) -> None:
        """Append one event (any dates, zones, qualifiers and fields).

        ModelError for an id given before, unless ``check_id`` is off: a reader that hands out
        the ids itself makes them unique. Without ``texts`` the id, title and body are left
        for the caller to append (a reader that packs them a chunk at a time).
        """
        from desktop.model.timeline import Confidence, ModelError, Provenance

        if check_id:
            if event.id in self._seen_ids:
                raise ModelError(f"event id {event.id!r} is used twice")
            self._seen_ids.add(event.id)

        row = len(self.starts)
        start, end = event.when.start, event.when.end
        start_period_end = start.end_seconds()
        flags = 0
        dates = int(start.precision)
        if start.approximate:
            dates |= START_APPROXIMATE
        if start.approximate or start.uncertain:
            flags |= START_VAGUE
        if start.uncertain:
            flags |= START_UNCERTAIN
        if end is not None:
            flags |= SPAN
            dates |= int(end.precision) << END_PRECISION_SHIFT
            if end.approximate:
                dates |= END_APPROXIMATE
            if end.approximate or end.uncertain:
                flags |= END_VAGUE
            if end.uncertain:
                flags |= END_UNCERTAIN
            end_period_start = end.start_seconds()
        else:
            end_period_start = start_period_end
        self.starts.append(start.start_seconds())
        self.ends.append(event.when.end_seconds())
        self.start_period_ends.append(start_period_end)
        self.end_period_starts.append(end_period_start)
        self.flags.append(flags)
        self.dates.append(dates)
        self.lane_slots.append(self.lane_slot(event.lane))

        start_wall = _exact_wall(start)
        end_wall = _exact_wall(end) if end is not None else end_period_start
        if start_wall is None or end_wall is None:
            self.exact[row] = event.when
            if self.zones is not None and self.walls is not None:  # a row, never read
                self.zones.extend((0, 0))
                self.walls.extend((0.0, 0.0))
        elif start.zone is not None or (end is not None and end.zone is not None):
            self._add_zones(row, start, end, start_wall, end_wall)
        elif self.zones is not None and self.walls is not None:
            self.zones.extend((0, 0))
            self.walls.extend((start_wall, end_wall))

        if texts:
            self.ids.append(event.id)
            self.titles.append(event.title)
            self.bodies.append(event.body)
        if (
            event.summary
            or event.actors
            or event.place
            or event.tags
            or event.references
            or event.provenance != Provenance.UNKNOWN
            or event.confidence != Confidence.UNKNOWN
            or event.display_date
        ):
            self.extras[row] = (
                event.summary, event.actors, event.place, event.tags, event.references,
                event.provenance, event.confidence, event.display_date,
            )  # fmt: skip

    def add_plain(
        self,
        event_id: str,
        title: str,
        body: str,
        lane_slot: int,
        span: tuple[float, float, float, float, int, int],
        extras: tuple[Any, ...] | None = None,
    ) -> None:
        """Append an event whose date was read by :func:`desktop.model.dates.plain_span`
        (floating, exact and unqualified: only numbers to store), without building it.

        The id is not checked (the reader checks it); ``extras`` are the rare fields, in the
        order :meth:`add_event` keeps them, or None when they are all empty.
        """
        start, start_period_end, end_period_start, end, start_precision, end_precision = span
        row = len(self.starts)
        self.starts.append(start)
        self.ends.append(end)
        self.start_period_ends.append(start_period_end)
        self.end_period_starts.append(end_period_start)
        if end_precision < 0:
            self.flags.append(0)
            self.dates.append(start_precision)
        else:
            self.flags.append(SPAN)
            self.dates.append(start_precision | end_precision << END_PRECISION_SHIFT)
        self.lane_slots.append(lane_slot)
        if self.zones is not None and self.walls is not None:  # floating: wall = axis time
            self.zones.extend((0, 0))
            self.walls.extend((start, end_period_start))
        self.ids.append(event_id)
        self.titles.append(title)
        self.bodies.append(body)
        if extras is not None:
            self.extras[row] = extras

    def _add_zones(
        self, row: int, start: TimePoint, end: TimePoint | None, start_wall: float, end_wall: float
    ) -> None:
        if self.zones is None or self.walls is None:
            # The first zoned event: the rows before it are floating, wall clock = axis time.
            self.zones = array("H", bytes(4 * row))
            self.walls = array("d")
            for index in range(row):
                self.walls.extend((self.starts[index], self.end_period_starts[index]))
        self.zones.extend((self._zone(start.zone), self._zone(end.zone if end else None)))
        self.walls.extend((start_wall, end_wall))

    def _zone(self, name: str | None) -> int:
        index = self._zone_of.get(name)
        if index is None:
            index = self._zone_of[name] = len(self.zone_names)
            self.zone_names.append(name)
        return index

    def build(self, tick: Tick = no_tick) -> EventStore:
        """The store, sorted by start; equal starts keep the order they were appended in.

        The work goes in short steps (see desktop.model.stepwise), ``tick`` hearing the share
        done between them; it may raise to stop the work.
        """
        size = len(self.starts)
        starts = self.starts
        order: array | None = None
        if not is_sorted(starts):
            # A stable sort of the rows by start; one permutation then moves every column
            # but the texts, which stay in file order and are read through it.
            order = stable_order(starts, within(tick, 0.0, 0.4))
        # The seven columns made below share the next half of the work.
        made = 0

        def column(typecode: str, values: Sequence[float], *, move: bool = True) -> array:
            nonlocal made
            column_tick = within(tick, 0.4 + made / 14, 0.4 + (made + 1) / 14)
            made += 1
            if order is not None and move:
                return picked(typecode, values, order, column_tick)
            return values if isinstance(values, array) else converted(typecode, values, column_tick)

        # "" goes after the declared lanes, like Timeline.lane_order().
        lane_ids = tuple(self.lane_ids)
        slots = column("H", self.lane_slots)
        if any(self.DEFAULT_SLOT in slots[first : first + STEP] for first in range(0, size, STEP)):
            lane_ids += ("",)
            renumber = list(range(self.DEFAULT_SLOT + 1))
            renumber[self.DEFAULT_SLOT] = len(self.lane_ids)
            slots = picked("H", renumber, slots, no_tick)

        zones = walls = None
        if self.zones is not None and self.walls is not None:
            zones, walls = self.zones, self.walls
            if order is not None:
                pairs = [2 * row for row in order]
                zones = array("H", [zones[i + k] for i in pairs for k in (0, 1)])
                walls = array("d", [walls[i + k] for i in pairs for k in (0, 1)])
        exact, extras = self.exact, self.extras
        if order is not None and (exact or extras):
            position = [0] * size
            for new, old in enumerate(order):
                position[old] = new
            exact = {position[row]: value for row, value in exact.items()}
            extras = {position[row]: value for row, value in extras.items()}

        return EventStore(
            ids=self.ids.build(order),
            titles=self.titles.build(order),
            bodies=self.bodies.build(order),
            starts=column("d", starts),
            ends=column("d", self.ends),
            start_period_ends=column("d", self.start_period_ends),
            end_period_starts=column("d", self.end_period_starts),
            flags=column("B", self.flags),
            # read through the order: one column less to move
            dates=column("B", self.dates, move=False),
            rows=order,
            lane_slots=slots,
            lane_ids=lane_ids,
            zones=zones,
            walls=walls,
            zone_names=tuple(self.zone_names),
            exact=exact,
            extras=extras,
            tick=within(tick, 0.9, 1.0),
        )
