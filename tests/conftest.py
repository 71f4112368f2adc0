"""Shared test set-up: Qt runs without a display."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest


# Before anything imports Qt (the fixtures below import it lazily): the offscreen platform, with
# one 1920×1200 screen at 96 dpi (its default, 800×800, is smaller than any desktop we target),
# whatever display the developer's session has. Real-window tests start their own Xvfb.
def offscreen_platform(config: Path, width: int, height: int) -> str:
    """The QT_QPA_PLATFORM value for an offscreen screen of ``width``×``height`` at 96 dpi,
    described in the file ``config`` (written here)."""
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": False,
                "windowFrameMargins": False,
                "screens": [
                    {"name": "test", "x": 0, "y": 0, "width": width, "height": height,
                     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                ],
            }
        )
    )  # fmt: skip
    return f"offscreen:configfile={config}"


os.environ["QT_QPA_PLATFORM"] = offscreen_platform(
    Path(tempfile.gettempdir()) / "timeline-viewer-test-screen.json", 1920, 1200
)


@pytest.fixture
def other_screen(tmp_path):
    """``other_screen(width, height)``: the QT_QPA_PLATFORM value of another offscreen screen,
    for a program started in a subprocess."""
    return lambda width, height: offscreen_platform(tmp_path / "other-screen.json", width, height)


@pytest.fixture
def recorded_messages():
    """Every message (error, warning, note) recorded in a list instead of shown: no dialogs."""
    from desktop.ui import messages

    messages.bridge.discard_pending()
    with messages.recording() as recorded:
        yield recorded


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def make_settings(settings_path):
    """A QSettings on a temporary ini file; each call opens the same file again."""
    from PySide6.QtCore import QSettings

    def make():
        return QSettings(str(settings_path), QSettings.Format.IniFormat)

    return make


@pytest.fixture
def make_window(qtbot, make_settings, recorded_messages):
    """Builds main windows on the temporary settings file, restored as the app does at start.

    A shown window is returned once it is fully built; one built with ``show=False`` builds its
    panels when a test first asks for them (``details``, ``events_panel``).
    """
    from desktop.ui.main_window import MainWindow

    def make(file_argument: str | None = None, *, show: bool = True) -> MainWindow:
        window = MainWindow(make_settings())
        qtbot.addWidget(window)
        window.restore_state(file_argument)
        if show:
            # The window fills its docks right after its first paint (see MainWindow): tests meet
            # it fully built, as a user does a moment after start-up.
            with qtbot.waitSignal(window.built, timeout=5000), qtbot.waitExposed(window):
                window.show()
        return window

    return make


@pytest.fixture
def main_window(make_window):
    """A main window on empty settings, shown at its default size (1600×1000)."""
    return make_window()
