"""desktop.heap: what is alive when a timeline is shown leaves the collector's walks."""

from __future__ import annotations

import gc
import weakref

import pytest

from desktop import heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_settle_freezes_the_living_and_collects_cycles_frozen_before() -> None:
    try:
        first, second = Node(), Node()
        first.other, second.other = second, first  # a cycle: only the collector frees it
        dead = weakref.ref(first)
        heap.settle()
        assert gc.get_freeze_count() > 0
        assert dead() is not None
        del first, second  # garbage now, but frozen: out of reach until the next settle
        gc.collect()
        assert dead() is not None
        heap.settle()
        assert dead() is None
    finally:
        gc.unfreeze()


def test_a_shown_timeline_is_frozen_after_its_first_frame(qtbot) -> None:
    from desktop.formats.loader import load_bundled
    from desktop.ui.timeline_view import TimelineView

    gc.unfreeze()
    try:
        view = TimelineView()
        qtbot.addWidget(view)
        view.resize(800, 400)
        view.set_timeline(load_bundled())
        assert gc.get_freeze_count() == 0  # not before the first frame: it must not wait
        view.show()
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    finally:
        gc.unfreeze()


def test_pauses_nest_and_the_collector_runs_again_after_the_last() -> None:
    assert gc.isenabled()
    heap.pause()
    with heap.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the outer pause still holds
    heap.resume()
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.paused():  # a collector already off stays off after the pause
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError):
        heap.resume()


def test_start_up_pauses_the_collector_until_the_window_is_built(
    qtbot, monkeypatch, make_settings
) -> None:
    """desktop.app pauses the collector before it imports the window; the window resumes it
    once it has painted and filled its docks."""
    from PySide6.QtWidgets import QApplication

    import desktop.ui.application as application
    from desktop.ui.main_window import MainWindow

    # run() as the program calls it, minus what would touch the user's files.
    monkeypatch.setattr(application, "configure_logging", lambda: "")
    monkeypatch.setattr(application.messages, "install_excepthook", lambda: None)
    monkeypatch.setattr(application, "MainWindow", lambda: MainWindow(make_settings()))
    seen: dict[str, bool] = {}

    def exec_until_built() -> int:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen["paused while starting"] = not gc.isenabled()
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.is_built, timeout=5000)
        seen["running once built"] = gc.isenabled()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(exec_until_built))
    heap.pause()  # as desktop.app does before importing Qt
    try:
        assert application.run(None) == 0
    finally:
        if not gc.isenabled():  # the test failed before the window resumed it
            heap.resume()
        gc.unfreeze()
    assert seen == {"paused while starting": True, "running once built": True}


def test_the_canvas_keeps_the_collector_out_of_frames_until_input_pauses(qtbot) -> None:
    """Frames drawn while the user zooms (each needs the layout redone once input pauses) run
    with the collector paused; it runs again when input pauses, or when the canvas is hidden
    (no pause would come)."""
    from desktop.formats.loader import load_bundled
    from desktop.ui.timeline_view import RELAYOUT_DELAY_MS, TimelineView

    assert gc.isenabled()
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.set_timeline(load_bundled())
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.scene() is not None and view._scene is not None)
    qtbot.wait(RELAYOUT_DELAY_MS * 2)  # the first frames' layout settled
    qtbot.waitUntil(lambda: not view.relayout_pending)
    assert gc.isenabled()
    try:
        for _ in range(3):
            view.zoom(1.3)
            view.repaint()
            assert not gc.isenabled()
        qtbot.waitUntil(gc.isenabled, timeout=RELAYOUT_DELAY_MS * 20)  # input paused
        view.zoom(1.3)
        view.repaint()
        assert not gc.isenabled()
        view.hide()
        assert gc.isenabled()
    finally:
        if not gc.isenabled():  # the test failed while the canvas held it
            heap.resume()
        gc.unfreeze()
