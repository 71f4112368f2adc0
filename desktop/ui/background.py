"""Long work off the GUI thread (opening big files, exporting data), with progress and Cancel.

A :class:`BackgroundTask` runs one function in a QThread. The function is handed a progress
callback (see desktop.formats.progress); the worker passes each report on through signals,
which Qt queues into the GUI thread, and Cancel sets a flag that the callback turns into
:class:`~desktop.formats.progress.Cancelled` at the next report. The window keeps answering
while the task runs; each task shows its own :class:`TaskStatus` in the status bar.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QThread, Signal, Slot
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QSizePolicy, QToolButton, QWidget

from desktop.formats.loader import load_path
from desktop.formats.progress import WORKER_SWITCH_INTERVAL_S, Cancelled, Progress
from desktop.model.timeline import Timeline

STAGE_PAUSE_S = 0.05
# A progress bar's widest and narrowest (a narrow window's status bar has room for less); its
# text ("Writing a-long-file-na…me.csv… 40%") is fitted into the width it has, on one line.
STATUS_BAR_WIDTH = 320
STATUS_BAR_MIN_WIDTH = 120


def load_ready(path: Path, progress: Progress) -> Timeline:
    """The timeline in ``path``, with the look-ups its first frame needs made here, in the
    worker, rather than in that frame."""
    timeline = load_path(path, progress)
    timeline.index.prepare(lambda _done: progress(1.0, "Indexing"))
    progress(1.0, "Indexing")  # the last moment a Cancel drops the timeline
    return timeline


class TaskWorker(QObject):
    progressed = Signal(float, str)  # share done, stage
    done = Signal(object)  # what the work returned
    failed = Signal(object)  # one of the expected errors
    cancelled = Signal()
    broke = Signal()  # an unexpected error, raised on to the exception hook

    def __init__(
        self, work: Callable[[Progress], object], expected: tuple[type[Exception], ...]
    ) -> None:
        super().__init__()
        self.work = work
        self.expected = expected
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

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(self._progress)
        except Cancelled:
            self.cancelled.emit()
            return
        except self.expected as error:
            self.failed.emit(error)
            return
        except Exception:
            self.broke.emit()
            raise  # PySide hands it to sys.excepthook: the log and the error dialog
        # A Cancel after the work's last report comes too late: what is done is done (a file
        # replaced), and the outcome says so.
        self.done.emit(result)


class BackgroundTask(QObject):
    """One function running in a worker thread; ``finished`` comes once, whatever happens,
    before the signal that says how it ended (none when it broke)."""

    progressed = Signal(float, str)
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        work: Callable[[Progress], object],
        expected: tuple[type[Exception], ...],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.thread = QThread(self)
        self.worker = TaskWorker(work, expected)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Bound methods of this object, which lives in the GUI thread: Qt queues the worker's
        # signals to them there (a lambda would run in the worker's thread).
        self.worker.progressed.connect(self.progressed)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.worker.broke.connect(self._end)

    def start(self) -> None:
        # For the rest of the program's run: it costs nothing while only one thread is busy.
        sys.setswitchinterval(WORKER_SWITCH_INTERVAL_S)
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel()

    def wait(self) -> None:
        """Cancel, and block until the worker thread has ended (closing the window, tests)."""
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()

    def _end(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.finished.emit()

    def _done(self, result: object) -> None:
        self._end()
        self.done.emit(result)

    def _failed(self, error: Exception) -> None:
        self._end()
        self.failed.emit(error)

    def _cancelled(self) -> None:
        self._end()
        self.cancelled.emit()


class TaskStatus(QWidget):
    """A task's progress bar ("Reading big.json… 40%") and Cancel button, for the status bar."""

    def __init__(
        self, task: BackgroundTask, file_name: str, first_stage: str, cancel_tip: str
    ) -> None:
        super().__init__()
        self.file_name = file_name
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(STATUS_BAR_MIN_WIDTH)
        self.bar.setMaximumWidth(STATUS_BAR_WIDTH)
        self._shown = (0.0, first_stage)
        self.bar.setTextVisible(True)
        self.bar.setRange(0, 100)  # never the busy bar that says nothing
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip(cancel_tip)
        self.cancel_button.clicked.connect(task.cancel)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        # As wide as a full bar and its button at most, never wider: given the status bar's
        # spare room, the bar and Cancel would drift inside it as the readings change width.
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.show_progress(0.0, first_stage)
        task.progressed.connect(self.show_progress)

    def sizeHint(self) -> QSize:
        spacing = max(0, self.layout().spacing())
        width = STATUS_BAR_WIDTH + spacing + self.cancel_button.sizeHint().width()
        return QSize(width, super().sizeHint().height())

    def show_progress(self, done: float, stage: str) -> None:
        # Each stage says how far the whole task is ("Reading", "Parsing", "Writing"); a stage
        # done in one call holds its share until the next.
        self._shown = (done, stage)
        self.bar.setValue(round(done * 100))
        metrics = QFontMetrics(self.bar.font())
        width = self.bar.width() if self.bar.isVisible() else STATUS_BAR_WIDTH
        room = width - 24 - metrics.horizontalAdvance(f"{stage} … 100%")
        name = metrics.elidedText(self.file_name, Qt.TextElideMode.ElideMiddle, max(0, room))
        if len(name) < 4:  # no room for a name worth reading: the stage alone
            self.bar.setFormat(f"{stage}… %p%")
        else:
            self.bar.setFormat(f"{stage} {name}… %p%")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.show_progress(*self._shown)  # the name fitted to the new width
