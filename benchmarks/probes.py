"""Processes the benchmarks start and time from outside, one measurement each.

    python benchmarks/probes.py bare          a QApplication and an empty QMainWindow, shown
    python benchmarks/probes.py words         the bare window with a line of text in it, its
                                              alignment one of Qt's enums: the least a window
                                              that shows words does
    python benchmarks/probes.py app           `timeline-viewer` with no argument, as launched
    python benchmarks/probes.py json FILE     Python's json.load of FILE
    python benchmarks/probes.py load FILE     the app's loader on FILE
    python benchmarks/probes.py wait FILE     the loader on FILE in a thread, as the window
                                              runs it: how long the main thread waits
    python benchmarks/probes.py export FILE SUFFIX
                                              FILE's timeline written as SUFFIX: first alone
                                              (what the window froze for when it exported on
                                              its own thread), then by the window's File →
                                              Export…, while a 5 ms timer on the window's
                                              thread measures how late it fires

Window probes import nothing ahead of the window they time but ``sys`` and ``time``; what the
load probes need (json, resource, threading, pathlib) is imported in them, so no window is
charged for a module it would not import itself. Window probes print the moment the watched
widget (the bare window, the line of text, the app's timeline canvas) has finished its first
paint as ``first-frame SECONDS`` on CLOCK_MONOTONIC (one clock for every process, so
benchmarks/run.py can subtract the moment it launched them), and quit on the next turn of the
event loop; load probes print their time and memory as JSON on the last line. Each probe is a
fresh process, so import time, peak memory and start-up are measured as a user meets them.

The wait probe stands in for the GUI thread: it sleeps 5 ms at a time while the worker loads,
and records the longest time from one wake-up to the next. The GUI thread needs the interpreter
lock to repaint or to take a click on Cancel, so that is how long the window would freeze. A
worker running Python offers the lock every millisecond, as the window has it do
(WORKER_SWITCH_INTERVAL_S; Python's default is 5 ms), which makes waits of about 6 ms; longer
ones are single calls into C that keep the lock.
"""

from __future__ import annotations

import sys
import time


def _resident_mib() -> float:
    from pathlib import Path

    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _first_frame_painted() -> None:
    """Report the end of the watched widget's first paint, then quit on the next turn of the
    event loop (after whatever the program itself has queued for that turn)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    print(f"first-frame {time.monotonic():.6f}", flush=True)
    QTimer.singleShot(0, QApplication.quit)


def bare() -> None:
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        def paintEvent(self, event: QPaintEvent) -> None:
            super().paintEvent(event)
            _first_frame_painted()

    app = QApplication(sys.argv[:1])
    window = Window()
    window.resize(1600, 1000)
    window.show()
    app.exec()


def words() -> None:
    # Using any of Qt's enums makes PySide6 create the Python enums of the whole Qt namespace,
    # and the first text measured sets up the fonts: the bare window does neither.
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class Label(QLabel):
        def paintEvent(self, event: QPaintEvent) -> None:
            super().paintEvent(event)
            _first_frame_painted()

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    label = Label("Tusk and Macron in Warsaw, Thursday 12 December 2024")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(1600, 1000)
    window.show()
    app.exec()


def app() -> None:
    # Nothing is imported ahead of the program: the canvas's paintEvent is wrapped the moment
    # its module is first imported, from inside the program's own start-up. Importing Qt or
    # the canvas here first would move their import out of the program's start-up as it
    # really runs (PySide6 checks the source of each module imported after it; the program
    # pauses the cycle collector before it imports Qt). The finder is a plain class, not an
    # importlib.abc.MetaPathFinder: importing importlib.abc would charge the program for it.
    import importlib.util
    from types import ModuleType

    class WrapPaintOnImport:
        def find_spec(self, name: str, path: object, target: object = None) -> object:
            if name != "desktop.ui.timeline_view":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            assert spec is not None and spec.loader is not None
            run_module = spec.loader.exec_module

            def exec_module(module: ModuleType) -> None:
                run_module(module)
                view_class = module.TimelineView
                paint = view_class.paintEvent

                def paint_then_report(view: object, event: object) -> None:
                    paint(view, event)
                    _first_frame_painted()

                view_class.paintEvent = paint_then_report

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, WrapPaintOnImport())
    from desktop.app import main

    main([])  # the entry point of `timeline-viewer`, launched without arguments


def load(kind: str, path: str) -> None:
    import gc
    import json
    from pathlib import Path

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


def wait(path: str) -> None:
    import json
    import threading
    from pathlib import Path

    from desktop.formats.loader import load_path
    from desktop.formats.progress import WORKER_SWITCH_INTERVAL_S

    sys.setswitchinterval(WORKER_SWITCH_INTERVAL_S)  # as BackgroundTask sets it

    stage = "Starting"
    finished = threading.Event()

    def progress(_done: float, now: str) -> None:
        nonlocal stage
        stage = now

    def work() -> None:
        nonlocal stage
        try:
            timeline = load_path(Path(path), progress)
            stage = "Indexing"
            # The look-ups the loading worker makes before it hands the timeline on.
            timeline.index.count_overlapping(0.0, 0.0)
        finally:
            finished.set()

    worker = threading.Thread(target=work)
    longest, longest_stage = 0.0, stage
    started = last = time.perf_counter()
    worker.start()
    while not finished.is_set():
        time.sleep(0.005)
        now = time.perf_counter()
        if now - last > longest:
            longest, longest_stage = now - last, stage
        last = now
    seconds = time.perf_counter() - started
    worker.join()
    print(
        json.dumps({"seconds": seconds, "longest_wait_ms": longest * 1000, "stage": longest_stage})
    )


def export(path: str, suffix: str) -> None:
    import json
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.formats.loader import load_path
    from desktop.ui.application import create_application
    from desktop.ui.main_window import MainWindow, export_targets

    target = next(target for target in export_targets() if target.suffix == suffix)
    assert target.writer is not None, "a data format"
    folder = Path(tempfile.mkdtemp(prefix="timeline-export-"))
    timeline = load_path(Path(path))
    started = time.perf_counter()
    target.writer.save(timeline, folder / f"alone{suffix}")
    alone = time.perf_counter() - started
    del timeline

    create_application()
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1600, 1000)
    window.show()
    window.open_path(Path(path))
    gaps: dict[str, list[float]] = {"idle": [], "export": []}
    state: dict[str, float | str] = {}

    def tick() -> None:
        now = time.perf_counter()
        phase = str(state.get("phase", ""))
        if phase in gaps:
            gaps[phase].append(now - float(state["last"]))
        state["last"] = now
        if phase == "export" and not window.task_statuses:
            state["done"] = now
            QApplication.quit()

    def measure_idle() -> None:  # once the timeline is shown and the heap has settled
        if window.timeline is None or window.task_statuses:
            QTimer.singleShot(100, measure_idle)
            return
        state["phase"] = "idle"
        QTimer.singleShot(1000, start_export)

    def start_export() -> None:
        state["phase"] = "export"
        state["started"] = time.perf_counter()
        window.export_to(folder / f"window{suffix}", target)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    QTimer.singleShot(1000, measure_idle)
    QApplication.exec()

    def longest_and_p99(samples: list[float]) -> tuple[float, float]:
        ordered = sorted(samples) or [0.0]
        return ordered[-1] * 1000, ordered[int(0.99 * (len(ordered) - 1))] * 1000

    print(
        json.dumps(
            {
                "alone_seconds": alone,
                "window_seconds": float(state["done"]) - float(state["started"]),
                "idle_gap_ms": longest_and_p99(gaps["idle"]),
                "export_gap_ms": longest_and_p99(gaps["export"]),
            }
        )
    )


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "bare":
        bare()
    elif what == "words":
        words()
    elif what == "app":
        app()
    elif what == "wait":
        wait(sys.argv[2])
    elif what == "export":
        export(sys.argv[2], sys.argv[3])
    else:
        load(what, sys.argv[2])
