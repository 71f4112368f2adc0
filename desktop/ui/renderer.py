"""Paints a :class:`~desktop.layout.scene.Scene` with a QPainter: on screen, into images, SVG, PDF.

Painting only draws what the scene placed; it computes no layout. Colours come from the
palette, so the canvas follows the system's light or dark theme, and lane colours are adjusted
until they stand out against the background.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QStaticText,
)
from PySide6.QtWidgets import QWidget

from desktop.layout.packing import MARKER_RADIUS, DensityBin, PlacedItem
from desktop.layout.scene import LaneBand, Scene, SceneMetrics, holds
from desktop.layout.ticks import RememberedMeasure, Tick, label_boxes
from desktop.model.timeline import END_VAGUE, SPAN, START_UNCERTAIN, START_VAGUE, Era, Timeline


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


K = TypeVar("K")
V = TypeVar("V")

# An era's name is drawn when this many of its letters show at least, or all of them.
ERA_NAME_LEAST_LETTERS = 5
# Laid-out titles kept between frames; a million-event timeline shows only a few hundred at once.
LABEL_CACHE_SIZE = 4000
# Texts kept as images, per text and colour (see _draw_text): a few screens' labels; about
# 13 kB each (a 30-letter title), 13 MB when full.
TEXT_IMAGES_KEPT = 1000
# Density bars are made this much layout space at a time (256 bins of 4 px), as it comes on
# screen.
BAR_CHUNK_PX = 1024.0
# Chunks of bars kept per lane: a few screens' worth either side of the view.
BAR_CHUNKS_KEPT = 24
# Each lane's chunks start at its own offset, this share of a chunk after the previous lane's
# (modulo a chunk; the golden ratio spreads any number of lanes evenly), so a pan brings new
# chunks on screen one lane at a time, where the same grid made every dense lane's bars in
# the same frame (2 ms of an 8 ms frame at 100,000 events).
BAR_CHUNK_STAGGER = 0.618
# A bar is log(1 + count) + BAR_FLOOR tall, scaled to the lane's room by the painter: the
# tallest bin fills the room, a bin of one event stays visible (14% of the room beside a bin of
# a thousand), and a bar's geometry depends on its bin alone.
BAR_FLOOR = 0.35
# Stamped shapes kept between frames: markers and badges' grounds per colour, style and size.
SPRITE_CACHE_SIZE = 512
# Whole badges kept, per count too: about 3 kB each.
BADGES_KEPT = 1024
# Grounds with eras over them: a few lane tints and backgrounds under each set of eras in view.
UNDER_ERAS_KEPT = 256
# Room around a stamped shape for its antialiased edge and its pen, px.
SPRITE_MARGIN = 2.0
# A span's bar has corners of this radius. One at least LONG_BAR_PX long on a raster device is
# drawn in pieces (see _paint_long_bar), which costs it 13–20 µs; drawn whole, a bar costs ~8 µs
# and 0.06 µs a pixel of its length (a bar across the screen 77–103 µs). Its two ends,
# BAR_END_PX each, are stamped from images made per colour, per BAR_END_STEPS of a device pixel
# where they start along the bar and per BAR_ROW_STEPS of one where its top is: they are drawn
# that much off the exact place at most, a shift of a few levels of a channel at an edge.
BAR_RADIUS = 3.0
LONG_BAR_PX = 90.0
BAR_END_PX = 6
BAR_END_STEPS = 4
BAR_ROW_STEPS = 16
# The ring around a selected point event's marker: its radius, drawn with a 2 px pen.
SELECTION_RING_RADIUS = MARKER_RADIUS + 5


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(base: QColor, top: QColor, share: float) -> QColor:
    """``top`` laid over ``base`` at opacity ``share``, as one opaque colour."""
    return QColor.fromRgbF(
        base.redF() + (top.redF() - base.redF()) * share,
        base.greenF() + (top.greenF() - base.greenF()) * share,
        base.blueF() + (top.blueF() - base.blueF()) * share,
    )


def readable(color: QColor, background: QColor, minimum: float = 3.0) -> QColor:
    """``color``, moved towards the opposite of the background until it reaches ``minimum``."""
    if contrast_ratio(color, background) >= minimum:
        return color
    target = QColor("#ffffff") if _luminance(background) < 0.5 else QColor("#000000")
    for step in range(1, 11):
        share = step / 10
        mixed = blend(color, target, share)
        if contrast_ratio(mixed, background) >= minimum:
            return mixed
    return target


class Highlight:
    """What the canvas marks besides the events; the view changes it in place."""

    __slots__ = ("hovered", "marked", "rubber_band", "selected")

    def __init__(self) -> None:
        self.selected: int | None = None
        self.hovered: int | None = None
        self.rubber_band: tuple[float, float] | None = None  # screen x range while Shift-dragging
        self.marked: tuple[float, float] | None = None  # times (t0, t1) just gone to


def era_label(metrics: QFontMetricsF, name: str, room: float) -> str:
    """An era's name as it fits in ``room`` px; "" when so little of it would show that it says
    nothing ("U…", from a user test): the era's colour stays, and hovering it names it."""
    text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0.0))
    if text == name or len(text.rstrip("…")) >= ERA_NAME_LEAST_LETTERS:
        return text
    return ""


def metrics_for(font_metrics: QFontMetricsF) -> SceneMetrics:
    """Row and strip sizes that follow the font, so large fonts do not clip."""
    line = font_metrics.height()
    return SceneMetrics(
        axis_height=round(line * 2 + 12),
        era_height=round(line + 4),
        lane_header=round(line + 4),
        row_height=round(line + 8),
    )


class _LaneBars:
    """A dense lane's bars: where its chunks start (see BAR_CHUNK_STAGGER), the bars made so
    far by chunk of BAR_CHUNK_PX of layout space, each with the bins it was made from, and the
    chunks found unchanged since the lane's list of bins last changed (the scene makes a new
    list when the bins change; it never changes one in place)."""

    __slots__ = ("bins", "checked", "chunks", "phase")

    def __init__(self, phase: float) -> None:
        self.phase = phase
        self.chunks: dict[int, tuple[Sequence[DensityBin], list[QRectF]]] = {}
        self.bins: Sequence[DensityBin] | None = None
        self.checked: set[int] = set()


class SceneRenderer:
    """Holds the colours and fonts of one palette; ``paint`` draws a scene with them."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.font = QFont(font)
        self.small_font = QFont(font)
        self.small_font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)
        self.metrics = QFontMetricsF(self.font)
        self._text_width = RememberedMeasure(self.metrics.horizontalAdvance)
        self.bold_metrics = QFontMetricsF(self.bold_font)
        self.background = palette.color(QPalette.ColorRole.Base)
        self.panel = palette.color(QPalette.ColorRole.Window)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if contrast_ratio(self.muted, self.background) < 3.0:
            self.muted = readable(self.muted, self.background, 3.5)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.dark = _luminance(self.background) < 0.4
        self._tint_share = 0.06 if self.dark else 0.045  # of a lane's colour in its ground
        self.grid = blend(self.background, self.text, 0.08)
        self.major_grid = blend(self.background, self.text, 0.2)
        self._lane_colors: dict[str, QColor] = {}
        self._lane_tints: dict[str, QColor] = {}
        self._tint_cache: dict[int, tuple[QColor, QColor, QColor]] = {}
        self._labels: dict[str, QStaticText] = {}
        self._text_images: dict[tuple[str, int, float], QImage] = {}
        self._texts_seen: dict[tuple[str, int, float], None] = {}  # drawn once, not yet stamped
        self._lane_names: dict[str, QStaticText] = {}  # in the bold font
        self._sprites: dict[tuple[object, ...], QImage] = {}
        self._badges: dict[tuple[int, float, int, float, float, bool], QImage] = {}
        # A ground's colour with eras' colours laid over it.
        self._under_eras: dict[tuple[int, tuple[int, ...]], QColor] = {}
        # Set per paint: whether markers and badges are stamped from images (raster devices)
        # or drawn as shapes (SVG and PDF keep them as vectors), and at what pixel ratio.
        self._stamping = False
        self._pixel_ratio = 1.0
        # Per lane, its bars (see _LaneBars).
        self._density_bars: dict[str, _LaneBars] = {}

    def _lane_tint(self, hex_color: str) -> QColor:
        """The lane's ground: its colour faintly over the background, blended ahead of time."""
        tint = self._lane_tints.get(hex_color)
        if tint is None:
            tint = self._lane_tints[hex_color] = self._ground_of(self.lane_color(hex_color))
        return tint

    def _ground_of(self, color: QColor) -> QColor:
        """A lane's ground for its (readable) colour: the colour faintly over the background."""
        return blend(self.background, color, self._tint_share)

    def lane_color(self, hex_color: str) -> QColor:
        color = self._lane_colors.get(hex_color)
        if color is None:
            color = readable(QColor(hex_color), self.background, 3.0)
            self._lane_colors[hex_color] = color
        return color

    # -- the whole scene ----------------------------------------------------------------------
    def paint(
        self, painter: QPainter, scene: Scene, timeline: Timeline, highlight: Highlight
    ) -> None:
        width, height = scene.scale.width, scene.height
        # An antialiased diamond or rounded badge costs the raster engine several times what
        # copying a small image does, and a busy view has hundreds of them. A widget or an image
        # is painted by the raster engine; SVG and PDF keep the shapes as vectors. (The device
        # tells, not painter.paintEngine(): wrapping a QPaintEngine makes PySide build its
        # enums, 0.6 ms of the window's start-up.)
        self._stamping = isinstance(painter.device(), QImage | QWidget)
        self._pixel_ratio = painter.device().devicePixelRatioF()
        painter.save()
        painter.setFont(self.font)
        top = scene.metrics.axis_height
        lanes_top = scene.lanes_top
        lanes = scene.lanes_on_screen()
        # The era strip, the lane tints and the background in the gaps between them, each
        # filled once, opaque, on a raster device with the eras over it blended ahead of time
        # (no per-pixel blending over the whole canvas; see Scene.era_columns): filling the
        # whole canvas first would cost a frame ~0.2 ms for pixels painted over at once. The
        # axis is filled by its own painting.
        # SVG and PDF keep each era one see-through rectangle, laid over the grounds below: a
        # third of an SVG's size less, and what an editor of the file would expect.
        era_colors = [self._era_color(era) for era, _, _ in scene.eras]
        cut = scene.era_columns() if self._stamping else ((0.0, width, ()),)
        columns = [
            (x0, x1, tuple(era_colors[n] for n in over), tuple(era_colors[n].rgba() for n in over))
            for x0, x1, over in cut
        ]
        self._fill_under_eras(painter, columns, top, lanes_top, self.panel)
        y = lanes_top
        for band in lanes:
            band_top = max(band.y0, lanes_top)  # a band scrolled partly under the era strip
            self._fill_under_eras(painter, columns, y, band_top, self.background)
            self._fill_under_eras(painter, columns, band_top, band.y1, self._lane_tint(band.color))
            y = band.y1
        self._fill_under_eras(painter, columns, y, height, self.background)
        if not self._stamping:
            for color, (_, x0, x1) in zip(era_colors, scene.eras, strict=True):
                left, right = max(x0, 0.0), min(x1, width)
                painter.fillRect(QRectF(left, top, right - left, height - top), color)
        self._paint_era_names(painter, scene, top)
        self._paint_grid(painter, scene, lanes_top)
        # Lane headers before antialiasing is turned on: their lines and colour keys are filled
        # rectangles, which antialiasing would blur over two rows where a band's top falls
        # between pixels. Scrolled, they are kept out of the era strip.
        if scene.scroll:
            painter.setClipRect(QRectF(0, lanes_top, width, height - lanes_top))
        self._paint_lane_headers(painter, scene, lanes)
        if scene.scroll:
            painter.setClipping(False)
        if highlight.marked is not None:
            # Under the events, which keep their colours; at least a line's width: a minute
            # seen from a year out is still found.
            t0, t1 = highlight.marked
            x0, x1 = scene.scale.x(t0), scene.scale.x(t1)
            middle, half = (x0 + x1) / 2, max(1.0, (x1 - x0) / 2)
            # Clipped to the canvas (a band of years seen close up is millions of pixels).
            left, right = max(middle - half, -2.0), min(middle + half, width + 2.0)
            if left < right:
                self._paint_band(painter, left, right, top, height, 0.12)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for band in lanes:
            self._paint_lane(painter, scene, band, timeline, highlight)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_axis(painter, scene)
        if highlight.rubber_band is not None:
            self._paint_band(painter, *sorted(highlight.rubber_band), top, height, 0.2)
        painter.restore()

    def _paint_band(
        self, painter: QPainter, x0: float, x1: float, top: float, bottom: float, alpha: float
    ) -> None:
        """A see-through band of the highlight colour, outlined, from ``top`` down."""
        fill = QColor(self.highlight)
        fill.setAlphaF(alpha)
        painter.fillRect(QRectF(x0, top, x1 - x0, bottom - top), fill)
        painter.setPen(QPen(self.highlight, 1))
        painter.drawRect(QRectF(x0, top, x1 - x0, bottom - top - 1))

    def _era_color(self, era: Era) -> QColor:
        """The see-through colour an era lays over the canvas."""
        color = QColor(era.color)
        if self.dark:
            # Eras are given pale colours, for light backgrounds; over a dark one they made
            # grey slabs (a user test). The same hue, dark, keeps them apart and quiet.
            hue, saturation, _, _ = color.getHslF()
            return QColor.fromHslF(hue, saturation, 0.32, 0.35)
        color.setAlphaF(0.55)
        return color

    def _fill_under_eras(
        self,
        painter: QPainter,
        columns: list[tuple[float, float, tuple[QColor, ...], tuple[int, ...]]],
        top: float,
        bottom: float,
        ground: QColor,
    ) -> None:
        """Fill the canvas's width from ``top`` to ``bottom`` in ``ground``, each column with
        the colours of its eras laid over it (see Scene.era_columns), as opaque colours; the
        columns' last items are those colours' RGBA values, for the cache of blends."""
        if bottom <= top:
            return
        ground_key = ground.rgba()
        for x0, x1, over, over_key in columns:
            color = ground
            if over:
                key = (ground_key, over_key)
                color = self._under_eras.get(key)
                if color is None:
                    color = ground
                    for era_color in over:
                        color = blend(color, era_color, era_color.alphaF())
                    _remember(self._under_eras, key, color, UNDER_ERAS_KEPT)
            painter.fillRect(QRectF(x0, top, x1 - x0, bottom - top), color)

    def _paint_era_names(self, painter: QPainter, scene: Scene, top: float) -> None:
        strip = scene.metrics.era_height
        metrics = QFontMetricsF(self.small_font)
        for era, x0, x1 in scene.eras:
            left, right = max(x0, 0.0), min(x1, scene.scale.width)
            room = right - left - 8
            text = era_label(metrics, era.name, room)
            if text:
                painter.setPen(self.text)
                painter.setFont(self.small_font)
                painter.drawText(
                    QRectF(left + 4, top, room, strip),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    text,
                )
                painter.setFont(self.font)

    def _paint_grid(self, painter: QPainter, scene: Scene, top: float) -> None:
        # Each line a one-pixel-wide rectangle filled in a colour blended ahead of time: the
        # raster engine fills opaque rectangles at twice the speed it draws the same lines.
        height = scene.height - top
        x_of = scene.scale.x
        for ticks, color in ((scene.ticks.minor, self.grid), (scene.ticks.major, self.major_grid)):
            for tick in ticks:
                x = round(x_of(tick.seconds))
                if x >= 0:
                    painter.fillRect(QRectF(x, top, 1, height), color)

    def _paint_axis(self, painter: QPainter, scene: Scene) -> None:
        metrics = scene.metrics
        width = scene.scale.width
        row = metrics.axis_height / 2
        painter.fillRect(QRectF(0, 0, width, metrics.axis_height), self.panel)
        # Lines as one-pixel rectangles, as in _paint_grid (a line across: 18 µs, a rectangle 2).
        painter.fillRect(QRectF(0, metrics.axis_height - 1, width, 1), self.major_grid)
        major_boxes, minor_boxes = label_boxes(
            scene.ticks, scene.scale.t0, scene.scale.t1, width, self._text_width
        )
        # Labels are drawn in the font they were measured with, at the left of their boxes,
        # from text laid out once: panning shows the same labels frame after frame.
        for ticks, boxes, top, pen in (
            (scene.ticks.major, major_boxes, 0.0, self.text),
            (scene.ticks.minor, minor_boxes, row, self.muted),
        ):
            painter.setPen(pen)
            for tick, (left, _) in zip(_labelled(ticks), boxes, strict=True):
                label = self._static_label(tick.label)
                self._draw_text(
                    painter, left, top + (row - label.size().height()) / 2, tick.label, pen
                )
        bottom = metrics.axis_height
        for tick in scene.ticks.minor:
            x = round(scene.scale.x(tick.seconds))
            painter.fillRect(QRectF(x, bottom - 5, 1, 5), self.major_grid)
        painter.setFont(self.font)

    # -- one lane -----------------------------------------------------------------------------
    def _paint_lane_headers(
        self, painter: QPainter, scene: Scene, lanes: Sequence[LaneBand]
    ) -> None:
        """Per lane, a line across the top, a colour key and the lane's name, always at the left
        edge. The names go last, all in the bold font: switching fonts twice a lane cost more
        than drawing the names."""
        metrics = scene.metrics
        width = scene.scale.width
        for band in lanes:
            color = self.lane_color(band.color)
            # A line as a one-pixel rectangle, as in _paint_grid.
            painter.fillRect(QRectF(0, band.y0, width, 1), color)
            painter.fillRect(QRectF(6, band.y0 + 5, 10, metrics.lane_header - 10), color)
        painter.setPen(self.text)
        painter.setFont(self.bold_font)
        name_top = (metrics.lane_header - self.bold_metrics.height()) / 2
        for band in lanes:
            name = self._lane_names.get(band.name)
            if name is None:
                name = self._lane_names[band.name] = QStaticText(band.name)
                name.setTextFormat(Qt.TextFormat.PlainText)
                name.prepare(font=self.bold_font)
            painter.drawStaticText(QPointF(22, band.y0 + name_top), name)
        painter.setFont(self.font)

    def _paint_lane(
        self,
        painter: QPainter,
        scene: Scene,
        band: LaneBand,
        timeline: Timeline,
        highlight: Highlight,
    ) -> None:
        metrics = scene.metrics
        width = scene.scale.width
        color = self.lane_color(band.color)
        painter.save()
        clip_top = max(band.y0 + metrics.lane_header, scene.lanes_top)
        painter.setClipRect(QRectF(0, clip_top, width, band.y1 - clip_top))
        if band.packing is None:
            self._paint_density(painter, band, color, metrics.lane_header, width)
            if highlight.selected is not None:
                self._paint_selected_alone(painter, scene, band, timeline, color, highlight, 0)
        else:
            # The scene holds what is on screen (a point's marker may be off it while the band
            # of its date's period is not). Shapes first, then every label with one pen: labels
            # never overlap other items' shapes (the packing keeps footprints apart), so the
            # order changes no pixel.
            for item in band.packing.items:
                self._paint_shape(painter, scene, band, item, timeline, color, highlight)
            painter.setPen(self.text)
            for item in band.packing.items:
                self._paint_label(painter, scene, band, item, timeline, highlight)
            row_of_selection: int | None = None
            for cluster in band.packing.clusters:
                x0, y0, x1, y1 = scene.cluster_box(band, cluster)
                if x1 < 0 or x0 > width:
                    continue
                holds_selection = holds(cluster.positions, highlight.selected)
                if holds_selection:
                    row_of_selection = cluster.row
                if self._stamping:
                    badge = self._badge(cluster.count, x1 - x0, y1 - y0, color, holds_selection)
                    self._stamp(painter, x0, y0, badge)
                    continue
                painter.translate(x0, y0)
                self._draw_badge_ground(painter, x1 - x0, y1 - y0, color, holds_selection)
                painter.translate(-x0, -y0)
                painter.setPen(self.text)
                text = f"+{cluster.count}"
                text_size = self._static_label(text).size()
                self._draw_text(
                    painter,
                    x0 + (x1 - x0 - text_size.width()) / 2,
                    y0 + (y1 - y0 - text_size.height()) / 2,
                    text,
                    self.text,
                )
            if row_of_selection is not None:
                self._paint_selected_alone(
                    painter, scene, band, timeline, color, highlight, row_of_selection
                )
        painter.restore()

    def _paint_selected_alone(
        self,
        painter: QPainter,
        scene: Scene,
        band: LaneBand,
        timeline: Timeline,
        color: QColor,
        highlight: Highlight,
        row: int,
    ) -> None:
        """The selected event, when it is in this lane, on ``row`` over what hides it there (the
        lane's bars, or the badge that counts it), its title on the canvas's ground: bars and
        badges say how many events there are, not where the one in the Details panel is (user
        tests found no mark of it)."""
        position = highlight.selected
        assert position is not None
        columns = timeline.columns
        if timeline.lane_order()[columns.lane_slots[position]] != band.lane_id:
            return
        start, end = timeline.index.starts[position], timeline.index.ends[position]
        if end < scene.scale.t0 or start > scene.scale.t1:
            return
        title = columns.titles[position]
        is_span = bool(columns.flags[position] & SPAN)
        item = scene.placed_alone(
            position, start, end, is_span, self.metrics.horizontalAdvance(title), row
        )
        drawn = scene.drawn_label(band, item)
        if drawn is not None:
            # The ground from the shape on: a badge's count under the marker would show
            # through the gap between marker and title.
            lx0, ly0, lx1, ly1 = drawn
            left = min(lx0, item.x0) - 2
            painter.fillRect(QRectF(left, ly0 + 2, lx1 + 3 - left, ly1 - ly0 - 4), self.background)
        self._paint_shape(painter, scene, band, item, timeline, color, highlight)
        painter.setPen(self.text)
        self._paint_label(painter, scene, band, item, timeline, highlight)

    def _badge(
        self, count: int, width: float, height: float, color: QColor, holds_selection: bool
    ) -> QImage:
        """A "+N" badge's sprite: one image per badge stamped (a view a month wide at 100,000
        events has nearly 200 badges), made from its ground's sprite and its count's text
        image when missed, not drawn again: a zoom meets hundreds of counts."""
        ratio = self._pixel_ratio
        key = (color.rgba(), ratio, count, width, height, holds_selection)
        badge = self._badges.get(key)
        if badge is not None:
            return badge
        ground_key = ("badge", color.rgba(), ratio, width, height, holds_selection)
        size = (width, height)
        ground = self._sprite(
            ground_key, size, self._draw_badge_ground, *size, color, holds_selection
        )
        text = f"+{count}"
        text_size = self._static_label(text).size()
        badge = ground.copy()
        badge.setDevicePixelRatio(ratio)
        painter = QPainter(badge)
        # Where _draw_text would stamp the count over the badge, both images' margins alike.
        painter.drawImage(
            QPointF(
                round((width - text_size.width()) / 2 * ratio) / ratio,
                round((height - text_size.height()) / 2 * ratio) / ratio,
            ),
            self._text_image(text, self.text),
        )
        painter.end()
        _remember(self._badges, key, badge, BADGES_KEPT)
        return badge

    def _draw_badge_ground(
        self, painter: QPainter, width: float, height: float, color: QColor,
        holds_selection: bool,
    ) -> None:  # fmt: skip
        """A "+N" badge's rounded ground, its top left corner at the painter's origin: opaque,
        its colour blended over the lane's ground ahead of time, so that no grid line runs
        through its count (a user test saw them through the see-through fill it had)."""
        fill = blend(self._ground_of(color), color, 0.18)
        painter.setPen(
            QPen(self.highlight if holds_selection else color, 2 if holds_selection else 1.2)
        )
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(0, 0, width, height), 8, 8)

    def _sprite(
        self,
        key: tuple[object, ...],
        size: tuple[float, float],
        draw: Callable[..., None],
        *args: Any,
    ) -> QImage:
        """A shape of ``size`` drawn once into a transparent image at this paint's pixel ratio,
        with SPRITE_MARGIN around it. ``key`` names it, pixel ratio included; on a miss,
        ``draw(painter, *args)`` paints it with its top left corner at the origin."""
        image = self._sprites.get(key)
        if image is None:
            ratio = self._pixel_ratio
            width, height = size
            image = QImage(
                math.ceil((width + 2 * SPRITE_MARGIN) * ratio),
                math.ceil((height + 2 * SPRITE_MARGIN) * ratio),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setFont(self.font)
            painter.translate(SPRITE_MARGIN, SPRITE_MARGIN)
            draw(painter, *args)
            painter.end()
            _remember(self._sprites, key, image, SPRITE_CACHE_SIZE)
        return image

    def _stamp(self, painter: QPainter, x: float, y: float, image: QImage) -> None:
        """Draw a sprite whose shape starts at (x, y), snapped to the device's pixel grid: an
        image drawn between pixels would be resampled, and blur."""
        ratio = self._pixel_ratio
        if ratio == 1.0:
            # Whole numbers: the QPointF overload costs a busy frame's few hundred stamps
            # 0.7 µs each more (1.2 µs against 0.5 µs).
            painter.drawImage(round(x - SPRITE_MARGIN), round(y - SPRITE_MARGIN), image)
            return
        painter.drawImage(
            QPointF(
                round((x - SPRITE_MARGIN) * ratio) / ratio,
                round((y - SPRITE_MARGIN) * ratio) / ratio,
            ),
            image,
        )

    def _paint_density(
        self, painter: QPainter, band: LaneBand, color: QColor, header: float, width: float
    ) -> None:
        """Bars of log-scaled height per bin. The bars are made in the layout space the bins
        were counted in, in units of their own, and placed on screen by the painter's
        transform, so frames that pan, zoom in, or find a new tallest bin redraw them without
        Python work per bar. They are made a chunk of bins at a time, as the chunk comes on
        screen: a lane's bins cover several screens."""
        base = band.y1 - 4
        room = band.y1 - band.y0 - header - 8
        lane_bars = self._density_bars.get(band.lane_id)
        if lane_bars is None:
            stagger = len(self._density_bars) * BAR_CHUNK_STAGGER % 1.0 * BAR_CHUNK_PX
            lane_bars = self._density_bars[band.lane_id] = _LaneBars(stagger)
        phase, chunks = lane_bars.phase, lane_bars.chunks
        if band.bins is not lane_bars.bins:
            lane_bars.bins, lane_bars.checked = band.bins, set()
        bins = band.bins
        # Only the bars on screen, without antialiasing: axis-aligned rectangles gain nothing
        # from it and lose much speed.
        stretch, offset = band.bin_stretch, band.bin_offset
        left, right = -offset / stretch, (width - offset) / stretch
        # From the chunk of the bin that reaches onto the screen from its left edge.
        reaching = bisect_left(bins, left, key=_bin_start) - 1
        if reaching >= 0:
            left = min(left, bins[reaching].x0)
        # Opaque, blended with the lane's ground ahead of time: the raster engine fills opaque
        # rectangles about twice as fast as it blends them, and a zoomed-out view has a few
        # thousand bars (grid lines no longer show through them).
        fill = blend(self._lane_tint(band.color), color, 0.75)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.translate(offset, base)
        # Heights are in log units, a few to a room of tens of pixels: the vertical scale is
        # never 1, and that matters, as the raster engine fills fractional rectangles under a
        # translation alone by a path about twice as slow as under a scale.
        painter.scale(stretch, room / _bar_height(max(1, band.bin_max)))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        # Chunks are stretches of layout space, so bins that move to a new window at the same
        # zoom (the scene slides a lane's bins while the view pans) keep the bars made for them.
        first = math.floor((left - phase) / BAR_CHUNK_PX)
        for chunk in range(first, math.floor((right - phase) / BAR_CHUNK_PX) + 1):
            low = bisect_left(bins, phase + chunk * BAR_CHUNK_PX, key=_bin_start)
            high = bisect_left(bins, phase + (chunk + 1) * BAR_CHUNK_PX, low, key=_bin_start)
            if high == low:
                continue
            made = chunks.get(chunk)
            if made is None or chunk not in lane_bars.checked:
                # Bars are made again only for bins that changed (a slide keeps most), found by
                # comparing the chunk's bins once per list of bins, not every frame.
                part = bins[low:high]
                if made is None or made[0] != part:
                    made = (part, _bars(part))
                    _remember(chunks, chunk, made, BAR_CHUNKS_KEPT)
                lane_bars.checked.add(chunk)
            painter.drawRects(made[1])  # one call per chunk
        painter.restore()

    def _paint_shape(
        self,
        painter: QPainter,
        scene: Scene,
        band: LaneBand,
        item: PlacedItem,
        timeline: Timeline,
        color: QColor,
        highlight: Highlight,
    ) -> None:
        """An item's marker or bar, and the selection ring around it."""
        position = item.position
        flags = timeline.columns.flags[position]
        box = x0, y0, x1, y1 = scene.item_box(band, item)
        if flags & SPAN:
            self._paint_span(painter, scene, timeline, position, flags, box, color)
        else:
            self._paint_point(painter, scene, timeline, position, flags, box, color)
        if position == highlight.selected:
            painter.setPen(QPen(self.highlight, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if flags & SPAN:
                rect = QRectF(x0, y0 + 1, max(x1 - x0, 3.0), y1 - y0 - 2)
                painter.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 4, 4)
            else:
                ring = SELECTION_RING_RADIUS
                painter.drawEllipse(QPointF((x0 + x1) / 2, (y0 + y1) / 2), ring, ring)

    def _paint_label(
        self,
        painter: QPainter,
        scene: Scene,
        band: LaneBand,
        item: PlacedItem,
        timeline: Timeline,
        highlight: Highlight,
    ) -> None:
        """An item's title where the scene puts it; the painter's pen is the text colour."""
        drawn = scene.drawn_label(band, item)
        if drawn is None:
            return
        position = item.position
        title = timeline.columns.titles[position]
        lx0, ly0, lx1, ly1 = drawn
        if position in (highlight.selected, highlight.hovered):
            fill = QColor(self.highlight)
            fill.setAlphaF(0.35 if position == highlight.selected else 0.15)
            painter.fillRect(QRectF(lx0 - 2, ly0 + 2, lx1 - lx0 + 5, ly1 - ly0 - 4), fill)
        if item.label_cut or lx1 - lx0 < item.label_x1 - item.label_x0:  # for a badge, or the edge
            text = self.metrics.elidedText(title, Qt.TextElideMode.ElideRight, lx1 - lx0)
            painter.drawText(
                QRectF(lx0, ly0, lx1 - lx0 + 1, ly1 - ly0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
        else:
            label = self._static_label(title)
            self._draw_text(painter, lx0, (ly0 + ly1 - label.size().height()) / 2, title, self.text)

    def _draw_text(self, painter: QPainter, x: float, y: float, text: str, color: QColor) -> None:
        """``text`` in the renderer's font with its top left at (x, y), in ``color``, which must
        be the painter's pen: a text drawn rather than stamped is drawn with the pen. A raster
        device gets it stamped from an image of it made the second time it is shown (the
        raster engine draws a title's glyphs one by one in 10–15 µs, an image of them in about
        3 µs, and a busy view shows a few hundred texts); a vector device always gets text."""
        ratio = self._pixel_ratio
        if self._stamping:
            key = (text, color.rgba(), ratio)
            # Made already, or this is the second frame to show it: worth an image.
            if key in self._text_images or key in self._texts_seen:
                self._stamp(painter, x, y, self._text_image(text, color))
                return
            # The first, drawn: making an image costs 44 µs, drawing the text 10–15, and a
            # fast zoom or the first frame after start-up shows many texts only once.
            _remember(self._texts_seen, key, None, TEXT_IMAGES_KEPT)
        # On the pixels a stamp would take: a PDF or SVG shows the same as the screen.
        point = QPointF(round(x * ratio) / ratio, round(y * ratio) / ratio)
        painter.drawStaticText(point, self._static_label(text))

    def _text_image(self, text: str, color: QColor) -> QImage:
        """``text`` drawn once into an image at this paint's pixel ratio, SPRITE_MARGIN around
        it, for :meth:`_stamp`."""
        ratio = self._pixel_ratio
        key = (text, color.rgba(), ratio)
        image = self._text_images.get(key)
        if image is None:
            label = self._static_label(text)
            size = label.size()
            image = QImage(
                math.ceil((size.width() + 2 * SPRITE_MARGIN) * ratio),
                math.ceil((size.height() + 2 * SPRITE_MARGIN) * ratio),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            image_painter = QPainter(image)
            image_painter.setFont(self.font)
            image_painter.setPen(color)
            image_painter.drawStaticText(QPointF(SPRITE_MARGIN, SPRITE_MARGIN), label)
            image_painter.end()
            _remember(self._text_images, key, image, TEXT_IMAGES_KEPT)
        return image

    def _static_label(self, title: str) -> QStaticText:
        """The title laid out once and reused by every frame that shows it (keyed by its text,
        so a renderer serves any timeline)."""
        label = self._labels.get(title)
        if label is None:
            label = QStaticText(title)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.prepare(font=self.font)
            _remember(self._labels, title, label, LABEL_CACHE_SIZE)
        return label

    def _paint_point(
        self,
        painter: QPainter,
        scene: Scene,
        timeline: Timeline,
        position: int,
        flags: int,
        box: tuple[float, float, float, float],
        color: QColor,
    ) -> None:
        x0, y0, x1, y1 = box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        # The date's precision as a faint band, when the period is wide enough to see.
        start = scene.scale.x(timeline.index.starts[position])
        end = scene.scale.x(timeline.index.ends[position])
        if end - start >= 6:
            # Cut to the screen: a year seen at minutes is billions of pixels wide, past what
            # the paint engine's fixed-point coordinates hold.
            start, end = max(start, -1.0), min(end, scene.scale.width + 1)
            painter.fillRect(QRectF(start, y0 + 3, end - start, y1 - y0 - 6), self._tints(color)[1])
        if self._stamping:
            style = flags & (START_VAGUE | START_UNCERTAIN)
            key = ("marker", color.rgba(), style, self._pixel_ratio)
            side = 2 * MARKER_RADIUS
            marker = self._sprite(
                key, (side, side), self._draw_marker, MARKER_RADIUS, MARKER_RADIUS, flags, color
            )
            self._stamp(painter, cx - MARKER_RADIUS, cy - MARKER_RADIUS, marker)
        else:
            self._draw_marker(painter, cx, cy, flags, color)

    def _draw_marker(
        self, painter: QPainter, cx: float, cy: float, flags: int, color: QColor
    ) -> None:
        """A point event's diamond centred on (cx, cy)."""
        radius = MARKER_RADIUS
        diamond = QPolygonF(
            [
                QPointF(cx, cy - radius),
                QPointF(cx + radius, cy),
                QPointF(cx, cy + radius),
                QPointF(cx - radius, cy),
            ]
        )
        if flags & START_VAGUE:  # hollow (and dashed when uncertain): the date is not firm
            style = Qt.PenStyle.DashLine if flags & START_UNCERTAIN else Qt.PenStyle.SolidLine
            painter.setPen(QPen(color, 1.6, style))
            painter.setBrush(self.background)
        else:
            painter.setPen(QPen(self.background, 1))
            painter.setBrush(color)
        painter.drawPolygon(diamond)

    def _paint_span(
        self,
        painter: QPainter,
        scene: Scene,
        timeline: Timeline,
        position: int,
        flags: int,
        box: tuple[float, float, float, float],
        color: QColor,
    ) -> None:
        x0, y0, x1, y1 = box
        rect = QRectF(x0, y0 + 1, max(x1 - x0, 3.0), y1 - y0 - 2)
        solid, _, faded = self._tints(color)
        start_vague = bool(flags & START_VAGUE)
        end_vague = bool(flags & END_VAGUE)
        vague = start_vague or end_vague
        if not vague and self._stamping and rect.width() >= LONG_BAR_PX:
            self._paint_long_bar(painter, rect, solid, color, scene.scale.width)
            return
        if vague and rect.width() > 8:
            # Fade in over the vague start's period and out over the vague end's period.
            columns = timeline.columns
            gradient = QLinearGradient(rect.left(), 0, rect.right(), 0)
            width = rect.width()
            fade_in = 0.0
            fade_out = 1.0
            if start_vague:
                fade_in = min(
                    0.45, (scene.scale.x(columns.start_period_ends[position]) - x0) / width
                )
            if end_vague:
                fade_out = max(
                    0.55, (scene.scale.x(columns.end_period_starts[position]) - x0) / width
                )
            gradient.setColorAt(0.0, faded if start_vague else solid)
            gradient.setColorAt(max(0.0, fade_in), solid)
            gradient.setColorAt(min(1.0, fade_out), solid)
            gradient.setColorAt(1.0, faded if end_vague else solid)
            brush = QBrush(gradient)
        else:
            brush = QBrush(solid)
        painter.setBrush(brush)
        edge = QPen(color, 1)
        if vague:
            edge.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(edge)
        painter.drawRoundedRect(rect, BAR_RADIUS, BAR_RADIUS)

    def _paint_long_bar(
        self, painter: QPainter, rect: QRectF, fill: QColor, color: QColor, width: float
    ) -> None:
        """A firm span's bar as drawRoundedRect draws it (to a few levels of a channel), in
        pieces: its two ends stamped (see _draw_bar_end), and the straight part between them
        filled, a rectangle for the inside and one for each edge's line, cut to the screen. A
        bar across the screen drawn whole cost the raster engine 77–103 µs, most of it
        antialiasing its 1 px outline, and a month's view at 100,000 events has about a dozen
        such bars."""
        left, right = rect.left(), rect.right()
        # Its top where the ends' images put it, to BAR_ROW_STEPS of a device pixel.
        row_steps = BAR_ROW_STEPS * self._pixel_ratio
        row = math.floor(rect.top())
        offset = round((rect.top() - row) * row_steps) / row_steps
        top, height = row + offset, rect.height()
        # The ends end on whole pixels: no column is blended twice (the fill is see-through)
        # or missed.
        seam0 = math.floor(left) + BAR_END_PX
        seam1 = math.floor(right) + 1 - BAR_END_PX
        low, high = max(seam0, -1), min(seam1, math.ceil(width) + 1)
        if low < high:
            painter.fillRect(QRectF(low, top, high - low, height), fill)
            # The outline's straight lines, 1 px centred on the edges, as the pen draws them.
            painter.fillRect(QRectF(low, top - 0.5, high - low, 1), color)
            painter.fillRect(QRectF(low, top + height - 0.5, high - low, 1), color)
        end_steps = BAR_END_STEPS * self._pixel_ratio
        for side, column, edge in ((0, seam0 - BAR_END_PX, left), (1, seam1, right)):
            if column > width + 2 or column + BAR_END_PX < -2:
                continue  # off screen
            along = round((edge - math.floor(edge)) * end_steps) / end_steps
            key = ("bar end", color.rgba(), side, along, offset, height, self._pixel_ratio)
            size = (BAR_END_PX, math.ceil(offset + height + 1))
            args = (side, along, offset, height, fill, color)
            self._stamp(painter, column, row, self._sprite(key, size, _draw_bar_end, *args))

    def _tints(self, color: QColor) -> tuple[QColor, QColor, QColor]:
        """(bar fill, precision band, transparent) for a lane colour, made once."""
        key = color.rgba()
        tints = self._tint_cache.get(key)
        if tints is None:
            solid, band, faded = QColor(color), QColor(color), QColor(color)
            solid.setAlphaF(0.42)
            band.setAlphaF(0.16)
            faded.setAlphaF(0.0)
            tints = (solid, band, faded)
            self._tint_cache[key] = tints
        return tints


def _draw_bar_end(
    painter: QPainter, side: int, along: float, offset: float, height: float,
    fill: QColor, color: QColor,
) -> None:  # fmt: skip
    """One rounded end of a long bar, in the BAR_END_PX columns from the painter's origin: the
    left end (side 0) starting ``along`` px into the first column, or the right one (side 1)
    ending ``along`` px into the last; its top ``offset`` px down. The rectangle drawn runs on
    past the columns towards the bar's middle, where a clip cuts it: the middle is filled."""
    length = 4 * BAR_END_PX
    x = along if side == 0 else BAR_END_PX - 1 + along - length
    room = height + 2 + 2 * SPRITE_MARGIN
    if side == 0:
        painter.setClipRect(
            QRectF(-SPRITE_MARGIN, -SPRITE_MARGIN, SPRITE_MARGIN + BAR_END_PX, room)
        )
    else:
        painter.setClipRect(QRectF(0, -SPRITE_MARGIN, BAR_END_PX + SPRITE_MARGIN, room))
    painter.setPen(QPen(color, 1))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(x, offset, length, height), BAR_RADIUS, BAR_RADIUS)


def _bar_height(count: int) -> float:
    return math.log1p(count) + BAR_FLOOR


# Bar heights for the counts most bins have, worked out on the first bars made (0.6 ms that
# start-up need not pay: the bundled timeline has no dense lane).
_BAR_HEIGHTS: list[float] = []


def _bars(bins: Sequence[DensityBin]) -> list[QRectF]:
    """One bar per bin, rising from y = 0, _bar_height tall. Made whenever a lane is counted
    again (a fast zoom counts several lanes a frame), so in comprehensions: 0.5–0.8 µs a bar,
    most of it making the QRectF."""
    heights = _BAR_HEIGHTS
    if not heights:
        heights.extend(map(_bar_height, range(4096)))
    known = len(heights)
    tall = [heights[count] if count < known else _bar_height(count) for _, _, count, _, _ in bins]
    return [
        QRectF(x0, -height, (x1 - x0) * 0.85, height)
        for (x0, x1, _, _, _), height in zip(bins, tall, strict=True)
    ]


_bin_start = attrgetter("x0")


def _remember(cache: dict[K, V], key: K, value: V, limit: int) -> None:
    """Add to a bounded cache, forgetting its oldest entry when full: one at a time, because
    dropping thousands of Qt objects at once takes longer than a frame."""
    if len(cache) >= limit:
        del cache[next(iter(cache))]
    cache[key] = value


def _labelled(ticks: tuple[Tick, ...]) -> list[Tick]:
    return [tick for tick in ticks if tick.label]
