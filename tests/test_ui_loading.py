"""Opening big files in a worker thread: progress, Cancel, errors, and the window stays usable."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.formats.loader import load_bundled
from desktop.formats.native import write_native
from desktop.formats.progress import Cancelled
from desktop.ui import loading, main_window
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
    real = loading.load_path

    def load_path(path, progress):
        progress(0.1, "Reading")
        assert gate.wait(10), "the test never opened the gate"
        progress(0.5, "Parsing")
        return real(path, progress)

    monkeypatch.setattr(loading, "load_path", load_path)
    return gate


def test_a_big_file_loads_in_the_background(
    qtbot, main_window, every_file_is_big, timeline_file, recorded_messages
):
    window = main_window
    with qtbot.waitSignal(window.view.selection_changed, timeout=10_000):
        assert window.open_path(timeline_file)
        assert window._loading is not None
        assert window.load_progress.isVisible() and window.cancel_load_button.isVisible()
    qtbot.waitUntil(lambda: window._loading is None)
    assert window.path == timeline_file.resolve()
    assert len(window.timeline.events) == len(load_bundled().events)
    assert not window.load_progress.isVisible()
    assert any("Opened" in message.text for message in recorded_messages)


def test_cancel_keeps_the_open_timeline(
    qtbot, main_window, every_file_is_big, timeline_file, gated_loader, recorded_messages
):
    window = main_window
    before = window.timeline
    assert window.open_path(timeline_file)
    qtbot.waitUntil(lambda: window.load_progress.value() == 10)
    window.cancel_load_button.click()
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
    real = loading.load_path

    def load_path(path, progress):  # each report waits for the test to have seen the last
        reports = [(0.1, "Reading"), (0.65, "Reading events")]
        for step, (done, stage) in zip(steps, reports, strict=True):
            progress(done, stage)
            assert step.wait(10), "the test never went on"
        return real(path, progress)

    monkeypatch.setattr(loading, "load_path", load_path)
    assert window.open_path(timeline_file)
    qtbot.waitUntil(lambda: window.load_progress.value() == 10)
    assert window.load_progress.text() == "Reading copy.json… 10%"
    steps[0].set()
    qtbot.waitUntil(lambda: window.load_progress.value() == 65)
    assert window.load_progress.text() == "Reading events copy.json… 65%"
    assert window.load_progress.maximum() == 100  # never the busy bar that says nothing
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
    worker = loading.LoadWorker(timeline_file)
    outcomes = []
    worker.cancelled.connect(lambda: outcomes.append("cancelled"))
    worker.loaded.connect(lambda _timeline: outcomes.append("loaded"))
    worker.cancel()
    with pytest.raises(Cancelled):
        worker._progress(0.5, "Reading")
    worker.run()  # on this thread: the first report raises, and the worker says so
    assert outcomes == ["cancelled"]
