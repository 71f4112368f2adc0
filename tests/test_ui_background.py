"""Opening big files and exporting big timelines in a worker thread: progress, Cancel, errors,
and the window stays usable."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.formats.loader import load_bundled, load_path
from desktop.formats.native import write_native
from desktop.formats.progress import Cancelled
from desktop.ui import background, main_window
from desktop.ui.messages import Level

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def every_file_is_big(monkeypatch):
    """Send every file through the background path, whatever its size."""
    monkeypatch.setattr(main_window, "BACKGROUND_LOAD_BYTES", 0)


@pytest.fixture
def timeline_file(tmp_path) -> Path:
    path = tmp_path / "copy.json"
    timeline = load_bundled()
    path.write_text(write_native(timeline), encoding="utf-8")
    return path


@pytest.fixture
def gated_loader(monkeypatch):
    """load_path that waits until the test lets it go, so Cancel can be pressed mid-read."""
    gate = threading.Event()
    real = background.load_path

    def load_path(path, progress):
        progress(0.1, "Reading")
        assert gate.wait(10), "the test never opened the gate"
        progress(0.5, "Parsing")
        return real(path, progress)

    monkeypatch.setattr(background, "load_path", load_path)
    return gate


def test_a_big_file_loads_in_the_background(
    qtbot, main_window, every_file_is_big, timeline_file, recorded_messages
):
    window = main_window
    with qtbot.waitSignal(window.view.selection_changed, timeout=10_000):
        assert window.open_path(timeline_file)
        assert window._loading is not None
        status = window.task_statuses[window._loading]
        assert status.isVisible() and status.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window._loading is None)
    assert window.path == timeline_file.resolve()
    assert len(window.timeline.events) == len(load_bundled().events)
    assert not window.task_statuses  # the progress bar is gone from the status bar
    assert any("Opened" in message.text for message in recorded_messages)


def test_cancel_keeps_the_open_timeline(
    qtbot, main_window, every_file_is_big, timeline_file, gated_loader, recorded_messages
):
    window = main_window
    before = window.timeline
    assert window.open_path(timeline_file)
    status = window.task_statuses[window._loading]
    qtbot.waitUntil(lambda: status.bar.value() == 10)
    status.cancel_button.click()
    gated_loader.set()
    qtbot.waitUntil(lambda: window._loading is None)
    assert window.timeline is before
    assert window.path is None  # still the bundled timeline
    assert any("cancelled" in message.text for message in recorded_messages)


def test_the_progress_bar_shows_each_stage_and_how_far_the_load_is(
    qtbot, main_window, every_file_is_big, timeline_file, monkeypatch
):
    window = main_window
    steps = [threading.Event() for _ in range(2)]
    real = background.load_path

    def load_path(path, progress):  # each report waits for the test to have seen the last
        reports = [(0.1, "Reading"), (0.65, "Reading events")]
        for step, (done, stage) in zip(steps, reports, strict=True):
            progress(done, stage)
            assert step.wait(10), "the test never went on"
        return real(path, progress)

    monkeypatch.setattr(background, "load_path", load_path)
    assert window.open_path(timeline_file)
    bar = window.task_statuses[window._loading].bar
    qtbot.waitUntil(lambda: bar.value() == 10)
    assert bar.text() == "Reading copy.json… 10%"
    steps[0].set()
    qtbot.waitUntil(lambda: bar.value() == 65)
    assert bar.text() == "Reading events copy.json… 65%"
    assert bar.maximum() == 100  # never the busy bar that says nothing
    steps[1].set()
    qtbot.waitUntil(lambda: window._loading is None)


def test_the_window_answers_while_a_file_loads(
    qtbot, main_window, every_file_is_big, timeline_file, gated_loader
):
    window = main_window
    assert window.open_path(timeline_file)
    span = window.view.scale.t1 - window.view.scale.t0
    window.view.zoom(2.0)  # the old timeline still zooms while the worker waits
    assert window.view.scale.t1 - window.view.scale.t0 == pytest.approx(span / 2)
    gated_loader.set()
    qtbot.waitUntil(lambda: window._loading is None)
    assert window.path == timeline_file.resolve()


def test_a_bad_big_file_is_reported_once(
    qtbot, main_window, every_file_is_big, tmp_path, recorded_messages
):
    window = main_window
    before = window.timeline
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "timeline-viewer", "version": 1, "events": [{"id": 1}]}')
    assert window.open_path(bad)
    qtbot.waitUntil(lambda: window._loading is None)
    assert window.timeline is before
    errors = [message for message in recorded_messages if message.level is Level.ERROR]
    assert len(errors) == 1 and "bad.json" in errors[0].text


def test_the_worker_stops_at_its_next_report_after_cancel(timeline_file):
    worker = background.TaskWorker(
        lambda progress: background.load_ready(timeline_file, progress), (OSError,)
    )
    outcomes = []
    worker.cancelled.connect(lambda: outcomes.append("cancelled"))
    worker.done.connect(lambda _timeline: outcomes.append("loaded"))
    worker.cancel()
    with pytest.raises(Cancelled):
        worker._progress(0.5, "Reading")
    worker.run()  # on this thread: the first report raises, and the worker says so
    assert outcomes == ["cancelled"]


def test_an_unexpected_error_reaches_the_hook_and_the_progress_goes(qtbot, main_window):
    window = main_window

    def work(progress):
        progress(0.2, "Writing")
        raise RuntimeError("a bug in the work")

    task = window._start_task(work, (OSError,), "x.json", "Exporting", "Stop")
    outcomes = []
    for signal in (task.done, task.failed, task.cancelled):
        signal.connect(lambda *_args, signal=signal: outcomes.append(signal))
    with qtbot.captureExceptions() as raised, qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert [str(error) for _kind, error, _trace in raised] == ["a bug in the work"]
    assert not window.task_statuses
    assert outcomes == []  # neither done, failed nor cancelled: the hook has said what happened


# -- exporting --------------------------------------------------------------------------------


@pytest.fixture
def every_timeline_is_big(monkeypatch):
    """Send every data export through the background path, whatever the timeline's size."""
    monkeypatch.setattr(main_window, "BACKGROUND_EXPORT_EVENTS", 0)


@pytest.fixture
def exports(tmp_path) -> Path:
    """A folder for exported files only (the settings file is beside it)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def gated_target(gate: threading.Event, reached: threading.Event) -> main_window.ExportTarget:
    """Timeline Viewer JSON, written by a writer that reports its progress, then waits until
    the test lets it go."""
    from desktop.formats.native import native_pieces
    from desktop.formats.writers import DataWriter

    def pieces(timeline, progress):
        progress(0.3, "Writing")
        reached.set()
        assert gate.wait(10), "the test never opened the gate"
        progress(0.9, "Writing")
        yield from native_pieces(timeline, progress)

    return main_window.ExportTarget("JSON", ".json", DataWriter("JSON", ".json", pieces))


def test_a_big_export_runs_in_the_background(
    qtbot, main_window, every_timeline_is_big, exports, recorded_messages
):
    window = main_window
    gate, reached = threading.Event(), threading.Event()
    path = exports / "out.json"
    assert window.export_to(path, gated_target(gate, reached))
    (task,) = window._exports
    status = window.task_statuses[task]
    qtbot.waitUntil(lambda: status.bar.value() == 30)
    assert status.bar.text() == "Writing out.json… 30%" and status.isVisible()
    assert not path.exists()
    span = window.view.scale.t1 - window.view.scale.t0
    window.view.zoom(2.0)  # the window answers while the worker writes
    assert window.view.scale.t1 - window.view.scale.t0 == pytest.approx(span / 2)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        gate.set()
    assert not window._exports and not window.task_statuses
    assert load_path(path) == window.timeline
    assert [message.text for message in recorded_messages][-1] == (
        f"Exported 28 events to “{path}”."
    )
    assert sorted(path.parent.iterdir()) == [path]  # no part file left behind


def test_cancelling_an_export_keeps_the_file_that_was_there(
    qtbot, main_window, every_timeline_is_big, exports, recorded_messages
):
    window = main_window
    gate, reached = threading.Event(), threading.Event()
    path = exports / "out.json"
    path.write_text("what was there", encoding="utf-8")
    assert window.export_to(path, gated_target(gate, reached))
    (task,) = window._exports
    assert reached.wait(10)
    window.task_statuses[task].cancel_button.click()
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        gate.set()
    assert path.read_text(encoding="utf-8") == "what was there"
    assert sorted(path.parent.iterdir()) == [path]
    assert recorded_messages[-1].text == "Exporting to “out.json” was cancelled."


def test_a_failed_big_export_is_one_error(
    qtbot, main_window, every_timeline_is_big, tmp_path, recorded_messages
):
    from desktop.ui.main_window import export_targets

    window = main_window
    target = next(target for target in export_targets() if target.suffix == ".csv")
    path = tmp_path / "no such folder" / "out.csv"
    recorded_messages.clear()
    assert window.export_to(path, target)
    (task,) = window._exports
    with qtbot.waitSignal(task.failed, timeout=10_000):
        pass
    assert [message.level for message in recorded_messages] == [Level.ERROR]
    assert recorded_messages[0].text == (
        f"Could not export to “out.csv”: there is no folder “{path.parent}”."
    )
    assert not window.task_statuses


@pytest.mark.parametrize("stop", (False, True))
def test_closing_during_an_export_asks_first(
    qtbot, main_window, every_timeline_is_big, exports, monkeypatch, stop
):
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def exec_box(box):
        asked.append(box.text())
        assert box.defaultButton().text() == "Cancel"  # Enter goes on exporting
        wanted = "Stop and Quit" if stop else "Cancel"
        next(button for button in box.buttons() if button.text() == wanted).click()

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    window = main_window
    gate, reached = threading.Event(), threading.Event()
    path = exports / "out.json"
    assert window.export_to(path, gated_target(gate, reached))
    (task,) = window._exports
    assert reached.wait(10)
    cancel = task.worker.cancel

    def cancel_then_go_on() -> None:  # the worker meets the Cancel at its next report
        cancel()
        gate.set()

    monkeypatch.setattr(task.worker, "cancel", cancel_then_go_on)
    window.close()
    assert len(asked) == 1 and "“out.json” is not finished" in asked[0]
    assert window.isVisible() is not stop
    if not stop:
        with qtbot.waitSignal(task.finished, timeout=10_000):
            gate.set()
        assert path.exists()
    else:
        assert not path.exists() and sorted(path.parent.iterdir()) == []


def test_a_cancel_after_the_last_report_is_too_late_and_the_outcome_says_so():
    worker = background.TaskWorker(lambda _progress: worker.cancel() or "written", (OSError,))
    outcomes = []
    worker.cancelled.connect(lambda: outcomes.append("cancelled"))
    worker.done.connect(outcomes.append)
    worker.run()  # on this thread: the work is cancelled once it has reported for the last time
    assert outcomes == ["written"]  # the file was replaced: saying "cancelled" would be false


def test_a_file_being_exported_is_not_exported_again_meanwhile(
    qtbot, main_window, every_timeline_is_big, exports, recorded_messages
):
    window = main_window
    gate, reached = threading.Event(), threading.Event()
    path = exports / "out.json"
    assert window.export_to(path, gated_target(gate, reached))
    (task,) = window._exports
    recorded_messages.clear()
    assert not window.export_to(path, gated_target(gate, threading.Event()))
    assert [message.text for message in recorded_messages] == [
        "“out.json” is being exported already: let that export finish, or cancel it first."
    ]
    assert list(window._exports) == [task]
    with qtbot.waitSignal(task.finished, timeout=10_000):
        gate.set()
    assert load_path(path) == window.timeline


def test_the_quit_question_goes_when_the_exports_finish(
    qtbot, main_window, every_timeline_is_big, exports
):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = main_window
    gate, reached = threading.Event(), threading.Event()
    path = exports / "out.json"
    assert window.export_to(path, gated_target(gate, reached))
    assert reached.wait(10)
    asked = []

    def while_asking() -> None:  # the box is up: the export now finishes on its own
        box = QApplication.activeModalWidget()
        asked.append(box.text())
        gate.set()
        # Should the box not close by itself, say No after a while rather than hang the test
        # (a timer that goes with the box when it is deleted).
        QTimer.singleShot(10_000, box, box.reject)

    QTimer.singleShot(100, while_asking)
    window.close()
    assert len(asked) == 1 and "Stop it and quit?" in asked[0]
    assert not window.isVisible()  # nothing was left to stop: the window closed
    assert load_path(path) == window.timeline


def test_the_quit_question_counts_the_exports(
    qtbot, main_window, every_timeline_is_big, exports, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def exec_box(box):
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    window = main_window
    gate = threading.Event()
    for name in ("a.json", "b.json"):
        assert window.export_to(exports / name, gated_target(gate, threading.Event()))
    window.close()
    assert asked == [
        "Exporting to “a.json”, “b.json” is not finished. Stop them and quit? The files are left"
        " as they were. Cancel goes on exporting."
    ]
    assert window.isVisible()
    tasks = list(window._exports)
    gate.set()
    for task in tasks:
        if task in window._exports:
            with qtbot.waitSignal(task.finished, timeout=10_000):
                pass


@contextlib.contextmanager
def status_of_a_task(qtbot, window, file_name: str) -> Iterator[background.TaskStatus]:
    """The status bar's progress of a task that does nothing, ended when the block is done."""
    task = window._start_task(lambda _progress: None, (OSError,), file_name, "Exporting", "")
    yield window.task_statuses[task]
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()


def test_a_long_file_name_is_shortened_to_fit_the_progress_bar(qtbot, main_window):
    from PySide6.QtGui import QFontMetrics

    name = "quarterly-history-export-with-a-rather-long-descriptive-name-2024.timelinejs.json"
    with status_of_a_task(qtbot, main_window, name) as status:
        status.show_progress(0.4, "Writing")
        text = status.bar.text()
        assert text.startswith("Writing quarterly-") and text.endswith(".json… 40%")
        assert "…" in text[: -len("… 40%")]  # the middle of the name left out
        metrics = QFontMetrics(status.bar.font())
        assert metrics.horizontalAdvance(text) < background.STATUS_BAR_WIDTH - 16  # one line


def test_a_narrow_progress_bar_shows_the_stage_without_the_name(qtbot, main_window):
    with status_of_a_task(qtbot, main_window, "out.csv") as status:
        status.show_progress(0.3, "Writing")
        assert status.bar.text() == "Writing out.csv… 30%"
        status.bar.setFixedWidth(background.STATUS_BAR_MIN_WIDTH)
        qtbot.waitUntil(lambda: status.bar.width() == background.STATUS_BAR_MIN_WIDTH)
        status.show_progress(0.3, "Writing")
        assert status.bar.text() == "Writing… 30%"


def test_a_task_clears_the_message_left_from_before(qtbot, main_window):
    window = main_window
    window.statusBar().showMessage("Opened “events-1000.json”: 1,000 events.")
    with status_of_a_task(qtbot, window, "out.csv"):
        assert window.statusBar().currentMessage() == ""


def test_a_task_s_progress_stays_put_while_the_readings_change_width(qtbot, main_window):
    window = main_window
    with status_of_a_task(qtbot, window, "out.csv") as status:
        window.range_label.setText("12 Dec 2024")
        qtbot.waitUntil(lambda: status.geometry().right() > window.count_label.geometry().right())
        narrow, place = window.range_label.width(), status.geometry()
        window.range_label.setText("26.10 billion BC – 37.27 billion")
        qtbot.waitUntil(lambda: window.range_label.width() > narrow)
        assert status.geometry() == place
