"""The canvas's layout for one view, in screen pixels: axis ticks, eras, lane bands, placed events.

The widget paints a :class:`Scene` and asks it what lies under the mouse; everything that needs
arithmetic on dates or rectangles happens here, without Qt, so it is tested without a screen.

Cost per frame is bounded by what is on screen. Events are reached through per-lane range
indices (``bisect``), so a lane with a million events costs a few hundred look-ups; a lane with
more events than it can label shows density bins instead of being packed.

A packing (rows, labels, badges) is made per lane for a window three view-widths wide in a
"layout space" that only shifts when the view pans, and is reused while panning and while
zooming in: zooming in only moves things apart, so a packing made at a coarser zoom stays free
of overlaps. When input pauses the widget asks for a packing made for exactly the view it
reached. Between pauses, lanes that no longer serve the view (zoomed out past their packing,
or panned off it) are repacked a few at a time, within a per-frame budget of events, and lanes
nearing the edge of their window are repacked ahead of time with a smaller share of it; a
lane still waiting shows its density for that frame. A density lane's bins cover seven views
and move with a pan a screen or so at a time: only the bins that come into its window are
counted.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Generator, Sequence
from itertools import pairwise
from operator import attrgetter
from typing import NamedTuple, TypeVar

from desktop.layout.packing import (
    BADGE_REACH,
    LABEL_PAD,
    MARKER_RADIUS,
    Cluster,
    DensityBin,
    LaneColumns,
    LaneItem,
    LanePacking,
    PlacedItem,
    density_bins,
    item_boxes,
    pack_columns,
    slide_density,
)
from desktop.layout.scale import TimeScale, fit, widened_for_labels
from desktop.layout.ticks import AxisTicks, RememberedMeasure, axis_ticks
from desktop.model.index import EventIndex
from desktop.model.timeline import SPAN, Era, Timeline

Measure = Callable[[str], float]

# A label cut by the window's right edge is shown shortened only if this much of it remains.
MIN_VISIBLE_LABEL = 28.0
# Packings are made at zoom levels this far apart (see ladder_level).
LADDER_RATIO = 2.0
# What one frame may spend on repacking lanes, in events packed: a lane costs about 2–3 µs
# per event (measured with benchmarks/run.py frames), so this keeps a frame's repacking near
# 2.5 ms and everything else waits for the next frame.
FRAME_PACK_BUDGET = 1000
# View-widths either side of the view that a density lane's bins cover (packed lanes take one).
DENSITY_VIEWS_ASIDE = 3.0
# The same for a density lane counted because the view left its zoom step or its window: zooming
# on, it is counted again within a few frames, so it takes a window a third as wide, and several
# lanes a frame keep up with a fast zoom. Panning widens it (near_edge), and so does the relayout
# when input pauses.
ZOOMING_VIEWS_ASIDE = 0.5
# What a frame may spend on lanes that can still show the view but near the edge of their window
# (prefetch for a pan), out of FRAME_PACK_BUDGET: such a lane can wait a few frames, so a pan
# refreshes a few lanes a frame rather than all of them in one.
PREFETCH_BUDGET = 300
# What a frame may spend on density lanes that show the view in bars two or more of its bins
# wide (zooming in), out of FRAME_PACK_BUDGET: two lanes' view of bins in a canvas 1,600 px
# wide (a view's 400 bins cost 200: see _catch_up). Such lanes are right, only coarse, and a
# zoom in passes a ladder step for every lane at once: counting them all in that frame made
# the slowest frames of a zoom in (five or six lanes, ~1 ms each at 100,000 events); two a
# frame keep up with a zoom that passes a step every three frames.
BLOCKY_BUDGET = 400
# Rounds of widening a fit for the titles it draws: one usually settles it; a title that widening
# brings into view takes one more (the Warsaw timeline's last, on 1 January 2025).
FIT_ROUNDS = 3
# From a user test: in a window 800 px wide, making room for the last titles of the bundled
# timeline (three years) widened Fit All to six years and a half, half the canvas empty.
FIT_WIDENED_AT_MOST = 1.5
# Clusters whose members are kept sorted by end (see SceneBuilder._by_end).
MEMBERS_BY_END_KEPT = 512
# A cluster of at most this many events is not sorted by end: looking at each member costs less
# than finding its sorted copy. Most reaching into the view hold two or three, and a frame met
# about 130 of them, a third of them not yet sorted (the packings they were in were new).
MEMBERS_LOOKED_AT = 16
# Room kept between a badge and what comes before it in its row, px (packing's default gap).
BADGE_GAP = 6.0


class SceneMetrics(NamedTuple):
    """Sizes in pixels; the widget derives them from its font so the layout follows the text."""

    axis_height: float = 44.0  # two rows of tick labels
    era_height: float = 18.0  # the strip under the axis holding era names
    lane_header: float = 18.0  # each lane's name, above its rows
    row_height: float = 22.0
    lane_gap: float = 4.0
    min_rows: int = 1
    density_threshold: int = 600  # events in a lane's window above which it shows density
    bin_px: float = 4.0
    badge_padding: float = 12.0


class Hit(NamedTuple):
    """What lies under a point: an event, a cluster of hidden events or a density bin."""

    kind: str  # "event", "cluster", "density"
    position: int | None = None  # the event's position, for kind == "event"
    count: int = 0
    t0: float = 0.0  # the time range covered, for clusters and bins (to zoom into)
    t1: float = 0.0
    positions: tuple[int, ...] = ()  # a cluster's events


class LaneBand(NamedTuple):
    lane_id: str
    name: str
    color: str
    y0: float  # top of the band, header included
    y1: float
    rows: int
    packing: LanePacking | None  # None when the lane shows density bins
    # Density bins stay in the layout space they were counted in: screen x = x * bin_stretch +
    # bin_offset, so panning and zooming in reuse them.
    bins: Sequence[DensityBin] = ()
    bin_max: int = 0
    bin_stretch: float = 1.0
    bin_offset: float = 0.0

    def bin_x(self, x: float) -> float:
        return x * self.bin_stretch + self.bin_offset

    def row_top(self, row: int, metrics: SceneMetrics) -> float:
        return self.y0 + metrics.lane_header + row * metrics.row_height


class Scene(NamedTuple):
    scale: TimeScale
    height: float
    metrics: SceneMetrics
    ticks: AxisTicks
    eras: tuple[tuple[Era, float, float], ...]  # with their screen x0, x1
    lanes: tuple[LaneBand, ...]
    visible_count: int  # events of the lanes shown that overlap the view
    total_count: int
    # Lanes that need more height than the canvas has scroll under the axis: how far they are
    # scrolled (px), and how far they can be (their height past the canvas's bottom).
    scroll: float = 0.0
    overflow: float = 0.0
    # What covers the lanes at the right edge (their scroll bar), px: titles end before it.
    right_inset: float = 0.0

    @property
    def lanes_top(self) -> float:
        """Where the lanes' area starts, under the axis and the era strip."""
        return self.metrics.axis_height + self.metrics.era_height

    def eras_at(self, x: float, y: float) -> list[Era]:
        """The eras whose part of the era strip holds (x, y): their names are often cut short
        there, so hovering tells them whole."""
        metrics = self.metrics
        if not metrics.axis_height <= y < self.lanes_top:
            return []
        return [era for era, x0, x1 in self.eras if x0 <= x < x1]

    def era_columns(self) -> tuple[tuple[float, float, tuple[int, ...]], ...]:
        """The canvas's width cut where eras begin and end, left to right: each column's x0,
        x1 and the eras over it (indices into ``eras``, in the order they are laid).

        The painter fills each band of the canvas a column at a time, in the band's colour
        with the column's eras laid over it ahead of time. Laid over the whole height
        afterwards, they made the raster engine blend large see-through fills, on worker
        threads it waits for: the bundled timeline's opening view took 0.4–0.7 ms longer.
        """
        width = self.scale.width
        edges = sorted(
            {0.0, width, *(min(max(x, 0.0), width) for _, x0, x1 in self.eras for x in (x0, x1))}
        )
        columns: list[tuple[float, float, tuple[int, ...]]] = []
        for left, right in pairwise(edges):
            middle = (left + right) / 2
            over = tuple(n for n, (_, x0, x1) in enumerate(self.eras) if x0 <= middle < x1)
            if columns and columns[-1][2] == over:
                columns[-1] = (columns[-1][0], right, over)
            else:
                columns.append((left, right, over))
        return tuple(columns)

    def band(self, lane_id: str) -> LaneBand | None:
        """The band of the lane ``lane_id``; None for a lane not shown."""
        return next((band for band in self.lanes if band.lane_id == lane_id), None)

    def lanes_on_screen(self) -> tuple[LaneBand, ...]:
        """The bands with some of their height between the lanes' top and the bottom."""
        if not self.overflow:
            return self.lanes
        top, bottom = self.lanes_top, self.height
        return tuple(band for band in self.lanes if band.y1 > top and band.y0 < bottom)

    def scroll_revealing(self, y0: float, y1: float) -> float:
        """The scroll that brings the screen rows ``y0``–``y1`` between the lanes' top and
        the bottom with the least movement (their top, when they are taller than that)."""
        top = self.lanes_top
        if y0 < top:
            move = y0 - top
        elif y1 > self.height:
            move = min(y1 - self.height, y0 - top)
        else:
            return self.scroll
        return min(max(self.scroll + move, 0.0), self.overflow)

    def most_rows_of_a_lane(self) -> int:
        """The rows a lane is given when no other has anything in view: the rows there are,
        less the others' least."""
        lanes, least = len(self.lanes), self.metrics.min_rows
        return rows_available(self.height, self.metrics, lanes) - (lanes - 1) * least

    def placed_alone(
        self,
        position: int,
        start: float,
        end: float,
        is_span: bool,
        label_width: float,
        row: int = 0,
    ) -> PlacedItem:
        """An event placed by itself in ``row`` of its lane, at this scale, as a packing places
        it: how a lane draws its selected event over what hides it (its bars on the first row,
        or the badge it is counted in, on the badge's row)."""
        x = self.scale.x
        return _place(LaneItem(position, x(start), x(end), is_span, label_width), row)

    # -- geometry, screen coordinates ----------------------------------------------------
    def item_box(self, band: LaneBand, item: PlacedItem) -> tuple[float, float, float, float]:
        """The drawn shape of a placed event: (x0, y0, x1, y1)."""
        top = band.row_top(item.row, self.metrics)
        return (
            item.x0,
            top + 3,
            item.x1,
            top + self.metrics.row_height - 3,
        )

    def label_box(self, band: LaneBand, item: PlacedItem) -> tuple[float, float, float, float]:
        top = band.row_top(item.row, self.metrics)
        return (
            item.label_x0,
            top,
            item.label_x1,
            top + self.metrics.row_height,
        )

    def drawn_label(
        self, band: LaneBand, item: PlacedItem
    ) -> tuple[float, float, float, float] | None:
        """Where the label is drawn on screen, if at all: a subset of :meth:`label_box`'s row
        footprint, so labels that do not overlap when packed do not overlap when drawn.

        A long bar's label slides right to stay readable while the bar's start is off-screen
        (but never past the bar's end, and shortened where it cannot slide); a marker that is
        off-screen to the left takes its label with it; a label cut by the right edge is
        shortened (the painter elides it), or hidden when too little of it would show. A
        short title that is not cut always shows whole.
        """
        if item.label_x1 <= item.label_x0:
            return None
        left, top, right, bottom = self.label_box(band, item)
        width = self.scale.width - self.right_inset
        shape_x1 = item.x1
        if shape_x1 < 0 and not item.label_pinned:
            return None  # the marker or bar is off-screen left: its label would float free
        if left < LABEL_PAD and item.label_x0 < item.x1:  # a label inside its bar
            shift = min(LABEL_PAD - left, max(0.0, shape_x1 - right))
            left, right = left + shift, right + shift
            # A label longer than its bar can slide only so far (it may not leave its
            # footprint): it is shortened at its end rather than cut at its start by the edge.
            left = max(left, LABEL_PAD)
        whole = right - left
        if right > width:
            right = width - 2
        if right - left < min(MIN_VISIBLE_LABEL, whole) or right <= 0:
            return None
        return (left, top, right, bottom)

    def cluster_box(self, band: LaneBand, cluster: Cluster) -> tuple[float, float, float, float]:
        top = band.row_top(cluster.row, self.metrics)
        return (
            cluster.x0,
            top + 2,
            cluster.x1,
            top + self.metrics.row_height - 2,
        )

    def cluster_holding(self, position: int) -> Hit | None:
        """The badge on screen that counts the event, as a click on it finds it; None when the
        event is not counted in one."""
        width = self.scale.width
        for band in self.lanes:
            if band.packing is None:
                continue
            for cluster in band.packing.clusters:
                if cluster.x1 >= 0 and cluster.x0 <= width and holds(cluster.positions, position):
                    return self._cluster_hit(cluster)
        return None

    def _cluster_hit(self, cluster: Cluster) -> Hit:
        return Hit(
            "cluster",
            count=cluster.count,
            t0=self.scale.t(cluster.span_x0),
            t1=self.scale.t(cluster.span_x1),
            positions=cluster.positions,
        )

    def event_center(self, position: int) -> tuple[float, float] | None:
        """Where an event is drawn, if it is drawn on its own in this scene."""
        for band in self.lanes:
            if band.packing is None:
                continue
            for item in band.packing.items:
                if item.position == position:
                    x0, y0, x1, y1 = self.item_box(band, item)
                    return ((x0 + x1) / 2, (y0 + y1) / 2)
        return None

    def hit(
        self,
        x: float,
        y: float,
        periods: tuple[Sequence[float], Sequence[float]] | None = None,
    ) -> Hit | None:
        """The event, cluster or density bin under (x, y), preferring shapes over labels, and
        both over badges. With ``periods`` (the timeline index's starts and ends), last of all
        a point event whose date's period, drawn as a faint band, is under (x, y): zoomed
        into a day, the band may be all there is of it on screen."""
        if y < self.lanes_top:
            return None  # the axis and the era strip, drawn over lanes scrolled under them
        for band in self.lanes:
            if not band.y0 <= y < band.y1:
                continue
            if band.packing is None:
                return self._hit_bin(band, x)
            slop = 3.0
            label_hit = None
            for item in band.packing.items:
                bx0, by0, bx1, by1 = self.item_box(band, item)
                if bx0 - slop <= x <= bx1 + slop and by0 - slop <= y <= by1 + slop:
                    return Hit("event", item.position)
                drawn = self.drawn_label(band, item)
                if label_hit is None and drawn is not None:
                    lx0, ly0, lx1, ly1 = drawn
                    if lx0 <= x <= lx1 and ly0 <= y <= ly1:
                        label_hit = Hit("event", item.position)
            if label_hit is not None:
                return label_hit
            for cluster in band.packing.clusters:
                cx0, cy0, cx1, cy1 = self.cluster_box(band, cluster)
                if cx0 <= x <= cx1 and cy0 <= y <= cy1:
                    return self._cluster_hit(cluster)
            if periods is not None:
                return self._hit_period(band, x, y, *periods)
            return None
        return None

    def _hit_period(
        self, band: LaneBand, x: float, y: float, starts: Sequence[float], ends: Sequence[float]
    ) -> Hit | None:
        assert band.packing is not None
        t = self.scale.t(x)
        for item in band.packing.items:
            position = item.position
            if starts[position] <= t <= ends[position]:
                _, y0, _, y1 = self.item_box(band, item)
                if y0 <= y <= y1:
                    return Hit("event", position)
        return None

    def _hit_bin(self, band: LaneBand, x: float) -> Hit | None:
        for density_bin in band.bins:
            if band.bin_x(density_bin.x0) <= x <= band.bin_x(density_bin.x1):
                return Hit(
                    "density",
                    count=density_bin.count,
                    t0=self.scale.t(band.bin_x(density_bin.x0)),
                    t1=self.scale.t(band.bin_x(density_bin.x1)),
                )
        return None


class _LaneIndex(NamedTuple):
    lane_id: str
    positions: array  # timeline positions of this lane's events, in start order
    index: EventIndex


class _LanePlan(NamedTuple):
    """One lane's packing (or density) for a time window, in its layout space, with what
    finds its visible part."""

    lane_id: str
    rows: int
    packing: LanePacking | None  # None: the lane shows density bins
    seconds_per_pixel: float  # the zoom level it was made at
    anchor: float  # the time at layout x = 0
    window: tuple[float, float]  # the time range it covers
    # What finds a packing's visible part (empty for a density lane):
    footprint_starts: array  # per item, ascending
    # The furthest an item reaches right of its footprint's start, and the furthest a point's
    # date period (drawn as a faint band) starts left of it: a day seen at minutes is a band
    # across the screen with its marker far off it.
    longest_reach: float
    longest_lead: float
    badge_starts: array  # per cluster, ascending
    widest_badge: float
    # The furthest a cluster's events reach right of its badge's start: spans whose badge is
    # far off to the left can still cover the screen.
    longest_cluster_reach: float
    # A density lane's bins over the window (empty for a packed lane):
    bins: list[DensityBin]
    bin_max: int

    def covers(self, scale: TimeScale) -> bool:
        return self.window[0] <= scale.t0 and scale.t1 <= self.window[1]

    def coarse_enough(self, scale: TimeScale) -> bool:
        """Made at this zoom or a coarser one: shown at this scale it only spreads out."""
        return self.seconds_per_pixel >= scale.seconds_per_pixel * 0.9999

    def near_edge(self, scale: TimeScale) -> bool:
        """Due for a refresh while panning: a packing within half a view of its window's edge,
        density bins once the view is a view away from their window's middle (moving bins
        costs what comes into the window, so they move early and a little at a time)."""
        span = scale.t1 - scale.t0
        lead = span / 2 if self.packing is not None else span * (DENSITY_VIEWS_ASIDE - 1)
        return scale.t0 - self.window[0] < lead or self.window[1] - scale.t1 < lead


class _PackingCache:
    __slots__ = ("height", "lanes")

    def __init__(self, height: float, lanes: list[_LanePlan]) -> None:
        self.height = height
        self.lanes = lanes  # rows per lane stay as shared out by the last full packing


def ladder_level(seconds_per_pixel: float) -> float:
    """The packing zoom level for a scale: the ladder step at or just above it.

    A packing made at a coarser level stays valid when shown at a finer zoom (zooming in only
    moves things apart; labels keep their size), so one packing serves every zoom between two
    steps, and zooming in never has to wait for a new one.
    """
    return LADDER_RATIO ** math.ceil(math.log(seconds_per_pixel, LADDER_RATIO) - 1e-9)


class SceneBuilder:
    """Builds scenes for one timeline, caching what survives a pan, a zoom-in or a repaint."""

    def __init__(
        self,
        timeline: Timeline,
        measure: Measure,
        metrics: SceneMetrics,
        hidden_lanes: frozenset[str] = frozenset(),
    ) -> None:
        self.timeline = timeline
        self.measure = measure
        self._axis_measure = RememberedMeasure(measure)
        self.metrics = metrics
        self._label_widths: dict[int, float] = {}
        # By id of a cluster of the cached packings: it, and its members by end, latest first,
        # with their ends negated (ascending: bisect finds those ending after a time).
        self._members_by_end: dict[int, tuple[Cluster, list[int], list[float]]] = {}
        self._badge_widths: dict[int, float] = {}
        self._cache: _PackingCache | None = None
        self.frame_budget = FRAME_PACK_BUDGET
        self.prefetch_budget = PREFETCH_BUDGET
        self._last_seconds_per_pixel = math.inf  # the zoom of the last frame built
        self._lanes = self._index_lanes(timeline, hidden_lanes)

    @staticmethod
    def _index_lanes(timeline: Timeline, hidden: frozenset[str]) -> list[_LaneIndex]:
        order = timeline.lane_order()
        by_slot: list[list[int]] = [[] for _ in order]
        for position, slot in enumerate(timeline.columns.lane_slots):
            by_slot[slot].append(position)
        starts, ends = timeline.index.starts, timeline.index.ends
        return [
            _LaneIndex(
                lane_id,
                array("l", positions),
                EventIndex([starts[p] for p in positions], [ends[p] for p in positions]),
            )
            for lane_id, positions in zip(order, by_slot, strict=True)
            if lane_id not in hidden
        ]

    def label_width(self, position: int) -> float:
        width = self._label_widths.get(position)
        if width is None:
            width = self.measure(self.timeline.columns.titles[position])
            self._label_widths[position] = width
        return width

    def badge_width(self, count: int) -> float:
        width = self._badge_widths.get(count)
        if width is None:
            width = self.measure(f"+{count}") + self.metrics.badge_padding
            self._badge_widths[count] = width
        return width

    def fit_with_titles(self, t0: float, t1: float, width: float, height: float) -> TimeScale:
        """A fit of [t0, t1] to ``width``, widened on the right until the titles it draws end
        inside it. Widening can bring later events into view, whose titles then get room
        too: up to FIT_ROUNDS rounds, each a packing of the view; and to FIT_WIDENED_AT_MOST
        times the fit at most, past which a title at the end is cut instead."""
        scale = fit(t0, t1, width)
        widest = scale.span * FIT_WIDENED_AT_MOST
        for _ in range(FIT_ROUNDS):
            wider = widened_for_labels(scale, self.label_extents(scale, height))
            if wider == scale:
                break
            if wider.span >= widest:
                return wider.with_range(wider.t0, wider.t0 + widest)
            scale = wider
        return scale

    def label_extents(self, scale: TimeScale, height: float) -> list[tuple[float, float]]:
        """(where the label starts in time, its width in px + the marker) for each title that
        the view ``scale`` draws, for widening it so that none is cut by the right edge.

        The view is packed as the canvas would pack it: a title that would end in a "+N"
        badge, or in a lane too dense for titles (it shows its density), is not drawn, and
        room made for it would stay empty.
        """
        spp = scale.seconds_per_pixel
        shared = _finish(self._packing_steps((scale.t0, scale.t1), scale.t0, spp, height))
        return [
            self.label_extent(item.position, item.label_x1 - item.label_x0)
            for _, packing in shared
            if packing is not None
            for item in packing.items
            if item.label_x1 > item.label_x0
        ]

    def label_extent(self, position: int, label_width: float | None = None) -> tuple[float, float]:
        """(the time an event's marker or bar starts its label at, the label's width in px
        with the marker's); the label is its whole title unless ``label_width`` says
        otherwise (a packing may shorten it)."""
        start, end = self.timeline.index.starts[position], self.timeline.index.ends[position]
        anchor = start if self.timeline.columns.flags[position] & SPAN else (start + end) / 2
        if label_width is None:
            label_width = self.label_width(position)
        return anchor, label_width + 2 * MARKER_RADIUS + LABEL_PAD + 8

    # -- scene ----------------------------------------------------------------------------
    def needs_relayout(self, scale: TimeScale, height: float) -> bool:
        """Whether a packing made for this very view would be better than the cached one: a
        lane is from another zoom (more clustered than needed, or waiting for its repack) or
        near the edge of its window. The widget relayouts when input pauses."""
        cache = self._cache
        if cache is None or cache.height != height:
            return True
        spp = scale.seconds_per_pixel
        return any(
            abs(plan.seconds_per_pixel / spp - 1) > 1e-4
            or not plan.covers(scale)
            or plan.near_edge(scale)
            for plan in cache.lanes
        )

    def relayout(self, scale: TimeScale, height: float) -> None:
        """Pack for exactly this view: the best layout, for when input pauses or jumps."""
        self._cache = self._pack(scale, height, scale.seconds_per_pixel)

    def relayout_steps(self, scale: TimeScale, height: float) -> Generator[None, None, None]:
        """:meth:`relayout` a lane at a time: it yields between lanes and puts the new packing
        in place when exhausted, so a caller can spread it over turns of its event loop; frames
        built meanwhile use the packing there is."""
        self._cache = yield from self._pack_steps(scale, height, scale.seconds_per_pixel)

    def build(self, scale: TimeScale, height: float, scroll: float = 0.0) -> Scene:
        """The scene of the view ``scale`` in a canvas ``height`` px tall, its lanes scrolled
        up by ``scroll`` px (kept within what overflows the canvas)."""
        metrics = self.metrics
        ticks = axis_ticks(scale.t0, scale.t1, scale.width, self._axis_measure)
        cache = self._cache
        spp = scale.seconds_per_pixel
        if cache is None or cache.height != height:
            # Nothing to reuse: pack at the ladder step at or above this zoom, which then
            # serves every frame until the zoom passes it.
            cache = self._cache = self._pack(scale, height, ladder_level(spp))
        else:
            self._catch_up(cache, scale)
        lanes = []
        extra, overflow = self._lane_room(cache, height)
        scroll = min(max(scroll, 0.0), overflow)
        y = metrics.axis_height + metrics.era_height - scroll
        for lane_index, plan in zip(self._lanes, cache.lanes, strict=True):
            lane = self.timeline.shown_lane(plan.lane_id)
            band_height = metrics.lane_header + plan.rows * metrics.row_height + extra
            stretch = plan.seconds_per_pixel / spp  # >= 1 for a packing: it only moves apart
            offset = (plan.anchor - scale.t0) / spp
            bins: Sequence[DensityBin] = ()
            packing = None
            bin_max, bin_stretch, bin_offset = plan.bin_max, stretch, offset
            if plan.covers(scale) and plan.packing is None:
                # The window's bins, the same list for every frame until the lane's next
                # packing, so the painter can keep what it made of them; it clips to the
                # screen. Zoomed out past them, they are drawn squeezed until then; zoomed
                # in, stretched until _catch_up counts them at the finer step.
                bins = plan.bins
            elif plan.covers(scale) and plan.coarse_enough(scale):
                packing = self._on_screen(plan, scale, stretch, offset)
            else:
                # Waiting for its repack (a packing squeezed by zooming out would overlap):
                # this view's density, for this frame.
                bins = density_bins(
                    lane_index.index.starts, scale.t0, scale.t1, spp, metrics.bin_px, scale.t0
                )
                bin_max = _most(bins)
                bin_stretch, bin_offset = 1.0, 0.0
            lanes.append(
                LaneBand(
                    lane_id=plan.lane_id,
                    name=lane.name,
                    color=lane.color,
                    y0=y,
                    y1=y + band_height,
                    rows=plan.rows,
                    packing=packing,
                    bins=bins,
                    bin_max=bin_max,
                    bin_stretch=bin_stretch,
                    bin_offset=bin_offset,
                )
            )
            y += band_height + metrics.lane_gap
        eras = tuple(
            (era, scale.x(era.span.start_seconds()), scale.x(era.span.end_seconds()))
            for era in self.timeline.eras
            if era.span.end_seconds() > scale.t0 and era.span.start_seconds() < scale.t1
        )
        return Scene(
            scale=scale,
            height=height,
            metrics=metrics,
            ticks=ticks,
            eras=eras,
            lanes=tuple(lanes),
            visible_count=self._count_in_view(scale),
            total_count=len(self.timeline.events),
            scroll=scroll,
            overflow=overflow,
        )

    def _count_in_view(self, scale: TimeScale) -> int:
        """The events of the lanes shown that overlap the view."""
        if len(self._lanes) == len(self.timeline.lane_order()):
            return self.timeline.index.count_overlapping(scale.t0, scale.t1)
        return sum(lane.index.count_overlapping(scale.t0, scale.t1) for lane in self._lanes)

    def _catch_up(self, cache: _PackingCache, scale: TimeScale) -> None:
        """Repack, within FRAME_PACK_BUDGET, first the lanes that cannot show this view (off
        their window, or packed for a closer zoom), then density lanes counted for a closer
        zoom, then density lanes counted for a zoom a ladder step or more further out (zooming
        in stretches their bars into blocks), then, while the zoom holds, lanes near the edge
        of their window, so panning rarely finds one unready. Those last can still show the
        view and wait a few frames if need be, so they share only PREFETCH_BUDGET. A lane that
        does not fit waits for a later frame; a cheaper one after it may still go."""
        spp = scale.seconds_per_pixel
        zooming_out = spp > self._last_seconds_per_pixel * 1.0001
        zooming = zooming_out or spp < self._last_seconds_per_pixel * 0.9999
        self._last_seconds_per_pixel = spp
        level = ladder_level(spp)
        # Zooming out, a lane is packed a step further out than needed, so it serves the next
        # frames of the zoom too; the exact packing comes when input pauses.
        ahead = level * LADDER_RATIO if zooming_out else level
        unusable: list[tuple[int, float]] = []
        squeezed: list[tuple[int, float]] = []
        blocky: list[tuple[int, float]] = []
        due: list[tuple[int, float]] = []
        for position, plan in enumerate(cache.lanes):
            if not plan.covers(scale) or (
                plan.packing is not None and not plan.coarse_enough(scale)
            ):
                unusable.append((position, ahead))
            elif not plan.coarse_enough(scale):
                squeezed.append((position, ahead))
            elif (
                plan.packing is None and not zooming_out and plan.seconds_per_pixel > level * 1.0001
            ):
                # Still right, but each bar is two or more bins of this zoom wide: a fast zoom
                # in would show blocks until input pauses. Counted again at this zoom's step.
                # Not while zooming out: a lane counted further out is where the zoom is going
                # (counted a step out, see ahead). Counted again at this step, it was squeezed
                # the frame after and counted a step out again: two thirds of the counts in
                # the slowest frames of a zoom out at 100,000 events.
                blocky.append((position, level))
            elif plan.near_edge(scale) and not zooming:
                # Panning, it keeps its zoom level, so it clusters like the lanes around it.
                # (Zooming, the frames to come need other windows: nothing is fetched ahead.)
                due.append((position, plan.seconds_per_pixel))
        spent = 0
        # The widest bars first: a fast zoom may leave some lanes for the next frames.
        blocky.sort(key=lambda entry: -cache.lanes[entry[0]].seconds_per_pixel)
        blocky_from = len(unusable) + len(squeezed)
        prefetch_from = blocky_from + len(blocky)
        prefetch_limit = min(self.frame_budget, self.prefetch_budget)
        blocky_limit = min(self.frame_budget, BLOCKY_BUDGET)
        for order, (position, level_wanted) in enumerate(unusable + squeezed + blocky + due):
            if order < blocky_from:
                limit = self.frame_budget
            elif order < prefetch_from:
                limit = blocky_limit
            else:
                limit = prefetch_limit
            lane_index, plan = self._lanes[position], cache.lanes[position]
            window = _window(scale, level_wanted)
            count = lane_index.index.count_overlapping(*window)
            dense = count > self.metrics.density_threshold
            # A density lane panned at its own zoom keeps the bins its new window shares with
            # the old one and counts only the rest (same grid: same zoom and anchor).
            slide = dense and plan.packing is None and plan.seconds_per_pixel == level_wanted
            if not dense:
                cost = count
            else:
                # Density costs per bin, not per event: counting two bins costs about what
                # packing one event does, 1–2.5 µs (bars are made later, as they come on
                # screen), so the budget's events are twice as many bins.
                bin_seconds = level_wanted * self.metrics.bin_px
                if order >= prefetch_from:
                    # Widened towards the window it keeps while the view pans, as far as the
                    # budget goes: a little each frame, never a frame's worth at once.
                    window = _window(scale, level_wanted, DENSITY_VIEWS_ASIDE)
                    if slide:
                        window = _widened_within(
                            plan.window, window, scale, 2 * limit * bin_seconds
                        )
                elif order >= blocky_from:
                    # Zooming in stays within this view: its bins (and a sliver for rounding)
                    # are all a zoom in needs, and the next ladder step comes within a few
                    # frames.
                    window = _window(scale, level_wanted, 0.01, ahead=False)
                else:
                    window = _window(scale, level_wanted, ZOOMING_VIEWS_ASIDE)
                counted = window[1] - window[0]
                if slide:
                    counted -= max(
                        0.0, min(window[1], plan.window[1]) - max(window[0], plan.window[0])
                    )
                cost = int(counted / bin_seconds) // 2
            if spent + cost > limit and spent > 0:
                continue  # a lane dearer than a whole budget still goes, alone in its frame
            spent += cost
            if slide:
                cache.lanes[position] = self._slide(lane_index, plan, window)
                continue
            packing = None
            if not dense:
                items = self._columns(lane_index, window, scale.t0, level_wanted)
                packing = pack_columns(items, plan.rows, badge_width=self.badge_width)
            cache.lanes[position] = self._plan(
                lane_index, plan.rows, packing, window, scale.t0, level_wanted
            )

    def _on_screen(
        self, plan: _LanePlan, scale: TimeScale, stretch: float, offset: float
    ) -> LanePacking:
        """The part of a cached packing that is on screen, in screen pixels.

        Items are placed again from their times at this scale (the packing fixed only their
        rows), so they sit exactly where their dates are; badges move with their members and
        are pushed right where a row they share with items would make them touch.
        """
        assert plan.packing is not None
        index = self.timeline.index
        flags = self.timeline.columns.flags
        margin = 200.0  # a little beyond the edges, so labels that enter are ready
        left = (-margin - offset) / stretch
        right = (scale.width + margin - offset) / stretch
        first = bisect_left(plan.footprint_starts, left - plan.longest_reach)
        last = bisect_right(plan.footprint_starts, right + plan.longest_lead)
        entries: list[tuple[float, int, PlacedItem | Cluster]] = []
        to_screen = scale.x
        # By row, the point whose label would not show (its marker off-screen, or on the right
        # edge with its label past it) but whose date's band reaches into the view, the
        # narrowest band of them: its label may be kept on screen (see _pin_labels).
        label_room_right = scale.width - MIN_VISIBLE_LABEL
        unlabelled: dict[int, tuple[PlacedItem, float, float]] = {}
        for item in plan.packing.items[first:last]:
            position = item.position
            period_x0 = to_screen(index.starts[position])
            period_x1 = to_screen(index.ends[position])
            moved = _place(
                LaneItem(
                    position, period_x0, period_x1, bool(flags[position] & SPAN),
                    item.label_x1 - item.label_x0,
                ),
                item.row,
            )  # fmt: skip
            if item.label_cut:  # kept short for the badge after it
                moved = moved._replace(label_cut=True)
            if (
                max(moved.footprint_x1, period_x1) >= -margin
                and min(moved.x0, period_x0) <= scale.width + margin
            ):
                entries.append((moved.x0, 0, moved))
                if (
                    (moved.x1 < 0 or moved.label_x0 > label_room_right)
                    and moved.label_x1 > moved.label_x0
                    and period_x1 > LABEL_PAD + MIN_VISIBLE_LABEL
                    and period_x0 < scale.width - MIN_VISIBLE_LABEL
                    and not flags[position] & SPAN
                ):
                    known = unlabelled.get(item.row)
                    if known is None or period_x1 - period_x0 < known[2] - known[1]:
                        unlabelled[item.row] = (moved, period_x0, period_x1)
        # Badges share one row, left to right: their starts are sorted too.
        reach = max(plan.widest_badge / stretch, plan.longest_cluster_reach)
        first = bisect_left(plan.badge_starts, left - reach)
        last = bisect_right(plan.badge_starts, right)
        reaching_in: dict[int, list[Cluster]] = {}  # by row
        for cluster in plan.packing.clusters[first:last]:
            x0 = cluster.x0 * stretch + offset
            width = cluster.x1 - cluster.x0
            # Its events all began before the view (positions are in start order), or its
            # badge is off to the left: a long span seen close up, or spans clamped to where
            # the packing's window began, which panning brings into the view far from them.
            # Those of them that reach into the view are shown by one badge at the left edge,
            # made below; the rest are not on screen.
            if x0 + width < 0 or index.starts[cluster.positions[-1]] < scale.t0:
                if cluster.span_x1 * stretch + offset > 0:
                    reaching_in.setdefault(cluster.row, []).append(cluster)
                continue
            if x0 > scale.width + margin:
                continue
            entries.append(
                (
                    x0,
                    1,
                    Cluster(
                        row=cluster.row,
                        x0=x0,
                        x1=x0 + width,
                        count=cluster.count,
                        positions=cluster.positions,
                        span_x0=cluster.span_x0 * stretch + offset,
                        span_x1=cluster.span_x1 * stretch + offset,
                    ),
                )
            )
        for row, group in reaching_in.items():
            badge = self._left_edge_badge(row, group, scale)
            if badge is not None:
                entries.append((badge.x0, 1, badge))
        entries.sort(key=lambda entry: (entry[2].row, entry[0], entry[1]))
        items: list[PlacedItem] = []
        clusters: list[Cluster] = []
        row_end: dict[int, float] = {}
        gap = BADGE_GAP
        badge_last: dict[int, int] = {}  # row → index in clusters, while a badge ends the row
        item_last: dict[int, int] = {}  # row → index in items, while an item ends the row
        # Row → the row's end before its last box, while that box is a bar (the last of items).
        bar_last: dict[int, float | None] = {}
        for _, _, entry in entries:
            if isinstance(entry, Cluster):
                # Clear of the row's last box, and whole on screen where it is partly: half a
                # badge at an edge can hardly be read or clicked.
                end = row_end.get(entry.row)
                lowest = LABEL_PAD if end is None else max(LABEL_PAD, end + gap)
                if entry.row in bar_last and lowest - max(entry.x0, LABEL_PAD) > BADGE_REACH:
                    # A bar that would push the badge far from its events (off the screen, for
                    # one across the view) joins it instead, as in packing (rule 4): the edge's
                    # badge for spans begun before the view met another such span here.
                    bar = items.pop()
                    end = bar_last.pop(entry.row)
                    lowest = LABEL_PAD if end is None else max(LABEL_PAD, end + gap)
                    count = entry.count + 1
                    entry = entry._replace(
                        x1=entry.x0 + self.badge_width(count),
                        count=count,
                        positions=tuple(sorted((*entry.positions, bar.position))),
                        span_x0=min(entry.span_x0, bar.x0),
                        span_x1=max(entry.span_x1, bar.x1),
                    )
                bar_last.pop(entry.row, None)
                whole = entry.x1 - entry.x0
                x0 = entry.x0
                at_edge = scale.width - whole - 2  # a badge whole on screen at the right edge
                if x0 < lowest:
                    x0 = lowest
                elif x0 < scale.width < x0 + whole + 2 or (
                    x0 >= scale.width and entry.span_x0 < scale.width
                ):
                    # Partly past the right edge, or wholly past it while its events begin
                    # on screen (from a user test: pushed there by the title before it, the
                    # badge and its events were nowhere to be seen): at the edge, that title
                    # cut short for it if need be.
                    last = item_last.get(entry.row)
                    if lowest > at_edge and last is not None:
                        item = items[last]
                        cut_to = at_edge - gap
                        if cut_to - item.label_x0 < MIN_VISIBLE_LABEL:
                            cut_to = item.label_x0  # no room for a readable part: no title
                        items[last] = item._replace(label_x1=cut_to, label_cut=True)
                        lowest = max(LABEL_PAD, items[last].footprint_x1 + gap)
                    x0 = max(lowest, at_edge)
                if x0 != entry.x0:
                    entry = entry._replace(x0=x0, x1=x0 + whole)
                item_last.pop(entry.row, None)
                badge_last[entry.row] = len(clusters)
                clusters.append(entry)
                row_end[entry.row] = entry.x1
            elif entry.row in badge_last and entry.x0 < row_end[entry.row] + gap:
                # An item that a badge pushed right (by the edge's badge, or a label) now
                # touches: it joins the badge rather than be drawn under it.
                at = badge_last[entry.row]
                badge = clusters[at]
                count = badge.count + 1
                clusters[at] = badge._replace(
                    x1=badge.x0 + self.badge_width(count),
                    count=count,
                    positions=tuple(sorted((*badge.positions, entry.position))),
                    span_x1=max(badge.span_x1, entry.x1),
                )
                row_end[entry.row] = clusters[at].x1
            else:
                badge_last.pop(entry.row, None)
                if flags[entry.position] & SPAN:
                    bar_last[entry.row] = row_end.get(entry.row)
                else:
                    bar_last.pop(entry.row, None)
                item_last[entry.row] = len(items)
                items.append(entry)
                row_end[entry.row] = max(row_end.get(entry.row, entry.x0), entry.footprint_x1)
        if unlabelled:
            # Last, clear of the badges where they ended up: pinned before, a label could be
            # drawn under a badge that the edge or the boxes before it then pushed onto it.
            items = self._pin_labels(items, clusters, unlabelled, scale.width)
        return LanePacking(plan.packing.rows_used, tuple(items), tuple(clusters))

    @staticmethod
    def _pin_labels(
        items: list[PlacedItem],
        clusters: list[Cluster],
        unlabelled: dict[int, tuple[PlacedItem, float, float]],
        width: float,
    ) -> list[PlacedItem]:
        """Zoomed into a day (or a year) of a point, its marker is off-screen (or on the right
        edge, its label past it) and its date a band across the view: its label, kept on
        screen at the band's start (or the left edge), says whose band it is. It stays within
        the band and clear of the row's boxes on screen, and is left out where less than
        MIN_VISIBLE_LABEL of it would show. Returns ``items`` with those labels pinned."""
        boxes: dict[int, list[tuple[float, float]]] = {row: [] for row in unlabelled}
        for cluster in clusters:
            if cluster.row in boxes:
                boxes[cluster.row].append((cluster.x0, cluster.x1))
        for item in items:
            if item.row in boxes and item.x1 >= 0 and item.x0 <= width:  # its marker is drawn
                boxes[item.row].append((item.x0, item.footprint_x1))
        for row_boxes in boxes.values():
            row_boxes.sort()
        pinned = {}
        for row, (item, period_x0, period_x1) in unlabelled.items():
            start = max(LABEL_PAD, period_x0 + LABEL_PAD)
            band_end = min(period_x1, width - 2)
            end = start  # the first gap between the row's boxes with room for the label
            for box_x0, box_x1 in [*boxes[row], (math.inf, math.inf)]:
                if box_x1 + BADGE_GAP <= start:
                    continue  # wholly before
                end = min(band_end, box_x0 - BADGE_GAP)
                if end - start >= MIN_VISIBLE_LABEL or start >= band_end:
                    break
                start = max(start, box_x1 + BADGE_GAP)  # too little room: after the box
            label_width = item.label_x1 - item.label_x0
            room = end - start
            if room >= MIN_VISIBLE_LABEL:
                pinned[id(item)] = item._replace(
                    label_x0=start,
                    label_x1=start + min(label_width, room),
                    label_cut=item.label_cut or room < label_width,
                    label_pinned=True,
                )
        return [pinned.get(id(item), item) for item in items]

    def _left_edge_badge(
        self, row: int, clusters: list[Cluster], scale: TimeScale
    ) -> Cluster | None:
        """One badge at the left edge, kept there as a long bar's label is, for the events of
        ``clusters`` (badges off-screen left, or of events all begun before the view) that
        reach into the view. Each such badge standing at the edge for all its members would
        make a row of badges there, most of their events long over before the view began."""
        starts, ends = self.timeline.index.starts, self.timeline.index.ends
        t0 = scale.t0
        reaching: list[int] = []
        for cluster in clusters:
            positions = cluster.positions
            if len(positions) <= MEMBERS_LOOKED_AT:
                reaching += [position for position in positions if ends[position] > t0]
                continue
            by_end, negated_ends = self._by_end(cluster)
            reaching += by_end[: bisect_left(negated_ends, -t0)]
        if not reaching:
            return None
        reaching.sort()  # in start order, as a badge's positions are
        return Cluster(
            row=row,
            x0=LABEL_PAD,
            x1=LABEL_PAD + self.badge_width(len(reaching)),
            count=len(reaching),
            positions=tuple(reaching),
            span_x0=scale.x(starts[reaching[0]]),
            span_x1=scale.x(max(map(ends.__getitem__, reaching))),
        )

    def _by_end(self, cluster: Cluster) -> tuple[list[int], list[float]]:
        """A cached cluster's members by end, latest first, and their ends negated. Found once
        per cluster: a badge off to the left can stand for thousands of events, a few of them
        spans reaching into the view, and going through them all again each frame of a pan
        took 2 ms at 100,000 events."""
        known = self._members_by_end.get(id(cluster))
        if known is not None and known[0] is cluster:
            return known[1], known[2]
        ends = self.timeline.index.ends
        by_end = sorted(cluster.positions, key=ends.__getitem__, reverse=True)
        negated_ends = [-ends[position] for position in by_end]
        if len(self._members_by_end) >= MEMBERS_BY_END_KEPT:
            self._members_by_end.clear()  # clusters of packings since replaced, mostly
        self._members_by_end[id(cluster)] = (cluster, by_end, negated_ends)
        return by_end, negated_ends

    def _lane_room(self, cache: _PackingCache, height: float) -> tuple[float, float]:
        """The spare height each band is given so the bands fill the canvas, and the height
        by which they overflow it instead (each lane keeps its least rows: in a short window,
        from a user test, the last lanes were cut off below the window's edge)."""
        metrics = self.metrics
        used = (
            metrics.axis_height
            + metrics.era_height
            + sum(metrics.lane_header + plan.rows * metrics.row_height + metrics.lane_gap
                  for plan in cache.lanes)
        )  # fmt: skip
        return max(0.0, (height - used) / max(1, len(cache.lanes))), max(0.0, used - height)

    def _pack(self, scale: TimeScale, height: float, spp: float) -> _PackingCache:
        """Every lane for this view, with the rows shared out by what each lane needs."""
        return _finish(self._pack_steps(scale, height, spp))

    def _pack_steps(
        self, scale: TimeScale, height: float, spp: float
    ) -> Generator[None, None, _PackingCache]:
        """:meth:`_pack`, pausing (yielding) after each lane's share of the work."""
        window = _window(scale, spp)
        anchor = scale.t0
        shared = yield from self._packing_steps(window, anchor, spp, height)
        lanes = []
        for lane_index, (rows, packing) in zip(self._lanes, shared, strict=True):
            lanes.append(self._plan(lane_index, rows, packing, window, anchor, spp))
            yield
        # Density lanes then widen to the window they keep while the view pans, a side at a
        # time: counting a million events' bins over seven views at once would hold the event
        # loop for ~10 ms.
        wide = _window(scale, spp, DENSITY_VIEWS_ASIDE)
        for position, plan in enumerate(lanes):
            if plan.packing is None:
                for window_step in ((wide[0], plan.window[1]), wide):
                    lanes[position] = self._slide(
                        self._lanes[position], lanes[position], window_step
                    )
                    yield
        return _PackingCache(height, lanes)

    def _packing_steps(
        self, window: tuple[float, float], anchor: float, spp: float, height: float
    ) -> Generator[None, None, list[tuple[int, LanePacking | None]]]:
        """Each lane's rows and packing of ``window`` (None for a lane too dense to pack: it
        shows density), the rows shared out by what each lane needs; yields after each lane's
        packing."""
        total_rows = rows_available(height, self.metrics, len(self._lanes))
        # First pass: what each lane would need with all the rows there are.
        lane_items: list[LaneColumns | None] = []
        packings: list[LanePacking | None] = []
        for lane_index in self._lanes:
            count = lane_index.index.count_overlapping(*window)
            if count > self.metrics.density_threshold:
                lane_items.append(None)
                packings.append(None)
                continue
            items = self._columns(lane_index, window, anchor, spp)
            lane_items.append(items)
            packings.append(pack_columns(items, total_rows, badge_width=self.badge_width))
            yield
        needs = [
            2 if packing is None else max(self.metrics.min_rows, packing.rows_used)
            for packing in packings
        ]
        allotted = self._keep_rows(
            _share_rows(needs, total_rows, self.metrics.min_rows), total_rows
        )
        shared: list[tuple[int, LanePacking | None]] = []
        for items, packing, rows in zip(lane_items, packings, allotted, strict=True):
            if items is not None and packing is not None and packing.rows_used > rows:
                packing = pack_columns(items, rows, badge_width=self.badge_width)
                yield
            shared.append((rows, packing))
        return shared

    def _keep_rows(self, allotted: list[int], total: int) -> list[int]:
        """``allotted`` (what each lane needs now, shared out), with each lane given back, as
        far as the rows left of ``total`` go, the rows it had before: lanes that shrank at every
        pause in a zoom moved every lane below them (13 of 120 steps of a zoom into the bundled
        timeline and out, by up to 50 px; a user test called it jumping). Zooming in, lanes
        move only where one needs more rows than it had: in a canvas too short for them all,
        for events it showed under a badge. The rows kept are empty ones, which the bands
        would otherwise share out as spare height. The rows a lane had are those of the
        packing in place, the one on screen (a relayout cut short puts none in place)."""
        if self._cache is None:
            return allotted
        wanted = [
            max(0, plan.rows - rows) for plan, rows in zip(self._cache.lanes, allotted, strict=True)
        ]
        spare = total - sum(allotted)
        if spare <= 0 or not any(wanted):
            return allotted
        more = _share_rows(wanted, spare, 0)
        return [rows + extra for rows, extra in zip(allotted, more, strict=True)]

    def _plan(
        self,
        lane_index: _LaneIndex,
        rows: int,
        packing: LanePacking | None,
        window: tuple[float, float],
        anchor: float,
        spp: float,
    ) -> _LanePlan:
        if packing is None:
            bins = density_bins(lane_index.index.starts, *window, spp, self.metrics.bin_px, anchor)
            nothing = array("d")
            return _LanePlan(
                lane_index.lane_id, rows, None, spp, anchor, window, nothing, 0.0, 0.0, nothing,
                0.0, 0.0, bins, _most(bins),
            )  # fmt: skip
        items = packing.items
        starts = array("d", (min(item.x0, item.label_x0) for item in items))
        period_starts, period_ends = self.timeline.index.starts, self.timeline.index.ends
        longest = lead = 0.0
        for item, start in zip(items, starts, strict=True):
            period_x0 = (period_starts[item.position] - anchor) / spp
            period_x1 = (period_ends[item.position] - anchor) / spp
            longest = max(longest, item.footprint_x1 - start, period_x1 - start)
            lead = max(lead, start - period_x0)
        clusters = packing.clusters
        return _LanePlan(
            lane_index.lane_id, rows, packing, spp, anchor, window, starts, longest, lead,
            array("d", (cluster.x0 for cluster in clusters)),
            max((cluster.x1 - cluster.x0 for cluster in clusters), default=0.0),
            max((cluster.span_x1 - cluster.x0 for cluster in clusters), default=0.0),
            [], 0,
        )  # fmt: skip

    def _slide(
        self, lane_index: _LaneIndex, plan: _LanePlan, window: tuple[float, float]
    ) -> _LanePlan:
        """A density plan moved to ``window`` at its own zoom and anchor."""
        bins = slide_density(
            lane_index.index.starts, plan.bins, plan.window, window,
            plan.seconds_per_pixel, self.metrics.bin_px, plan.anchor,
        )  # fmt: skip
        return plan._replace(window=window, bins=bins, bin_max=_most(bins))

    def _columns(
        self, lane_index: _LaneIndex, window: tuple[float, float], anchor: float, spp: float
    ) -> LaneColumns:
        """The lane's events in ``window``, in layout space, for packing."""
        starts, ends = lane_index.index.starts, lane_index.index.ends
        local = lane_index.index.overlapping(*window)
        positions = [lane_index.positions[i] for i in local]
        flags = self.timeline.columns.flags
        label_width = self.label_width
        return LaneColumns(
            positions,
            [(starts[i] - anchor) / spp for i in local],
            [(ends[i] - anchor) / spp for i in local],
            [bool(flags[position] & SPAN) for position in positions],
            lambda i: label_width(positions[i]),
        )


def _most(bins: Sequence[DensityBin]) -> int:
    """The largest count of any bin (0 for none): what the bars' heights are scaled to."""
    return max(map(attrgetter("count"), bins), default=0)


def _place(item: LaneItem, row: int) -> PlacedItem:
    x0, x1, label_x0, label_x1 = item_boxes(item)
    return PlacedItem(item.position, row, x0, x1, label_x0, label_x1)


def holds(positions: tuple[int, ...], position: int | None) -> bool:
    """Whether an ascending tuple of positions holds ``position`` (bisect: clusters can be big)."""
    if position is None:
        return False
    index = bisect_left(positions, position)
    return index < len(positions) and positions[index] == position


T = TypeVar("T")


def _finish(steps: Generator[None, None, T]) -> T:
    """Run a generator of steps to its end, and return what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def _window(
    scale: TimeScale, spp: float, views_aside: float = 1.0, *, ahead: bool = True
) -> tuple[float, float]:
    """The time range a packing at zoom ``spp`` for this view covers: ``views_aside`` view
    widths either side of the view, widened (``ahead``) for a packing made ahead of a zoom-out
    so that it still covers the view once the zoom reaches it."""
    span = scale.t1 - scale.t0
    middle = (scale.t0 + scale.t1) / 2
    reach = (max(span, scale.width * spp) if ahead else span) / 2 + span * views_aside
    return (middle - reach, middle + reach)


def _widened_within(
    window: tuple[float, float], target: tuple[float, float], scale: TimeScale, most: float
) -> tuple[float, float]:
    """``window`` moved towards ``target``, adding at most ``most`` seconds to it, first on
    the side the view is nearer; a side past the target is cut back to it."""
    left_need = max(0.0, window[0] - target[0])
    right_need = max(0.0, target[1] - window[1])
    if scale.t0 - window[0] <= window[1] - scale.t1:
        left = min(left_need, most)
        right = min(right_need, most - left)
    else:
        right = min(right_need, most)
        left = min(left_need, most - right)
    return (max(target[0], window[0] - left), min(target[1], window[1] + right))


def rows_available(height: float, metrics: SceneMetrics, lanes: int) -> int:
    """The rows that ``lanes`` lanes share in a canvas ``height`` px tall."""
    lanes = max(1, lanes)
    usable = (
        height
        - metrics.axis_height
        - metrics.era_height
        - lanes * (metrics.lane_header + metrics.lane_gap)
    )
    return max(lanes * metrics.min_rows, int(usable // metrics.row_height))


def _share_rows(needs: list[int], total: int, minimum: int) -> list[int]:
    """Rows per lane: each lane gets what it needs when there is room; otherwise the same
    ceiling for all (water filling), so one dense lane cannot squeeze the others out."""
    if sum(needs) <= total:
        return list(needs)
    low, high = minimum, max(needs)
    while low < high:  # the largest ceiling that fits
        mid = (low + high + 1) // 2
        if sum(min(need, mid) for need in needs) <= total:
            low = mid
        else:
            high = mid - 1
    shares = [min(need, low) for need in needs]
    spare = total - sum(shares)
    for position, need in enumerate(needs):  # hand out what is left, one row each
        if spare <= 0:
            break
        if need > shares[position]:
            shares[position] += 1
            spare -= 1
    return shares
