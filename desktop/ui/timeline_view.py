"""The timeline canvas: painting and input. Layout and date arithmetic live in desktop.layout.

Input becomes a new :class:`TimeScale` (zoom, pan) or a new selection; the scene for the current
scale is built lazily on paint and kept until something changes, so repeated paints (hover,
expose) reuse it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from desktop import heap
from desktop.layout.scale import TimeScale, fit
from desktop.layout.scene import Hit, Scene, SceneBuilder
from desktop.model.calendar import SECONDS_PER_DAY
from desktop.model.timeline import SPAN, Timeline
from desktop.ui.renderer import SELECTION_RING_RADIUS, Highlight, SceneRenderer, metrics_for

if TYPE_CHECKING:
    from PySide6.QtGui import QHideEvent  # a type only: making its class costs start-up
    from PySide6.QtWidgets import QScrollBar

# One wheel notch (120 units) zooms by 1.0015 ** 120 ≈ 1.2, as in The Timeline Project.
WHEEL_ZOOM_BASE = 1.0015
KEY_ZOOM_FACTOR = 1.5
DRAG_THRESHOLD = 4  # pixels a press may move and still count as a click
RELAYOUT_DELAY_MS = 90
RELAYOUT_SLICE_S = 0.004  # how long a relayout may hold the event loop at a time
# Zooming out stops at this many times the timeline's extent, and no closer than a year: beyond
# that, every event is on a few pixels and there is nothing more to see.
ZOOM_OUT_EXTENTS = 10.0
ZOOM_OUT_AT_LEAST = 366 * 86_400.0
# Zooms into the badge counting an event selected elsewhere (each as a click on it makes) before
# it is drawn over the badge it is still in: a badge found again at each zoom is one of events
# too close to spread.
BADGE_SPREADS_AT_MOST = 3
# A badge of at most this many events is spread with room for its titles where that still spreads
# it (one of more needs several zooms, and looking for its events among the badges would cost).
SPREAD_WITH_TITLES_AT_MOST = 50
# A badge that zooming cannot spread lists this many of its events, in a menu that scrolls
# rather than run off the screen (at most this share of the window's height).
CLUSTER_MENU_ITEMS = 500
CLUSTER_MENU_HEIGHT = 0.7
MARK_MS = 4000  # how long the band marking a date gone to stays


def _alone_in(hit: Hit) -> int | None:
    """The one event of a "+1" badge, which a click or a hover treats as the event itself."""
    return hit.positions[0] if hit.kind == "cluster" and len(hit.positions) == 1 else None


class TimelineView(QWidget):
    selection_changed = Signal(object)  # int | None: the selected event's position
    view_changed = Signal(object)  # TimeScale
    hovered_changed = Signal(object)  # int | None
    lane_revealed = Signal(str)  # a hidden lane's id, shown again for an event chosen in it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 200)
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "Zoom with the wheel or Ctrl+plus and Ctrl+minus, pan with the arrow keys, "
            "move between events with Tab or the up and down arrows, scroll lanes taller "
            "than the window with Page Up and Page Down."
        )
        self.timeline: Timeline | None = None
        self._builder: SceneBuilder | None = None
        self._scale: TimeScale | None = None
        self._scene: Scene | None = None
        self._renderer: SceneRenderer | None = None
        self.highlight = Highlight()
        self._press: QPointF | None = None
        self._press_scale: TimeScale | None = None
        self._dragging = False
        self._rubber_start: float | None = None
        self.hidden_lanes: frozenset[str] = frozenset()
        # While the user zooms in, frames reuse the packing of a coarser zoom (still free of
        # overlaps); when input pauses, the layout is redone for the zoom reached.
        self._relayout_timer = QTimer(self, singleShot=True, interval=RELAYOUT_DELAY_MS)
        self._relayout_timer.timeout.connect(self.relayout)
        self._fresh_layout = False
        self._relayout_steps: Generator[None, None, None] | None = None  # one under way
        self._relayout_turn_queued = False
        # A range asked for by the program (open, fit all) is kept fitted across resizes until
        # the user zooms or pans: a window that opens, then takes its real size, still shows it.
        self._fitted: tuple[float, float, bool] | None = None
        self._settle_heap = False
        self._holding_collector = False  # see _hold_collector
        self.cluster_menu: QWidget | None = None  # the last badge's list (see list_cluster)
        self._unmark_timer = QTimer(self, singleShot=True, interval=MARK_MS)
        self._unmark_timer.timeout.connect(lambda: self.mark(None))
        # Lanes taller than the canvas scroll under the axis (from a user test: in a window
        # under ~450 px the last lanes were cut off, out of reach). The bar is made the first
        # time they do; a window that fits them never pays for it.
        self._lane_scroll = 0.0  # px, within the overflow (kept there by the scene too)
        self._press_lane_scroll = 0.0
        self._scroll_bar: QScrollBar | None = None
        self._scroll_bar_synced: tuple[float, float, int, int] | None = None
        self._scroll_bar_due = False

    # -- model --------------------------------------------------------------------------------
    def set_timeline(
        self,
        timeline: Timeline | None,
        view_range: tuple[float, float] | None = None,
        *,
        keep_hidden_lanes: bool = False,
    ) -> None:
        """Show ``timeline``; a reload of the same file keeps the lanes the user hid."""
        self.timeline = timeline
        self.highlight = Highlight()
        if not keep_hidden_lanes:
            self.hidden_lanes = frozenset()
        self._builder = None
        self._cancel_relayout()
        self._scene = None
        self._lane_scroll = 0.0
        if timeline is not None:
            target = view_range or timeline.initial_range() or (0.0, SECONDS_PER_DAY)
            self.set_range(*target, margin=view_range is None)
        # The timeline and its indices live until the next one: out of the collector's walks,
        # once it is on screen (a full collection costs ~8 ms the first frame need not wait).
        self._settle_heap = timeline is not None
        self.update()
        self.selection_changed.emit(None)

    def _ensure_builder(self) -> SceneBuilder | None:
        if self._builder is None and self.timeline is not None:
            font_metrics = QFontMetricsF(self.font())
            self._builder = SceneBuilder(
                self.timeline,
                font_metrics.horizontalAdvance,
                metrics_for(font_metrics),
                hidden_lanes=self.hidden_lanes,
            )
        return self._builder

    def set_lane_shown(self, lane_id: str, shown: bool) -> None:
        """Show or hide a lane; hiding the selected event's lane clears the selection."""
        hidden = self.hidden_lanes - {lane_id} if shown else self.hidden_lanes | {lane_id}
        if hidden != self.hidden_lanes:
            selected = self.highlight.selected
            if not shown and selected is not None and self._lane_of(selected) == lane_id:
                self.select(None)
            kept = self._top_lane_on_screen(besides=lane_id)
            self.hidden_lanes = hidden
            self._builder = None
            self._cancel_relayout()
            self._scene = None
            if kept is not None:
                self._keep_lane_in_place(*kept)
            self.update()
            if self._scale is not None:
                self.view_changed.emit(self._scale)

    def _top_lane_on_screen(self, besides: str) -> tuple[str, float] | None:
        """The first lane other than ``besides`` on screen and where it is, while the lanes
        are scrolled; None when they are not."""
        scene = self._scene
        if scene is None or not scene.scroll:
            return None
        return next(
            (
                (band.lane_id, band.y0)
                for band in scene.lanes_on_screen()
                if band.lane_id != besides
            ),
            None,
        )

    def _keep_lane_in_place(self, lane_id: str, y0: float) -> None:
        """Scroll so the lane is where it was (from a user test: hiding a lane above the
        view moved every lane on screen up by one, as the scroll stayed put)."""
        scene = self.scene()
        band = scene.band(lane_id) if scene is not None else None
        if band is not None:
            self.scroll_lanes_to(self._lane_scroll + band.y0 - y0)

    def show_all_lanes(self) -> None:
        for lane_id in list(self.hidden_lanes):
            self.set_lane_shown(lane_id, True)

    @property
    def scale(self) -> TimeScale | None:
        return self._scale

    def scene(self) -> Scene | None:
        """The layout of what is on screen now (built on demand; tests read it)."""
        builder = self._ensure_builder()
        if builder is None or self._scale is None:
            return None
        if self._fresh_layout:
            builder.relayout(self._scale, self.height())
            self._fresh_layout = False
            self._scene = None
        if (
            self._scene is None
            or self._scene.scale != self._scale
            or self._scene.height != self.height()
            or self._scene.scroll != self._lane_scroll
        ):
            scene = builder.build(self._scale, self.height(), self._lane_scroll)
            if scene.overflow:  # titles end before the scroll bar rather than under it
                scene = scene._replace(right_inset=self._scroll_bar_width())
            self._scene = scene
            self._lane_scroll = scene.scroll  # as far as the lanes can scroll now
        return self._scene

    # -- lanes taller than the canvas -----------------------------------------------------------
    @property
    def lane_scroll(self) -> float:
        """How far the lanes are scrolled up under the axis, px."""
        return self._lane_scroll

    def scroll_lanes_to(self, scroll: float) -> None:
        """Scroll the lanes, as far as they overflow the canvas."""
        scene = self.scene()
        scroll = min(max(scroll, 0.0), scene.overflow if scene is not None else 0.0)
        if scroll != self._lane_scroll:
            self._lane_scroll = scroll
            self.update()

    def scroll_lanes_by_pages(self, pages: int) -> bool:
        """Scroll the lanes ``pages`` screenfuls down (up if negative), less a row that stays
        in sight; whether they overflow the canvas, so that there is anything to scroll."""
        scene = self.scene()
        if scene is None or not scene.overflow:
            return False
        page = scene.height - scene.lanes_top - scene.metrics.row_height
        self.scroll_lanes_to(scene.scroll + pages * page)
        return True

    def _reveal_lane_of(self, position: int) -> None:
        """Scroll the event's lane into view: its name and the event's row, or the event alone
        if both do not fit."""
        scene = self.scene()
        if scene is None or not scene.overflow:
            return
        band = scene.band(self._lane_of(position))
        if band is None:
            return
        row = scene.metrics.row_height
        centre = scene.event_center(position)
        top, bottom = (centre[1] - row / 2, centre[1] + row / 2) if centre else (band.y0, band.y1)
        if bottom - band.y0 <= scene.height - scene.lanes_top:
            top = band.y0
        self.scroll_lanes_to(scene.scroll_revealing(top, bottom))

    def _scroll_bar_width(self) -> int:
        """The lanes' scroll bar's width, with the pixel of the focus frame beside it."""
        from PySide6.QtWidgets import QStyle  # here: most windows never need it (~5 ms)

        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self) + 1

    def _scroll_bar_state(self, scene: Scene) -> tuple[float, float, int, int] | None:
        """What the lanes' scroll bar shows for ``scene``; None: no bar (nothing overflows)."""
        if not scene.overflow:
            return None
        return (scene.overflow, scene.scroll, self.width(), self.height())

    def _sync_scroll_bar(self) -> None:
        """Show, place and set the lanes' scroll bar for the scene on screen (queued from
        paintEvent: a child widget is not to be moved while its parent paints)."""
        self._scroll_bar_due = False
        scene = self._scene
        if scene is None:
            return
        self._scroll_bar_synced = self._scroll_bar_state(scene)
        bar = self._scroll_bar
        if bar is None and not scene.overflow:
            return
        if bar is None:
            from PySide6.QtWidgets import QScrollBar  # here: most windows never need it

            bar = self._scroll_bar = QScrollBar(Qt.Orientation.Vertical, self)
            bar.setAccessibleName("Lanes")
            bar.valueChanged.connect(self.scroll_lanes_to)
        if not scene.overflow:
            bar.hide()
            return
        # Inside the focus frame (a pixel wide at the canvas's edges), under the era strip.
        top = round(scene.lanes_top)
        page = self.height() - top - 1
        width = round(scene.right_inset) - 1
        bar.setGeometry(self.width() - 1 - width, top, width, page)
        bar.blockSignals(True)  # the scene's scroll is set already
        bar.setRange(0, math.ceil(scene.overflow))
        bar.setPageStep(page)
        bar.setSingleStep(round(scene.metrics.row_height))
        bar.setValue(round(scene.scroll))
        bar.blockSignals(False)
        bar.show()

    # -- view changes ---------------------------------------------------------------------------
    def _apply(self, scale: TimeScale) -> None:
        if scale == self._scale:
            return
        self._cancel_relayout()  # it was for the view being left
        self._scale = scale
        self.update()
        self.view_changed.emit(scale)

    def set_range(self, t0: float, t1: float, *, margin: bool = True) -> None:
        """Show [t0, t1] (with a margin, and room for the last titles, when ``margin``).

        A jump asks for a layout made for the new view at once; only continuous input (wheel,
        drag, keys) reuses the previous packing until it pauses.
        """
        self._fresh_layout = True
        self._fitted = (t0, t1, margin)
        self._fit(t0, t1, margin)

    def _fit(self, t0: float, t1: float, margin: bool) -> None:
        width = max(1, self.width())
        builder = self._ensure_builder()
        if margin and builder is not None:
            self._apply(builder.fit_with_titles(t0, t1, width, self.height()))
        elif margin:
            self._apply(fit(t0, t1, width))
        else:
            # Exactly [t0, t1], but within the zoom and axis limits like every other change: a
            # rubber band at the closest zoom or a range from an edited settings file may not be.
            self._apply(fit(t0, t1, width, margin_fraction=0.0))

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom by ``factor`` about ``anchor_x`` (by default the selected event on screen, else
        the centre); out, no further than ZOOM_OUT_EXTENTS times
        the timeline's extent (from a user test: the wheel went on out to billions of years
        around a timeline of three, all its events on one pixel)."""
        if self._scale is None:
            return
        widest = self._widest_span()
        if factor < 1 and self._scale.span / factor > widest:
            if self._scale.span >= widest:
                return  # at the limit already (or past it, shown so by a jump)
            factor = self._scale.span / widest
        self._fitted = None
        anchor = self._selection_or_centre() if anchor_x is None else anchor_x
        self._apply(self._scale.zoomed(factor, anchor))

    def _selection_or_centre(self) -> float:
        """Where a zoom from the keyboard or the toolbar keeps its place: the selected event,
        when it is drawn on screen (from a user test: zooming in around the centre pushed it
        out of view), else the centre."""
        selected = self.highlight.selected
        if selected is not None and (scene := self.scene()) is not None:
            centre = scene.event_center(selected)
            if centre is not None and 0 <= centre[0] <= self.width():
                return centre[0]
        return self.width() / 2

    def _widest_span(self) -> float:
        """The widest view zooming out reaches: ZOOM_OUT_EXTENTS times the timeline's extent,
        and at least a year."""
        extent = self.timeline.extent() if self.timeline is not None else None
        reach = (extent[1] - extent[0]) * ZOOM_OUT_EXTENTS if extent is not None else 0.0
        return max(reach, ZOOM_OUT_AT_LEAST)

    def pan_pixels(self, dx: float) -> None:
        self._fitted = None
        if self._scale is not None:
            self._apply(self._scale.panned(dx))

    def fit_all(self) -> None:
        if self.timeline is not None:
            extent = self.timeline.extent()
            if extent is not None:
                self.set_range(*extent)

    def zoom_to_event(self, position: int) -> None:
        """Show the event with room around it: its span, or a few periods of its precision."""
        if self.timeline is None:
            return
        event = self.timeline.events[position]
        t0, t1 = event.when.start_seconds(), event.when.end_seconds()
        context = (t1 - t0) * (0.5 if event.is_span else 2.0)
        self.set_range(t0 - context, t1 + context, margin=False)

    def ensure_visible(self, position: int) -> None:
        """Pan (keeping the zoom) so the event is on screen, or zoom out if it cannot fit; then,
        if a "+N" badge counts it, zoom in as a click on the badge does, until it shows; and
        scroll its lane into view if the lanes overflow the canvas."""
        self._bring_into_view(position)
        # From a user test: an event picked in the Events list, or with Tab, inside a badge was
        # drawn over the badge, hiding the badge's other events and covering its neighbours.
        for _ in range(BADGE_SPREADS_AT_MOST):
            scene = self.scene()
            badge = scene.cluster_holding(position) if scene is not None else None
            if badge is None or not self._zoom_spreads(badge):
                break  # alone, or in a badge no zoom spreads: drawn over it (the renderer)
            self._spread(badge)
        self._reveal_lane_of(position)

    def _bring_into_view(self, position: int) -> None:
        if self.timeline is None or self._scale is None:
            return
        event = self.timeline.events[position]
        t0, t1 = event.when.start_seconds(), event.when.end_seconds()
        scale = self._scale
        span = scale.t1 - scale.t0
        # Its date from its start, and its title after its marker (as much of it as a third
        # of the view), on screen is enough. Panning an event to the middle from near an edge
        # pushed others out (the last one, after Fit All and Tab to the first).
        builder = self._ensure_builder()
        anchor, title = builder.label_extent(position) if builder is not None else (t0, 0.0)
        if t0 >= scale.t0 and scale.x(anchor) + min(title, scale.width / 3) <= scale.width:
            # A marker cut by the left edge (the first event after the view's start, picked
            # by Next Event) comes whole into view, ring and all, with the least pan.
            cut = 0.0 if event.is_span else SELECTION_RING_RADIUS + 2 - scale.x(anchor)
            if cut > 0:
                self._fitted = None
                self._apply(scale.panned(cut))
            return
        # A long span already across much of the view is in sight too, its title sliding along
        # its bar: zooming out to all of it would show its lane as a density, the span in none
        # (picked from the left edge's badge of spans begun before the view, say).
        if event.is_span and min(t1, scale.t1) - max(t0, scale.t0) >= span / 3:
            return
        if t1 - t0 > span * 0.8:
            self.zoom_to_event(position)
            return
        middle = (t0 + t1) / 2
        self._fitted = None
        self._apply(scale.with_range(middle - span / 2, middle + span / 2))

    # -- selection ------------------------------------------------------------------------------
    @property
    def selected(self) -> int | None:
        return self.highlight.selected

    def mark(self, period: tuple[float, float] | None) -> None:
        """Mark the times ``period`` (t0, t1) for MARK_MS, as a band across the lanes: where Go
        to Date went. None takes the mark away."""
        self.highlight.marked = period
        if period is not None:
            self._unmark_timer.start()
        self.update()

    def select(self, position: int | None, *, reveal: bool = True) -> None:
        if self.timeline is None:
            return
        if position is not None and not 0 <= position < len(self.timeline.events):
            raise IndexError(position)
        if position is not None and reveal and self._lane_of(position) in self.hidden_lanes:
            self.set_lane_shown(self._lane_of(position), True)  # chosen elsewhere: show it
            self.lane_revealed.emit(self._lane_of(position))
        changed = position != self.highlight.selected
        self.highlight.selected = position
        if position is not None and reveal:
            self.ensure_visible(position)
        self.update()
        if changed:
            self.selection_changed.emit(position)

    def step_selection(self, step: int) -> bool:
        """Select the next (step 1) or previous (-1) event in time, from the selection or view,
        passing over the events of hidden lanes. Whether it did: not past either end."""
        if self.timeline is None or not self.timeline.events:
            return False
        count = len(self.timeline.events)
        current = self.highlight.selected
        if current is not None:
            target = self._shown_from(current + step, step)
        else:
            scale = self._scale
            index = self.timeline.index
            if scale is None:
                start = 0 if step > 0 else count - 1
            elif step > 0:
                found = index.first_after(scale.t0 - 1e-9)
                start = found if found is not None else count - 1
            else:
                found = index.last_before(scale.t1)
                start = found if found is not None else 0
            target = self._shown_from(start, step)
            if target is None:  # none that way from the view: the nearest the other way
                target = self._shown_from(start, -step)
        if target is None:
            return False
        self.select(target)
        return True

    def select_edge(self, last: bool) -> None:
        """Select the first or last event in time of the lanes shown."""
        if self.timeline is not None and self.timeline.events:
            start = len(self.timeline.events) - 1 if last else 0
            target = self._shown_from(start, -1 if last else 1)
            if target is not None:
                self.select(target)

    def _lane_of(self, position: int) -> str:
        assert self.timeline is not None
        return self.timeline.lane_order()[self.timeline.columns.lane_slots[position]]

    def _shown_from(self, position: int, step: int) -> int | None:
        """The first event from ``position`` on, going ``step`` (1 or -1), whose lane is shown;
        None when there is none that way."""
        assert self.timeline is not None
        count = len(self.timeline.events)
        if not self.hidden_lanes:
            return position if 0 <= position < count else None
        hidden = {
            slot
            for slot, lane_id in enumerate(self.timeline.lane_order())
            if lane_id in self.hidden_lanes
        }
        slots = self.timeline.columns.lane_slots
        while 0 <= position < count:
            if slots[position] not in hidden:
                return position
            position += step
        return None

    # -- Qt events -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        scene = self.scene()
        if scene is None or self.timeline is None:
            painter.fillRect(self.rect(), self.palette().base())
            painter.setPen(self.palette().text().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No timeline open")
            painter.end()
            return
        if self._renderer is None:
            self._renderer = SceneRenderer(self.palette(), self.font())
        self._renderer.paint(painter, scene, self.timeline, self.highlight)
        if self._scroll_bar_state(scene) != self._scroll_bar_synced and not self._scroll_bar_due:
            self._scroll_bar_due = True
            QTimer.singleShot(0, self._sync_scroll_bar)
        if self._builder is not None and self._builder.needs_relayout(scene.scale, scene.height):
            self._relayout_timer.start()  # restarted by every frame: runs once input pauses
            self._hold_collector()
        if self.hasFocus():
            painter.setPen(self.palette().highlight().color())
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()
        if self._settle_heap:
            self._settle_heap = False
            QTimer.singleShot(0, heap.settle)

    def relayout(self) -> None:
        """Redo the layout for exactly the current view (runs when input pauses), a few lanes
        per turn of the event loop: at 100k events it takes tens of milliseconds, and input
        that comes meanwhile should not wait for it. Frames keep the packing there is until the
        new one is complete; a change of view drops it half-done."""
        self._release_collector()
        self._cancel_relayout()
        if self._builder is not None and self._scale is not None:
            self._relayout_steps = self._builder.relayout_steps(self._scale, self.height())
            self._continue_relayout()

    @property
    def relayout_pending(self) -> bool:
        """Whether a relayout is under way, waiting for the event loop's next turns."""
        return self._relayout_steps is not None

    def _continue_relayout(self) -> None:
        self._relayout_turn_queued = False
        steps = self._relayout_steps
        if steps is None:
            return
        deadline = time.perf_counter() + RELAYOUT_SLICE_S
        for _ in steps:
            if time.perf_counter() >= deadline:
                # One queued turn at a time: a relayout restarted while one is queued (the
                # view changed, then paused again) goes on from that turn.
                if not self._relayout_turn_queued:
                    self._relayout_turn_queued = True
                    QTimer.singleShot(0, self._continue_relayout)
                return
        self._relayout_steps = None
        self._scene = None
        self.update()

    def _hold_collector(self) -> None:
        """Keep Python's cycle collector out of the frames while input goes on, until it
        pauses (:meth:`relayout`) or the canvas is hidden. Its passes over the young objects
        landed in a frame in three of four of the slowest frames of the benchmark's sweeps at
        100,000 events, each 2–12% of that frame's work, and frames make no garbage in
        cycles: none was found after 550 frames of zooming and panning with it off."""
        if not self._holding_collector:
            self._holding_collector = True
            heap.pause()

    def _release_collector(self) -> None:
        if self._holding_collector:
            self._holding_collector = False
            heap.resume()

    def hideEvent(self, event: QHideEvent) -> None:
        self._release_collector()  # no frames to keep it from, and no pause to come
        super().hideEvent(event)

    def _cancel_relayout(self) -> None:
        if self._relayout_steps is not None:
            self._relayout_steps.close()
            self._relayout_steps = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._renderer = None
            self._builder = None
            self._cancel_relayout()
            self._scene = None
            self.update()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = max(1, event.size().width())
        if self._fitted is not None:
            self._fit(*self._fitted)
        elif self._scale is not None:
            self._apply(self._kept_selection(self._scale, self._scale.resized(width)))
        super().resizeEvent(event)

    def _kept_selection(self, before: TimeScale, after: TimeScale) -> TimeScale:
        """``after``, moved to keep the selected event on screen if it was before: a window
        made narrower keeps its left edge, and would drop a selection near its right one."""
        selected = self.highlight.selected
        if selected is None or self.timeline is None:
            return after
        start, end = self.timeline.index.starts[selected], self.timeline.index.ends[selected]
        t = start if self.timeline.columns.flags[selected] & SPAN else (start + end) / 2
        if not before.t0 <= t <= before.t1 or after.t0 <= t <= after.t1:
            return after
        t0 = t - (t - before.t0) / before.span * after.span  # where it was, in proportion
        return after.with_range(t0, t0 + after.span)

    def wheelEvent(self, event: QWheelEvent) -> None:
        bar = self._scroll_bar
        if (
            bar is not None
            and bar.isVisible()
            and bar.geometry().contains(event.position().toPoint())
        ):
            # The lanes' scroll bar passes on the wheel it cannot use (at either end): from a
            # user test, a few notches too many there zoomed the timeline.
            event.accept()
            return
        delta = event.angleDelta()
        horizontal = delta.x()
        vertical = delta.y()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and not horizontal:
            horizontal, vertical = vertical, 0
        if horizontal:
            pixel = event.pixelDelta().x()
            self.pan_pixels(pixel if pixel else horizontal / 120 * self.width() * 0.1)
        if vertical:
            self.zoom(math.pow(WHEEL_ZOOM_BASE, vertical), self._zoom_anchor(event.position()))
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.NativeGesture:
            gesture = event  # touchpad pinch
            assert isinstance(gesture, QNativeGestureEvent)
            if gesture.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.zoom(1.0 + gesture.value(), self._zoom_anchor(gesture.position()))
                return True
        return super().event(event)

    def _zoom_anchor(self, pointer: QPointF) -> float:
        """The x a zoom at the pointer keeps in place: the event's under it, if any, else the
        pointer's. Far out a pixel is millions of years, and a pointer on an event's label
        can be ages from its date: zooming there lost the event it was on."""
        hit = self._hit(pointer)
        if hit is not None and hit.kind == "event" and self._scene is not None:
            assert hit.position is not None
            centre = self._scene.event_center(hit.position)
            if centre is not None and 0 <= centre[0] <= self.width():
                return centre[0]
        return pointer.x()

    def focusNextPrevChild(self, forward: bool) -> bool:
        # Tab and Shift+Tab move between events here; past the last (or first) event they move
        # to the next widget, as Ctrl+Tab does from any event (keyPressEvent), and as Tab does
        # from a text editor (from a user test: nothing led the keyboard out of the canvas).
        if self.step_selection(1 if forward else -1):
            return True
        return super().focusNextPrevChild(forward)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        width = self.width()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):  # with Ctrl: Qt leaves Tab to us
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            forward = key == Qt.Key.Key_Tab and not shift
            super().focusNextPrevChild(forward)
        elif key == Qt.Key.Key_Left:
            self.pan_pixels(width * 0.1)
        elif key == Qt.Key.Key_Right:
            self.pan_pixels(-width * 0.1)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            if not self.scroll_lanes_by_pages(-1 if key == Qt.Key.Key_PageUp else 1):
                super().keyPressEvent(event)
                return
        elif key == Qt.Key.Key_Up:
            self.step_selection(-1)
        elif key == Qt.Key.Key_Down:
            self.step_selection(1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.highlight.selected is not None:
                self.zoom_to_event(self.highlight.selected)
        elif key == Qt.Key.Key_Escape:
            self.select(None)
        elif key == Qt.Key.Key_Home:
            self.select_edge(last=False)
        elif key == Qt.Key.Key_End:
            self.select_edge(last=True)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):  # "=" is "+" without Shift
            self.zoom(KEY_ZOOM_FACTOR)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / KEY_ZOOM_FACTOR)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._press = event.position()
        self._press_scale = self._scale
        self._press_lane_scroll = self._lane_scroll
        self._dragging = False
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._rubber_start = event.position().x() if shift else None
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        if self._press is None:
            self._hover(position)
            return
        dx = position.x() - self._press.x()
        if (
            not self._dragging
            and abs(dx) < DRAG_THRESHOLD
            and abs(position.y() - self._press.y()) < DRAG_THRESHOLD
        ):
            return
        self._dragging = True
        if self._rubber_start is not None:
            self.highlight.rubber_band = (self._rubber_start, position.x())
            self.update()
        elif self._press_scale is not None:
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self._fitted = None
            self._apply(self._press_scale.panned(dx))
            # Lanes taller than the canvas follow the pointer up and down as well.
            self.scroll_lanes_to(self._press_lane_scroll - (position.y() - self._press.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        if self._rubber_start is not None and self._dragging and self._scale is not None:
            x0, x1 = sorted((self._rubber_start, event.position().x()))
            if x1 - x0 >= 3:
                self.set_range(self._scale.t(x0), self._scale.t(x1), margin=False)
        elif not self._dragging:
            self._click(event.position())
        self.highlight.rubber_band = None
        self._press = None
        self._rubber_start = None
        self._dragging = False
        self.unsetCursor()
        self.update()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._hit(event.position())
        if hit is not None and hit.kind == "event" and hit.position is not None:
            # The release that follows is no click: after the zoom it would land on whatever is
            # now under the pointer and undo the selection.
            self._press = None
            self._rubber_start = None
            self._dragging = False
            self.select(hit.position, reveal=False)
            self.zoom_to_event(hit.position)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.highlight.hovered is not None:
            self.highlight.hovered = None
            self.hovered_changed.emit(None)
            self.update()
        super().leaveEvent(event)

    # -- hit testing ------------------------------------------------------------------------------
    def _hit(self, position: QPointF) -> Hit | None:
        scene = self.scene()
        if scene is None or self.timeline is None:
            return None
        index = self.timeline.index
        return scene.hit(position.x(), position.y(), (index.starts, index.ends))

    def _click(self, position: QPointF) -> None:
        hit = self._hit(position)
        if hit is None:
            self.select(None)
        elif hit.kind == "event":
            self.select(hit.position, reveal=False)
        elif (alone := _alone_in(hit)) is not None:  # nothing to spread or list: the event
            self.select(alone, reveal=False)
        elif hit.kind == "cluster" and not self._zoom_spreads(hit):
            self.list_cluster(hit.positions, position)
        else:  # a cluster or density bin: zoom in to spread it out
            self._spread(hit)

    def _spread(self, hit: Hit) -> None:
        """Zoom into a badge's (or bin's) dates: a small badge with room for the titles of its
        last events where that still spreads them apart (from a user test: spread to exactly
        its dates, the last titles were cut to a word at the right edge), else to exactly its
        dates."""
        if 0 < len(hit.positions) <= SPREAD_WITH_TITLES_AT_MOST:
            self.set_range(*self._spread_range(hit))
            scene = self.scene()
            if scene is not None and not any(scene.cluster_holding(p) for p in hit.positions):
                return
        self.set_range(*self._spread_range(hit), margin=False)

    @staticmethod
    def _spread_range(hit: Hit) -> tuple[float, float]:
        span = max(hit.t1 - hit.t0, 60.0)
        return hit.t0 - span * 0.15, hit.t1 + span * 0.15

    def _zoom_spreads(self, hit: Hit) -> bool:
        """Whether zooming into a badge's dates shows more of it: not once the zoom is at its
        closest, nor for more events at one moment than its lane could ever give rows (far
        out, zooming in would only find a badge of them again)."""
        scene = self.scene()
        if self._scale is None or self.timeline is None or scene is None:
            return False
        if hit.count > scene.most_rows_of_a_lane() and self.timeline.index.at_one_moment(
            hit.positions
        ):
            return False
        target = fit(*self._spread_range(hit), self._scale.width, margin_fraction=0.0)
        return target.seconds_per_pixel < 0.8 * self._scale.seconds_per_pixel

    def _what_joins(self, hit: Hit) -> str:
        """What a badge that lists its events has in common, for its tooltip."""
        timeline, scale = self.timeline, self._scale
        if timeline is None or scale is None or not hit.positions:
            return ""
        if timeline.index.at_one_moment(hit.positions):
            return " at this moment"
        if timeline.index.starts[hit.positions[-1]] < scale.t0:  # positions: in start order
            return " begun before this view"
        return ""

    def list_cluster(self, positions: Sequence[int], at: QPointF) -> None:
        """A menu of a badge's events (the first CLUSTER_MENU_ITEMS of them) to select one."""
        from PySide6.QtWidgets import QMenu

        if self.timeline is None:
            return
        if self.cluster_menu is not None:  # one list at a time
            self.cluster_menu.deleteLater()
        menu = QMenu(self)
        menu.setStyleSheet("QMenu { menu-scrollable: 1; }")  # not every style scrolls menus
        menu.setMaximumHeight(max(200, round(self.window().height() * CLUSTER_MENU_HEIGHT)))
        events = self.timeline.events
        for position in positions[:CLUSTER_MENU_ITEMS]:
            event = events[position]
            action = menu.addAction(f"{event.title} ({event.date_text()})")
            action.setData(position)
        menu.triggered.connect(lambda action: self.select(action.data()))
        if len(positions) > CLUSTER_MENU_ITEMS:
            more = menu.addAction(
                f"… and {len(positions) - CLUSTER_MENU_ITEMS:,} more (see the Events list)"
            )
            more.setEnabled(False)
        self.cluster_menu = menu
        menu.popup(self.mapToGlobal(at.toPoint()))

    def _hover(self, position: QPointF) -> None:
        import html  # here: the first frame need not wait for it (~2.5 ms)

        hit = self._hit(position)
        hovered = hit.position if hit is not None and hit.kind == "event" else None
        if hovered != self.highlight.hovered:
            self.highlight.hovered = hovered
            self.hovered_changed.emit(hovered)
            self.update()
        if hit is None or self.timeline is None:
            self.unsetCursor()
            scene = self.scene()
            eras = scene.eras_at(position.x(), position.y()) if scene is not None else []
            if not eras:
                QToolTip.hideText()
                return
            text = "<br>".join(
                # (unbroken: a tooltip wrapped "16 January 27 BC" after "16", a user test saw)
                f"<b>{html.escape(era.name)}</b><br><nobr>{html.escape(era.span.describe())}</nobr>"
                for era in eras
            )
            QToolTip.showText(self.mapToGlobal(position.toPoint()), text, self)
            return
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        shown = hit.position if hit.kind == "event" else _alone_in(hit)
        if shown is not None:
            event = self.timeline.events[shown]
            text = f"<b>{html.escape(event.title)}</b><br>{html.escape(event.date_text())}"
        elif hit.kind == "cluster" and not self._zoom_spreads(hit):
            text = f"{hit.count} events{self._what_joins(hit)} — click to list them"
        else:
            text = f"{hit.count} events here — click to zoom in"
        QToolTip.showText(self.mapToGlobal(position.toPoint()), text, self)
