"""Where a value sits in a JSON text, so a problem found after parsing can name its line.

Python's ``json`` module reports positions only for syntax errors. Readers report semantic
problems (a bad date in the fifth event) against a path such as ``("events", 4, "date")``; this
module walks the text to find that path's line and column. It runs only when there is a
problem to report, so valid files never pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from desktop.formats.errors import FormatError, Problem

PathPart = str | int
JsonPath = tuple[PathPart, ...]

_WHITESPACE = " \t\n\r"
_decode_string = json.decoder.scanstring  # type: ignore[attr-defined]


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _skip_value(text: str, index: int) -> int:
    """The index just past the JSON value that starts at ``index``."""
    char = text[index]
    if char == '"':
        return _decode_string(text, index + 1)[1]
    if char in "{[":
        closing = "}" if char == "{" else "]"
        index = _skip(text, index + 1)
        if text[index] == closing:
            return index + 1
        while True:
            if char == "{":
                index = _skip(text, _decode_string(text, index + 1)[1])
                index = _skip(text, index + 1)  # past ':'
            index = _skip(text, _skip_value(text, index))
            if text[index] == closing:
                return index + 1
            index = _skip(text, index + 1)  # past ','
    end = index
    while end < len(text) and text[end] not in ",]} \t\n\r":
        end += 1
    return end


class Locator:
    """Finds paths in one JSON text, remembering where the elements of the arrays it has walked
    start: the problems of a file are mostly in one long list, and walking it from its start for
    each of them took seconds for a few thousand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._elements: dict[JsonPath, list[int]] = {}  # per array, its first elements' offsets
        # The last place turned into a line and column: (offset, line, where that line starts).
        # Problems come mostly in file order, so counting goes on from there.
        self._counted = (0, 1, 0)

    def locate(self, path: Sequence[PathPart]) -> tuple[int, int] | None:
        """1-based (line, column) of the value at ``path``; the deepest existing parent if
        missing."""
        for length in range(len(path), -1, -1):
            try:
                offset = self._find(tuple(path[:length]))
            except (KeyError, IndexError, ValueError, RecursionError):
                continue
            return self._line_and_column(offset)
        return None

    def _line_and_column(self, offset: int) -> tuple[int, int]:
        text = self.text
        counted, line, line_start = self._counted
        if offset < counted:
            counted, line, line_start = 0, 1, 0
        breaks = text.count("\n", counted, offset)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", counted, offset) + 1
        self._counted = (offset, line, line_start)
        return line, offset - line_start + 1

    def _find(self, path: JsonPath) -> int:
        text = self.text
        index = _skip(text, 0)
        for depth, head in enumerate(path):
            char = text[index]
            if char == "{" and isinstance(head, str):
                index = self._member(index, head)
            elif char == "[" and isinstance(head, int):
                index = self._element(path[:depth], index, head)
            else:
                raise KeyError(head)
        return index

    def _member(self, index: int, key: str) -> int:
        text = self.text
        index = _skip(text, index + 1)
        while text[index] != "}":
            found, index = _decode_string(text, index + 1)
            index = _skip(text, _skip(text, index) + 1)
            if found == key:
                return index
            index = _skip(text, _skip_value(text, index))
            if text[index] == ",":
                index = _skip(text, index + 1)
        raise KeyError(key)

    def _element(self, array: JsonPath, index: int, position: int) -> int:
        text = self.text
        known = self._elements.setdefault(array, [])
        if position < len(known):
            return known[position]
        if known:  # go on from the last element found before
            index = _skip(text, _skip_value(text, known[-1]))
            if text[index] == ",":
                index = _skip(text, index + 1)
        else:
            index = _skip(text, index + 1)
        while text[index] != "]":
            known.append(index)
            if len(known) - 1 == position:
                return index
            index = _skip(text, _skip_value(text, index))
            if text[index] == ",":
                index = _skip(text, index + 1)
        raise KeyError(position)


def locate(text: str, path: Sequence[PathPart]) -> tuple[int, int] | None:
    """1-based (line, column) of the value at ``path``; the deepest existing parent if missing."""
    return Locator(text).locate(path)


class JsonProblems:
    """Problems keyed by JSON path; resolved to line:column only if any are reported."""

    def __init__(self) -> None:
        self.found: list[tuple[JsonPath, str, int]] = []

    def add(self, path: JsonPath, message: str, column_in_value: int = 0) -> None:
        self.found.append((path, message, column_in_value))

    def raise_if_any(self, text: str) -> None:
        if not self.found:
            return
        problems = []
        locator = Locator(text)
        for path, message, column_in_value in self.found:
            place = locator.locate(path)
            where = "/".join(str(part) for part in path)
            if place is None:
                problems.append(Problem(f"{where}: {message}" if where else message))
            else:
                problems.append(
                    Problem(f"{where}: {message}", place[0], place[1] + column_in_value)
                )
        # In file order, as an editor lists them (a top-level title is often checked last).
        problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        raise FormatError(problems)
