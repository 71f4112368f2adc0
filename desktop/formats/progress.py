"""Reporting progress from long reads, and cancelling them, without any GUI in sight."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


class Cancelled(Exception):
    """Raised by a progress callback when the user cancelled the work."""


# Called with the share of the work done (0.0 to 1.0) and what is being done ("Reading",
# "Parsing"); it may raise Cancelled, which the reader lets through.
Progress = Callable[[float, str], None]


def no_progress(_done: float, _stage: str) -> None:
    """The progress callback of work nobody watches."""


# How often a thread running Python offers the interpreter lock to others, while work runs in
# a worker thread (Python's default is 5 ms). The window's thread needs the lock back after each
# call into Qt that let it go, and a frame makes dozens of them: at 5 ms each, a frame painted
# while a writer ran took up to 0.2 s; at 1 ms, 50 ms, and the worker is no slower.
WORKER_SWITCH_INTERVAL_S = 0.001

# The share of putting a big list of events into a store that is reading them; sorting them
# takes the rest.
READ_EVENTS_SHARE = 0.9

# Work through many items (writing events) reports how far it is every this many items: a few
# milliseconds of work, so the progress bar moves smoothly and Cancel is obeyed at once.
REPORT_EVERY = 2000


def reporting(items: Sequence[T], progress: Progress, stage: str) -> Iterator[T]:
    """The ``items`` one by one; before each batch of :data:`REPORT_EVERY`, ``progress`` hears
    ``stage`` and the share of the items done. A Cancelled raised by ``progress`` comes out of
    the loop over the items."""
    count = len(items)
    remaining = iter(items)
    for done in range(0, count, REPORT_EVERY):
        progress(done / count, stage)
        yield from islice(remaining, REPORT_EVERY)
