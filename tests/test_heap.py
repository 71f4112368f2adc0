"""desktop.heap: what is alive when a timeline is shown leaves the collector's walks."""

from __future__ import annotations

import gc
import weakref

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
