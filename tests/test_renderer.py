"""The renderer stamps markers and badges from images on screen; vectors elsewhere. Both must
look the same."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPicture

from desktop.formats.loader import load_bundled
from desktop.layout.scale import TimeScale
from desktop.model.calendar import to_seconds
from desktop.ui.export import print_palette, scene_builder
from desktop.ui.renderer import Highlight, SceneRenderer


def render(size: QSize, draw: object) -> QImage:
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    draw(painter)  # type: ignore[operator]
    painter.end()
    return image


def test_stamped_shapes_match_drawn_ones(qapp) -> None:
    timeline = load_bundled()
    font = qapp.font()
    builder = scene_builder(timeline, font)
    # December 2024, where the bundled timeline is busiest: markers, a bar and a badge.
    scale = TimeScale(to_seconds(2024, 11, 20), to_seconds(2024, 12, 20), 700)
    scene = builder.build(scale, 380)
    assert any(band.packing and band.packing.clusters for band in scene.lanes)
    size = QSize(700, 380)
    renderer = SceneRenderer(print_palette(), font)
    stamped = render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()))
    assert renderer._sprites  # the raster paint used stamps

    picture = QPicture()  # a non-raster device: shapes are recorded as vectors
    recorder = QPainter(picture)
    vector_renderer = SceneRenderer(print_palette(), font)
    vector_renderer.paint(recorder, scene, timeline, Highlight())
    recorder.end()
    assert not vector_renderer._sprites
    drawn = render(size, lambda p: p.drawPicture(0, 0, picture))

    differing = 0
    for y in range(size.height()):
        for x in range(size.width()):
            a, b = QColor(stamped.pixel(x, y)), QColor(drawn.pixel(x, y))
            channels = zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)
            if max(abs(one - other) for one, other in channels) > 60:
                differing += 1
    # Stamps sit on whole pixels; shapes are antialiased where they fall, so edge pixels may
    # differ (86 of them here when this was written; a stamp 3 px off makes it over 700).
    assert differing < 300, differing
