"""QApplication set-up: names for QSettings, the desktop file, logging, the crash hook."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop import heap
from desktop.ui import messages
from desktop.ui.main_window import APP_NAME, MainWindow

ORGANIZATION = "TimelineViewer"
DESKTOP_FILE = "io.github.timeline_viewer.TimelineViewer"


def configure_logging() -> str:
    """Log to a file in the app's data folder (and stderr when there is one); return its path."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    handlers: list[logging.Handler] = []
    log_path = ""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        log_path = str(Path(folder) / "timeline-viewer.log")
        handlers.append(logging.FileHandler(log_path, encoding="utf-8"))
    except OSError:
        pass
    if sys.stderr is not None:
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
    )
    return log_path


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(DESKTOP_FILE)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return app


def run(file_argument: str | None) -> int:
    app = create_application()
    log_path = configure_logging()
    messages.install_excepthook()
    window = MainWindow()
    # The collector, paused for start-up by desktop.app, runs again once the window has painted
    # and filled its docks; the timeline view then settles the heap (desktop.heap.settle).
    window.built.connect(heap.resume)
    window.restore_state(file_argument)
    window.show()
    logging.getLogger("timeline.app").info("started; log at %s", log_path or "(stderr only)")
    status = app.exec()
    # The process ends next. The window has saved its state on closing; what is left is the
    # interpreter's teardown, whose cycle-collector passes would walk every object of Qt's and
    # our modules (a few hundred thousand) for garbage the exit frees anyway: tens of ms.
    gc.freeze()
    return status
