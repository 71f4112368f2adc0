"""Packing one lane's events into rows so that no label collides, with the overflow as badges.

Everything is in *layout space*: pixels with ``x = (t - origin) / seconds_per_pixel``. A packing
depends only on the items and the zoom, never on the viewport's edges, so the caller can keep it
while the user pans and only shift it when drawing.

Geometry of one item (see :func:`item_boxes`):

* a point event is a diamond centred on the middle of its date period, ``c = (x0 + x1) / 2``;
  its shape is ``[c - MARKER_RADIUS, c + MARKER_RADIUS]`` and its label box starts at
  ``c + MARKER_RADIUS + LABEL_PAD``;
* a span event is a bar ``[x0, max(x1, x0 + MIN_BAR)]``; its label starts inside the bar at
  ``x0 + LABEL_PAD`` when the bar carries all of it (and is MIN_LABELLED_BAR wide), else after
  the bar at ``x1 + LABEL_PAD``;
* the label box is ``label_width`` wide; an item with ``label_width <= 0`` has an empty label box
  (``label_x1 == label_x0``) that takes no room;
* its *footprint* is ``[shape start, max(shape end, label end)]``: what must not touch anything
  else in its row.

The packing rule (:func:`pack_lane`):

1. Items are taken in footprint-start order, ties in input order (input order is start order,
   so ties keep the source order). Each goes into the lowest row whose last footprint ends at
   least ``gap`` before its own footprint starts: the first-fit greedy of interval partitioning,
   O(n log n + n * max_rows).
2. If every item finds a row, that is the packing: no clusters, any row may hold items.
3. Otherwise the last row (``max_rows - 1``) is reserved for badges. Because first fit decides
   row r from rows 0..r alone, packing into ``max_rows - 1`` rows is exactly the pass above with
   the items of the last row hidden as well, so one pass is enough. The hidden items, in
   footprint-start order, are swept along the badge row: the first opens a cluster whose badge
   starts at its footprint start; each next one joins the open cluster while its footprint starts
   less than ``gap`` after the badge's end (the badge is ``badge_width(count)`` wide and grows as
   members join); otherwise the cluster closes and the item opens the next one. So badges never
   overlap, they keep ``gap`` between them, and each sits where its first member is.
4. With ``max_rows == 1`` there is no row to spare, so items and badges share the row in one
   sweep: an item is placed when its footprint starts ``gap`` after the row's last box (item or
   badge). One that does not fit opens a cluster whose badge goes right after the row's last box
   (``gap`` after it), and later items join that cluster until one starts ``gap`` past the
   badge's end; that one closes the cluster and is placed. Hidden items are therefore merged into
   the cluster before them rather than squeezed in where space allows. When the row's last box
   is an item whose label would push the badge more than ``BADGE_REACH`` past where it could
   start (its first member's footprint start, or ``gap`` past that item's shape), the label is
   cut (``label_cut``) to end ``gap`` before a badge put ``BADGE_REACH`` past that place. When
   it is a span whose bar would push the badge more than ``BADGE_REACH`` past its first
   member's start, the span joins the cluster instead, which opens where the span started: a
   long bar in a lane of one row would otherwise hide the events under it and send their
   badge to where it ends, often off the screen.

5. A badge of the badge row (rule 3) that stands for one point event, where that event's marker
   and whole label fit before the next badge, gives way to the event itself: a "+1" where
   there is room for what it hides tells the reader less than the event would.

Every input item ends up exactly once: as a :class:`PlacedItem` or as a member of one
:class:`Cluster`.

For very dense lanes, where building an item per event would already be too slow, see
:func:`density_bins`, whose cost follows the number of pixels rather than events.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import partial
from itertools import compress, repeat
from operator import add, attrgetter, sub
from typing import NamedTuple

MARKER_RADIUS = 5.0  # half the width of a point event's diamond, px
MIN_BAR = 3.0  # a span is drawn at least this wide so that it stays visible and clickable, px
MIN_LABELLED_BAR = 40.0  # a bar carries its label inside if this wide, and the label fits, px
LABEL_PAD = 4.0  # room between a marker and its label, and from a bar's start to its label, px
# In a lane of one row, how far past where it could start a badge may be pushed by the label
# before it; a longer label is cut to make room, so badges stay by their events (a long title
# once pushed the "+2" of a narrow window's lane off the screen), px.
BADGE_REACH = 60.0
# Density counting copies the starts of its window when they are at most this many a bin
# (see density_bins): past it, the copy costs more than the bisects it makes cheaper.
WINDOW_COPY_PER_BIN = 8


class LaneItem(NamedTuple):
    """One event to pack: its date period in layout pixels and the width of its label."""

    position: int  # the event's position in the timeline (its identity)
    x0: float  # start of the event's date period
    x1: float  # end of the period (x1 >= x0)
    is_span: bool  # drawn as a bar (True) or as a marker (False)
    label_width: float  # measured text width of its label


class PlacedItem(NamedTuple):
    """An item drawn in ``row``: its shape (marker or bar) and its label box."""

    position: int
    row: int
    x0: float  # the shape: centre ± MARKER_RADIUS, or the bar [x0, max(x1, x0 + MIN_BAR)]
    x1: float
    label_x0: float  # the label box; label_x1 == label_x0 when the item has no label
    label_x1: float
    label_cut: bool = False  # the box is shorter than the label, cut for a badge (rule 4)
    # The label is kept at the view's left edge, its marker being off it (see Scene).
    label_pinned: bool = False

    @property
    def footprint_x1(self) -> float:
        """Where the item's footprint ends: the end of its shape or of its label."""
        return max(self.x1, self.label_x1) if self.label_x1 > self.label_x0 else self.x1


class Cluster(NamedTuple):
    """A badge ("+12") standing for hidden items; clicking it should zoom to span_x0..span_x1."""

    row: int
    x0: float  # the badge box
    x1: float
    count: int
    positions: tuple[int, ...]  # all the members' positions, ascending
    span_x0: float  # the pixel range of the members' dates: min of their x0 ...
    span_x1: float  # ... and max of their x1


class LanePacking(NamedTuple):
    rows_used: int  # rows holding anything (items or badges); 0 for an empty lane
    items: tuple[PlacedItem, ...]  # in footprint-start order
    clusters: tuple[Cluster, ...]  # left to right


class LaneColumns(NamedTuple):
    """One lane's items as columns (index ``i`` is one item), for lanes too busy for an object
    per event. ``label_width(i)`` is asked only for the items that get a row: in a busy lane
    most items end up in a badge, and measuring text is the dearest step of a packing. A shape's
    start does not depend on its label, so rows are chosen without it."""

    positions: Sequence[int]
    x0: Sequence[float]
    x1: Sequence[float]
    is_span: Sequence[bool]
    label_width: Callable[[int], float]


def item_boxes(item: LaneItem) -> tuple[float, float, float, float]:
    """The shape and label box ``(x0, x1, label_x0, label_x1)`` of an item, as it would be drawn."""
    return _boxes(item.x0, item.x1, item.is_span, item.label_width)


def _boxes(
    x0: float, x1: float, is_span: bool, label_width: float
) -> tuple[float, float, float, float]:
    if is_span:
        x1 = max(x1, x0 + MIN_BAR)
        # Inside the bar when the bar carries its whole title; after it otherwise, so that no
        # title runs across the bar's end (a user test read "Ukraine's talks wit|h Baltic").
        inside = x1 - x0 >= max(MIN_LABELLED_BAR, label_width + 2 * LABEL_PAD)
        label_x0 = x0 + LABEL_PAD if inside else x1 + LABEL_PAD
    else:
        centre = (x0 + x1) / 2
        x0 = centre - MARKER_RADIUS
        x1 = centre + MARKER_RADIUS
        label_x0 = x1 + LABEL_PAD
    return x0, x1, label_x0, label_x0 + max(label_width, 0.0)


def _shape_start(x0: float, x1: float, is_span: bool) -> float:
    return x0 if is_span else (x0 + x1) / 2 - MARKER_RADIUS


def pack_lane(
    items: Sequence[LaneItem],
    max_rows: int,
    *,
    gap: float = 6.0,
    badge_width: Callable[[int], float],
) -> LanePacking:
    """Pack one lane's items into at most ``max_rows`` rows; see the module docstring for the rule.

    ``badge_width(count)`` is the width in px of the badge for a cluster of ``count`` items. It is
    called once per distinct count.
    """
    columns = LaneColumns(
        [item.position for item in items],
        [item.x0 for item in items],
        [item.x1 for item in items],
        [item.is_span for item in items],
        lambda i: items[i].label_width,
    )
    return pack_columns(columns, max_rows, gap=gap, badge_width=badge_width)


def pack_columns(
    lane: LaneColumns,
    max_rows: int,
    *,
    gap: float = 6.0,
    badge_width: Callable[[int], float],
) -> LanePacking:
    """:func:`pack_lane` for items given as columns: the same rule and the same result."""
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, not {max_rows}")
    if not gap >= 0:
        raise ValueError(f"gap must be >= 0, not {gap}")
    positions, xs0, xs1, spans = lane.positions, lane.x0, lane.x1, lane.is_span
    for column in (xs0, xs1):
        if not all(map(math.isfinite, column)):  # one C pass per column
            bad = next(i for i, x in enumerate(column) if not math.isfinite(x))
            raise ValueError(f"item {positions[bad]}: coordinates must be finite")
    starts = list(map(_shape_start, xs0, xs1, spans))  # footprint starts
    # Python's sort is stable, so equal footprint starts keep the input (source) order.
    order = sorted(range(len(starts)), key=starts.__getitem__)
    widths = _BadgeWidths(badge_width)
    label_width = lane.label_width

    def place(i: int, row: int) -> PlacedItem:
        boxes = _boxes(xs0[i], xs1[i], spans[i], label_width(i))
        return PlacedItem(positions[i], row, *boxes)

    if max_rows == 1:
        shown, clusters = _sweep_row(order, lane, starts, place, 0, gap, widths, allow_items=True)
        return LanePacking(1 if positions else 0, tuple(shown), tuple(clusters))

    placed: dict[int, PlacedItem] = {}  # by item index; items without a row are left out
    ends = [-math.inf] * max_rows
    lowest_end = -math.inf  # min(ends): most items of a busy lane fit no row, found at once
    overflow = False
    for i in order:
        start = starts[i]
        if start - lowest_end < gap:
            overflow = True
            continue
        for row in range(max_rows):
            # Each footprint placed in a row starts after the previous one ends, so the last one
            # placed also ends last: comparing with it checks the whole row.
            if start - ends[row] >= gap:
                item = placed[i] = place(i, row)
                ends[row] = item.footprint_x1
                lowest_end = min(ends)
                break

    if not overflow:
        shown = [placed[i] for i in order]
        rows_used = max((item.row for item in shown), default=-1) + 1
        return LanePacking(rows_used, tuple(shown), ())

    badge_row = max_rows - 1
    shown = [placed[i] for i in order if i in placed and placed[i].row < badge_row]
    hidden = [i for i in order if i not in placed or placed[i].row == badge_row]
    _, clusters = _sweep_row(hidden, lane, starts, place, badge_row, gap, widths, allow_items=False)
    alone = _alone_with_room(clusters, {positions[i]: i for i in hidden}, lane.is_span, place, gap)
    if alone:
        shown = list(heapq.merge(shown, alone.values(), key=attrgetter("x0")))
        clusters = [cluster for index, cluster in enumerate(clusters) if index not in alone]
    return LanePacking(max_rows, tuple(shown), tuple(clusters))


def _alone_with_room(
    clusters: list[Cluster],
    item_of: dict[int, int],
    is_span: Sequence[bool],
    place: Callable[[int, int], PlacedItem],
    gap: float,
) -> dict[int, PlacedItem]:
    """The badge row's "+1" badges whose one event fits there whole, label and all, before the
    next badge: by the badge's index, that event placed (rule 5). ``item_of`` gives the item
    index of each clustered position."""
    found = {}
    for index, cluster in enumerate(clusters):
        if cluster.count != 1:
            continue
        index_of_item = item_of[cluster.positions[0]]
        if is_span[index_of_item]:
            continue  # a bar may reach far; the badge stands in for it, as before
        item = place(index_of_item, cluster.row)
        if item.x0 != cluster.x0:
            continue  # the badge was pushed right of its event: the row is full there
        after = clusters[index + 1].x0 if index + 1 < len(clusters) else math.inf
        if item.footprint_x1 + gap <= after:
            found[index] = item
    return found


class _BadgeWidths:
    """Memoises the caller's badge measure: it may ask the font engine, and counts repeat a lot."""

    __slots__ = ("_cache", "_measure")

    def __init__(self, measure: Callable[[int], float]) -> None:
        self._measure = measure
        self._cache: dict[int, float] = {}

    def __call__(self, count: int) -> float:
        width = self._cache.get(count)
        if width is None:
            width = self._cache[count] = max(float(self._measure(count)), 0.0)
        return width


def _sweep_row(
    order: Sequence[int],
    lane: LaneColumns,
    starts: Sequence[float],
    place: Callable[[int, int], PlacedItem],
    row: int,
    gap: float,
    widths: _BadgeWidths,
    *,
    allow_items: bool,
) -> tuple[list[PlacedItem], list[Cluster]]:
    """Sweep ``order`` (footprint-start order) along one row, placing items or clustering them.

    With ``allow_items`` an item is placed when it fits after the row's last box; without it (the
    reserved badge row) every item is clustered. See rules 3 and 4 of the module docstring.
    """
    shown: list[PlacedItem] = []
    shown_index: list[int] = []  # the item index of each of ``shown``
    clusters: list[Cluster] = []
    row_end = -math.inf  # end of the last box (item or badge) closed in this row
    end_before = -math.inf  # ... and of the one before it, when the last one is an item
    members: list[int] = []  # the open cluster, if any
    badge_x0 = badge_x1 = 0.0

    def close() -> None:
        # map() with the columns' own __getitem__ loops in C: badges can hold thousands.
        positions = tuple(sorted(map(lane.positions.__getitem__, members)))
        span_x0 = min(map(lane.x0.__getitem__, members))
        span_x1 = max(map(lane.x1.__getitem__, members))
        clusters.append(Cluster(row, badge_x0, badge_x1, len(members), positions, span_x0, span_x1))

    for i in order:
        start = starts[i]
        if members and start - badge_x1 >= gap:
            close()
            row_end = badge_x1
            members = []
        if members:
            members.append(i)
            badge_x1 = badge_x0 + widths(len(members))
            continue
        fits = start - row_end >= gap
        if allow_items and fits:
            item = place(i, row)
            shown.append(item)
            shown_index.append(i)
            end_before, row_end = row_end, item.footprint_x1
            continue
        # The badge goes where the member starts, unless the row's last box is in the way.
        badge_x0 = start if fits else row_end + gap
        members = [i]
        if not fits and shown and row_end == shown[-1].footprint_x1:
            last = shown[-1]
            earliest = max(start, last.x1 + gap)
            if lane.is_span[shown_index[-1]] and earliest - start > BADGE_REACH:
                shown.pop()
                members = [shown_index.pop(), i]
                badge_x0, row_end = starts[members[0]], end_before
            elif badge_x0 - earliest > BADGE_REACH:
                badge_x0 = earliest + BADGE_REACH
                shown[-1] = last._replace(label_x1=badge_x0 - gap, label_cut=True)
        badge_x1 = badge_x0 + widths(len(members))
    if members:
        close()
    return shown, clusters


class DensityBin(NamedTuple):
    """Events of one lane whose start falls in one bin: positions first..last of ``starts``.

    A named tuple rather than a frozen dataclass: a dense view makes thousands per frame, and
    a tuple is several times cheaper to create.
    """

    x0: float  # the bin in layout pixels, clipped to [t0, t1)
    x1: float
    count: int
    first: int  # first and last index (inclusive) into the lane's sorted starts
    last: int


def density_bins(
    starts: Sequence[float],
    t0: float,
    t1: float,
    seconds_per_pixel: float,
    bin_px: float,
    origin: float,
) -> list[DensityBin]:
    """Count the starts in [t0, t1) per bin of ``bin_px`` layout pixels; empty bins are left out.

    ``starts`` is one lane's sorted event starts (e.g. an ``array('d')``). Bins lie on a fixed grid
    of layout space (bin k covers ``[k * bin_px, (k + 1) * bin_px)``), so the same events fall in
    the same bin while the user pans; only the first and last bin are clipped to [t0, t1) and
    report the clipped pixel range. A start exactly on a bin edge belongs to the bin on its right.

    The function reads at most a few starts a bin, however many events are in view: where the
    events are sparser than the bins, it reads one start to find the bin of the next event and
    bisects once for that bin's right edge; otherwise it bisects every bin edge, in a copy of the
    window's starts when they are at most WINDOW_COPY_PER_BIN a bin. The cost is O(bins * log n),
    which keeps per-frame work bounded by pixels for lanes too dense to label.
    """
    if not seconds_per_pixel > 0:
        raise ValueError(f"seconds_per_pixel must be > 0, not {seconds_per_pixel}")
    if not bin_px > 0:
        raise ValueError(f"bin_px must be > 0, not {bin_px}")
    if not t1 > t0:
        return []
    bin_seconds = bin_px * seconds_per_pixel

    def edge(k: int) -> float:
        # Clipping makes the first and last edge t0 and t1, so the counts add up exactly.
        return min(max(origin + k * bin_seconds, t0), t1)

    def pixel(k: int, t: float) -> float:
        # Unclipped edges are exact grid multiples; recomputing them from seconds would add noise.
        grid = origin + k * bin_seconds
        return k * bin_px if t0 < grid < t1 else (t - origin) / seconds_per_pixel

    first = bisect_left(starts, t0)
    stop = bisect_left(starts, t1, first)
    bins: list[DensityBin] = []
    k_first = math.floor((t0 - origin) / bin_seconds)
    while origin + k_first * bin_seconds > t0:  # the estimate can round onto the next edge
        k_first -= 1
    # At least one bin: for a range narrower than float rounding near the origin, the two
    # estimates can meet.
    k_last = max(math.ceil((t1 - origin) / bin_seconds), k_first + 1)
    if (stop - first) * 4 > k_last - k_first:
        # Not much sparser than the bins: bisect every edge in one pass. C bisects over all the
        # edges cost less than Python steps per event, and the count still follows the pixels.
        ks = range(k_first, k_last + 1)
        edges = [origin + k * bin_seconds for k in ks]
        # The outer edges are clipped to [t0, t1]; the inner ones lie strictly inside it.
        edges[0], edges[-1] = t0, t1
        if stop - first <= WINDOW_COPY_PER_BIN * (k_last - k_first):
            # Few events a bin: bisect a list of the window's starts. A bisect of the array
            # makes a float object at each of its ~15 steps, 0.4 µs an edge; a list's floats
            # exist already, and copying them costs less than that saves (a zoom's recounts
            # took a fifth less time, replayed from a sweep over 100,000 events).
            in_window = list(starts[first:stop])
            cuts = list(map(add, map(partial(bisect_left, in_window), edges), repeat(first)))
        else:
            cuts = list(map(partial(bisect_left, starts, lo=first, hi=stop), edges))  # a C loop
        # Inner edges sit on the grid (k * bin_px exactly); the two outer ones are clipped.
        pixels = [k * bin_px for k in ks]
        pixels[0] = (t0 - origin) / seconds_per_pixel
        pixels[-1] = (t1 - origin) / seconds_per_pixel
        # The bins are put together by C loops too (zip, map, compress): 0.2 µs a bin against
        # 0.4 µs for a comprehension, beside the bisect's 0.4 µs. A zoom counts a few lanes'
        # windows of several hundred bins each frame.
        lows, highs = cuts[:-1], cuts[1:]
        counts = list(map(sub, highs, lows))
        lasts = map(sub, highs, repeat(1))
        columns = zip(pixels[:-1], pixels[1:], counts, lows, lasts, strict=True)
        return list(map(_new_bin, compress(columns, counts)))
    i = first
    while i < stop:
        # Jump straight to the bin of the next event, skipping empty bins without bisecting them.
        # The float estimate can be off by one near an edge, so correct it against the edges.
        start = starts[i]
        k = math.floor((start - origin) / bin_seconds)
        while edge(k) > start:
            k -= 1
        while edge(k + 1) <= start:
            k += 1
        right = edge(k + 1)
        end = bisect_left(starts, right, i, stop)
        left = edge(k)
        bins.append(DensityBin(pixel(k, left), pixel(k + 1, right), end - i, i, end - 1))
        i = end
    return bins


def slide_density(
    starts: Sequence[float],
    bins: Sequence[DensityBin],
    window: tuple[float, float],
    new_window: tuple[float, float],
    seconds_per_pixel: float,
    bin_px: float,
    origin: float,
) -> list[DensityBin]:
    """The bins of ``new_window``, given ``bins`` counted over ``window`` on the same grid.

    The same list :func:`density_bins` would give for ``new_window``, but only the part of the
    new window outside the old one is counted: the whole bins the two windows share are kept.
    A view that pans over a dense lane therefore pays for the pixels it brings in, not for the
    whole window again.
    """
    bin_seconds = bin_px * seconds_per_pixel
    lo, hi = max(window[0], new_window[0]), min(window[1], new_window[1])
    # The grid edges inside both windows: the bins between them are whole in both.
    k_lo = math.ceil((lo - origin) / bin_seconds)
    k_hi = math.floor((hi - origin) / bin_seconds)
    # The estimates can be off by one at an edge; edges are computed as density_bins does.
    while origin + k_lo * bin_seconds < lo:
        k_lo += 1
    while origin + k_hi * bin_seconds > hi:
        k_hi -= 1
    if k_hi <= k_lo:
        return density_bins(starts, *new_window, seconds_per_pixel, bin_px, origin)
    shared_lo, shared_hi = origin + k_lo * bin_seconds, origin + k_hi * bin_seconds
    x_lo, x_hi = k_lo * bin_px, k_hi * bin_px
    left = density_bins(starts, new_window[0], shared_lo, seconds_per_pixel, bin_px, origin)
    right = density_bins(starts, shared_hi, new_window[1], seconds_per_pixel, bin_px, origin)
    # A part counted alone clips its bin at the shared edge, which lies on the grid: give that
    # edge the grid's pixel, as a count over the whole new window would.
    if left and left[-1].x1 > x_lo - bin_px / 2:
        left[-1] = left[-1]._replace(x1=x_lo)
    if right and right[0].x0 < x_hi + bin_px / 2:
        right[0] = right[0]._replace(x0=x_hi)
    # The kept bins are the ones holding the starts between the shared edges, found by the
    # same bisects that counted them (their pixels can round onto an edge).
    first_kept = bisect_left(starts, shared_lo)
    stop_kept = bisect_left(starts, shared_hi, first_kept)
    low = bisect_left(bins, first_kept, key=_first_position)
    high = bisect_left(bins, stop_kept, low, key=_first_position)
    return [*left, *bins[low:high], *right]


_first_position = attrgetter("first")
_new_bin = partial(tuple.__new__, DensityBin)  # DensityBin from a tuple, without a Python call
