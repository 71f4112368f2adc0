"""Reporting progress from long reads, and cancelling them, without any GUI in sight."""

from __future__ import annotations

from collections.abc import Callable


class Cancelled(Exception):
    """Raised by a progress callback when the user cancelled the work."""


# Called with the share of the work done (0.0 to 1.0) and what is being done ("Reading",
# "Parsing"); it may raise Cancelled, which the reader lets through.
Progress = Callable[[float, str], None]


def no_progress(_done: float, _stage: str) -> None:
    """The progress callback of work nobody watches."""


# The share of putting a big list of events into a store that is reading them; sorting them
# takes the rest.
READ_EVENTS_SHARE = 0.9
