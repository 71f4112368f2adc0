"""Opening big files off the GUI thread, with progress and Cancel.

The worker runs ``load_path`` in a QThread and reports through signals (queued into the GUI
thread); Cancel sets a flag that the worker's progress callback turns into
:class:`~desktop.formats.progress.Cancelled` at its next report. The window keeps showing, and
answering for, the timeline it had until the new one is ready.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.formats.errors import FormatError
from desktop.formats.loader import load_path
from desktop.formats.progress import Cancelled
from desktop.model.timeline import Timeline

STAGE_PAUSE_S = 0.05


class LoadWorker(QObject):
    progressed = Signal(float, str)  # share done, stage
    loaded = Signal(object)  # Timeline
    failed = Signal(object)  # FormatError | OSError
    cancelled = Signal()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._cancel = threading.Event()
        self._stage = ""

    def cancel(self) -> None:
        """Ask the worker to stop; safe from any thread."""
        self._cancel.set()

    def _progress(self, done: float, stage: str) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.progressed.emit(done, stage)
        if stage != self._stage:
            # A file that cannot be streamed is parsed whole next, and the JSON parser holds
            # the interpreter lock for seconds on a big file: give the window a moment to show
            # the new stage before it does.
            self._stage = stage
            time.sleep(STAGE_PAUSE_S)

    def _stop_if_cancelled(self, _done: float) -> None:
        if self._cancel.is_set():
            raise Cancelled

    @Slot()
    def run(self) -> None:
        try:
            timeline = load_path(self.path, self._progress)
            # The index builds some look-ups on first use; do that here, not in the first frame.
            timeline.index.prepare(self._stop_if_cancelled)
        except Cancelled:
            self.cancelled.emit()
            return
        except (FormatError, OSError) as error:
            self.failed.emit(error)
            return
        if self._cancel.is_set():  # cancelled after the last report: drop the result
            self.cancelled.emit()
            return
        self.loaded.emit(timeline)


class BackgroundLoad(QObject):
    """One file being opened in a worker thread; ``finished`` comes once whatever happens."""

    progressed = Signal(float, str)
    loaded = Signal(object)  # Timeline
    failed = Signal(object)  # FormatError | OSError
    cancelled = Signal()
    finished = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.thread = QThread(self)
        self.worker = LoadWorker(path)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self.progressed)
        self.worker.loaded.connect(self._loaded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel()

    def wait(self) -> None:
        """Block until the worker thread has ended (closing the window, tests)."""
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()

    def _end(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.finished.emit()

    def _loaded(self, timeline: Timeline) -> None:
        self._end()
        self.loaded.emit(timeline)

    def _failed(self, error: Exception) -> None:
        self._end()
        self.failed.emit(error)

    def _cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
