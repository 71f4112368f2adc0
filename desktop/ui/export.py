"""Images of a timeline: PNG, SVG (text kept as text) and PDF, drawn by the canvas's renderer.

Exports use a fixed light palette, whatever the desktop theme, because they end up in reports
and on paper.
"""

from __future__ import annotations

import errno
import html
import math
import os
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator

from desktop.layout.scale import TimeScale
from desktop.layout.scene import SceneBuilder
from desktop.model.timeline import Timeline
from desktop.ui.renderer import Highlight, SceneRenderer, metrics_for

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
DEFAULT_SIZE = (1600, 1000)


def headless_application() -> QGuiApplication:
    """A GUI application for drawing without a screen (the command line's --export)."""
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["timeline-viewer"])


def print_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Base: "#FFFFFF",
        QPalette.ColorRole.Window: "#F3F3F3",
        QPalette.ColorRole.Text: "#1A1A1A",
        QPalette.ColorRole.WindowText: "#1A1A1A",
        QPalette.ColorRole.PlaceholderText: "#5A5A5A",
        QPalette.ColorRole.Highlight: "#2A6FDB",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    return palette


def scene_builder(timeline: Timeline, font: QFont) -> SceneBuilder:
    metrics = QFontMetricsF(font)
    return SceneBuilder(timeline, metrics.horizontalAdvance, metrics_for(metrics))


def export_scale(
    builder: SceneBuilder,
    width: int,
    height: int,
    time_range: tuple[float, float] | None,
    *,
    whole: bool = False,
) -> TimeScale:
    """The range to draw: exactly the one asked for; else the whole timeline (``whole``) or its
    opening view, fitted with room for the titles of the last events."""
    if time_range is not None:
        return TimeScale(time_range[0], time_range[1], width)
    timeline = builder.timeline
    fallback = (0.0, 86_400.0)
    t0, t1 = (timeline.extent() if whole else timeline.initial_range()) or fallback
    return builder.fit_with_titles(t0, t1, width, height)


_FONT_FAMILY = re.compile(r'font-family="([^"]*)"')


def _name_fonts_as_drawn(path: Path) -> None:
    """Name each font of an SVG file by the family Qt drew it in, then a generic family.

    Qt writes the family asked for, and the application's font is often "Sans Serif", a
    fontconfig alias no browser knows: from a user test, a browser would fall back to its
    default font, a serif one.
    """
    if not path.is_file():
        return  # not written: the caller says so

    def as_drawn(match: re.Match[str]) -> str:
        info = QFontInfo(QFont(html.unescape(match[1])))
        generic = (
            "serif"
            if info.styleHint() == QFont.StyleHint.Serif
            else "monospace"
            if info.fixedPitch()
            else "sans-serif"
        )
        return f'font-family="{html.escape(info.family())}, {generic}"'

    text = path.read_text(encoding="utf-8")
    path.write_text(_FONT_FAMILY.sub(as_drawn, text), encoding="utf-8")


def _paint(
    painter: QPainter, builder: SceneBuilder, scale: TimeScale, height: float, font: QFont
) -> None:
    scene = builder.build(scale, height)
    SceneRenderer(print_palette(), font).paint(painter, scene, builder.timeline, Highlight())


def export_image(
    timeline: Timeline,
    path: Path,
    size: tuple[int, int] = DEFAULT_SIZE,
    time_range: tuple[float, float] | None = None,
    *,
    whole: bool = False,
) -> tuple[int, int]:
    """Write ``path`` as PNG, SVG or PDF (by its suffix), showing ``time_range`` (default: the
    opening view, or the whole timeline with ``whole``); the number of events in the range
    shown, and the image's height. Raises OSError when it cannot write.

    The image is ``size``, but taller where the lanes need it: lanes scroll in the window, and
    an image cut short would leave some out.

    Needs a QGuiApplication (any platform, offscreen included) for fonts.
    """
    if QGuiApplication.instance() is None:
        raise RuntimeError("export_image needs a QGuiApplication")
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise ValueError(f"cannot export an image as {suffix or 'a file without suffix'}")
    # Qt's paint devices report a bad path only as console warnings: check it first, so the
    # user gets one clear error and nothing is drawn for nothing.
    folder = path.parent
    if not folder.is_dir():
        raise OSError(errno.ENOENT, "no such folder", str(folder))
    if not os.access(folder, os.W_OK):
        raise OSError(errno.EACCES, "the folder is not writable", str(folder))
    width, height = size
    font = QFont(QGuiApplication.font())
    builder = scene_builder(timeline, font)
    scale = export_scale(builder, width, height, time_range, whole=whole)
    height += math.ceil(builder.build(scale, height).overflow)
    if suffix == ".png":
        # The size asked for (taller only for the lanes), opaque: an RGB PNG is what reports and
        # slides want, and it encodes faster than one with an alpha channel nobody uses.
        image = QImage(QSize(width, height), QImage.Format.Format_RGB32)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _paint(painter, builder, scale, height, font)
        painter.end()
        if not image.save(str(path), "PNG"):
            raise OSError(errno.EIO, "the image could not be written", str(path))
    elif suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(width, height))
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setTitle(timeline.title)
        generator.setDescription(timeline.summary or timeline.title)
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(errno.EIO, "the image could not be written", str(path))
        _paint(painter, builder, scale, height, font)
        painter.end()
        _name_fonts_as_drawn(path)
    else:
        writer = QPdfWriter(str(path))
        writer.setTitle(timeline.title)
        writer.setCreator("Timeline Viewer")
        writer.setResolution(96)  # one page pixel per layout pixel
        writer.setPageSize(
            QPageSize(QSizeF(width * 72 / 96, height * 72 / 96), QPageSize.Unit.Point)
        )
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(errno.EIO, "the image could not be written", str(path))
        _paint(painter, builder, scale, height, font)
        painter.end()
    if not path.is_file():
        raise OSError(errno.EIO, "the image could not be written", str(path))
    return timeline.index.count_overlapping(scale.t0, scale.t1), height
