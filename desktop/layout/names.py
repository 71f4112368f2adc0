"""How much of a name must be shown to tell it from the others beside it.

A narrow column cuts names to their first letters: the Events list showed "Uni…" for both
"United Kingdom" and "United States". The column is made wide enough for each name's
distinguishing beginning instead ("United K…", "United S…").
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise


def _shared_length(first: str, second: str) -> int:
    """How many letters the two names begin with alike."""
    for at, (mine, theirs) in enumerate(zip(first, second, strict=False)):
        if mine != theirs:
            return at
    return min(len(first), len(second))


def distinguishing_prefixes(names: Sequence[str]) -> list[str]:
    """For each of ``names``, its shortest beginning, of one letter at least, that no other,
    different name begins with; the whole name where another name begins with all of it
    ("Poland" beside "Poland's allies"). A name appearing twice is told from the others, not
    from itself.

    Sorted, a name shares the longest beginning with one of its neighbours, so one pass over
    the sorted names finds every prefix (a file may have thousands of lanes)."""
    shared: dict[str, int] = {}
    for name, following in pairwise(sorted(set(names))):
        common = _shared_length(name, following)
        shared[name] = max(shared.get(name, 0), common)
        shared[following] = max(shared.get(following, 0), common)
    return [name[: shared.get(name, 0) + 1] for name in names]
