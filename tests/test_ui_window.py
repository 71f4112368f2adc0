"""The main window and its canvas, driven through pytest-qt as a user would drive them.

Geometry is checked through the scene the canvas paints (``TimelineView.scene()``), input is sent
as real Qt events (wheel, mouse, keys), and messages are recorded instead of shown (see the
``recorded_messages`` fixture), so no dialog ever opens.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from formats_helpers import FIXTURES
from PySide6.QtCore import QByteArray, QEvent, QPoint, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QScrollBar,
    QToolBar,
    QToolTip,
    QTreeView,
)

from desktop.formats.loader import load_bundled
from desktop.layout.scale import MAX_SPAN, MIN_SPAN
from desktop.layout.ticks import label_boxes
from desktop.model.calendar import SECONDS_PER_DAY, to_seconds
from desktop.ui.details_panel import EMPTY_TEXT
from desktop.ui.main_window import GO_TO_CONTEXT
from desktop.ui.messages import Level
from desktop.ui.renderer import SceneRenderer, contrast_ratio
from desktop.ui.timeline_view import KEY_ZOOM_FACTOR, TimelineView

# The offscreen platform says these about itself, not about the code under test.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",  # the tooltip's
)

OPENING_START = to_seconds(2024, 2, 26)
OPENING_END = to_seconds(2024, 12, 13)  # the end of 12 December 2024
DEC_12 = to_seconds(2024, 12, 12)
DEC_12_NOON = DEC_12 + SECONDS_PER_DAY / 2
DEC_12_IDS = ("warsaw-talks", "berlin-foreign-ministers", "warsaw-finance-ministers")
FIFTEEN_MONTHS = 15 * 30.44 * SECONDS_PER_DAY

Box = tuple[float, float, float, float]


# -- helpers -------------------------------------------------------------------------------------
def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share interior (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def position_of(window_or_view, event_id: str) -> int:
    return window_or_view.timeline.index.position(event_id)


def lanes_y(view: TimelineView) -> float:
    """A y inside the lanes area, below the axis and the era strip."""
    scene = view.scene()
    return (scene.lanes[0].y0 + scene.lanes[-1].y1) / 2


def empty_y(view: TimelineView, x: float) -> float:
    """A y in the lanes with nothing under (x, y): on an event, a zoom keeps the event in place
    rather than the time under the pointer."""
    scene = view.scene()
    index = view.timeline.index
    y = scene.lanes_top
    while y < scene.height:
        if scene.hit(x, y, (index.starts, index.ends)) is None:
            return y
        y += 2.0
    raise AssertionError(f"every y at x={x} is on something")


def send_wheel(view, x: float, y: float, angle=(0, 120), modifiers=Qt.KeyboardModifier.NoModifier):
    local = QPointF(x, y)
    event = QWheelEvent(
        local,
        QPointF(view.mapToGlobal(local)),
        QPoint(0, 0),
        QPoint(*angle),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, event)


def send_mouse(
    view,
    kind: QEvent.Type,
    x: float,
    y: float,
    button=Qt.MouseButton.LeftButton,
    buttons=Qt.MouseButton.LeftButton,
    modifiers=Qt.KeyboardModifier.NoModifier,
):
    local = QPointF(x, y)
    event = QMouseEvent(kind, local, QPointF(view.mapToGlobal(local)), button, buttons, modifiers)
    QApplication.sendEvent(view, event)


def drag(view, start: tuple[float, float], end: tuple[float, float], modifiers=None):
    modifiers = modifiers if modifiers is not None else Qt.KeyboardModifier.NoModifier
    left = Qt.MouseButton.LeftButton
    send_mouse(view, QEvent.Type.MouseButtonPress, *start, modifiers=modifiers)
    for step in range(1, 6):
        x = start[0] + (end[0] - start[0]) * step / 5
        y = start[1] + (end[1] - start[1]) * step / 5
        send_mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, left, modifiers)
    send_mouse(view, QEvent.Type.MouseButtonRelease, *end, left, Qt.MouseButton.NoButton, modifiers)


def double_click(view, x: float, y: float):
    """The sequence Qt 6 delivers for a real double click: press, release, press, double
    click, release."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(view, QEvent.Type.MouseButtonPress, x, y)
    send_mouse(view, QEvent.Type.MouseButtonRelease, x, y, left, none)
    send_mouse(view, QEvent.Type.MouseButtonPress, x, y)
    send_mouse(view, QEvent.Type.MouseButtonDblClick, x, y)
    send_mouse(view, QEvent.Type.MouseButtonRelease, x, y, left, none)


def event_center(view, event_id: str) -> tuple[float, float]:
    center = view.scene().event_center(position_of(view, event_id))
    assert center is not None, f"{event_id} is not drawn on its own"
    return center


def drawn_boxes(view, event_id: str) -> tuple[Box, Box] | None:
    """(shape box, label box) of an event drawn on its own, or None."""
    scene = view.scene()
    position = position_of(view, event_id)
    for band in scene.lanes:
        for item in band.packing.items if band.packing is not None else ():
            if item.position == position:
                return scene.item_box(band, item), scene.label_box(band, item)
    return None


def distinguishable(view, event_ids) -> bool:
    """Every event drawn on its own, with a label, its shape and label overlapping no other's."""
    boxes = {event_id: drawn_boxes(view, event_id) for event_id in event_ids}
    if any(found is None for found in boxes.values()):
        return False
    if any(label[2] <= label[0] for _, label in boxes.values()):
        return False
    for first, second in itertools.combinations(event_ids, 2):
        for a in boxes[first]:
            for b in boxes[second]:
                if overlaps(a, b):
                    return False
    return True


def assert_layout_clean(view: TimelineView) -> None:
    """No two things drawn in one lane row overlap; axis labels neither overlap nor clip."""
    scene = view.scene()
    width = scene.scale.width
    for band in scene.lanes:
        if band.packing is None:
            continue
        by_row: dict[int, list[tuple[int | None, Box]]] = {}
        for item in band.packing.items:
            by_row.setdefault(item.row, []).append((item.position, scene.item_box(band, item)))
            if item.label_x1 > item.label_x0:
                by_row[item.row].append((item.position, scene.label_box(band, item)))
        for cluster in band.packing.clusters:
            by_row.setdefault(cluster.row, []).append((None, scene.cluster_box(band, cluster)))
        for row, boxes in by_row.items():
            assert 0 <= row < band.rows
            for (p, a), (q, b) in itertools.combinations(boxes, 2):
                if p is not None and p == q:
                    continue  # a span's label sits inside its own bar by design
                assert not overlaps(a, b), (band.lane_id, row, p, q, a, b)
    for upper, lower in itertools.pairwise(scene.lanes):
        assert upper.y1 <= lower.y0
    measure = QFontMetricsF(view.font()).horizontalAdvance
    for row in label_boxes(scene.ticks, scene.scale.t0, scene.scale.t1, width, measure):
        for left, right in row:
            assert left >= 0 and right <= width, (left, right, width)
        for (_, right), (left, _) in itertools.pairwise(sorted(row)):
            assert right <= left


def small_timeline_json(title: str = "Small", extra_title: str = "Second") -> str:
    return json.dumps(
        {
            "format": "timeline-viewer",
            "version": 1,
            "title": title,
            "lanes": [{"id": "a", "name": "Alpha", "color": "#336699"}],
            "events": [
                {"id": "e1", "title": "First", "date": "2020-01-10", "lane": "a"},
                {"id": "e2", "title": extra_title, "date": "2020-02-10", "lane": "a"},
                {"id": "e3", "title": "Third", "date": "2020-03-10/2020-03-20", "lane": "a"},
            ],
        }
    )


def shown_view(qtbot, timeline, width: int = 1200, height: int = 300) -> TimelineView:
    """A canvas alone, showing ``timeline``, on screen."""
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.set_timeline(timeline)
    view.show()
    qtbot.waitExposed(view)
    return view


def in_view(view, event_id: str) -> bool:
    event = view.timeline.event(event_id)
    scale = view.scale
    return scale.t0 <= event.when.start_seconds() and event.when.end_seconds() <= scale.t1


def in_sight(view, event_id: str) -> bool:
    """In view, or a span across a third of the view or more: its title slides along its bar
    (zoomed in to a badge's events, the view may be shorter than a span stepped to next)."""
    event = view.timeline.event(event_id)
    scale = view.scale
    t0, t1 = event.when.start_seconds(), event.when.end_seconds()
    across = min(t1, scale.t1) - max(t0, scale.t0)
    return in_view(view, event_id) or (event.is_span and across >= scale.span / 3)


def within_pixel(first, second) -> bool:
    spp = second.seconds_per_pixel
    return abs(first.t0 - second.t0) <= spp and abs(first.t1 - second.t1) <= spp


def focus_view(qtbot, window) -> TimelineView:
    view = window.view
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    return view


# -- opening -------------------------------------------------------------------------------------
def test_opens_on_the_bundled_timeline_fitted_to_the_story(main_window):
    window = main_window
    view = window.view
    assert window.size().width() == 1600 and window.size().height() == 1000
    assert window.path is None
    assert window.timeline is not None and window.timeline.title == load_bundled().title
    assert "Timeline Viewer" in window.windowTitle()
    scale = view.scale
    assert scale.width == view.width()
    assert scale.t0 <= OPENING_START and scale.t1 >= OPENING_END
    assert scale.span < FIFTEEN_MONTHS

    scene = view.scene()
    core = [
        event
        for event in window.timeline.events
        if event.when.start_seconds() >= OPENING_START and event.when.end_seconds() <= OPENING_END
    ]
    assert len(core) >= 20
    drawn = {}
    for band in scene.lanes:
        assert band.y1 <= view.height()
        for item in band.packing.items if band.packing is not None else ():
            drawn[item.position] = (band, item)
    for event in core:
        position = window.timeline.index.position(event.id)
        assert position in drawn, f"{event.id} is not drawn with a label (clustered?)"
        band, item = drawn[position]
        assert item.label_x1 > item.label_x0, f"{event.id} has no label"
        x0, _, x1, _ = scene.label_box(band, item)
        assert x0 >= 0 and x1 <= view.width(), f"{event.id}'s label is clipped: {x0}..{x1}"
        shape = scene.item_box(band, item)
        assert shape[0] >= 0 and shape[2] <= view.width()
    assert_layout_clean(view)


def test_menus_and_toolbar_offer_the_commands(main_window):
    window = main_window
    menus = {
        action.text().replace("&", ""): [
            item.text().replace("&", "") for item in action.menu().actions() if item.text()
        ]
        for action in window.menuBar().actions()
    }
    assert {"File", "View", "Go", "Help"} <= set(menus)
    assert {"Open…", "Open Recent", "Quit"} <= set(menus["File"])
    assert {"Zoom In", "Zoom Out", "Fit All", "Lanes", "Details", "Events"} <= set(menus["View"])
    assert {"First Event", "Previous Event", "Next Event", "Last Event", "Go to Date…"} <= set(
        menus["Go"]
    )
    assert {"Keyboard Shortcuts", "About Timeline Viewer"} <= set(menus["Help"])
    assert window.zoom_in_action.shortcut().toString() == "Ctrl+="
    assert window.fit_action.shortcut().toString() == "Ctrl+0"
    assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    toolbar = window.findChild(QToolBar, "main-toolbar")
    assert toolbar is not None
    for action in (
        window.zoom_in_action,
        window.zoom_out_action,
        window.fit_action,
        window.previous_action,
        window.next_action,
        window.goto_action,
    ):
        assert action in toolbar.actions()
    assert window.details_dock.isVisible() and window.events_dock.isVisible()


# -- zoom ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("notches", [1, -1, 3, -2])
def test_wheel_zoom_keeps_the_time_under_the_cursor(main_window, notches):
    view = main_window.view
    for x in (0.0, 37.0, 300.5, view.width() / 2, 1000.0, view.width() - 1):
        before = view.scale
        send_wheel(view, x, empty_y(view, x), (0, 120 * notches))
        after = view.scale
        assert after.width == before.width
        ratio = before.span / after.span
        assert ratio == pytest.approx(1.0015 ** (120 * notches), rel=1e-6)
        assert after.t(x) == pytest.approx(before.t(x), abs=after.seconds_per_pixel * 1e-3)


def test_zoom_shortcuts(qtbot, main_window):
    window = main_window
    view = focus_view(qtbot, window)
    span = view.scale.span
    centre = view.scale.t(view.width() / 2)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.scale.span == pytest.approx(span / KEY_ZOOM_FACTOR)
    assert view.scale.t(view.width() / 2) == pytest.approx(centre, abs=view.scale.span * 1e-9)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale.span == pytest.approx(span)
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale.span == pytest.approx(span * KEY_ZOOM_FACTOR)
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    first, last = window.timeline.extent()
    assert view.scale.t0 <= first and view.scale.t1 >= last
    assert view.scale.span < (last - first) * 1.5


def test_plus_and_minus_zoom_the_canvas(qtbot, main_window):
    """From a user test: plain + and − did nothing; only Ctrl+= and Ctrl+− zoomed."""
    view = focus_view(qtbot, main_window)
    span = view.scale.span
    for key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
        qtbot.keyClick(view, key)
    assert view.scale.span == pytest.approx(span / KEY_ZOOM_FACTOR**2)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale.span == pytest.approx(span / KEY_ZOOM_FACTOR)


def test_zoom_limits(main_window):
    window = main_window
    view = window.view
    for _ in range(1000):
        window.zoom_in_action.trigger()
    closest = view.scale
    assert MIN_SPAN <= closest.span < MIN_SPAN * 1.01
    window.zoom_in_action.trigger()
    assert view.scale == closest
    view.grab()  # paints at the limit without error
    # Zooming out stops at ten times a timeline's extent: one from the Big Bang to now reaches
    # the axis's own limit first.
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Timeline

    cosmic = Timeline(
        title="cosmos",
        events=tuple(
            Event(id=f"e{n}", title=title, when=DateSpan.parse(date))
            for n, (title, date) in enumerate((("Big Bang", "Y-13800000000"), ("Now", "2024")))
        ),
    )
    view.set_timeline(cosmic)
    for _ in range(1000):
        window.zoom_out_action.trigger()
    widest = view.scale
    assert MAX_SPAN * 0.99 < widest.span <= MAX_SPAN
    window.zoom_out_action.trigger()
    assert view.scale.span == widest.span
    view.grab()
    for _ in range(200):
        send_wheel(view, 10, lanes_y(view), (0, 120))
    assert view.scale.span >= MIN_SPAN


# -- pan -----------------------------------------------------------------------------------------
def test_wheel_over_an_event_zooms_around_it(qtbot):
    """Out at the age of the universe a pixel is 11 million years: zooming at the pointer on
    an event's label kept that far-off time in place and lost the event."""
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane, Timeline

    events = (
        Event(id="bang", title="Big Bang", when=DateSpan.parse("Y-13800000000"), lane="a"),
        Event(id="y2k", title="Y2K", when=DateSpan.parse("2000"), lane="a"),
    )
    view = shown_view(qtbot, Timeline(title="all", events=events, lanes=(Lane(id="a", name="A"),)))
    x, y = view.scene().event_center(1)
    for _ in range(60):
        send_wheel(view, x + 12, y)  # on its label
    assert view.scale.seconds_per_pixel < 1e10  # from 4e14: zoomed in
    assert view.scene().event_center(1)[0] == pytest.approx(x, abs=0.5)


def test_a_narrower_window_keeps_the_selected_event_on_screen(main_window):
    window = main_window
    view = window.view
    position = position_of(window, "warsaw-talks")
    view.select(position)
    x, _ = view.scene().event_center(position)
    view.pan_pixels(view.width() * 0.85 - x)  # the user's own view, the event near its right edge
    x, _ = view.scene().event_center(position)
    assert view.width() * 0.7 < x < view.width()
    width = view.width()
    window.resize(window.width() - width // 2, window.height())
    QApplication.processEvents()
    assert view.width() < width * 0.6
    x, _ = view.scene().event_center(position)
    assert 0 <= x <= view.width()

    # Without a selection the left edge stays, as in a document view.
    view.select(None)
    before = view.scale
    window.resize(window.width() - 200, window.height())
    QApplication.processEvents()
    assert view.scale.t0 == pytest.approx(before.t0)


def test_shift_wheel_and_horizontal_wheel_pan(main_window):
    view = main_window.view
    y = lanes_y(view)
    before = view.scale
    send_wheel(view, 500, y, (0, -120), Qt.KeyboardModifier.ShiftModifier)
    after = view.scale
    assert after.span == pytest.approx(before.span)
    assert after.t0 > before.t0  # scrolling down moves later, as a horizontal scroll right does
    before = after
    send_wheel(view, 500, y, (120, 0))
    after = view.scale
    assert after.span == pytest.approx(before.span)
    assert after.t0 < before.t0


def test_drag_pans(main_window):
    view = main_window.view
    y = lanes_y(view)
    before = view.scale
    selection = view.selected
    drag(view, (400, y), (600, y))
    after = view.scale
    assert after.span == pytest.approx(before.span)
    assert after.t0 == pytest.approx(before.t0 - 200 * before.seconds_per_pixel)
    assert view.selected == selection  # a drag is not a click
    drag(view, (600, y), (300, y))
    assert view.scale.t0 == pytest.approx(after.t0 + 300 * before.seconds_per_pixel)


def test_shift_drag_zooms_to_the_band(main_window):
    view = main_window.view
    y = lanes_y(view)
    before = view.scale
    drag(view, (300, y), (500, y), Qt.KeyboardModifier.ShiftModifier)
    after = view.scale
    assert after.t0 == pytest.approx(before.t(300), abs=before.seconds_per_pixel)
    assert after.t1 == pytest.approx(before.t(500), abs=before.seconds_per_pixel)
    assert view.highlight.rubber_band is None
    # Dragged right to left: the same range.
    view.set_range(before.t0, before.t1, margin=False)
    drag(view, (500, y), (300, y), Qt.KeyboardModifier.ShiftModifier)
    assert view.scale.t0 == pytest.approx(before.t(300), abs=before.seconds_per_pixel)


def test_shift_drag_at_the_closest_zoom_stays_within_the_limits(main_window):
    window = main_window
    view = window.view
    for _ in range(100):
        window.zoom_in_action.trigger()
    assert view.scale.span == pytest.approx(MIN_SPAN)
    y = lanes_y(view)
    drag(view, (300, y), (310, y), Qt.KeyboardModifier.ShiftModifier)
    assert view.scale.span >= MIN_SPAN
    # A plain drag after a Shift+drag pans again (no rubber band left over).
    before = view.scale
    drag(view, (300, y), (400, y))
    assert view.scale.span == pytest.approx(before.span)
    assert view.scale.t0 < before.t0


# -- selection -----------------------------------------------------------------------------------
def test_zoomed_into_a_day_its_band_is_drawn_and_a_click_on_it_selects_the_event(
    qtbot, main_window
):
    view = main_window.view
    view.set_range(DEC_12_NOON - 240, DEC_12_NOON - 60, margin=False)
    scene = view.scene()
    position = position_of(main_window, "warsaw-talks")
    (band,) = [band for band in scene.lanes if band.lane_id == "poland"]
    (item,) = [item for item in band.packing.items if item.position == position]
    _, y0, x1, y1 = scene.item_box(band, item)
    assert x1 > view.width()  # the marker, at noon, is off to the right
    image = view.grab().toImage()
    x, y = view.width() // 2, round((y0 + y1) / 2)
    lane_background = image.pixelColor(x, round(band.y1) - 3)
    assert image.pixelColor(x, y) != lane_background  # the day's faint band
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert view.selected == position
    assert main_window.details.current_event_id == "warsaw-talks"


def test_click_selects_and_the_docks_follow(qtbot, main_window):
    window = main_window
    view = window.view
    position = position_of(window, "warsaw-talks")
    changes, activations = [], []
    view.selection_changed.connect(changes.append)
    window.events_panel.event_activated.connect(activations.append)

    x, y = event_center(view, "warsaw-talks")
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert view.selected == position
    assert changes == [position]  # once: no echo back from the table
    assert activations == []
    assert window.details.current_event_id == "warsaw-talks"
    text = window.details.document_text()
    assert "Macron–Tusk talks in Warsaw" in text
    assert "12 December 2024" in text
    assert "Poland" in text  # the lane
    assert "Warsaw" in text  # the place
    assert "Stated in the source article" in text  # provenance
    assert "High" in text  # confidence
    assert window.events_panel.current_position == position
    rows = window.events_panel.table.selectionModel().selectedRows()
    assert [index.row() for index in rows] == [window.events_panel.index_of(position).row()]
    assert "Macron–Tusk talks in Warsaw" in window.windowTitle()

    # Clicking empty canvas clears the selection everywhere.
    scene = view.scene()
    empty_y = scene.lanes[-1].y1 - 2
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(5, round(empty_y)))
    assert view.selected is None
    assert window.details.current_event_id is None
    assert window.details.document_text() == EMPTY_TEXT
    assert window.events_panel.current_position is None


def test_clicking_a_table_row_selects_on_the_canvas_and_reveals_it(qtbot, main_window):
    window = main_window
    view = window.view
    panel = window.events_panel
    position = position_of(window, "us-election")
    # Look at spring 2024, far from the US election.
    view.set_range(to_seconds(2024, 2, 1), to_seconds(2024, 4, 1), margin=False)
    span = view.scale.span
    assert not in_view(view, "us-election")
    changes, activations = [], []
    view.selection_changed.connect(changes.append)
    panel.event_activated.connect(activations.append)

    panel.table.scrollTo(panel.index_of(position, 1))
    rect = panel.row_rect(position)
    assert rect is not None and panel.table.viewport().rect().contains(rect.center())
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert activations == [position]
    assert changes == [position]
    assert view.selected == position
    assert window.details.current_event_id == "us-election"
    assert in_view(view, "us-election")
    assert view.scale.span == pytest.approx(span)  # panned, not zoomed
    assert view.scene().event_center(position) is not None
    assert panel.current_position == position


# -- the three events of 12 December 2024 --------------------------------------------------------
def test_december_12_events_separate_within_two_wheel_steps(main_window):
    view = main_window.view
    y = lanes_y(view)
    for _ in range(2):
        if distinguishable(view, DEC_12_IDS):
            break
        send_wheel(view, view.scale.x(DEC_12_NOON), y, (0, 120))
    assert distinguishable(view, DEC_12_IDS)
    assert view.scale.t0 <= DEC_12 and view.scale.t1 >= DEC_12 + SECONDS_PER_DAY


@pytest.mark.parametrize("size", [(800, 600), (1000, 500), (600, 500), (800, 450)])
def test_clicking_a_cluster_spreads_it(qtbot, size):
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_timeline(load_bundled())
    with qtbot.waitExposed(view):
        view.show()
    scene = view.scene()
    wanted = {position_of(view, event_id) for event_id in DEC_12_IDS}
    clusters = [
        (band, cluster)
        for band in scene.lanes
        for cluster in (band.packing.clusters if band.packing is not None else ())
        if wanted & set(cluster.positions)
    ]
    assert clusters, "expected the 12 December events to be clustered at this size"
    band, cluster = max(clusters, key=lambda found: found[1].count)
    x0, y0, x1, y1 = scene.cluster_box(band, cluster)
    assert x1 <= view.width()
    members = [view.timeline.events[position].id for position in cluster.positions]
    qtbot.mouseClick(
        view, Qt.MouseButton.LeftButton, pos=QPoint(round((x0 + x1) / 2), round((y0 + y1) / 2))
    )
    assert view.selected is None
    assert all(in_view(view, event_id) for event_id in members)
    assert distinguishable(view, members)
    assert_layout_clean(view)


def test_selecting_an_event_on_screen_keeps_the_view(main_window):
    """From the user test: after Fit All, Tab to the first event panned the view, pushing the
    last event out, though the first was on screen."""
    view = main_window.view
    view.fit_all()
    before = view.scale
    view.select(0)  # at the left edge, inside Fit All's margin
    view.select(len(view.timeline.events) - 1)  # at the right, its title fitted by Fit All
    assert view.scale == before


# -- keyboard ------------------------------------------------------------------------------------
def test_tab_past_the_last_event_or_with_ctrl_leaves_the_canvas(qtbot, main_window):
    """From a user test: Tab stepped through the events and then stayed, so nothing led the
    keyboard out of the canvas to the list or the panels."""
    window = main_window
    view = focus_view(qtbot, window)
    qtbot.keyClick(view, Qt.Key.Key_End)
    last = view.selected
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected == last  # no further event: the selection stays ...
    qtbot.waitUntil(lambda: not view.hasFocus())  # ... and the focus moves on
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected == 0
    qtbot.waitUntil(lambda: not view.hasFocus())
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert view.selected == 1  # Ctrl+Tab leaves from any event
    qtbot.waitUntil(lambda: not view.hasFocus())


def test_previous_and_next_event_at_either_end_say_so(main_window, recorded_messages):
    """From a user test: Previous Event at the first event, and Next Event at the last, did
    nothing without a word."""
    from desktop.ui.messages import Level

    window = main_window
    window.first_action.trigger()
    window.previous_action.trigger()
    assert window.view.selected == 0
    window.last_action.trigger()
    window.next_action.trigger()
    assert window.view.selected == len(window.timeline.events) - 1
    window.previous_action.trigger()  # a step that is taken says nothing
    notes = [(m.level, m.text) for m in recorded_messages]
    assert notes == [(Level.INFO, "No earlier event."), (Level.INFO, "No later event.")]


def test_keyboard_moves_between_events(qtbot, main_window):
    window = main_window
    view = focus_view(qtbot, window)
    events = window.timeline.events
    span = view.scale.span

    # With nothing selected, Tab starts at the first event in view.
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    first_in_view = view.selected
    assert first_in_view is not None
    assert events[first_in_view].when.start_seconds() >= view.scale.t0
    assert events[first_in_view - 1].when.start_seconds() < window.timeline.initial_range()[0]
    assert view.hasFocus()

    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.selected == 0
    assert in_view(view, events[0].id)  # brought into view ...
    assert view.scale.span == pytest.approx(span)  # ... by panning
    assert window.details.current_event_id == events[0].id
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.selected == 1
    assert view.hasFocus()  # Tab stays in the canvas
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected == 2
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected == 1
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected == 0
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.selected == 0  # stays at the first
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.selected == len(events) - 1
    assert in_view(view, events[-1].id)
    assert window.events_panel.current_position == len(events) - 1
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected == len(events) - 1
    for step in range(1, len(events)):
        qtbot.keyClick(view, Qt.Key.Key_Up)
        assert view.selected == len(events) - 1 - step
        assert in_sight(view, events[view.selected].id)
    starts = [event.when.start_seconds() for event in events]
    assert starts == sorted(starts)
    assert view.hasFocus()


def test_enter_zooms_and_escape_clears(qtbot, main_window):
    window = main_window
    view = focus_view(qtbot, window)
    position = position_of(window, "warsaw-talks")
    view.select(position)
    span = view.scale.span
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.scale.span < span / 10
    assert in_view(view, "warsaw-talks")
    assert view.selected == position
    assert view.scene().event_center(position) is not None
    title = window.timeline.events[position].title
    assert window.statusBar().currentMessage().startswith(title)

    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected is None
    assert window.statusBar().currentMessage() == ""  # from a user test: it still named it
    assert window.details.current_event_id is None
    assert window.details.document_text() == EMPTY_TEXT
    assert window.events_panel.current_position is None
    assert not window.events_panel.table.selectionModel().hasSelection()


def test_arrow_keys_pan(qtbot, main_window):
    view = focus_view(qtbot, main_window)
    before = view.scale
    qtbot.keyClick(view, Qt.Key.Key_Left)
    after = view.scale
    assert after.span == pytest.approx(before.span)
    assert after.t0 < before.t0
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.scale.t0 == pytest.approx(before.t0, abs=before.seconds_per_pixel * 1e-3)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.scale.t0 > before.t0


def test_go_menu_actions(main_window):
    window = main_window
    view = window.view
    window.first_action.trigger()
    assert view.selected == 0
    window.next_action.trigger()
    assert view.selected == 1
    window.previous_action.trigger()
    assert view.selected == 0
    window.last_action.trigger()
    assert view.selected == len(window.timeline.events) - 1


def test_double_click_zooms_to_the_event(main_window):
    window = main_window
    view = window.view
    position = position_of(window, "warsaw-talks")
    span = view.scale.span
    x, y = event_center(view, "warsaw-talks")
    double_click(view, x, y)
    assert view.scale.span < span / 10
    assert in_view(view, "warsaw-talks")
    assert view.selected == position  # the trailing release must not undo the selection
    assert window.details.current_event_id == "warsaw-talks"


# -- layout at many zoom levels ------------------------------------------------------------------
@pytest.mark.parametrize("size", [(800, 600), (1600, 1000)])
def test_labels_never_overlap(qtbot, size):
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(*size)
    timeline = load_bundled()
    view.set_timeline(timeline)
    with qtbot.waitExposed(view):
        view.show()
    assert view.width() == size[0]
    first, last = timeline.extent()
    widest, narrowest = last - first, 4 * 3600.0
    levels = 15
    view.fit_all()
    assert_layout_clean(view)
    for level in range(levels):
        span = widest * (narrowest / widest) ** (level / (levels - 1))
        for centre in (DEC_12_NOON, DEC_12_NOON - span / 3):
            view.set_range(centre - span / 2, centre + span / 2, margin=False)
            assert view.scale.span == pytest.approx(span)
            assert_layout_clean(view)
    view.set_range(*timeline.initial_range())
    assert_layout_clean(view)
    view.grab()


# -- hover ---------------------------------------------------------------------------------------
def test_hovering_the_era_strip_names_the_eras_there(qtbot, main_window):
    """From a user test: era names were cut to "Trai…", "U…", "W…", with no tooltip."""
    view = main_window.view
    scene = view.scene()
    era, x0, x1 = scene.eras[0]
    x = (max(x0, 0.0) + min(x1, view.width())) / 2
    y = scene.metrics.axis_height + scene.metrics.era_height / 2
    send_mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: html.escape(era.name, quote=False) in QToolTip.text())
    # Unbroken: a tooltip wrapped "16 January 27 BC" after "16" (a later user test).
    assert f"<nobr>{html.escape(era.span.describe(), quote=False)}</nobr>" in QToolTip.text()


def test_an_era_name_cut_to_a_stub_is_left_out():
    from desktop.ui.renderer import ERA_NAME_LEAST_LETTERS, era_label

    metrics = QFontMetricsF(QFont())
    name = "Waiting for the new administration"
    assert era_label(metrics, name, metrics.horizontalAdvance(name) + 1) == name
    assert era_label(metrics, name, metrics.horizontalAdvance("Wa…") + 1) == ""
    room = metrics.horizontalAdvance(name[:ERA_NAME_LEAST_LETTERS] + "…") + 1
    assert era_label(metrics, name, room) == name[:ERA_NAME_LEAST_LETTERS] + "…"
    assert era_label(metrics, "EU", metrics.horizontalAdvance("EU") + 1) == "EU"  # whole: shown
    assert era_label(metrics, name, -5.0) == ""


def test_hover_shows_a_tooltip(qtbot, main_window):
    view = main_window.view
    event = main_window.timeline.event("warsaw-talks")
    x, y = event_center(view, "warsaw-talks")
    send_mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: html.escape(event.title, quote=False) in QToolTip.text())
    assert "12 December 2024" in QToolTip.text()
    assert view.highlight.hovered == position_of(view, "warsaw-talks")
    assert view.cursor().shape() == Qt.CursorShape.PointingHandCursor
    scene = view.scene()
    send_mouse(
        view,
        QEvent.Type.MouseMove,
        5,
        scene.lanes[-1].y1 - 2,
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
    )
    assert view.highlight.hovered is None


# -- settings ------------------------------------------------------------------------------------
def test_view_and_docks_are_restored(qtbot, make_window):
    from desktop.ui.main_window import DOCK_MOST_SHARE

    first = make_window()
    # Within the offscreen screen (800×800): restoreGeometry() shrinks a window to its screen.
    first.resize(780, 700)
    qtbot.waitUntil(lambda: first.width() == 780)
    # Made narrower, the window narrows its docks too (on the event loop's next turn).
    qtbot.waitUntil(lambda: first.details_dock.width() <= round(780 * DOCK_MOST_SHARE))
    view = first.view
    send_wheel(view, 900, lanes_y(view), (0, 360))
    send_wheel(view, 400, lanes_y(view), (0, -120), Qt.KeyboardModifier.ShiftModifier)
    first.events_dock.toggleViewAction().trigger()
    assert first.events_dock.isHidden()
    saved = view.scale
    opening = first.timeline.initial_range()
    first.close()

    second = make_window()
    assert second.events_dock.isHidden()
    assert second.details_dock.isVisible()
    assert second.size() == first.size()
    assert second.view.width() == saved.width
    assert within_pixel(second.view.scale, saved)
    assert abs(second.view.scale.t0 - opening[0]) > saved.seconds_per_pixel


def test_the_docks_take_a_share_of_a_small_window_at_first_start(qtbot, make_window, make_settings):
    """From a user test: the docks' 380 px column took 38% of a 1000 px window. At first start
    (no dock layout saved) they take 28% of the window, 47 to 62 characters."""
    from desktop.ui.main_window import DOCK_MAX_CHARS, DOCK_MIN_CHARS

    big = make_window()
    character = big.fontMetrics().averageCharWidth()
    assert big.width() == 1600
    assert big.details_dock.width() == DOCK_MAX_CHARS * character
    big.resize(1000, 700)
    qtbot.waitUntil(lambda: big.width() == 1000)
    big.close()
    settings = make_settings()
    settings.remove("window/state")  # the size is kept, the dock layout forgotten
    settings.sync()
    small = make_window()
    assert small.width() == 1000
    assert small.details_dock.width() == DOCK_MIN_CHARS * character
    assert small.view.width() > 0.68 * small.width()


def test_the_docks_cannot_be_made_too_narrow_to_read(qtbot, main_window):
    """From a user test: dragged down to 90 px, the Details broke words in the middle and the
    Events list showed "R…". A dock keeps DOCK_LEAST_CHARS average characters."""
    from desktop.ui.main_window import DOCK_LEAST_CHARS

    window = main_window
    least = DOCK_LEAST_CHARS * window.fontMetrics().averageCharWidth()
    window.resizeDocks([window.details_dock], [90], Qt.Orientation.Horizontal)  # as a drag does
    QApplication.processEvents()
    assert window.details_dock.width() == least
    assert window.events_dock.width() == least
    assert window.events_panel.width() > 0.9 * least  # the list fills its dock


def test_with_large_text_the_docks_open_wider_and_the_list_gives_titles_the_room(
    qtbot, make_window, make_settings
) -> None:
    """From a user test: with large text the 380 px column was cramped, and the Events list gave
    titles five letters beside the lane's six. The column is counted in characters of the
    window's font, as is the width below which the list keeps only the lane's swatch."""
    from desktop.ui.event_table import EventTableModel

    normal = make_window()
    normal_width = normal.details_dock.width()
    normal.close()
    settings = make_settings()
    settings.remove("window/state")  # a first start again
    settings.sync()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    large = QFont(font)
    large.setPointSizeF(font.pointSizeF() * 1.8)
    app.setFont(large)
    try:
        window = make_window()
        assert window.width() == 1600
        assert window.details_dock.width() >= 1.3 * normal_width
        assert window.view.width() >= 0.6 * window.width()  # the timeline keeps the most room
        panel = window.events_panel
        header = panel.table.horizontalHeader()
        row = panel.model.index(0, EventTableModel.LANE)
        qtbot.waitUntil(lambda: panel.model.data(row, Qt.ItemDataRole.DisplayRole) is None)
        letters = header.sectionSize(EventTableModel.TITLE) / panel.fontMetrics().averageCharWidth()
        assert letters >= 12
    finally:
        app.setFont(font)


def test_a_window_made_narrow_keeps_most_of_its_width_for_the_timeline(qtbot, make_window) -> None:
    """From a user test: Qt shrinks the timeline alone when the window is made narrower, and a
    380 px dock column took half of a window made 760 px wide. The docks give way down to
    DOCK_MOST_SHARE of the window. From a later one: made wider again, the window left them
    narrow for good. It gives them back the width they had, as far as the share allows."""
    from desktop.ui.main_window import DOCK_MAX_CHARS, DOCK_MOST_SHARE

    window = make_window()
    before = window.details_dock.width()
    assert before == DOCK_MAX_CHARS * window.fontMetrics().averageCharWidth()
    window.resize(760, 700)
    qtbot.waitUntil(lambda: window.width() == 760)
    qtbot.waitUntil(lambda: window.details_dock.width() <= round(760 * DOCK_MOST_SHARE))
    assert window.view.width() >= 0.55 * window.width()
    window.resize(640, 480)  # narrower still: the width to give back stays the first one
    qtbot.waitUntil(lambda: window.details_dock.width() <= round(640 * DOCK_MOST_SHARE))
    window.resize(800, 700)  # wider, but not yet wide enough for it all
    qtbot.waitUntil(lambda: window.details_dock.width() == round(800 * DOCK_MOST_SHARE))
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.details_dock.width() == before)
    window.resize(1800, 1000)
    qtbot.wait(50)
    assert window.details_dock.width() == before  # never wider than it was: that is the user's


def test_docks_narrowed_by_the_window_get_their_width_back_after_a_restart(
    qtbot, make_window
) -> None:
    """The user test quit while the window was small, and found the docks narrow on the next
    start once the window was large again."""
    window = make_window()
    before = window.details_dock.width()
    window.resize(640, 480)
    qtbot.waitUntil(lambda: window.details_dock.width() < before)
    window.close()  # saves the state
    again = make_window()
    assert again.width() == 640 and again.details_dock.width() < before
    again.resize(1600, 1000)
    qtbot.waitUntil(lambda: again.details_dock.width() == before)


@pytest.mark.parametrize("saved", [[1e30, 2e30], [0.0, 0.5], [-1.1e19, -1e19]])
def test_absurd_saved_range_is_brought_within_the_limits(make_window, make_settings, saved):
    from desktop.formats.loader import BUNDLED_NAME
    from desktop.layout.scale import AXIS_MAX, AXIS_MIN

    settings = make_settings()
    settings.setValue("session/file", BUNDLED_NAME)
    settings.setValue("session/range", saved)
    settings.sync()
    window = make_window()
    scale = window.view.scale
    assert AXIS_MIN <= scale.t0 < scale.t1 <= AXIS_MAX
    assert MIN_SPAN <= scale.span <= MAX_SPAN
    window.view.grab()


def test_opened_file_is_reopened_and_listed_as_recent(make_window, tmp_path):
    path = tmp_path / "small.json"
    path.write_text(small_timeline_json(), encoding="utf-8")
    first = make_window()
    assert first.open_path(path) is True
    assert first.path == path.resolve()
    assert first.timeline.title == "Small"
    assert "small.json" in first.windowTitle()
    first.view.zoom(2.0)
    saved = first.view.scale
    first.close()

    second = make_window()
    assert second.path == path.resolve()
    assert second.timeline.title == "Small"
    assert within_pixel(second.view.scale, saved)
    second.recent_menu.aboutToShow.emit()
    texts = [action.text() for action in second.recent_menu.actions()]
    assert any("small.json" in text for text in texts), texts
    assert second.recent_files()[0] == str(path.resolve())

    # Open Recent opens it again (here after switching to the bundled timeline).
    second.open_bundled()
    assert second.path is None
    second.recent_menu.aboutToShow.emit()
    entry = next(a for a in second.recent_menu.actions() if "small.json" in a.text())
    entry.trigger()
    assert second.path == path.resolve()


def test_bundled_range_is_not_applied_to_another_file(make_window, tmp_path):
    first = make_window()
    first.view.zoom(3.0)
    first.close()
    path = tmp_path / "small.json"
    path.write_text(small_timeline_json(), encoding="utf-8")
    second = make_window(str(path))
    assert second.path == path.resolve()
    assert in_view(second.view, "e1") and in_view(second.view, "e3")


# -- bad files -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        "this is not a timeline",
        "{ broken json",
        '{"some": "other json"}',
        '{"format": "timeline-viewer", "version": 1, "events": [{"id": "x"}]}',
        '{"format": "timeline-viewer", "version": 1, "events": ['
        '{"id": "x", "title": "A", "date": "2020"}, {"id": "x", "title": "B", "date": "2021"}]}',
        b"\xff\xfe\x00garbage",
        "",
        None,  # missing
        "directory",
    ],
)
def test_bad_file_keeps_the_current_timeline(main_window, recorded_messages, tmp_path, content):
    window = main_window
    timeline, scale = window.timeline, window.view.scale
    path = tmp_path / "bad.json"
    if content == "directory":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    recorded_messages.clear()
    assert window.open_path(path) is False
    assert window.timeline is timeline
    assert window.view.scale == scale
    assert window.path is None
    assert [message.level for message in recorded_messages] == [Level.ERROR]
    assert "bad.json" in recorded_messages[0].text


def test_an_unreadable_file_s_first_problem_is_in_the_message_and_all_in_its_details(
    main_window, recorded_messages, tmp_path
):
    path = tmp_path / "cut.json"
    path.write_text('{"format": "timeline-viewer",\n "title": "Cut sh', encoding="utf-8")
    recorded_messages.clear()
    assert main_window.open_path(path) is False
    (message,) = recorded_messages
    cut = "Unterminated string starting here, and the file ends there: it may be cut short"
    assert message.text == f"“cut.json” could not be opened: line 2, column 11: {cut}"
    # The details quote the line, marking the place.
    assert message.detail == f'cut.json:2:11: {cut}\n     "title": ▶"Cut sh'

    events = [{"id": f"e{n}", "title": "T", "date": f"the {n}th"} for n in range(25)]
    path.write_text(json.dumps({"format": "timeline-viewer", "version": 1, "events": events}))
    recorded_messages.clear()
    assert main_window.open_path(path) is False
    (message,) = recorded_messages
    assert message.text.startswith("“cut.json” could not be opened: line 1, column ")
    assert message.text.endswith(" (and 24 more)")
    details = message.detail.splitlines()
    assert len(details) == 41 and details[-1] == "… and 5 more"
    assert all(line.startswith("cut.json:1:") for line in details[0:40:2])
    assert all(line.startswith("    …") and "▶" in line for line in details[1:40:2])
    assert '"▶the 0th"' in details[1]


def test_the_events_filter_is_kept_on_reload_and_cleared_for_another_file(
    qtbot, make_window, tmp_path
):
    path = tmp_path / "small.json"
    path.write_text(small_timeline_json(), encoding="utf-8")
    window = make_window()
    panel = window.events_panel
    assert window.open_path(path)
    panel.filter_edit.setText("second")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)

    old = window.timeline
    path.write_text(small_timeline_json(extra_title="Second, revised"), encoding="utf-8")
    qtbot.waitUntil(lambda: window.timeline is not old, timeout=5000)
    assert panel.filter_edit.text() == "second"
    assert panel.model.rowCount() == 1

    window.open_bundled()
    assert panel.filter_edit.text() == ""
    assert panel.model.rowCount() == len(window.timeline.events)


def test_opening_another_file_drops_what_the_status_bar_said_of_the_last(
    main_window, recorded_messages, tmp_path
):
    window = main_window
    window.view.select(position_of(window, "warsaw-talks"))
    assert window.statusBar().currentMessage().startswith("Macron–Tusk talks in Warsaw — ")
    path = tmp_path / "small.json"
    path.write_text(small_timeline_json(), encoding="utf-8")
    recorded_messages.clear()
    assert window.open_path(path)
    assert "Warsaw" not in window.statusBar().currentMessage()
    assert [m.text for m in recorded_messages] == ["Opened “small.json”: 3 events."]


def test_bad_file_on_the_command_line_falls_back_to_bundled(
    make_window, recorded_messages, tmp_path
):
    path = tmp_path / "bad.json"
    path.write_text("nope", encoding="utf-8")
    window = make_window(str(path))
    assert window.path is None
    assert window.timeline.title == load_bundled().title
    assert [message.level for message in recorded_messages] == [Level.ERROR]


# -- status bar ----------------------------------------------------------------------------------
def test_status_bar(main_window):
    window = main_window
    view = window.view
    assert re.fullmatch(r"\d+ Feb 2024 – \d+ \w{3} 202[45]", window.range_label.text())
    assert re.fullmatch(r"1 \w+ ≈ [\d,]+ px", window.scale_label.text())
    match = re.fullmatch(r"(\d+) of (\d+) events in view", window.count_label.text())
    assert match is not None
    assert int(match[2]) == len(window.timeline.events)
    expected = sum(
        1
        for event in window.timeline.events
        if event.when.end_seconds() > view.scale.t0 and event.when.start_seconds() < view.scale.t1
    )
    assert int(match[1]) == expected

    window.go_to_date("2024-12-12")
    for _ in range(8):
        window.zoom_in_action.trigger()
    match = re.fullmatch(r"(\d+) of (\d+) events in view", window.count_label.text())
    assert match is not None and int(match[1]) < expected
    assert "Dec 2024" in window.range_label.text()
    assert re.fullmatch(r"1 (hour|day) ≈ [\d,]+ px", window.scale_label.text())

    # Out at the axis's limits both ends are written as the axis writes years.
    window.view.set_range(-3e16, 7e15, margin=False)
    start, end = window.range_label.text().split(" – ")
    assert start.endswith(" million BC") and end.endswith(" million"), window.range_label.text()
    # A range from BC into AD marks its AD end (from a user test: "14.21 billion BC – 1.72
    # billion" read as if both were BC); one within AD does not.
    assert end.startswith("AD ")
    window.view.set_range(to_seconds(-43, 3, 1), to_seconds(14, 8, 19), margin=False)
    assert re.fullmatch(r".*44 BC – .*AD 14", window.range_label.text()), window.range_label.text()
    window.view.set_range(to_seconds(2024, 1, 1), to_seconds(2024, 12, 1), margin=False)
    assert "AD" not in window.range_label.text()


# -- lanes ---------------------------------------------------------------------------------------
def test_hiding_a_lane(main_window):
    window = main_window
    view = window.view
    window.lanes_menu.aboutToShow.emit()
    actions = {action.text(): action for action in window.lanes_menu.actions() if action.text()}
    assert "Poland" in actions and actions["Poland"].isChecked()
    actions["Poland"].setChecked(False)
    ids = [band.lane_id for band in view.scene().lanes]
    assert "poland" not in ids
    assert len(ids) == len(window.timeline.lanes) - 1
    assert view.scene().event_center(position_of(window, "warsaw-talks")) is None
    assert_layout_clean(view)
    # The status bar says so (from a user test: nothing said a lane was hidden).
    assert window.count_label.text().endswith(" events in view, 1 lane hidden")

    window.lanes_menu.aboutToShow.emit()
    actions = {action.text(): action for action in window.lanes_menu.actions() if action.text()}
    assert not actions["Poland"].isChecked()
    actions["Show All Lanes"].trigger()
    ids = [band.lane_id for band in view.scene().lanes]
    assert ids == [lane.id for lane in window.timeline.lanes]
    assert view.scene().event_center(position_of(window, "warsaw-talks")) is not None
    assert window.count_label.text().endswith(" events in view")


def test_hidden_lanes_are_passed_over_by_the_keys_and_left_out_of_the_count(main_window):
    window = main_window
    view = window.view
    events = window.timeline.events
    lane_of = {position: event.lane for position, event in enumerate(events)}
    hidden = {"france", "ukraine-russia"}
    for lane_id in hidden:
        view.set_lane_shown(lane_id, False)
    shown = [p for p in range(len(events)) if lane_of[p] not in hidden]

    view.select_edge(last=False)
    assert view.selected == shown[0]
    visited = [view.selected]
    for _ in range(len(events)):
        view.step_selection(1)
        visited.append(view.selected)
    assert visited[: len(shown)] == shown and set(visited[len(shown) :]) == {shown[-1]}
    view.select_edge(last=True)
    assert view.selected == shown[-1]
    view.step_selection(-1)
    assert view.selected == shown[-2]

    view.select(None)
    view.step_selection(1)  # from the view's start
    assert view.selected is not None and lane_of[view.selected] not in hidden

    scale = view.scale
    in_view = sum(
        1
        for p in shown
        if events[p].when.end_seconds() > scale.t0 and events[p].when.start_seconds() < scale.t1
    )
    assert window.count_label.text() == f"{in_view} of {len(events)} events in view, 2 lanes hidden"

    for lane in window.timeline.lanes:
        view.set_lane_shown(lane.id, False)
    every = len(window.timeline.lanes)
    assert window.count_label.text() == f"0 of {len(events)} events in view, {every} lanes hidden"
    view.select(None)
    for move in (lambda: view.step_selection(1), lambda: view.select_edge(last=True)):
        move()
        assert view.selected is None


def test_an_event_whose_marker_the_left_edge_cuts_comes_whole_into_view(main_window):
    """From a user test: Next Event from no selection picked the first event after the view's
    start, its marker and ring half off the left edge. Selecting it pans the least that shows
    them whole."""
    from desktop.ui.renderer import SELECTION_RING_RADIUS

    view = main_window.view
    position = position_of(main_window, "warsaw-talks")
    event = main_window.timeline.events[position]
    middle = (event.when.start_seconds() + event.when.end_seconds()) / 2
    spp = 8 * 3600.0  # zoomed out so far that the day starts left of its marker's centre
    width = view.width()
    view.set_range(middle - 2 * spp, middle + (width - 2) * spp, margin=False)
    assert view.scale.x(middle) == pytest.approx(2.0)
    view.select(position)
    x = view.scale.x(middle)
    assert SELECTION_RING_RADIUS < x < SELECTION_RING_RADIUS + 10  # whole, and barely moved
    assert view.scale.seconds_per_pixel == pytest.approx(spp)
    view.select(position)  # already whole: no pan
    assert view.scale.x(middle) == pytest.approx(x)


def test_a_hidden_lane_takes_its_selection_and_choosing_one_of_its_events_shows_it(main_window):
    window = main_window
    view = window.view
    position = position_of(window, "warsaw-talks")
    view.select(position)
    assert window.details.current_event_id == "warsaw-talks"
    view.set_lane_shown("poland", False)
    assert view.selected is None
    assert window.details.current_event_id is None

    # Chosen in the Events list (or anywhere but the canvas), the event brings its lane back.
    window.events_panel.event_activated.emit(position)
    assert view.selected == position
    assert "poland" not in view.hidden_lanes
    assert view.scene().event_center(position) is not None


def test_the_shortcuts_help_lists_every_command_with_a_shortcut(main_window):
    from PySide6.QtGui import QKeySequence

    text = main_window.shortcuts_help()
    listed = 0
    for action in main_window.actions():
        for key in action.shortcuts():
            native = key.toString(QKeySequence.SequenceFormat.NativeText)
            if "+" in native or native in ("F1", "F5"):
                assert f"<b>{html.escape(native)}</b>" in text, (action.text(), native)
                listed += 1
            else:  # a special key ("Open", "Zoom In") only some keyboards have: not listed
                assert f"<b>{html.escape(native)}</b>" not in text
    assert listed >= 15
    for shortcut in ("Ctrl+[", "Ctrl+]", "Ctrl+Home", "Ctrl+End", "Ctrl+Shift+0", "Ctrl+E"):
        assert f"<b>{shortcut}</b>" in text
    assert "Esc" in text and "Shift+drag" in text  # the canvas's own


# -- go to date ----------------------------------------------------------------------------------
def test_go_to_date(qtbot, main_window, recorded_messages):
    window = main_window
    view = window.view
    view._unmark_timer.setInterval(50)  # the mark's few seconds, shortened for the test
    assert view.scale.span > 365 * SECONDS_PER_DAY
    # A day seen from years out: the view closes in to about a month around it, and marks it.
    assert window.go_to_date("12 Dec 2024") is True
    scale = view.scale
    assert scale.span == pytest.approx(GO_TO_CONTEXT * SECONDS_PER_DAY)
    assert scale.t(scale.width / 2) == pytest.approx(DEC_12_NOON, abs=scale.seconds_per_pixel)
    assert view.highlight.marked == (DEC_12_NOON - SECONDS_PER_DAY / 2, DEC_12_NOON + 43_200)
    qtbot.waitUntil(lambda: view.highlight.marked is None)
    # Closer in already, but wider than the day: the zoom is kept.
    view.zoom(4.0)
    closer = view.scale.span
    assert window.go_to_date("2024-12-12") is True
    scale = view.scale
    assert scale.span == pytest.approx(closer)
    assert scale.t(scale.width / 2) == pytest.approx(DEC_12_NOON, abs=scale.seconds_per_pixel)
    # Closer than the day: out to its surroundings again, as from far out.
    view.zoom(100.0)
    assert window.go_to_date("12 December 2024") is True
    scale = view.scale
    assert scale.span == pytest.approx(GO_TO_CONTEXT * SECONDS_PER_DAY)

    recorded_messages.clear()
    assert window.go_to_date("the twelfth of never") is False
    assert view.scale == scale
    assert [message.level for message in recorded_messages] == [Level.WARNING]

    recorded_messages.clear()
    assert window.go_to_date("1990") is True
    assert view.scale.t0 <= to_seconds(1990) and view.scale.t1 >= to_seconds(1991)
    # Said in the status bar, where it replaces the warning about the date before.
    assert [(m.level, m.text) for m in recorded_messages] == [(Level.INFO, "Went to 1990.")]


def test_go_to_date_dialog_asks_again_keeping_the_text(main_window, recorded_messages, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    answers = iter([("the twelfth of never", True), ("12/11/2024", True), ("2024-12-12", True)])
    asked: list[tuple[str, str]] = []

    def get_text(parent, title, label, text=""):
        asked.append((label, text))
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    recorded_messages.clear()
    main_window.go_to_date_dialog()
    (first_prompt, _), (second_prompt, kept), (third_prompt, _) = asked
    assert "could not be read" not in first_prompt
    assert second_prompt.startswith("That date could not be read:\n“the” is not a month or an era")
    assert kept == "the twelfth of never"
    # A long reason is wrapped: on one line the dialog grew 1,100 px wide (from a user test).
    from desktop.ui.main_window import GO_TO_DATE_LINE, GO_TO_DATE_PROMPT

    reason = third_prompt.split("\n\n")[0].splitlines()[1:]
    assert len(reason) > 1 and all(len(line) <= GO_TO_DATE_LINE for line in reason)
    assert " ".join(reason).startswith("“12/11/2024” could be 12 November 2024 or 11 December")
    assert third_prompt.endswith(GO_TO_DATE_PROMPT)
    scale = main_window.view.scale
    assert scale.t(scale.width / 2) == pytest.approx(DEC_12_NOON, abs=scale.seconds_per_pixel)
    assert [m.text for m in recorded_messages] == ["Went to 12 December 2024."]

    # Cancel leaves the view as it was.
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("2000", False))
    main_window.go_to_date_dialog()
    assert main_window.view.scale == scale


# -- reload --------------------------------------------------------------------------------------
def test_a_reload_keeps_the_selected_event_of_a_file_without_ids(qtbot, make_window, tmp_path):
    """A CSV without an id column numbers its events: a row inserted above the selected one
    renumbers it, and the reload selected whichever event now had its number."""
    path = tmp_path / "live.csv"
    rows = ["2008-09-15,Lehman Brothers collapses", "2001-09-11,9/11 attacks"]
    path.write_text("start,title\n" + "\n".join(rows) + "\n", encoding="utf-8")
    window = make_window()
    assert window.open_path(path)
    window.view.select(next(p for p, e in enumerate(window.timeline.events) if "Lehman" in e.title))
    old = window.timeline
    path.write_text(
        "start,title\n1989-11-09,Berlin Wall falls\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    qtbot.waitUntil(lambda: window.timeline is not old, timeout=5000)
    assert window.timeline.events[window.view.selected].title == "Lehman Brothers collapses"
    assert window.details.current_event_id == window.timeline.events[window.view.selected].id


def test_file_changed_on_disk_is_reloaded(qtbot, make_window, recorded_messages, tmp_path):
    path = tmp_path / "small.json"
    path.write_text(small_timeline_json(), encoding="utf-8")
    window = make_window()
    assert window.open_path(path)
    view = window.view
    view.set_range(to_seconds(2020, 1, 20), to_seconds(2020, 3, 1), margin=False)
    view.select(position_of(window, "e2"))
    scale, old = view.scale, window.timeline

    path.write_text(small_timeline_json(extra_title="Second, revised"), encoding="utf-8")
    qtbot.waitUntil(lambda: window.timeline is not old, timeout=5000)
    assert window.timeline.event("e2").title == "Second, revised"
    assert within_pixel(view.scale, scale)
    assert view.selected == position_of(window, "e2")
    assert window.details.current_event_id == "e2"
    assert "Second, revised" in window.details.document_text()
    assert window.events_panel.current_position == position_of(window, "e2")
    assert any(message.level is Level.INFO for message in recorded_messages)

    # Editors often save by writing a new file and renaming it over the old one.
    old = window.timeline
    replacement = tmp_path / "small.json.new"
    replacement.write_text(small_timeline_json(extra_title="Second, third go"), encoding="utf-8")
    replacement.replace(path)
    qtbot.waitUntil(lambda: window.timeline is not old, timeout=5000)
    assert window.timeline.event("e2").title == "Second, third go"
    assert view.selected == position_of(window, "e2")
    assert within_pixel(view.scale, scale)

    # Deleted, then written anew a moment later: the file's own watch is gone by then.
    old = window.timeline
    path.unlink()
    qtbot.wait(200)
    path.write_text(small_timeline_json(extra_title="Second, fourth go"), encoding="utf-8")
    qtbot.waitUntil(lambda: window.timeline is not old, timeout=5000)
    assert window.timeline.event("e2").title == "Second, fourth go"
    assert view.selected == position_of(window, "e2")

    # A broken save keeps what is shown and warns.
    recorded_messages.clear()
    current = window.timeline
    path.write_text("{ half written", encoding="utf-8")
    qtbot.waitUntil(lambda: any(m.level is Level.WARNING for m in recorded_messages), timeout=5000)
    (warning,) = [m for m in recorded_messages if m.level is Level.WARNING]
    assert warning.text.startswith(
        "“small.json” changed on disk but could not be read again: line 1, column 3: "
    )
    assert window.timeline is current
    assert view.selected == position_of(window, "e2")

    # Another timeline shown: the file is no longer watched.
    window.open_bundled()
    assert window._watcher.files() == [] and window._watcher.directories() == []


# -- theme ---------------------------------------------------------------------------------------
def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Base, "#202020"),
        (roles.Window, "#2b2b2b"),
        (roles.AlternateBase, "#262626"),
        (roles.Text, "#e0e0e0"),
        (roles.WindowText, "#e0e0e0"),
        (roles.ButtonText, "#e0e0e0"),
        (roles.Button, "#333333"),
        (roles.PlaceholderText, "#808080"),
        (roles.Highlight, "#3d7bd9"),
        (roles.HighlightedText, "#ffffff"),
        (roles.Link, "#7fb0ff"),
    ):
        palette.setColor(role, QColor(color))
    return palette


def test_dark_palette_keeps_contrast(main_window):
    view = main_window.view
    view.setPalette(dark_palette())
    base = view.palette().color(QPalette.ColorRole.Base)
    assert base == QColor("#202020")
    renderer = SceneRenderer(view.palette(), view.font())
    assert contrast_ratio(renderer.lane_color("#000000"), base) >= 3
    for lane in main_window.timeline.lanes:
        assert contrast_ratio(renderer.lane_color(lane.color), base) >= 3, lane.id
    assert contrast_ratio(renderer.text, base) >= 4.5
    assert contrast_ratio(renderer.muted, base) >= 3
    image = view.grab().toImage()
    scene = view.scene()
    band = scene.lanes[-1]
    pixel = image.pixelColor(3, round(band.y1) - 2)
    assert pixel.lightness() < 100, pixel.name()


def test_bundled_paints(main_window):
    """Painting the whole canvas at a few zooms raises nothing (pytest-qt reports errors in
    paintEvent as failures)."""
    view = main_window.view
    for factor in (1, 4, 40, 1 / 200):
        view.zoom(factor, view.scale.x(DEC_12_NOON))
        image = view.grab().toImage()
        assert not image.isNull()
    assert math.isfinite(view.scale.span)


def test_last_file_gone_opens_the_bundled_timeline(make_window, tmp_path, recorded_messages):
    """The bundled timeline comes up in its place, the user is told why in a box (from user
    tests: it came up without a word, then with one in the status bar, easily missed), and the
    file leaves Open Recent."""
    missing = tmp_path / "gone.json"
    missing.write_text(small_timeline_json(), encoding="utf-8")
    first = make_window()
    first.open_path(missing)
    first.close()
    missing.unlink()
    recorded_messages.clear()
    second = make_window()
    assert second.path is None
    assert second.timeline.title == load_bundled().title
    assert second.view.scale.t0 <= OPENING_START and second.view.scale.t1 >= OPENING_END
    assert "gone.json" not in {Path(name).name for name in second.recent_files()}
    assert [(message.level, message.text) for message in recorded_messages] == [
        (
            Level.NOTICE,
            f"“gone.json”, open when the program last closed, is no longer in its folder:\n"
            f"{tmp_path}\n\nThe bundled timeline is shown instead, and "
            "File\u00a0→\u00a0Open\u00a0Recent no longer lists the file.",
        )
    ]
    # Said once, even when the program is killed before it saves its state.
    recorded_messages.clear()
    third = make_window()
    assert third.path is None
    assert recorded_messages == []


# -- drag and drop -------------------------------------------------------------------------------
def drag_enter(point, mime):
    """A drag-enter event at ``point``: PySide6 6.12 takes a QPointF (and deprecates QPoint),
    earlier releases only a QPoint."""
    from PySide6.QtGui import QDragEnterEvent

    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    try:
        return QDragEnterEvent(point, *args)
    except TypeError:
        return QDragEnterEvent(point.toPoint(), *args)


def test_dropping_a_file_on_the_window_opens_it(main_window, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from desktop.formats.native import write_native

    path = tmp_path / "dropped.json"
    path.write_text(write_native(load_bundled()), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    point = QPointF(200, 200)
    enter = drag_enter(point, mime)
    main_window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    main_window.dropEvent(drop)
    assert main_window.path == path.resolve()
    assert "dropped.json" in main_window.windowTitle()


def test_dragging_text_is_refused(main_window):
    from PySide6.QtCore import QMimeData, QPointF

    mime = QMimeData()
    mime.setText("not a file")
    enter = drag_enter(QPointF(10, 10), mime)
    enter.ignore()
    main_window.dragEnterEvent(enter)
    assert not enter.isAccepted()


# -- density lanes -------------------------------------------------------------------------------
def test_dense_lanes_show_their_bars_on_the_first_paint(qtbot):
    """A lane with more events than it can label draws density bars, from the very first paint
    (which builds the bars; later paints reuse them)."""
    from PySide6.QtGui import QColor

    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane, Timeline

    lane = Lane(id="busy", name="Busy", color="#D55E00")
    events = tuple(
        Event(
            id=f"e{n}",
            title=f"Event {n}",
            when=DateSpan.parse(f"{2000 + n % 20}-{1 + n % 12:02d}"),
            lane="busy",
        )
        for n in range(3000)
    )
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.set_timeline(Timeline(title="dense", events=events, lanes=(lane,)))
    scene = view.scene()
    (band,) = scene.lanes
    assert band.packing is None and band.bins  # the lane is shown as density
    image = view.grab().toImage()  # the first paint of this view
    # Bars are the lane's orange (#D55E00) at 75% over the pale lane tint: strongly orange.
    bar_pixels = 0
    for x in range(0, image.width(), 2):
        for y in range(round(band.y0), round(band.y1), 2):
            pixel = QColor(image.pixel(x, y))
            if pixel.red() > 180 and pixel.green() < 170 and pixel.blue() < 120:
                bar_pixels += 1
    assert bar_pixels > 200, bar_pixels


# The offscreen platform cannot give a pop-up menu the keyboard, and says so.
@pytest.mark.qt_log_ignore(
    "This plugin does not support grabbing the keyboard", "This plugin does not support raise"
)
def test_a_badge_of_events_at_one_moment_lists_them_to_choose_from(qtbot):
    """Zooming cannot spread events dated to the same minute: their badge was a dead end,
    and far out a first click zoomed in only to find the same badge again."""
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane, Timeline
    from desktop.ui.timeline_view import CLUSTER_MENU_ITEMS

    count = CLUSTER_MENU_ITEMS + 30  # more than a badge lists, after those with a row
    events = (
        Event(id="before", title="Before", when=DateSpan.parse("2000-05-01"), lane="a"),
        *(
            Event(id=f"e{n}", title=f"Same minute {n}", when=DateSpan.parse("2000-05-10T12:00"))
            for n in range(count)
        ),
    )
    view = shown_view(
        qtbot, Timeline(title="same", events=events, lanes=(Lane(id="a", name="A"),)), 1000
    )
    scene = view.scene()
    band, cluster = max(
        ((band, c) for band in scene.lanes if band.packing for c in band.packing.clusters),
        key=lambda found: found[1].count,
    )
    assert {view.timeline.events[p].title[:11] for p in cluster.positions} == {"Same minute"}
    x0, y0, x1, y1 = scene.cluster_box(band, cluster)
    before = view.scale
    assert before.seconds_per_pixel > 10 * 60  # far out: the nine days in 1000 px
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    send_mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(
        lambda: QToolTip.text() == f"{cluster.count} events at this moment — click to list them"
    )
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    menu = view.cluster_menu
    assert menu is not None and view.scale == before
    actions = menu.actions()
    assert cluster.count > CLUSTER_MENU_ITEMS
    assert len(actions) == CLUSTER_MENU_ITEMS + 1
    assert actions[-1].text() == (
        f"… and {cluster.count - CLUSTER_MENU_ITEMS} more (see the Events list)"
    )
    assert not actions[-1].isEnabled()
    assert actions[0].text().startswith("Same minute ")
    # The menu scrolls within the window's height rather than run off the screen.
    assert menu.height() <= view.window().height()
    actions[3].trigger()
    assert view.selected == cluster.positions[3]
    menu.close()


@pytest.mark.qt_log_ignore(
    "This plugin does not support grabbing the keyboard", "This plugin does not support raise"
)
def test_the_left_edge_badge_lists_the_long_events_that_began_before_the_view(qtbot):
    from desktop.layout.scene import LABEL_PAD
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane, Timeline

    events = (
        *(
            Event(
                id=f"s{day}",
                title=f"Season {day}",
                when=DateSpan.parse(f"2000-01-{day:02d}/2000-12-31"),
                lane="a",
            )
            for day in range(1, 29)
        ),
        Event(id="over", title="Over by June", when=DateSpan.parse("2000-01-01"), lane="a"),
    )
    view = shown_view(qtbot, Timeline(title="long", events=events, lanes=(Lane("a", "A"),)))
    june = DateSpan.parse("2000-06-10").start_seconds()
    view.set_range(june, june + 10 * 86_400, margin=False)
    scene = view.scene()
    (band,) = scene.lanes
    assert band.packing is not None
    (badge,) = [cluster for cluster in band.packing.clusters if cluster.x0 == LABEL_PAD]
    shown = {view.timeline.events[item.position].id for item in band.packing.items}
    listed = {view.timeline.events[position].id for position in badge.positions}
    assert "over" not in listed and not listed & shown
    assert len(listed) + len(shown & {event.id for event in events[:-1]}) == 28
    x0, y0, x1, y1 = scene.cluster_box(band, badge)
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    send_mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(
        lambda: (
            QToolTip.text() == f"{badge.count} events begun before this view — click to list them"
        )
    )
    before = view.scale
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert view.cluster_menu is not None and view.scale == before
    view.cluster_menu.close()


def test_picking_a_long_span_across_the_view_keeps_the_view(qtbot):
    """From a user test: picked from a badge's list, a span begun long before the view made it
    zoom out to the whole span, where its lane showed a density and the span not at all."""
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane, Timeline

    events = (
        Event(id="long", title="Long", when=DateSpan.parse("1990-01-01/2010-12-31"), lane="a"),
        Event(id="short", title="Short", when=DateSpan.parse("2000-06-01/2000-06-03"), lane="a"),
    )
    view = shown_view(qtbot, Timeline(title="t", events=events, lanes=(Lane("a", "A"),)))
    june = DateSpan.parse("2000-06-01").start_seconds()
    view.set_range(june, june + 30 * SECONDS_PER_DAY, margin=False)
    before = view.scale
    view.select(position_of(view, "long"))
    assert view.scale == before
    # A span that only touches the view's edge is still brought into it.
    view.set_range(june + 2.5 * SECONDS_PER_DAY, june + 40 * SECONDS_PER_DAY, margin=False)
    moved_from = view.scale
    view.select(position_of(view, "short"))
    assert view.scale != moved_from


def test_only_a_badge_of_events_all_begun_before_the_view_says_so(main_window):
    """A user test found "begun before this view" on a badge mid-view, some of whose events
    began in the view: the words were chosen by the earliest of them."""
    from desktop.layout.scene import Hit

    view = main_window.view
    view.set_range(OPENING_START, OPENING_END, margin=False)
    first, second = position_of(view, "russia-invasion"), position_of(view, "trump-rally-nato")
    inside = position_of(view, "warsaw-talks")
    assert view.timeline.index.starts[second] < view.scale.t0 < view.timeline.index.starts[inside]
    long_ago = Hit("cluster", count=2, positions=(first, second))
    assert view._what_joins(long_ago) == " begun before this view"
    assert view._what_joins(long_ago._replace(positions=(first, inside))) == ""


def test_a_badge_of_one_event_is_that_event_to_hover_and_click(qtbot):
    """A "+1" took three clicks to show its event (zoom in, list, pick from a list of one)."""
    from desktop.model.dates import DateSpan

    view = shown_view(qtbot, load_bundled(), 1200, 500)
    june = DateSpan.parse("2024-06-15").start_seconds()
    view.set_range(june - 1.5e10, june + 1.5e10, margin=False)  # centuries: all in a few badges
    scene = view.scene()
    band, badge = next(
        (band, cluster)
        for band in scene.lanes
        for cluster in (band.packing.clusters if band.packing else ())
        if cluster.count == 1
    )
    (position,) = badge.positions
    event = view.timeline.events[position]
    x0, y0, x1, y1 = scene.cluster_box(band, badge)
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    send_mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: html.escape(event.title) in QToolTip.text())  # as the tip writes it
    before = view.scale
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))
    assert view.selected == position and view.scale == before and view.cluster_menu is None


def test_an_event_selected_inside_a_badge_is_zoomed_to_as_a_click_on_the_badge_does(qtbot):
    """From a user test: picking an event counted in a "+N" badge (Events list, Tab) drew it
    over the badge, which hid the badge's other events and covered its neighbours. The view
    zooms in, as a click on that badge does, until the event shows on its own."""
    view = shown_view(qtbot, load_bundled(), 700, 600)
    view.fit_all()
    position = view.timeline.index.position("warsaw-talks")
    badge = view.scene().cluster_holding(position)
    assert badge is not None  # counted in Poland's badge at Fit All
    view.select(position)
    scene = view.scene()
    assert scene.cluster_holding(position) is None
    assert scene.event_center(position) is not None  # drawn on its own
    assert view.scale.t0 <= badge.t0 and badge.t1 <= view.scale.t1  # the badge's events, all
    # An event already on its own keeps the zoom: the view only pans, if at all.
    before = view.scale.seconds_per_pixel
    view.step_selection(1)
    assert view.scale.seconds_per_pixel == before


def test_zooming_out_stops_at_ten_times_the_timeline_s_extent(qtbot):
    """From a user test: the wheel went on out past billions of years around a timeline of
    three, every event on one pixel."""
    from desktop.ui.timeline_view import ZOOM_OUT_EXTENTS

    view = shown_view(qtbot, load_bundled(), 1000, 500)
    t0, t1 = view.timeline.extent()
    widest = (t1 - t0) * ZOOM_OUT_EXTENTS
    for _ in range(40):
        view.zoom(1 / 1.5)
    assert view.scale.span == pytest.approx(widest)
    at_limit = view.scale
    view.zoom(1 / 1.5)
    assert view.scale == at_limit
    view.zoom(1.5)
    assert view.scale.span == pytest.approx(widest / 1.5)  # zooming in works from there


def test_relayout_goes_a_step_per_turn_and_a_new_view_drops_it(qtbot, monkeypatch):
    """The exact layout made when input pauses is spread over turns of the event loop, so
    input that comes meanwhile is not kept waiting; a change of view makes it moot."""
    import desktop.ui.timeline_view as timeline_view
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane, Timeline

    monkeypatch.setattr(timeline_view, "RELAYOUT_SLICE_S", 0.0)  # a step per turn
    lanes = tuple(Lane(id=f"lane{n}", name=f"Lane {n}") for n in range(4))
    events = tuple(
        Event(
            id=f"e{n}",
            title=f"Event {n}",
            when=DateSpan.parse(f"{2000 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}"),
            lane=f"lane{n % 4}",
        )
        for n in range(400)
    )
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.set_timeline(Timeline(title="lanes", events=events, lanes=lanes))
    view.show()
    qtbot.waitExposed(view)
    view.zoom(1.3)  # frames now reuse a packing made for a coarser zoom
    before = view.scene()
    view.relayout()
    assert view.relayout_pending  # a step done, the rest queued
    assert view.scene() is before  # frames keep the packing there is meanwhile
    qtbot.waitUntil(lambda: not view.relayout_pending)
    assert view.scene() is not before  # the new packing is in place
    view.relayout()
    assert view.relayout_pending
    view.pan_pixels(-50)
    assert not view.relayout_pending  # dropped: it was for the view just left
    qtbot.wait(20)
    assert not view.relayout_pending


@pytest.mark.parametrize(
    ("seconds_per_pixel", "text"),
    [
        (86_400 / 42, "1 day ≈ 42 px"),
        (60 / 500, "1 minute ≈ 500 px"),
        # At the widest zoom a pixel is about 11 million years: billions, not "0.091 px".
        (11e6 * 31_556_952, "1 billion years ≈ 91 px"),
        (1e12 * 31_556_952, "1 billion years ≈ 0.001 px"),  # nothing bigger to count in
    ],
)
def test_the_scale_reading_counts_in_a_unit_a_few_pixels_wide(seconds_per_pixel, text):
    from desktop.ui.main_window import scale_text

    assert scale_text(seconds_per_pixel) == text


@pytest.mark.parametrize(
    ("seconds_per_pixel", "text"),
    [
        (0.13, "12 Dec 2024 11:56:45"),  # minutes in view: the axis counts seconds
        (30.0, "12 Dec 2024 11:56"),
        (86_400 / 10, "12 Dec 2024"),
        (86_400 * 30, "Dec 2024"),
    ],
)
def test_the_range_reading_is_as_fine_as_the_zoom(seconds_per_pixel, text):
    from desktop.model.dates import DateSpan
    from desktop.ui.main_window import moment_text

    moment = DateSpan.parse("2024-12-12T11:56:45").start_seconds()
    assert moment_text(moment, seconds_per_pixel) == text


def test_a_day_far_back_is_written_with_its_whole_year():
    """A user test went to 2.5 million BC: the range read "21 Dec 2.5 million BC – 11 Jan 2.5
    million BC", as if it ran backwards within one year."""
    from desktop.ui.main_window import moment_text

    moment = to_seconds(-2_499_999, 12, 21)
    assert moment_text(moment, 86_400.0) == "21 Dec 2,500,000 BC"
    assert moment_text(moment + 21 * SECONDS_PER_DAY, 86_400.0) == "11 Jan 2,499,999 BC"
    assert moment_text(moment, 1e6 * 3.15e7).endswith("million BC")  # far out: rounded


# -- lanes taller than the canvas ------------------------------------------------------------------
# From a user test: in a window under ~450 px tall the last lanes were cut off, out of reach.
def lanes_bar(view: TimelineView) -> QScrollBar | None:
    return view.findChild(QScrollBar)


def short_view(qtbot) -> TimelineView:
    """The bundled timeline's seven lanes in a canvas too short for them."""
    view = shown_view(qtbot, load_bundled(), width=900, height=260)
    assert view.scene().overflow > 0
    qtbot.waitUntil(lambda: lanes_bar(view) is not None and lanes_bar(view).isVisible())
    return view


def test_lanes_taller_than_the_canvas_scroll_with_a_bar_keys_and_a_drag(qtbot):
    view = short_view(qtbot)
    scene = view.scene()
    bar = lanes_bar(view)
    assert scene.lanes[-1].y1 > view.height()  # the last lane starts cut off
    assert (bar.minimum(), bar.maximum()) == (0, math.ceil(scene.overflow))
    # Under the era strip, inside the focus frame's pixel at the canvas's edges.
    assert bar.geometry().top() == round(scene.lanes_top)
    assert (bar.geometry().right(), bar.geometry().bottom()) == (
        view.width() - 2,
        view.height() - 2,
    )
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.lane_scroll > 0
    qtbot.waitUntil(lambda: bar.value() == round(view.lane_scroll))
    for _ in range(10):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.lane_scroll == pytest.approx(scene.overflow)  # as far as it goes, no further
    assert view.scene().lanes[-1].y1 <= view.height()  # the last lane whole
    bar.setValue(0)  # the bar, as a user drags it
    assert view.lane_scroll == 0 and view.scene().lanes[0].y0 == view.scene().lanes_top
    x = view.width() / 2
    drag(view, (x, 200), (x, 160))  # the lanes follow the pointer up
    assert view.lane_scroll == pytest.approx(40)
    view.resize(900, 700)  # tall enough for every lane: nothing to scroll
    assert view.scene().overflow == 0 and view.lane_scroll == 0
    qtbot.waitUntil(lambda: not bar.isVisible())


def test_a_click_on_a_lane_scrolled_into_view_selects_its_event(qtbot):
    view = short_view(qtbot)
    view.scroll_lanes_to(view.scene().overflow)
    x, y = event_center(view, "zelensky-open")  # in the last lane
    assert view.scene().lanes_top < y < view.height()
    send_mouse(view, QEvent.Type.MouseButtonPress, x, y)
    send_mouse(view, QEvent.Type.MouseButtonRelease, x, y, buttons=Qt.MouseButton.NoButton)
    assert view.selected == position_of(view, "zelensky-open")


def test_an_event_chosen_in_a_lane_out_of_sight_scrolls_its_lane_into_view(qtbot):
    view = short_view(qtbot)

    def lane_and_event_in_sight(event_id: str) -> bool:
        scene = view.scene()
        lane = view.timeline.event(event_id).lane
        band = next(band for band in scene.lanes if band.lane_id == lane)
        _, y = event_center(view, event_id)
        return scene.lanes_top <= band.y0 and y + scene.metrics.row_height / 2 <= view.height()

    assert not lane_and_event_in_sight("zelensky-open")
    view.select(position_of(view, "zelensky-open"))  # as the Events list or Next Event does
    assert view.lane_scroll > 0 and lane_and_event_in_sight("zelensky-open")
    view.select(position_of(view, "elysee-trilateral"))  # in the first lane
    assert view.lane_scroll == 0 and lane_and_event_in_sight("elysee-trilateral")


def test_lanes_scrolled_under_the_axis_leave_the_axis_and_era_strip_as_they_were(qtbot):
    view = short_view(qtbot)
    top = round(view.scene().lanes_top)
    still = view.grab().toImage().copy(0, 0, view.width() - 20, top)
    view.scroll_lanes_to(view.scene().overflow)
    scrolled = view.grab().toImage().copy(0, 0, view.width() - 20, top)
    assert view.lane_scroll > 0
    assert scrolled == still


def test_the_wheel_over_the_lanes_scroll_bar_never_zooms_the_timeline(qtbot):
    """From a user test: at either end, the bar passed the wheel on, and the timeline zoomed."""
    view = short_view(qtbot)
    bar = lanes_bar(view)
    scale = view.scale
    x, y = bar.geometry().center().x(), bar.geometry().center().y()
    for angle in ((0, 120), (0, -120)):  # at the top, then (after some) at the bottom
        for _ in range(8):
            send_wheel(view, x, y, angle)
    assert view.scale == scale


def test_titles_end_before_the_lanes_scroll_bar_rather_than_under_it(qtbot):
    view = short_view(qtbot)
    scene = view.scene()
    bar_left = view.width() - scene.right_inset
    assert bar_left <= lanes_bar(view).geometry().left()
    drawn = [
        scene.drawn_label(band, item)
        for band in scene.lanes_on_screen()
        for item in (band.packing.items if band.packing is not None else ())
    ]
    ends = [label[2] for label in drawn if label is not None]
    assert max(ends) > bar_left - 60  # a title reaches the bar (the test means something)
    assert max(ends) <= bar_left


def test_hiding_a_lane_above_the_view_keeps_the_lanes_on_screen_in_place(qtbot):
    """From a user test: scrolled down, hiding a lane above moved every lane up by one."""
    view = short_view(qtbot)
    above = view.scene().lanes[0]
    # Scrolled past the first lane and into the second, not to the end (where the end would
    # keep them in place anyway).
    view.scroll_lanes_to(above.y1 - above.y0 + view.scene().metrics.lane_gap + 10)
    scene = view.scene()
    assert 0 < scene.scroll < scene.overflow - (above.y1 - above.y0)
    first_shown = scene.lanes_on_screen()[0]
    assert above.lane_id != first_shown.lane_id and scene.lanes[0].y1 <= scene.lanes_top
    view.set_lane_shown(above.lane_id, False)
    after = {band.lane_id: band for band in view.scene().lanes}
    assert above.lane_id not in after
    assert after[first_shown.lane_id].y0 == pytest.approx(first_shown.y0)


def test_a_badge_spread_at_the_right_edge_leaves_room_for_its_last_titles(qtbot):
    """From a user test: in a narrow window the "+5" of 19 Nov – 12 Dec spread to exactly its
    dates, and the 12 December titles were cut to a word ("Foreign…") at the right edge."""
    view = shown_view(qtbot, load_bundled(), width=614, height=630)
    view.fit_all()
    scene = view.scene()
    band = next(band for band in scene.lanes if band.lane_id == "eu-multilateral")
    cluster = max(band.packing.clusters, key=lambda cluster: cluster.count)
    assert position_of(view, "warsaw-finance-ministers") in cluster.positions
    x0, y0, x1, y1 = scene.cluster_box(band, cluster)
    send_mouse(view, QEvent.Type.MouseButtonPress, (x0 + x1) / 2, (y0 + y1) / 2)
    send_mouse(
        view,
        QEvent.Type.MouseButtonRelease,
        (x0 + x1) / 2,
        (y0 + y1) / 2,
        buttons=Qt.MouseButton.NoButton,
    )
    scene = view.scene()
    whole = 0
    for band in scene.lanes:
        for item in band.packing.items if band.packing is not None else ():
            if item.position in cluster.positions:
                drawn = scene.drawn_label(band, item)
                assert drawn is not None and drawn[2] == scene.label_box(band, item)[2]
                whole += 1
    assert whole == len(cluster.positions)  # each spread out, its title whole


def test_recent_files_of_one_name_say_which_folder_each_is_in(main_window, tmp_path):
    """From a user test: Open Recent shows file names only; two "data.json" looked alike."""
    paths = []
    for folder in ("march", "april"):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "data.json"
        path.write_text(small_timeline_json(), encoding="utf-8")
        assert main_window.open_path(path)
        paths.append(path.resolve())
    other = tmp_path / "other.json"
    other.write_text(small_timeline_json(), encoding="utf-8")
    assert main_window.open_path(other)
    main_window.recent_menu.aboutToShow.emit()
    texts = [action.text() for action in main_window.recent_menu.actions()][:3]
    assert texts == [
        "&1 other.json",
        f"&2 data.json ({paths[1].parent})",
        f"&3 data.json ({paths[0].parent})",
    ]
    tips = [action.statusTip() for action in main_window.recent_menu.actions()][:3]
    assert tips == [str(other.resolve()), str(paths[1]), str(paths[0])]


def test_zooming_from_the_keyboard_keeps_the_selected_event_in_place(qtbot, main_window):
    """From a user test: at the first event, Ctrl+= zoomed around the centre and pushed the
    selected event off screen."""
    view = focus_view(qtbot, main_window)
    selected = position_of(view, "paris-conference")  # at the opening view's left
    view.select(selected)
    x, _ = view.scene().event_center(selected)
    assert x < view.width() / 4
    for _ in range(3):
        qtbot.keyClick(main_window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
        assert view.scene().event_center(selected)[0] == pytest.approx(x, abs=1.0)
    view.select(None)
    centre = view.scale.t(view.width() / 2)
    qtbot.keyClick(view, Qt.Key.Key_Minus)  # nothing selected: around the centre
    assert view.scale.t(view.width() / 2) == pytest.approx(centre, abs=view.scale.span * 1e-9)


@pytest.fixture
def answer_file_dialogs(monkeypatch):
    """``answer_file_dialogs(answer)``: each file dialog the window runs is handed to
    ``answer`` (which must close it) once it is up, and it is Qt's own dialog, as in the user
    test, whatever the platform offers. What ``answer`` raises is kept in the list returned
    and the dialog closed, so a test fails rather than wait on an open dialog. (Looked for as
    QApplication.activeModalWidget(), the dialog was sometimes not found in the whole suite,
    which then hung.)"""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    native = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    was = app.testAttribute(native)
    app.setAttribute(native, True)
    run = QFileDialog.exec

    def install(answer: Callable[[QFileDialog], None]) -> list[BaseException]:
        failures: list[BaseException] = []

        def answered(dialog: QFileDialog) -> int:
            def answer_or_close() -> None:
                try:
                    answer(dialog)
                except BaseException as failure:  # kept for the test to raise
                    failures.append(failure)
                    dialog.reject()

            QTimer.singleShot(0, answer_or_close)  # runs in the dialog's own event loop
            return run(dialog)

        monkeypatch.setattr(QFileDialog, "exec", answered)
        return failures

    yield install
    app.setAttribute(native, was)


def test_the_open_dialog_opens_roomy_then_as_the_user_left_it(
    main_window, answer_file_dialogs
) -> None:
    """From a user test: Qt's own file dialog opened at 632×408, its size and date columns cut
    short. It opens 150 characters by 42 lines, within the screen, its columns wide enough for
    their texts; then as it was left."""
    from desktop.ui.main_window import FILE_DIALOG_CHARS, FILE_DIALOG_LINES, FILE_DIALOG_SAMPLES

    sizes: list[QSize] = []
    room: list[bool] = []  # whether each column has room for its text, without side scrolling

    def resize_and_cancel(dialog: QFileDialog) -> None:
        sizes.append(dialog.size())
        view = dialog.findChild(QTreeView, "treeView")  # Qt's own dialog, as in the user test
        metrics, header = view.fontMetrics(), view.header()
        for column, sample in enumerate(FILE_DIALOG_SAMPLES, start=1):
            room.append(header.sectionSize(column) > metrics.horizontalAdvance(sample))
        room.append(not view.horizontalScrollBar().isVisible())
        dialog.resize(1000, 700)  # as a user's drag of its corner does
        dialog.reject()

    failures = answer_file_dialogs(resize_and_cancel)
    main_window.open_dialog()
    assert failures == []
    metrics = QFileDialog(main_window).fontMetrics()
    screen = main_window.screen().availableGeometry()
    assert sizes[0].width() >= min(
        FILE_DIALOG_CHARS * metrics.averageCharWidth(), 0.9 * screen.width()
    )
    assert sizes[0].height() >= min(FILE_DIALOG_LINES * metrics.height(), 0.9 * screen.height())
    assert sizes[0].width() <= screen.width() and sizes[0].height() <= screen.height()
    assert room == [True] * 4
    assert main_window.path is None  # cancelled: the bundled timeline stays

    rome = FIXTURES / "rome.timeline"

    def choose_rome(dialog: QFileDialog) -> None:
        sizes.append(dialog.size())
        dialog.selectFile(str(rome))
        dialog.accept()

    failures = answer_file_dialogs(choose_rome)
    main_window.open_dialog()
    assert failures == []
    assert sizes[1] == QSize(1000, 700)
    assert main_window.path == rome


def test_the_events_list_comes_back_in_the_order_it_was_left(qtbot, make_window) -> None:
    """From a user test: sorted by title, the list came back sorted by date after a restart."""
    from desktop.ui.event_table import EventTableModel

    first = make_window()
    first.events_panel.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.DescendingOrder)
    titles = [first.timeline.events[p].title for p in first.events_panel.visible_positions()]
    first.close()
    again = make_window()
    header = again.events_panel.table.horizontalHeader()
    assert header.sortIndicatorSection() == EventTableModel.TITLE
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    shown = again.events_panel.visible_positions()
    assert [again.timeline.events[p].title for p in shown] == titles


def test_a_saved_size_the_screen_no_longer_holds_gives_the_default_size(
    make_window, make_settings, other_screen
):
    """From a user test: after the text was made larger, Qt refused the saved geometry (it no
    longer fits the screen) and the window came up at 821×441. It opens at its default size."""
    import subprocess
    import sys

    saver = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "app = QApplication([])\n"
        "window = QMainWindow()\n"
        "window.resize(2400, 1500)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "sys.stdout.write(bytes(window.saveGeometry().toHex()).decode())\n"
    )
    environment = dict(os.environ, QT_QPA_PLATFORM=other_screen(2560, 1600))
    saved = subprocess.run(
        [sys.executable, "-c", saver], env=environment, capture_output=True, text=True, check=True
    ).stdout
    settings = make_settings()
    settings.setValue("window/geometry", QByteArray.fromHex(saved.encode()))
    settings.sync()
    window = make_window()
    assert not QMainWindow().restoreGeometry(QByteArray.fromHex(saved.encode()))  # Qt refuses it
    assert (window.width(), window.height()) == (1600, 1000)


def test_choosing_an_event_of_a_hidden_lane_shows_the_lane_and_says_so(
    main_window, recorded_messages
):
    """From a user test: the lane came back without a word."""
    window = main_window
    position = position_of(window, "warsaw-talks")
    lane = window.timeline.lane(window.timeline.events[position].lane)
    assert lane is not None
    window.view.set_lane_shown(lane.id, False)
    recorded_messages.clear()
    window.events_panel.event_activated.emit(position)  # as a click in the Events list
    assert lane.id not in window.view.hidden_lanes
    assert [(m.level, m.text) for m in recorded_messages] == [
        (Level.INFO, f"Showing the lane “{lane.name}” again, for the event chosen in it.")
    ]


def test_a_recent_file_gone_is_dropped_from_the_menu_when_chosen(
    main_window, recorded_messages, tmp_path
):
    """From a user test: a deleted file stayed in Open Recent, failing each time."""
    window = main_window
    gone = tmp_path / "gone.json"
    gone.write_text(small_timeline_json(), encoding="utf-8")
    kept = tmp_path / "kept.json"
    kept.write_text(small_timeline_json(), encoding="utf-8")
    assert window.open_path(gone) and window.open_path(kept)
    gone.unlink()
    window._fill_recent_menu()
    (choice,) = [a for a in window.recent_menu.actions() if a.text().endswith(" gone.json")]
    recorded_messages.clear()
    choice.trigger()
    assert [m.level for m in recorded_messages] == [Level.ERROR]  # why it could not be opened
    assert window.recent_files() == [str(kept.resolve())]
    assert window.path == kept.resolve()  # the open file stays
