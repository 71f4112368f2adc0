"""Range queries over events sorted by start: which events overlap [t0, t1)?

Starts are sorted, so ``bisect`` finds every event that starts before t1. Of those, only the ones
whose end is after t0 overlap. Most events are short, so the index keeps the short ones apart
from the few long spans: a short event that overlaps must start after ``t0 - longest_short``,
which bounds the scan by the events near the window; the long spans are few and checked one by
one. The cost of a query therefore follows what is visible, not the size of the timeline.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import pairwise

# Events longer than this share of all durations go to the long-span list.
_LONG_SHARE = 0.01


class EventIndex:
    __slots__ = (
        "_long",
        "_longest_short",
        "_positions",
        "_sorted_ends",
        "ends",
        "max_end",
        "starts"
    )  # fmt: skip

    def __init__(
        self, starts: Sequence[float], ends: Sequence[float], ids: Sequence[str] = ()
    ) -> None:
        if any(b < a for a, b in pairwise(starts)):
            raise ValueError("starts must be sorted")
        self.starts = array("d", starts)
        self.ends = array("d", ends)
        self.max_end = max(self.ends) if self.ends else float("-inf")
        self._positions = {event_id: position for position, event_id in enumerate(ids)}
        durations = sorted(end - start for start, end in zip(self.starts, self.ends, strict=True))
        if durations:
            cut = durations[min(len(durations) - 1, int(len(durations) * (1 - _LONG_SHARE)))]
        else:
            cut = 0.0
        self._longest_short = cut
        self._sorted_ends = array("d", sorted(self.ends))
        self._long = array(
            "l",
            (i for i, (s, e) in enumerate(zip(self.starts, self.ends, strict=True)) if e - s > cut),
        )

    def __len__(self) -> int:
        return len(self.starts)

    def position(self, event_id: str) -> int:
        """The event's place in start order (when built with ids); KeyError for an unknown id."""
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
        return started - bisect_right(self._sorted_ends, t0)

    def starting_between(self, t0: float, t1: float) -> range:
        """Positions of the events whose start lies in [t0, t1)."""
        return range(bisect_left(self.starts, t0), bisect_left(self.starts, t1))

    def first_after(self, t: float) -> int | None:
        """The first event starting strictly after ``t``."""
        position = bisect_right(self.starts, t)
        return position if position < len(self.starts) else None

    def last_before(self, t: float) -> int | None:
        """The last event starting strictly before ``t``."""
        position = bisect_left(self.starts, t) - 1
        return position if position >= 0 else None
