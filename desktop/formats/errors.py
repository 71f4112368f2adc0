"""Problems found while reading a file, each with its place, so users can fix their data."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

# How much of a file is read again to quote the lines its problems are on, and how much of a
# line is quoted: a problem in a 200 MB file on one line is quoted from its first megabyte only.
EXCERPT_SOURCE_BYTES = 1 << 20
EXCERPT_WIDTH = 60


# Value types in the modules the window imports at start-up are NamedTuples rather than frozen
# dataclasses: on Python 3.11 @dataclass costs ~0.5 ms a class at import, a NamedTuple ~0.1 ms.
class Problem(NamedTuple):
    message: str
    line: int | None = None  # 1-based, when the format has lines
    column: int | None = None  # 1-based

    def render(self, file_name: str) -> str:
        """``FILE:LINE:COLUMN: message``, leaving out what the format does not have."""
        place = file_name
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.message}"

    def in_words(self) -> str:
        """``line 2, column 11: message``, for a sentence that has named the file already
        (from a user test: "“fake.json” could not be opened: fake.json: the file is not
        text")."""
        if self.line is None:
            return self.message
        column = f", column {self.column}" if self.column is not None else ""
        return f"line {self.line}{column}: {self.message}"


class FormatError(Exception):
    """A file that cannot be read as a timeline; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("a FormatError needs at least one problem")
        super().__init__("; ".join(problem.render("<file>") for problem in problems))
        self.problems = problems


def source_lines(path: Path) -> list[str]:
    """The whole lines in the first EXCERPT_SOURCE_BYTES of ``path`` (none if it cannot be
    read), for :func:`excerpt`."""
    try:
        with path.open("rb") as file:
            head = file.read(EXCERPT_SOURCE_BYTES + 1)
    except OSError:
        return []
    kept = head[:EXCERPT_SOURCE_BYTES]
    lines = kept.decode("utf-8", "replace").splitlines()
    if len(head) > len(kept) and not kept.endswith(b"\n") and lines:
        lines.pop()  # cut by the limit: not the line the file has
    return lines


def excerpt(line: str, column: int | None, width: int = EXCERPT_WIDTH) -> str:
    """About ``width`` characters of ``line`` around ``column`` (1-based), "▶" before the
    character there: the place a problem names, readable in any font (a caret under it would
    need a fixed-width one)."""
    line = line.rstrip()
    if column is None:
        shown = line[:width]
        return shown + ("…" if len(line) > width else "")
    at = min(max(column - 1, 0), len(line))
    start = max(0, min(at - width // 2, len(line) - width))
    end = start + width
    return (
        ("…" if start > 0 else "")
        + line[start:at]
        + "▶"
        + line[at:end]
        + ("…" if end < len(line) else "")
    )
