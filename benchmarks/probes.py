"""Processes the benchmarks start and time from outside, one measurement each.

    python benchmarks/probes.py bare          a QApplication and an empty QMainWindow, shown
    python benchmarks/probes.py app           `timeline-viewer` with no argument, as launched
    python benchmarks/probes.py json FILE     Python's json.load of FILE
    python benchmarks/probes.py load FILE     the app's loader on FILE

Window probes quit on the next turn of the event loop after the watched widget's first paint
(the bare window, the app's timeline canvas), so the frame has been painted and flushed; load
probes print their time
and memory as JSON on the last line. Each probe is a fresh process, so import time, peak memory
and start-up are measured as a user meets them.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path


def _resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _quit_after_first_paint(widget_class: type) -> None:
    """Quit the application right after the first paint of a ``widget_class`` widget."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and isinstance(watched, widget_class):
                QTimer.singleShot(0, QApplication.quit)
            return False

    app = QApplication.instance()
    assert app is not None
    probe = FirstPaint(app)
    app.installEventFilter(probe)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1600, 1000)
    _quit_after_first_paint(QMainWindow)
    window.show()
    app.exec()


def app() -> None:
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.app import main
    from desktop.ui.timeline_view import TimelineView

    # The canvas's own paintEvent, wrapped: an application-wide event filter (as the bare probe
    # uses once its window exists) would be installed before the app builds its window and
    # call into Python for each of the hundreds of events that building sends, which is the
    # probe's cost, not the app's (about 14 ms here).
    paint = TimelineView.paintEvent

    def paint_then_quit(view: TimelineView, event: QEvent) -> None:
        paint(view, event)
        QTimer.singleShot(0, QApplication.quit)

    TimelineView.paintEvent = paint_then_quit  # type: ignore[method-assign]
    main([])  # the entry point of `timeline-viewer`: argument parsing, then the window


def load(kind: str, path: str) -> None:
    started = time.perf_counter()
    if kind == "json":
        with Path(path).open(encoding="utf-8") as stream:
            data = json.load(stream)
        count = len(data.get("events", ()))
    else:
        from desktop.formats.loader import load_path

        data = load_path(Path(path))
        count = len(data.events)
    seconds = time.perf_counter() - started
    gc.collect()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": _peak_mib(),
                "resident_mib": _resident_mib(),
                "events": count,
            }
        )
    )


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "bare":
        bare()
    elif what == "app":
        app()
    else:
        load(what, sys.argv[2])
