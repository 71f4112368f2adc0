"""Work over a million values in steps short enough to let other threads run.

A thread inside one call into C (``sorted`` of a million numbers, an array built from a million
values) keeps Python's interpreter lock until the call returns, a good part of a second, and
the GUI thread cannot repaint or answer Cancel meanwhile. These functions do the same work as
such a call in steps over at most :data:`STEP` values, each a few milliseconds in C, and call
``tick`` between steps with the share of their work done; ``tick`` may raise to stop the work
(a load that was cancelled).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import islice
from operator import gt, itemgetter
from typing import TypeVar

STEP = 1 << 15

Tick = Callable[[float], None]
_Item = TypeVar("_Item", int, float)


def no_tick(_done: float) -> None:
    """The tick of work nobody watches."""


def is_sorted(values: Sequence[float]) -> bool:
    """Whether ``values`` never decrease."""
    for start in range(0, len(values), STEP):
        step = values[start : start + STEP + 1]  # one more: the next step's first value
        if any(map(gt, step, islice(step, 1, None))):
            return False
    return True


def within(tick: Tick, first: float, last: float) -> Tick:
    """A tick for a part of some work, from share ``first`` to ``last`` of ``tick``'s."""
    return lambda done: tick(first + (last - first) * done)


def picked(typecode: str, values: Sequence[float], positions: Sequence[int], tick: Tick) -> array:
    """``array(typecode, [values[i] for i in positions])``."""
    picked_values = array(typecode)
    for start in range(0, len(positions), STEP):
        picked_values.extend(_pick(values, positions[start : start + STEP]))
        tick(start / len(positions))
    return picked_values


def _pick(values: Sequence[_Item], positions: Sequence[int]) -> Sequence[_Item]:
    """``[values[i] for i in positions]``, by itemgetter: quicker than a map of __getitem__."""
    if len(positions) == 1:  # itemgetter of one position gives the value, not a tuple
        return [values[positions[0]]]
    return itemgetter(*positions)(values)  # type: ignore[no-any-return]


def converted(typecode: str, values: Sequence[int], tick: Tick) -> array:
    """``array(typecode, values)``."""
    converted_values = array(typecode)
    for start in range(0, len(values), STEP):
        converted_values.extend(values[start : start + STEP])
        tick(start / len(values))
    return converted_values


def stable_order(keys: Sequence[float], tick: Tick) -> array:
    """``array("I", sorted(range(len(keys)), key=keys.__getitem__))``: the positions of
    ``keys`` in the order that sorts them, equal keys in the order they come.

    Each step of STEP positions is sorted on its own and cut at the same few bounds (taken
    from a sample, so the parts come out of about equal size). The parts between two bounds,
    gathered from every step in order, are then sorted together; they are a few sorted runs,
    which Python's sort merges. Equal keys land between the same bounds, in the order they
    come, and the sort keeps that order. (An array, not a list: reading a million positions
    from a list visits a million int objects scattered in memory, which is slower.)
    """
    size = len(keys)
    bounds = _bounds(keys)
    parts: list[list[int]] = [[] for _ in range(len(bounds) + 1)]
    for start in range(0, size, STEP):
        positions = sorted(range(start, min(size, start + STEP)), key=keys.__getitem__)
        step_keys = array("d", _pick(keys, positions))
        _cut(positions, step_keys, bounds, parts)
        tick(0.5 * start / size)
    order = array("I")
    for number, part in enumerate(parts):
        order.extend(sorted(part, key=keys.__getitem__))
        part.clear()  # its int objects go now, not all at once when the parts do
        tick(0.5 + 0.5 * number / len(parts))
    return order


def sorted_values(values: Sequence[float], tick: Tick) -> array:
    """``array("d", sorted(values))``, in steps as :func:`stable_order` makes them."""
    size = len(values)
    bounds = _bounds(values)
    parts: list[list[float]] = [[] for _ in range(len(bounds) + 1)]
    for start in range(0, size, STEP):
        step_values = sorted(values[start : start + STEP])
        _cut(step_values, step_values, bounds, parts)
        tick(0.5 * start / size)
    ordered = array("d")
    for number, part in enumerate(parts):
        ordered.extend(sorted(part))
        part.clear()  # its float objects go now, not all at once when the parts do
        tick(0.5 + 0.5 * number / len(parts))
    return ordered


def _bounds(keys: Sequence[float]) -> list[float]:
    """Keys that cut ``keys`` into parts of about STEP / 2 each (fewer between equal bounds)."""
    count = 2 * len(keys) // STEP
    if count < 2:
        return []
    sample = sorted(keys[:: max(1, len(keys) // (64 * count))])
    return [sample[len(sample) * part // count] for part in range(1, count)]


def _cut(
    items: list[_Item], sorted_keys: Sequence[float], bounds: list[float], parts: list[list[_Item]]
) -> None:
    """Add each of the sorted ``items`` to the part its key falls in: part k takes keys up to
    bounds[k] (and above bounds[k - 1]), the last part those above every bound."""
    first = 0
    for part, bound in zip(parts, bounds, strict=False):
        end = bisect_right(sorted_keys, bound, first)
        part += items[first:end]
        first = end
    parts[-1] += items[first:]


class ShardedSet:
    """A set of strings kept in many small sets.

    One set of a million strings grows by rehashing all of them in one call into C, and is
    freed in another, each tens of milliseconds; small sets grow a little at a time, and
    :meth:`release` frees them one at a time.
    """

    __slots__ = ("_sets",)
    _MASK = 63

    def __init__(self) -> None:
        self._sets: list[set[str]] = [set() for _ in range(self._MASK + 1)]

    def __contains__(self, text: object) -> bool:
        return text in self._sets[hash(text) & self._MASK]

    def add(self, text: str) -> None:
        self._sets[hash(text) & self._MASK].add(text)

    def __len__(self) -> int:
        return sum(map(len, self._sets))

    def release(self) -> None:
        """Empty it, one small set at a time."""
        sets = self._sets
        self._sets = [set() for _ in range(self._MASK + 1)]
        while sets:
            sets.pop()
