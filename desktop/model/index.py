"""Range queries over events sorted by start: which events overlap [t0, t1)?

Starts are sorted, so ``bisect`` finds every event that starts before t1. Of those, only the ones
whose end is after t0 overlap. Most events are short, so the index keeps the short ones apart
from the few long spans: a short event that overlaps must start after ``t0 - longest_short``,
which bounds the scan by the events near the window; the long spans are few and checked one by
one. The cost of a query therefore follows what is visible, not the size of the timeline.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import compress
from operator import sub

from desktop.model.stepwise import STEP, Tick, is_sorted, no_tick, sorted_values

# Events longer than this share of all durations go to the long-span list.
_LONG_SHARE = 0.01
# Past this many events the share is taken from an even sample of the durations: sorting a
# million of them costs more than the rest of the index, and any cut gives correct answers
# (it only decides which events are checked one by one).
_SAMPLE = 20_000


class EventIndex:
    __slots__ = (
        "_ids",
        "_long",
        "_longest_short",
        "_positions",
        "_sorted_ends",
        "ends",
        "max_end",
        "starts"
    )  # fmt: skip

    def __init__(
        self,
        starts: Sequence[float],
        ends: Sequence[float],
        ids: Sequence[str] = (),
        *,
        trusted: bool = False,
        tick: Tick = no_tick,
    ) -> None:
        """``trusted``: the caller guarantees sorted ``array('d')`` columns, which are shared.

        A big index is made in short steps, ``tick`` hearing the share done between them (see
        desktop.model.stepwise).
        """
        if len(starts) != len(ends):
            raise ValueError("starts and ends differ in length")
        if not trusted:
            if not is_sorted(starts):
                raise ValueError("starts must be sorted")
            starts, ends = array("d", starts), array("d", ends)
        assert isinstance(starts, array) and isinstance(ends, array)
        self.starts = starts
        self.ends = ends
        size = len(ends)
        steps = range(0, size, STEP)
        self.max_end = max((max(ends[first : first + STEP]) for first in steps), default=-math.inf)
        self._ids = ids if isinstance(ids, Sequence) else tuple(ids)
        self._positions: dict[str, int] | None = None  # made on the first position() call
        stride = size // _SAMPLE if size > 2 * _SAMPLE else 1
        sample = sorted(map(sub, ends[::stride], starts[::stride]))
        cut = sample[min(len(sample) - 1, int(len(sample) * (1 - _LONG_SHARE)))] if sample else 0.0
        self._longest_short = cut
        self._long = array("l")
        for first in steps:
            durations = map(sub, ends[first : first + STEP], starts[first : first + STEP])
            self._long.extend(compress(range(first, first + STEP), map(cut.__lt__, durations)))
            tick(first / size)
        self._sorted_ends: array | None = None  # made by prepare() or count_overlapping()

    def __len__(self) -> int:
        return len(self.starts)

    def position(self, event_id: str) -> int:
        """The event's place in start order (when built with ids); KeyError for an unknown id."""
        if self._positions is None:
            ids = self._ids.tolist() if hasattr(self._ids, "tolist") else self._ids
            self._positions = dict(zip(ids, range(len(ids)), strict=True))
        return self._positions[event_id]

    def overlapping(self, t0: float, t1: float) -> list[int]:
        """Positions, in start order, of the events with start < t1 and end > t0.

        A point in time (t0 == t1) finds the events that contain it (start <= t < end).
        """
        starts, ends = self.starts, self.ends
        stop = bisect_right(starts, t1) if t0 == t1 else bisect_left(starts, t1)
        first = bisect_left(starts, t0 - self._longest_short, 0, stop)
        found = [i for i in range(first, stop) if ends[i] > t0]
        long_before = self._long[: bisect_left(self._long, first)]
        long_hits = [i for i in long_before if ends[i] > t0]
        return sorted(long_hits + found) if long_hits else found

    def count_overlapping(self, t0: float, t1: float) -> int:
        """How many events :meth:`overlapping` finds, in O(log n): those starting before t1 (at
        or before it for a point query) less those that ended by t0 (an event that ended by t0
        also started before t1)."""
        if t1 < t0:  # a reversed window: the subtraction above does not hold; rare, so scan
            return len(self.overlapping(t0, t1))
        started = bisect_right(self.starts, t1) if t0 == t1 else bisect_left(self.starts, t1)
        if self._sorted_ends is None:
            self.prepare()
        assert self._sorted_ends is not None
        return started - bisect_right(self._sorted_ends, t0)

    def prepare(self, tick: Tick = no_tick) -> None:
        """Make the look-ups :meth:`count_overlapping` needs, which it makes on first use;
        ``tick`` hears the share done and may raise to stop (see desktop.model.stepwise)."""
        if self._sorted_ends is None:
            self._sorted_ends = sorted_values(self.ends, tick)

    def at_one_moment(self, positions: Sequence[int]) -> bool:
        """Whether the events at ``positions`` all start at one instant and end at one (true
        of none): no zoom draws them apart."""
        if not positions:
            return True
        starts, ends = self.starts, self.ends
        start, end = starts[positions[0]], ends[positions[0]]
        return all(starts[p] == start and ends[p] == end for p in positions)

    def first_after(self, t: float) -> int | None:
        """The first event starting strictly after ``t``."""
        position = bisect_right(self.starts, t)
        return position if position < len(self.starts) else None

    def last_before(self, t: float) -> int | None:
        """The last event starting strictly before ``t``."""
        position = bisect_left(self.starts, t) - 1
        return position if position >= 0 else None
