"""Start-up in two steps: the timeline is painted first, the docks are filled right after.

The main window builds its canvas, dock frames, menus, toolbar and status bar before it is shown,
and the Details panel and Events list after the canvas's first paint (``MainWindow.built``).
These tests check that the first frame is already the timeline in its final place, that the
panels arrive showing the window's state, and that everything restored from the settings is in
place before that first frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtWidgets import QApplication

from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@dataclass
class FirstFrame:
    """What the window looked like when its canvas first painted."""

    panels_built: bool
    events_in_view: int
    canvas: QRect


class FirstFrameWatch(QObject):
    """Records the window's state at the canvas's first paint event."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.first: FirstFrame | None = None
        window.view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.first is None:
            scene = self.window.view.scene()
            self.first = FirstFrame(
                panels_built=self.window.is_built,
                events_in_view=scene.visible_count if scene is not None else 0,
                canvas=QRect(self.window.view.geometry()),
            )
        return False


def start(qtbot, settings) -> tuple[MainWindow, FirstFrameWatch]:
    """Start a window as the app does (restore, then show) and wait until it is fully built."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.restore_state(None)
    watch = FirstFrameWatch(window)
    assert not window.is_built
    with qtbot.waitSignal(window.built, timeout=5000):
        window.show()
    return window, watch


def test_the_first_frame_is_the_timeline_and_the_panels_follow(
    qtbot, make_settings, recorded_messages
):
    window, watch = start(qtbot, make_settings())
    first = watch.first
    assert first is not None
    assert not first.panels_built
    assert first.events_in_view > 0  # the bundled timeline, not an empty canvas

    assert window.is_built
    assert window.details_dock.widget() is window.details
    assert window.events_dock.widget() is window.events_panel
    assert len(window.events_panel.visible_positions()) == len(window.timeline.events)
    assert window.details.current_event_id is None
    assert not window.windowIcon().isNull()
    QApplication.processEvents()
    # Filling the docks neither moved nor resized the canvas: nothing jumps after the first frame.
    assert window.view.geometry() == first.canvas


def test_panels_built_on_demand_show_the_current_selection(make_window):
    window = make_window(show=False)
    position = window.timeline.index.position("warsaw-talks")
    window.view.select(position)
    assert not window.is_built  # the selection waits for the panels, it does not build them

    assert window.details.current_event_id == "warsaw-talks"
    assert window.is_built
    assert window.events_panel.current_position == position
    window.finish_building()  # a second call changes nothing
    assert window.details_dock.widget() is window.details


def test_shortcuts_exist_before_the_panels_and_reach_them(qtbot, make_window):
    window = make_window(show=False)
    assert not window.is_built
    shortcuts = {action.shortcut().toString() for action in window.actions()}
    assert {"Ctrl+=", "Ctrl+0", "Ctrl+G", "Ctrl+F", "Ctrl+E", "Ctrl+Home"} <= shortcuts

    with qtbot.waitSignal(window.built, timeout=5000), qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.events_panel.filter_edit.hasFocus)
    qtbot.keyClick(window.events_panel.filter_edit, Qt.Key.Key_Escape)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    first_id = window.timeline.events[window.view.selected].id
    assert window.details.current_event_id == first_id


def test_dock_layout_from_the_settings_is_in_place_for_the_first_frame(
    qtbot, make_settings, recorded_messages
):
    settings = make_settings()
    first, _ = start(qtbot, settings)
    first.removeDockWidget(first.events_dock)
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, first.events_dock)
    first.events_dock.show()
    first.details_dock.hide()
    first.close()

    second, watch = start(qtbot, make_settings())
    assert second.dockWidgetArea(second.events_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert second.events_dock.isVisible()
    assert second.details_dock.isHidden()
    assert second.events_dock.widget() is second.events_panel
    assert watch.first is not None
    QApplication.processEvents()
    assert second.view.geometry() == watch.first.canvas


def test_the_details_browser_is_built_for_the_first_event(qtbot):
    from PySide6.QtWidgets import QTextBrowser

    from desktop.formats.loader import load_bundled
    from desktop.ui.details_panel import EMPTY_TEXT, DetailsPanel

    timeline = load_bundled()
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.show_event(timeline, None)
    assert panel.findChild(QTextBrowser) is None  # the empty state is a label
    assert panel.document_text() == EMPTY_TEXT

    panel.show_event(timeline, timeline.events[0])
    assert panel.findChild(QTextBrowser) is panel.browser
    assert timeline.events[0].title in panel.document_text()


def test_an_offscreen_grab_before_showing_does_not_count_as_the_first_paint(qtbot, make_window):
    window = make_window(show=False)
    window.grab()  # paints the canvas, but nobody has seen it
    qtbot.wait(20)
    assert not window.is_built
    with qtbot.waitSignal(window.built, timeout=5000):
        window.show()


# The window's start as desktop.app runs it, in a fresh interpreter, reporting at the canvas's
# first paint which Qt classes PySide has wrapped by then (it wraps a class, and builds the
# Python enums of its members, the first time the class is used), and whether that paint stamped.
FIRST_FRAME_CLASSES = """
import json, os, sys
from desktop.ui.qt_import import import_qt
import_qt()
from PySide6 import QtCore, QtGui, QtWidgets
from desktop.ui import timeline_view
from desktop.ui.application import create_application
from desktop.ui.main_window import MainWindow
from PySide6.QtCore import QSettings

paint = timeline_view.TimelineView.paintEvent
def report(view, event):
    paint(view, event)
    wrapped = [name for module in (QtCore, QtGui, QtWidgets) for name in vars(module)]
    print(json.dumps({"wrapped": wrapped, "stamped": bool(view._renderer._sprites)}))
    os._exit(0)
timeline_view.TimelineView.paintEvent = report
app = create_application()
window = MainWindow(QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.restore_state(None)
window.show()
app.exec()
"""


def test_the_first_frame_wraps_no_class_it_does_not_need(tmp_path) -> None:
    """Wrapping a class costs start-up its enums: the paint engine's (0.6 ms), asked only
    whether it is the raster one, the file watcher's (0.6 ms), which the bundled timeline
    does not need, and the lanes' scroll bar's (0.3 ms), which a window tall enough for the
    lanes does not, are left unwrapped; the canvas still stamps, as the raster engine's user."""
    from fresh_python import report_of

    first = report_of(
        FIRST_FRAME_CLASSES, str(tmp_path / "settings.ini"), QT_QPA_PLATFORM="offscreen"
    )
    wrapped = set(first["wrapped"])
    assert {"QPainter", "QMainWindow", "QImage"} <= wrapped  # the report sees wrapped classes
    assert not wrapped & {"QPaintEngine", "QFileSystemWatcher", "QScrollBar"}
    assert first["stamped"]
