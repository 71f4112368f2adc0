"""Problems found while reading a file, each with its place, so users can fix their data."""

from __future__ import annotations

from typing import NamedTuple


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


class FormatError(Exception):
    """A file that cannot be read as a timeline; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("a FormatError needs at least one problem")
        super().__init__("; ".join(problem.render("<file>") for problem in problems))
        self.problems = problems
