"""Keeping Python's cycle collector out of the way: while big things are built, and off the
frame path.

The collector's passes walk the tracked objects of their generation; a full pass over a loaded
timeline, its indices and Qt's wrappers takes 10–25 ms, and one would land in the middle of a
frame every few seconds of zooming. Objects alive once a timeline is shown mostly live as long
as it does, so they are moved out of the collector's reach (:func:`settle`); what frames make
comes and goes in the young generations, whose passes are short.

While a big document is parsed, or the program starts, the collector is paused instead
(:func:`pause`): both make hundreds of thousands of objects, none of them garbage in a cycle,
and the collector would walk them again every few hundred allocations.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_collector_was_enabled = False


def pause() -> None:
    """Stop the cycle collector until the matching :func:`resume`. Pauses nest and may overlap
    between threads; the collector runs again when the last one ends, if it ran before the
    first."""
    global _pauses, _collector_was_enabled
    with _lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1


def resume() -> None:
    global _pauses
    with _lock:
        if _pauses == 0:
            raise RuntimeError("heap.resume() without a pause")
        _pauses -= 1
        if _pauses == 0 and _collector_was_enabled:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused for the ``with`` block (JSON and the readers make millions of small
    dicts and lists: collecting as they are made doubles what json.loads takes for a big
    file)."""
    pause()
    try:
        yield
    finally:
        resume()


def settle() -> None:
    """Collect what is garbage now, then freeze everything still alive.

    Objects frozen by the previous call are unfrozen first, so a replaced timeline, or any
    cycle that has become garbage since, is collected here rather than kept for good.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
