"""Keeping Python's cycle collector off the frame path.

The collector's full passes walk every tracked object alive; with a timeline, its indices and
Qt's wrappers loaded that takes 10–25 ms, and one lands in the middle of a frame every few
seconds of zooming. Objects alive once a timeline is shown mostly live as long as it does, so
they are moved out of the collector's reach (``gc.freeze``); what frames make comes and goes
in the young generations, whose passes are short.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what is garbage now, then freeze everything still alive.

    Objects frozen by the previous call are unfrozen first, so a replaced timeline, or any
    cycle that has become garbage since, is collected here rather than kept for good.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
