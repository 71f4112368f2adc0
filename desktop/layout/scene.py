"""The canvas's layout for one view, in screen pixels: axis ticks, eras, lane bands, placed events.

The widget paints a :class:`Scene` and asks it what lies under the mouse; everything that needs
arithmetic on dates or rectangles happens here, without Qt, so it is tested without a screen.

Cost per frame is bounded by what is on screen. Events are reached through per-lane range
indices (``bisect``), so a lane with a million events costs a few hundred look-ups; a lane with
more events than it can label shows density bins instead of being packed.

A packing (rows, labels, badges) is made for a window three view-widths wide in a "layout
space" that only shifts when the view pans, and is reused while panning and while zooming in:
zooming in only moves things apart, so a packing made at a coarser zoom stays free of overlaps.
When input pauses the widget asks for a packing made for exactly the view it reached. Zooming
out past a packing with many events in view shows density until then; with few, it repacks at
once, at a ladder step that serves the next frames too.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop.layout.packing import (
    LABEL_PAD,
    MARKER_RADIUS,
    Cluster,
    DensityBin,
    LaneItem,
    LanePacking,
    PlacedItem,
    density_bins,
    item_boxes,
    pack_lane,
)
from desktop.layout.scale import TimeScale
from desktop.layout.ticks import AxisTicks, axis_ticks
from desktop.model.index import EventIndex
from desktop.model.timeline import SPAN, Era, Timeline

Measure = Callable[[str], float]

# A label cut by the window's right edge is shown shortened only if this much of it remains.
MIN_VISIBLE_LABEL = 28.0
# Packings are made at zoom levels this far apart (see ladder_level).
LADDER_RATIO = 2.0
# Up to this many events in view, zooming out repacks at once (it fits in a frame); beyond it,
# lanes show their density until input pauses.
QUICK_REPACK_EVENTS = 2000
# Room kept between a badge and what comes before it in its row, px (packing's default gap).
BADGE_GAP = 6.0


@dataclass(frozen=True, slots=True)
class SceneMetrics:
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


@dataclass(frozen=True, slots=True)
class Hit:
    """What lies under a point: an event, a cluster of hidden events or a density bin."""

    kind: str  # "event", "cluster", "density"
    position: int | None = None  # the event's position, for kind == "event"
    count: int = 0
    t0: float = 0.0  # the time range covered, for clusters and bins (to zoom into)
    t1: float = 0.0


@dataclass(frozen=True)
class LaneBand:
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


@dataclass(frozen=True)
class Scene:
    scale: TimeScale
    height: float
    metrics: SceneMetrics
    ticks: AxisTicks
    eras: tuple[tuple[Era, float, float], ...]  # with their screen x0, x1
    lanes: tuple[LaneBand, ...]
    visible_count: int
    total_count: int

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
        (but never past the bar's end); a marker that is off-screen to the left takes its label
        with it; a label cut by the right edge is shortened (the painter elides it), or hidden
        when too little of it would show.
        """
        if item.label_x1 <= item.label_x0:
            return None
        left, top, right, bottom = self.label_box(band, item)
        width = self.scale.width
        shape_x1 = item.x1
        if shape_x1 < 0:  # the marker or bar is off-screen left: its label would float free
            return None
        if left < LABEL_PAD and item.label_x0 < item.x1:  # a label inside its bar
            shift = min(LABEL_PAD - left, max(0.0, shape_x1 - right))
            left, right = left + shift, right + shift
        if right > width:
            right = width - 2
        if right - left < MIN_VISIBLE_LABEL or right <= 0:
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

    def hit(self, x: float, y: float) -> Hit | None:
        """The event, cluster or density bin under (x, y), preferring shapes over labels."""
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
                    return Hit(
                        "cluster",
                        count=cluster.count,
                        t0=self.scale.t(cluster.span_x0),
                        t1=self.scale.t(cluster.span_x1),
                    )
            return None
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


@dataclass(frozen=True)
class _LaneIndex:
    lane_id: str
    positions: array  # timeline positions of this lane's events, in start order
    index: EventIndex


@dataclass(frozen=True)
class _LanePlan:
    """One lane of a cached packing, in layout space, with what finds its visible part."""

    lane_id: str
    rows: int
    packing: LanePacking | None  # None: the lane shows density bins
    footprint_starts: array = field(default_factory=lambda: array("d"))  # per item, ascending
    longest_footprint: float = 0.0
    bins: list[DensityBin] = field(default_factory=list)  # for a density lane, over the window
    bin_max: int = 0


@dataclass
class _PackingCache:
    seconds_per_pixel: float  # the zoom level the packing was made at (a ladder step)
    height: float
    anchor: float  # the time at layout x = 0
    window: tuple[float, float]  # the time range the packings cover
    lanes: list[_LanePlan] = field(default_factory=list)


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
        self.metrics = metrics
        self._label_widths: dict[int, float] = {}
        self._badge_widths: dict[int, float] = {}
        self._cache: _PackingCache | None = None
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

    def label_extents(self, t0: float, t1: float, limit: int = 500) -> list[tuple[float, float]]:
        """(where the label starts in time, its width in px + the marker) for the last events
        before t1, for fitting a range so their titles are not cut by the edge."""
        index = self.timeline.index
        flags = self.timeline.columns.flags
        positions = index.overlapping(t1 - (t1 - t0) * 0.3, t1)[-limit:]
        room = 2 * MARKER_RADIUS + LABEL_PAD + 8
        extents = []
        for position in positions:
            start, end = index.starts[position], index.ends[position]
            anchor = start if flags[position] & SPAN else (start + end) / 2
            extents.append((anchor, self.label_width(position) + room))
        return extents

    # -- scene ----------------------------------------------------------------------------
    def needs_relayout(self, scale: TimeScale, height: float) -> bool:
        """Whether a packing made for this very view would be better than the cached one: the
        cache is from a coarser zoom (more clustered than needed) or the view is near the edge
        of the cached window. The widget relayouts when input pauses."""
        cache = self._cache
        if cache is None or cache.height != height:
            return True
        if abs(cache.seconds_per_pixel / scale.seconds_per_pixel - 1) > 1e-4:
            return True  # finer than needed (zoomed in) or shown as density (zoomed out)
        span = scale.t1 - scale.t0
        return scale.t0 - cache.window[0] < span / 2 or cache.window[1] - scale.t1 < span / 2

    def relayout(self, scale: TimeScale, height: float) -> None:
        """Pack for exactly this view: the best layout, for when input pauses or jumps."""
        self._cache = self._pack(scale, height, scale.seconds_per_pixel)

    def build(self, scale: TimeScale, height: float) -> Scene:
        metrics = self.metrics
        ticks = axis_ticks(scale.t0, scale.t1, scale.width, self.measure)
        cache = self._cache
        spp = scale.seconds_per_pixel
        zoomed_out = (
            cache is not None
            and cache.height == height
            and cache.seconds_per_pixel < spp * 0.9999
            # Few events repack within a frame: they keep their labels while zooming out.
            and self.timeline.index.count_overlapping(scale.t0, scale.t1) > QUICK_REPACK_EVENTS
        )
        if cache is None or (
            not zoomed_out
            and (
                cache.height != height
                or cache.seconds_per_pixel < spp * 0.9999
                or not (cache.window[0] <= scale.t0 and scale.t1 <= cache.window[1])
            )
        ):
            # Nothing to reuse (or panned off the packing): pack at the ladder step at or above
            # this zoom, which then serves every frame until the zoom passes it.
            cache = self._pack(scale, height, ladder_level(spp))
            self._cache = cache
        stretch = cache.seconds_per_pixel / spp  # >= 1: the packing only moves apart
        offset = (cache.anchor - scale.t0) / spp
        lanes = []
        y = metrics.axis_height + metrics.era_height
        extra = self._extra_space(cache, height)
        for lane_index, plan in zip(self._lanes, cache.lanes, strict=True):
            lane = self.timeline.lane(plan.lane_id)
            band_height = metrics.lane_header + plan.rows * metrics.row_height + extra
            bins: Sequence[DensityBin] = ()
            packing = None
            bin_max, bin_stretch, bin_offset = plan.bin_max, stretch, offset
            if zoomed_out:
                # Zooming out compresses a packing into overlaps, and repacking every lane
                # costs more than a frame: while the zoom goes on, every lane shows its density
                # (counted for this very view), and labels return when input pauses.
                bins = density_bins(
                    lane_index.index.starts, scale.t0, scale.t1, spp, metrics.bin_px, scale.t0
                )
                bin_max = max((density_bin.count for density_bin in bins), default=0)
                bin_stretch, bin_offset = 1.0, 0.0
            elif plan.packing is None:
                # The whole window's bins, the same list for every frame until the next packing,
                # so the painter can keep what it made of them; it clips to the screen.
                bins = plan.bins
            else:
                packing = self._on_screen(plan, scale, stretch, offset)
            lanes.append(
                LaneBand(
                    lane_id=plan.lane_id,
                    name=lane.name if lane else "Other events",
                    color=lane.color if lane else "#999999",
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
            visible_count=self.timeline.index.count_overlapping(scale.t0, scale.t1),
            total_count=len(self.timeline.events),
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
        first = bisect_left(plan.footprint_starts, left - plan.longest_footprint)
        last = bisect_right(plan.footprint_starts, right)
        entries: list[tuple[float, int, PlacedItem | Cluster]] = []
        to_screen = scale.x
        for item in plan.packing.items[first:last]:
            position = item.position
            moved = _place(
                LaneItem(
                    position,
                    to_screen(index.starts[position]),
                    to_screen(index.ends[position]),
                    bool(flags[position] & SPAN),
                    item.label_x1 - item.label_x0,
                ),
                item.row,
            )
            if moved.footprint_x1 >= -margin and moved.x0 <= scale.width + margin:
                entries.append((moved.x0, 0, moved))
        for cluster in plan.packing.clusters:
            x0 = cluster.x0 * stretch + offset
            width = cluster.x1 - cluster.x0
            if x0 + width < -margin or x0 > scale.width + margin:
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
        entries.sort(key=lambda entry: (entry[2].row, entry[0], entry[1]))
        items: list[PlacedItem] = []
        clusters: list[Cluster] = []
        row_end: dict[int, float] = {}
        gap = BADGE_GAP
        for _, _, entry in entries:
            if isinstance(entry, Cluster):
                end = row_end.get(entry.row)
                if end is not None and entry.x0 < end + gap:
                    shift = end + gap - entry.x0
                    entry = Cluster(
                        entry.row, entry.x0 + shift, entry.x1 + shift, entry.count,
                        entry.positions, entry.span_x0, entry.span_x1,
                    )  # fmt: skip
                clusters.append(entry)
                row_end[entry.row] = entry.x1
            else:
                items.append(entry)
                row_end[entry.row] = max(row_end.get(entry.row, entry.x0), entry.footprint_x1)
        return LanePacking(plan.packing.rows_used, tuple(items), tuple(clusters))

    def _rows_available(self, height: float) -> int:
        metrics = self.metrics
        lanes = max(1, len(self._lanes))
        usable = (
            height
            - metrics.axis_height
            - metrics.era_height
            - lanes * (metrics.lane_header + metrics.lane_gap)
        )
        return max(lanes * metrics.min_rows, int(usable // metrics.row_height))

    def _extra_space(self, cache: _PackingCache, height: float) -> float:
        """Spare height shared among the lanes so the bands fill the canvas."""
        metrics = self.metrics
        used = (
            metrics.axis_height
            + metrics.era_height
            + sum(metrics.lane_header + plan.rows * metrics.row_height + metrics.lane_gap
                  for plan in cache.lanes)
        )  # fmt: skip
        return max(0.0, (height - used) / max(1, len(cache.lanes)))

    def _pack(self, scale: TimeScale, height: float, spp: float) -> _PackingCache:
        span = scale.t1 - scale.t0
        window = (scale.t0 - span, scale.t1 + span)
        anchor = scale.t0
        total_rows = self._rows_available(height)
        # First pass: what each lane would need with all the rows there are.
        lane_items: list[list[LaneItem] | None] = []
        packings: list[LanePacking | None] = []
        for lane_index in self._lanes:
            count = lane_index.index.count_overlapping(*window)
            if count > self.metrics.density_threshold:
                lane_items.append(None)
                packings.append(None)
                continue
            items = self._items(lane_index, window, anchor, spp)
            lane_items.append(items)
            packings.append(pack_lane(items, total_rows, badge_width=self.badge_width))
        needs = [
            2 if packing is None else max(self.metrics.min_rows, packing.rows_used)
            for packing in packings
        ]
        allotted = _share_rows(needs, total_rows, self.metrics.min_rows)
        cache = _PackingCache(spp, height, anchor, window)
        for lane_index, items, packing, rows in zip(
            self._lanes, lane_items, packings, allotted, strict=True
        ):
            if items is not None and packing is not None and packing.rows_used > rows:
                packing = pack_lane(items, rows, badge_width=self.badge_width)
            if packing is None:
                bins = density_bins(
                    lane_index.index.starts, *window, spp, self.metrics.bin_px, anchor
                )
                cache.lanes.append(
                    _LanePlan(
                        lane_index.lane_id,
                        rows,
                        None,
                        bins=bins,
                        bin_max=max((density_bin.count for density_bin in bins), default=0),
                    )
                )
            else:
                cache.lanes.append(_plan(lane_index.lane_id, rows, packing))
        return cache

    def _items(
        self, lane_index: _LaneIndex, window: tuple[float, float], anchor: float, spp: float
    ) -> list[LaneItem]:
        starts, ends = lane_index.index.starts, lane_index.index.ends
        flags = self.timeline.columns.flags
        items = []
        for local in lane_index.index.overlapping(*window):
            position = lane_index.positions[local]
            items.append(
                LaneItem(
                    position=position,
                    x0=(starts[local] - anchor) / spp,
                    x1=(ends[local] - anchor) / spp,
                    is_span=bool(flags[position] & SPAN),
                    label_width=self.label_width(position),
                )
            )
        return items


def _place(item: LaneItem, row: int) -> PlacedItem:
    x0, x1, label_x0, label_x1 = item_boxes(item)
    return PlacedItem(item.position, row, x0, x1, label_x0, label_x1)


def _plan(lane_id: str, rows: int, packing: LanePacking) -> _LanePlan:
    starts = array("d", (min(item.x0, item.label_x0) for item in packing.items))
    longest = max(
        (item.footprint_x1 - start for item, start in zip(packing.items, starts, strict=True)),
        default=0.0,
    )
    return _LanePlan(lane_id, rows, packing, starts, longest)


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
