"""The renderer stamps markers and badges from images on screen; vectors elsewhere. Both must
look the same."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPicture

from desktop.formats.loader import load_bundled
from desktop.layout.packing import DensityBin
from desktop.layout.scale import TimeScale
from desktop.layout.scene import LaneBand, Scene
from desktop.model.calendar import to_seconds
from desktop.model.dates import DateSpan
from desktop.model.timeline import SPAN, Era, Event, Lane, Timeline
from desktop.ui.export import print_palette, scene_builder
from desktop.ui.renderer import LONG_BAR_PX, Highlight, SceneRenderer


def render(size: QSize, draw: object, ratio: float = 1.0, *, vector: bool = False) -> QImage:
    """What ``draw`` paints on a white image of ``size`` logical pixels, at ``ratio`` device
    pixels to one; with ``vector``, painted on a non-raster device (a QPicture, which records
    shapes as SVG and PDF do) and played back onto the image."""
    if vector:
        picture = QPicture()
        recorder = QPainter(picture)
        draw(recorder)  # type: ignore[operator]
        recorder.end()
        return render(size, lambda painter: painter.drawPicture(0, 0, picture), ratio)
    image = QImage(size * ratio, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    draw(painter)  # type: ignore[operator]
    painter.end()
    return image


def pixels_differing(first: QImage, second: QImage, threshold: int = 60) -> int:
    """Pixels of two RGB32 images of one size with a channel more than ``threshold`` apart,
    counted by Qt's Difference composition and bytes operations, not pixel by pixel."""
    difference = first.copy()
    painter = QPainter(difference)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
    painter.drawImage(0, 0, second)
    painter.end()
    data = bytes(difference.constBits())[: difference.sizeInBytes()]
    over = data.translate(bytes(int(value > threshold) for value in range(256)))
    # Blue, green and red of each pixel, as one bit per pixel each: a pixel differs where any.
    channels = (int.from_bytes(over[channel::4], "little") for channel in range(3))
    return (next(channels) | next(channels) | next(channels)).bit_count()


def dense_scene(font: QFont) -> tuple[Timeline, Scene]:
    """3,000 events of one lane over twenty years, seen whole at 700×300: a lane of bars."""
    events = tuple(
        Event(
            id=f"e{n}", title=f"Event {n}", when=DateSpan.parse(f"20{n % 20:02d}-{1 + n % 12:02d}")
        )
        for n in range(3000)
    )
    timeline = Timeline(title="dense", events=events)
    scene = scene_builder(timeline, font).build(
        TimeScale(to_seconds(2000, 1, 1), to_seconds(2020, 1, 1), 700), 300
    )
    return timeline, scene


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

    vector_renderer = SceneRenderer(print_palette(), font)
    drawn = render(
        size, lambda p: vector_renderer.paint(p, scene, timeline, Highlight()), vector=True
    )
    assert not vector_renderer._sprites  # shapes are recorded as vectors

    differing = pixels_differing(stamped, drawn)
    # Stamps sit on whole pixels; shapes are antialiased where they fall, so edge pixels may
    # differ (147 of them here when this was written; a stamp 3 px off makes it over 700).
    assert differing < 300, differing


def test_texts_shown_again_are_stamped_from_images_made_once_where_text_is_drawn(qapp) -> None:
    """Titles and axis labels are drawn as text the first time, and stamped from an image of
    each made the second time, on the same pixels; a badge is stamped whole, its count in it."""
    timeline = load_bundled()
    font = qapp.font()
    scale = TimeScale(to_seconds(2024, 11, 20), to_seconds(2024, 12, 20), 700)
    scene = scene_builder(timeline, font).build(scale, 380)
    renderer = SceneRenderer(print_palette(), font)
    size = QSize(700, 380)

    def paint() -> QImage:
        return render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()))

    first = paint()
    assert not any(text == "December 2024" for text, _, _ in renderer._text_images)
    badges = dict(renderer._badges)  # each badge one image: its ground and count together
    assert badges
    second = paint()
    made = dict(renderer._text_images)
    assert any(text == "December 2024" for text, _, _ in made)  # the axis
    assert sum(len(text) > 20 for text, _, _ in made) >= 3  # titles
    assert pixels_differing(first, second) == 0
    assert paint() == second
    assert all(renderer._text_images[key] is image for key, image in made.items())
    assert renderer._badges == badges


def test_on_a_screen_of_two_pixels_to_one_stamps_sit_where_shapes_are_drawn(qapp) -> None:
    """Stamps are made and placed at the screen's pixel ratio. Compared inside the boxes of the
    markers and badges: text is drawn a little differently by a vector device at that ratio
    (over a thousand pixels of this view's titles, before any of them were stamped)."""
    timeline = load_bundled()
    font = qapp.font()
    scale = TimeScale(to_seconds(2024, 11, 20), to_seconds(2024, 12, 20), 700)
    scene = scene_builder(timeline, font).build(scale, 380)
    size = QSize(700, 380)
    renderer = SceneRenderer(print_palette(), font)
    stamped = render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()), 2.0)
    assert any(key[-1] == 2.0 for key in renderer._sprites)  # made at the screen's ratio
    vector_renderer = SceneRenderer(print_palette(), font)
    drawn = render(
        size, lambda p: vector_renderer.paint(p, scene, timeline, Highlight()), 2.0, vector=True
    )
    boxes = [
        scene.item_box(band, item)
        for band in scene.lanes
        if band.packing is not None
        for item in band.packing.items
        if not timeline.columns.flags[item.position] & SPAN
    ]
    boxes += [
        scene.cluster_box(band, cluster)
        for band in scene.lanes
        if band.packing is not None
        for cluster in band.packing.clusters
    ]
    assert len(boxes) >= 10
    compared = differing = 0
    for x0, y0, x1, y1 in boxes:
        box = QRect(round(x0 * 2) - 4, round(y0 * 2) - 4, round((x1 - x0) * 2) + 8, 0)
        box.setBottom(round(y1 * 2) + 4)
        compared += box.width() * box.height()
        differing += pixels_differing(stamped.copy(box), drawn.copy(box))
    # Edge pixels of antialiased shapes (a few percent); a stamp a pixel off is far more.
    assert differing < 0.05 * compared, (differing, compared)


def test_no_grid_line_runs_through_a_badge(qapp) -> None:
    """From a user test: grid lines showed through the see-through fill of "+N" badges. Inside
    its outline, a badge looks the same with the grid drawn or not."""
    from desktop.layout.ticks import AxisTicks

    timeline = load_bundled()
    font = qapp.font()
    scale = TimeScale(to_seconds(2024, 11, 20), to_seconds(2024, 12, 20), 700)
    scene = scene_builder(timeline, font).build(scale, 380)
    boxes = [
        scene.cluster_box(band, cluster)
        for band in scene.lanes
        if band.packing is not None
        for cluster in band.packing.clusters
    ]
    assert boxes
    size = QSize(700, 380)
    renderer = SceneRenderer(print_palette(), font)
    gridded = render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()))
    plain_scene = scene._replace(ticks=AxisTicks((), (), ""))
    plain = render(size, lambda p: renderer.paint(p, plain_scene, timeline, Highlight()))
    crossed = 0
    for x0, y0, x1, y1 in boxes:
        inside = QRect(round(x0) + 3, round(y0) + 3, round(x1 - x0) - 6, round(y1 - y0) - 6)
        assert pixels_differing(gridded.copy(inside), plain.copy(inside), threshold=0) == 0
        crossed += any(x0 + 3 < scale.x(tick.seconds) < x1 - 3 for tick in scene.ticks.minor)
    assert crossed  # a grid line did cross a badge here


def test_density_bars_are_kept_for_bins_that_did_not_change(qapp, monkeypatch) -> None:
    """Bars are made per stretch of layout space and kept while that stretch's bins stay the
    same, even in a new list (the scene slides a lane's bins as the view pans)."""
    import desktop.ui.renderer as renderer_module

    font = qapp.font()
    timeline, scene = dense_scene(font)
    (band,) = scene.lanes
    assert band.packing is None and len(band.bins) > 50
    made: list[int] = []
    real_bars = renderer_module._bars

    def counting_bars(bins):  # type: ignore[no-untyped-def]
        made.append(len(bins))
        return real_bars(bins)

    monkeypatch.setattr(renderer_module, "_bars", counting_bars)
    renderer = SceneRenderer(print_palette(), font)
    size = QSize(700, 300)

    def paint(lane: object) -> int:
        made.clear()
        shown = scene._replace(lanes=(lane,))
        render(size, lambda p: renderer.paint(p, shown, timeline, Highlight()))
        return len(made)

    assert paint(band) >= 1
    assert paint(band._replace(bins=list(band.bins))) == 0  # same bins, another list
    changed = list(band.bins)
    changed[0] = changed[0]._replace(count=changed[0].count + 1)
    assert paint(band._replace(bins=changed)) == 1  # only the stretch holding that bin
    # A new tallest bin (the lane slid onto busier times) or a new height (rows shared out
    # again) rescales the bars; it makes none.
    assert paint(band._replace(bins=changed, bin_max=band.bin_max + 5)) == 0
    assert paint(band._replace(bins=changed, y0=band.y0 - 30)) == 0


def test_a_pan_makes_new_bars_for_one_lane_at_a_time(qapp, monkeypatch) -> None:
    """Each lane's chunks of bars start at its own offset: a pan across dense lanes brings new
    chunks on screen for one lane at a time, not for every lane in the same frame."""
    import desktop.ui.renderer as renderer_module

    font = qapp.font()
    timeline, scene = dense_scene(font)
    (band,) = scene.lanes
    height = band.y1 - band.y0
    lanes = tuple(
        band._replace(lane_id=f"lane{n}", y0=band.y0 + n * height, y1=band.y1 + n * height)
        for n in range(3)
    )
    bins = [DensityBin(x, x + 4.0, 3, 0, 2) for x in range(0, 8000, 4)]
    made: list[str] = []
    real_bars = renderer_module._bars
    monkeypatch.setattr(
        renderer_module, "_bars", lambda part: made.append("chunk") or real_bars(part)
    )
    renderer = SceneRenderer(print_palette(), font)
    per_frame = []
    for step in range(60):  # 64 px a frame, over 3,840 px: several chunks per lane
        shown = tuple(
            lane._replace(bins=bins, bin_max=3, bin_stretch=1.0, bin_offset=-64.0 * step)
            for lane in lanes
        )
        made.clear()
        render(
            QSize(700, 600),
            lambda p, shown=shown: renderer.paint(
                p, scene._replace(lanes=shown), timeline, Highlight()
            ),
        )
        per_frame.append(len(made))
    assert per_frame[0] >= 3  # the first frame makes what is on screen for every lane
    assert sum(per_frame[1:]) >= 9  # a few new chunks per lane along the way...
    assert max(per_frame[1:]) == 1  # ...each in a frame of its own


def test_density_bars_fill_the_room_and_a_single_event_still_shows(qapp) -> None:
    font = qapp.font()
    timeline, scene = dense_scene(font)
    (band,) = scene.lanes
    bins = [DensityBin(100.0, 104.0, 1, 0, 0), DensityBin(200.0, 204.0, 1000, 1, 1000)]
    lane = band._replace(bins=bins, bin_max=1000, bin_stretch=1.0, bin_offset=0.0)
    renderer = SceneRenderer(print_palette(), font)

    def image_of(shown: LaneBand) -> QImage:
        return render(
            QSize(700, 300),
            lambda p: renderer.paint(p, scene._replace(lanes=(shown,)), timeline, Highlight()),
        )

    with_bars, without = image_of(lane), image_of(lane._replace(bins=[]))

    def bar_height(x: int) -> int:
        return sum(with_bars.pixel(x, y) != without.pixel(x, y) for y in range(300))

    room = lane.y1 - lane.y0 - scene.metrics.lane_header - 8
    assert abs(bar_height(201) - room) <= 1  # the tallest bin fills the room
    assert 0.1 * room <= bar_height(101) <= 0.2 * room  # one event: short, and visible
    assert bar_height(104) == 0  # a gap after each bar


def test_a_density_bar_reaching_onto_the_screen_from_the_left_is_drawn(qapp) -> None:
    # A bar of a bin that starts left of the screen (in the chunk before the screen's first)
    # still shows its part on screen.
    timeline = load_bundled()
    font = qapp.font()
    scale = TimeScale(to_seconds(2024, 11, 20), to_seconds(2024, 12, 20), 400)
    scene = scene_builder(timeline, font).build(scale, 300)
    band = scene.lanes[0]._replace(
        packing=None,
        bins=[DensityBin(1020.0, 1030.0, 5, 0, 4)],  # 10 px bins, across the 1024 px edge
        bin_max=5,
        bin_stretch=1.0,
        bin_offset=-1024.0,  # the screen starts at layout x = 1024
    )
    shown = scene._replace(lanes=(band,))
    renderer = SceneRenderer(print_palette(), font)
    image = render(QSize(400, 300), lambda p: renderer.paint(p, shown, timeline, Highlight()))
    bar_pixel = QColor(image.pixel(2, round(band.y1) - 6))
    past_bar = QColor(image.pixel(20, round(band.y1) - 6))
    assert bar_pixel != past_bar  # the bar's visible part is there, the lane tint after it


def test_a_date_gone_to_is_marked_under_the_events_even_far_wider_than_the_view(qapp) -> None:
    """Go to Date's band: drawn across the canvas below the axis, clipped to it (a year seen at
    minute zoom is millions of pixels wide), and only while marked."""
    timeline = load_bundled()
    font = qapp.font()
    scale = TimeScale(to_seconds(2024, 12, 12, 9), to_seconds(2024, 12, 12, 10), 400)
    scene = scene_builder(timeline, font).build(scale, 300)
    renderer = SceneRenderer(print_palette(), font)
    size = QSize(400, 300)
    plain = render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()))
    highlight = Highlight()
    highlight.marked = (to_seconds(1, 1, 1), to_seconds(9000, 1, 1))
    marked = render(size, lambda p: renderer.paint(p, scene, timeline, highlight))
    below_axis = scene.metrics.axis_height + 4
    assert marked.pixelColor(200, below_axis) != plain.pixelColor(200, below_axis)
    assert marked.pixelColor(200, 2) == plain.pixelColor(200, 2)  # the axis keeps its look


def test_the_selected_event_of_a_lane_showing_density_is_drawn_over_its_bars(qapp) -> None:
    """From a user test: selecting an event of a lane drawn as bars (from the Events list, or
    with Next Event) left no mark of it on the timeline."""
    font = qapp.font()
    timeline, scene = dense_scene(font)
    (band,) = scene.lanes
    assert band.packing is None
    selected = timeline.index.position("e1234")
    renderer = SceneRenderer(print_palette(), font)
    plain = render(QSize(700, 300), lambda p: renderer.paint(p, scene, timeline, Highlight()))
    highlight = Highlight()
    highlight.selected = selected
    marked = render(QSize(700, 300), lambda p: renderer.paint(p, scene, timeline, highlight))
    x = round(scene.scale.x(timeline.index.starts[selected]))
    top = round(band.row_top(0, scene.metrics))
    changed = [
        (px, py)
        for py in range(top, top + round(scene.metrics.row_height))
        for px in range(700)
        if plain.pixel(px, py) != marked.pixel(px, py)
    ]
    assert changed, "nothing marks the selected event"
    xs = [px for px, _ in changed]
    # The marker and its ring where the event is, its title to the right of it.
    assert min(xs) <= x <= max(xs)
    assert max(xs) - x > renderer.metrics.horizontalAdvance("Event 1234") * 0.9
    # With nothing selected, the bars are drawn as before.
    highlight.selected = None
    assert render(QSize(700, 300), lambda p: renderer.paint(p, scene, timeline, highlight)) == plain


def test_the_selected_event_counted_in_a_badge_is_drawn_over_it(qapp) -> None:
    """From a user test: selecting an event counted in a "+N" badge (from the Events list, or
    with Next Event) only ringed the badge; which of its events was selected, and where, did not
    show."""
    timeline = load_bundled()
    font = qapp.font()
    # Fit All at 700 px: the Warsaw talks are counted in the Poland lane's badge.
    builder = scene_builder(timeline, font)
    scene = builder.build(builder.fit_with_titles(*timeline.extent(), 700, 500), 500)
    selected = timeline.index.position("warsaw-talks")
    band, cluster = next(
        (band, cluster)
        for band in scene.lanes
        if band.packing is not None
        for cluster in band.packing.clusters
        if selected in cluster.positions
    )
    size = QSize(700, 500)
    renderer = SceneRenderer(print_palette(), font)
    plain = render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()))
    highlight = Highlight()
    highlight.selected = selected
    marked = render(size, lambda p: renderer.paint(p, scene, timeline, highlight))
    x = round(scene.scale.x(timeline.index.starts[selected]))
    _, y0, _, y1 = scene.cluster_box(band, cluster)
    changed = [
        px
        for py in range(round(y0), round(y1))
        for px in range(700)
        if plain.pixel(px, py) != marked.pixel(px, py)
    ]
    # The marker and its ring where the event is, on the badge's row, its title after it.
    assert changed and min(changed) <= x <= max(changed)
    title = timeline.events[selected].title
    assert max(changed) - x > renderer.metrics.horizontalAdvance(title) * 0.9


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in {
        QPalette.ColorRole.Base: "#1E1E1E",
        QPalette.ColorRole.Window: "#2D2D2D",
        QPalette.ColorRole.Text: "#E6E6E6",
        QPalette.ColorRole.WindowText: "#E6E6E6",
        QPalette.ColorRole.Highlight: "#3D8EE6",
    }.items():
        palette.setColor(role, QColor(color))
    return palette


def test_eras_keep_their_hue_on_a_dark_background(qapp) -> None:
    """From a user test: with a dark palette the eras' pale colours, laid over the canvas,
    made flat grey slabs."""
    timeline = load_bundled()
    font = qapp.font()
    scale = TimeScale(*timeline.initial_range(), 900)
    scene = scene_builder(timeline, font).build(scale, 400)
    assert scene.eras
    renderer = SceneRenderer(dark_palette(), font)
    assert renderer.dark
    image = render(QSize(900, 400), lambda p: renderer.paint(p, scene, timeline, Highlight()))
    for era, x0, x1 in scene.eras:
        middle = round((max(x0, 0) + min(x1, 900)) / 2)
        # Low in the canvas, under the last lane's rows: the era over the lane's tint only.
        pixel = QColor(image.pixel(middle, 395))
        era_hue = QColor(era.color).hslHueF()
        assert pixel.hslSaturationF() > 0.2, (era.name, pixel.name())
        assert min(abs(pixel.hslHueF() - era_hue), 1 - abs(pixel.hslHueF() - era_hue)) < 0.1


@pytest.mark.parametrize("vector", [False, True])
@pytest.mark.parametrize("dark", [False, True])
def test_eras_blended_ahead_of_time_look_as_laid_over_the_canvas(
    qapp, dark: bool, vector: bool
) -> None:
    """On a raster device the canvas's grounds are filled with the eras over them blended
    ahead of time (see Scene.era_columns); a vector device (SVG, PDF) gets each era as one
    see-through rectangle. Both must look as Qt's own see-through fills of the eras over the
    whole height, where eras overlap and where one runs off the screen, in light and dark."""
    timeline = Timeline(
        title="eras",
        events=tuple(
            Event(id=f"e{n}", title=f"Event {n}", when=DateSpan.parse("2030-01-01"), lane=lane)
            for n, lane in enumerate(("a", "b"))
        ),  # far from the view: only grounds, grid and headers on screen
        lanes=(Lane(id="a", name="A", color="#0072B2"), Lane(id="b", name="B", color="#D55E00")),
        eras=(
            Era("Off the left", DateSpan.parse("2023-06-01/2024-03-15"), "#FCE9D2"),
            Era("Overlapped", DateSpan.parse("2024-04-01/2024-06-15"), "#DDEFFA"),
            Era("Overlapping", DateSpan.parse("2024-05-15/2024-08-01"), "#D9F2EA"),
        ),
    )
    font = qapp.font()
    size = QSize(900, 400)
    scene = scene_builder(timeline, font).build(
        TimeScale(to_seconds(2024, 1, 1), to_seconds(2024, 10, 1), size.width()), size.height()
    )
    assert len(scene.eras) == 3 and scene.eras[0][1] < 0 < scene.eras[0][2]
    renderer = SceneRenderer(dark_palette() if dark else QPalette(), font)
    assert renderer.dark == dark
    blended = render(size, lambda p: renderer.paint(p, scene, timeline, Highlight()), vector=vector)

    def laid_over(painter: QPainter) -> None:  # the canvas without eras, then the eras over it
        renderer.paint(painter, scene._replace(eras=()), timeline, Highlight())
        top = scene.metrics.axis_height
        for era, x0, x1 in scene.eras:
            left, right = max(x0, 0.0), min(x1, size.width())
            painter.fillRect(
                QRectF(left, top, right - left, size.height() - top), renderer._era_color(era)
            )

    reference = render(size, laid_over)
    ticks = [round(scene.scale.x(t.seconds)) for t in (*scene.ticks.minor, *scene.ticks.major)]
    xs = [x for x in range(200, size.width()) if all(abs(x - tick) > 1 for tick in ticks)]
    bands = [(band.y0 + band.y1) / 2 for band in scene.lanes]  # under the header line
    ys = [*bands, (scene.lanes[0].y1 + scene.lanes[1].y0) / 2, size.height() - 3]
    compared = 0
    for y in map(round, ys):
        for x in xs:
            ours, qts = QColor(blended.pixel(x, y)), QColor(reference.pixel(x, y))
            assert (
                max(
                    abs(ours.red() - qts.red()),
                    abs(ours.green() - qts.green()),
                    abs(ours.blue() - qts.blue()),
                )
                <= 2
            ), (x, y, ours.name(), qts.name())
            compared += 1
    eras_seen = {over for x0, x1, over in scene.era_columns() if any(x0 <= x < x1 for x in xs)}
    assert {(0,), (1,), (1, 2), (2,), ()} <= eras_seen and compared > 2000


def test_long_bars_drawn_in_pieces_match_bars_drawn_whole(qapp) -> None:
    """On a raster device a long span's bar is drawn in pieces (stamped ends, filled middle);
    a vector device draws it whole. Both must show the same bar: its ends, its straight lines,
    its see-through inside blended once, whether it crosses the screen or ends on it."""
    spans = ("2023-06-01/2025-06-01", "2024-03-04/2024-03-12", "2024-02-10/2024-03-20")
    events = tuple(
        Event(id=f"e{n}", title=f"Span {n}", when=DateSpan.parse(when), lane=f"lane{n}")
        for n, when in enumerate(spans)
    )
    timeline = Timeline(
        title="bars",
        events=events,
        lanes=tuple(Lane(id=f"lane{n}", name=f"Lane {n}") for n in range(len(spans))),
    )
    font = qapp.font()
    scale = TimeScale(to_seconds(2024, 3, 1), to_seconds(2024, 3, 31), 700)
    scene = scene_builder(timeline, font).build(scale, 300)
    placed = [
        (band, item)
        for band in scene.lanes
        if band.packing is not None
        for item in band.packing.items
    ]
    boxes = [scene.item_box(band, item) for band, item in placed]
    assert len(boxes) == 3 and all(x1 - x0 >= LONG_BAR_PX for x0, _, x1, _ in boxes)
    # Titles are left out of the comparison: a vector device draws text a little differently
    # at a ratio of two (see above).
    titles = [scene.drawn_label(band, item) for band, item in placed]

    def bars(draw: object, ratio: float, *, vector: bool = False) -> QImage:
        image = render(QSize(700, 300), draw, ratio, vector=vector)
        painter = QPainter(image)
        for title in titles:
            assert title is not None
            x0, y0, x1, y1 = title
            painter.fillRect(QRectF(x0 - 2, y0 + 4, x1 - x0 + 4, y1 - y0 - 8), QColor("#ffffff"))
        painter.end()
        return image

    for ratio in (1.0, 2.0):
        renderer = SceneRenderer(print_palette(), font)
        pieces = bars(lambda p: renderer.paint(p, scene, timeline, Highlight()), ratio)  # noqa: B023
        assert any(key[0] == "bar end" for key in renderer._sprites)  # drawn in pieces
        vector_renderer = SceneRenderer(print_palette(), font)
        whole = bars(
            lambda p: vector_renderer.paint(p, scene, timeline, Highlight()),  # noqa: B023
            ratio,
            vector=True,
        )
        for _, y0, _, y1 in boxes:
            # The bar's rows across the screen, a few pixels above and below its edges.
            row = QRect(
                0, round((y0 - 3) * ratio), round(700 * ratio), round((y1 - y0 + 6) * ratio)
            )
            # Where a piece starts is rounded to a quarter pixel: a few levels at its edge
            # pixels. A column blended twice, or an edge line missing, is tens of pixels at 60.
            assert pixels_differing(pieces.copy(row), whole.copy(row), 60) == 0, (ratio, y0)
            assert pixels_differing(pieces.copy(row), whole.copy(row), 12) < 8 * ratio, (ratio, y0)
