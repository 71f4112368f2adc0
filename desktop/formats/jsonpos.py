"""Where a value sits in a JSON text, so a problem found after parsing can name its line.

Python's ``json`` module reports positions only for syntax errors. Readers report semantic
problems (a bad date in the fifth event) against a path such as ``("events", 4, "date")``; this
module walks the text once to find that path's line and column. It runs only when there is a
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


def _find(text: str, index: int, path: Sequence[PathPart]) -> int:
    if not path:
        return index
    head, rest = path[0], path[1:]
    char = text[index]
    index = _skip(text, index + 1)
    if char == "{" and isinstance(head, str):
        while text[index] != "}":
            key, index = _decode_string(text, index + 1)
            index = _skip(text, _skip(text, index) + 1)
            if key == head:
                return _find(text, index, rest)
            index = _skip(text, _skip_value(text, index))
            if text[index] == ",":
                index = _skip(text, index + 1)
    elif char == "[" and isinstance(head, int):
        position = 0
        while text[index] != "]":
            if position == head:
                return _find(text, index, rest)
            index = _skip(text, _skip_value(text, index))
            if text[index] == ",":
                index = _skip(text, index + 1)
            position += 1
    raise KeyError(head)


def locate(text: str, path: Sequence[PathPart]) -> tuple[int, int] | None:
    """1-based (line, column) of the value at ``path``; the deepest existing parent if missing."""
    for length in range(len(path), -1, -1):
        try:
            offset = _find(text, _skip(text, 0), path[:length])
        except (KeyError, IndexError, ValueError, RecursionError):
            continue
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return line, column
    return None


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
        for path, message, column_in_value in self.found:
            place = locate(text, path)
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
