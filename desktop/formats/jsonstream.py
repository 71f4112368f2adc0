"""One big JSON document read in pieces, so that no single step holds the interpreter for long.

``json.loads`` parses a whole text in one call into C, and a thread in C keeps Python's
interpreter lock: a 240 MB file keeps every other thread, the GUI's too, waiting for seconds.
Here the text arrives in pieces and the top-level object is read member by member, one array
member's elements a few at a time (see :func:`_run`), each parsed by the json module's own
scanner: a value is exactly what ``json.loads`` makes of it, and each call into C parses a few
kilobytes.

Reading is strict: whatever this module is not sure of (invalid JSON, a top level that is not
an object, a single value of more than :data:`_MOST_AHEAD` characters) raises
:class:`NotStreamable`, and the caller reads the document whole, which reports any problem
exactly as before. Nothing here reports a place in the text: a document read in pieces either
is valid or is read again whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from desktop.model.stepwise import Tick, no_tick

# The json module's scanner: scan(text, index) → (the value starting at index, its end).
_scan = json.JSONDecoder().scan_once
_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, exactly
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
# Where a run of array elements may end: after a "}" that a "," and a "{" follow (see _run).
_RUN_END = re.compile(r"\}[ \t\n\r]*,[ \t\n\r]*(?=\{)")
# Characters of elements parsed in one call (a run): enough to spread the cost of the call,
# few enough that a run of usual elements holds fewer brackets than _MOST_BRACKETS.
_RUN = 1 << 13
# Characters that must follow a value in the window before its parse is trusted: a number
# stops at the first character that cannot continue it ("1.5e+3" looks two past the "e").
_MARGIN = 16
# Characters kept ahead of each element: most values are far shorter, so most parse at once.
_LOOKAHEAD = 1 << 16
# A value longer than this is left to the whole-document reader (as is a syntax error, which
# looks the same: a parse that fails however much text follows).
_MOST_AHEAD = 1 << 25
# A value with more brackets than this is left to the whole-document reader: nested that deep
# it could reach the recursion limit, which json.loads, from a different depth of calls, meets
# at a different nesting. A value this short cannot hold that many.
_MOST_BRACKETS = 256
_SHORT = 2 * _MOST_BRACKETS


class NotStreamable(Exception):
    """The document must be read whole: invalid, or of a shape this module does not stream."""


class _Window:
    """The part of the text not yet read, topped up from the pieces as reading needs it."""

    __slots__ = ("_pieces", "complete", "pos", "text")

    def __init__(self, pieces: Iterator[str]) -> None:
        self._pieces = pieces
        self.text = ""
        self.pos = 0  # the next character to read
        self.complete = False  # the window holds the rest of the document

    def top_up(self, ahead: int) -> None:
        """Make at least ``ahead`` characters follow ``pos``, or all that is left."""
        wanted = ahead - (len(self.text) - self.pos)
        added: list[str] = []
        while wanted > 0:
            piece = next(self._pieces, None)
            if piece is None:
                self.complete = True
                break
            added.append(piece)
            wanted -= len(piece)
        if added:  # one join: growing the window piece by piece would copy it again each time
            self.text = "".join([self.text[self.pos :], *added])
            self.pos = 0

    def skip_whitespace(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or self.complete:
                return
            self.top_up(_LOOKAHEAD)

    def next_char(self) -> str:
        """The character after any whitespace; "" at the end of the document."""
        self.skip_whitespace()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        """Read ``char`` after any whitespace."""
        if self.next_char() != char:
            raise NotStreamable
        self.pos += 1

    def ends(self, closing: str) -> bool:
        """Read the separator after a value in an array or object: True at its ``closing``
        bracket, False after a comma (NotStreamable for anything else)."""
        char = self.next_char()
        self.pos += 1
        if char == closing:
            return True
        if char != ",":
            raise NotStreamable
        return False

    def value(self) -> Any:
        """The JSON value at ``pos`` (no whitespace before it), read past."""
        ahead = _LOOKAHEAD
        while True:
            self.top_up(ahead)
            text, pos = self.text, self.pos
            try:
                value, end = _scan(text, pos)
            except (StopIteration, ValueError, RecursionError):
                pass  # invalid, or cut short by the window's end
            else:
                if end + _MARGIN <= len(text) or self.complete:
                    if end - pos > _SHORT and _nests_deep(text, pos, end):
                        raise NotStreamable
                    self.pos = end
                    return value
            if self.complete or len(text) - pos >= _MOST_AHEAD:
                raise NotStreamable
            ahead = 2 * (len(text) - pos)


def _nests_deep(text: str, start: int, end: int) -> bool:
    return text.count("[", start, end) + text.count("{", start, end) > _MOST_BRACKETS


class Elements(Iterator[list[Any]]):
    """An array member's elements, as lists of up to ``batch`` elements in document order."""

    def __init__(self, window: _Window, batch: int) -> None:
        self._batches = _elements(window, batch)

    def __next__(self) -> list[Any]:
        return next(self._batches)


def _elements(window: _Window, batch_size: int) -> Iterator[list[Any]]:
    """The elements of the array whose "[" was just read, in batches; reads past its "]".

    Elements are parsed a run at a time where the text allows (see :func:`_run`), else one by
    one.
    """
    if window.next_char() == "]":
        window.pos += 1
        return
    scan, comma, run_end = _scan, _COMMA.match, _RUN_END.search  # locals: a hot loop
    batch: list[Any] = []
    text, pos = window.text, window.pos
    single_until = 0  # a run ending here did not parse: one by one up to it
    while True:
        if len(batch) >= batch_size:
            window.pos = pos
            yield batch[:batch_size]
            del batch[:batch_size]
        if len(text) - pos < _LOOKAHEAD and not window.complete:
            window.pos = pos
            window.top_up(_LOOKAHEAD)
            text, pos, single_until = window.text, window.pos, 0
        if pos >= single_until:
            found = run_end(text, pos + _RUN, len(text) - _MARGIN)
            if found is not None:
                values = _run(text, pos, found.start() + 1)
                if values is not None:
                    batch += values
                    pos = found.end()
                    continue
                single_until = found.end()
        try:
            value, end = scan(text, pos)
            trusted = end + _MARGIN <= len(text) or window.complete
        except (StopIteration, ValueError, RecursionError):
            trusted = False
        if not trusted:  # cut short by the window, or invalid: let the careful read decide
            window.pos = pos
            value = window.value()
            text, end, single_until = window.text, window.pos, 0
        elif end - pos > _SHORT and _nests_deep(text, pos, end):
            raise NotStreamable
        batch.append(value)
        found = comma(text, end)
        if found is not None and found.end() < len(text):
            pos = found.end()
        else:  # the array's end, or whitespace running past the window
            window.pos = end
            if window.ends("]"):
                break
            window.skip_whitespace()
            text, pos, single_until = window.text, window.pos, 0
    while batch:
        yield batch[:batch_size]
        del batch[:batch_size]


def _run(text: str, start: int, end: int) -> list[Any] | None:
    """The elements in ``text[start:end]`` when it is a run of whole elements, else None.

    The run starts where an element does and ends with a "}" that a "," and a "{" follow,
    which closes an element, or else is inside a string or a nested value. Parsed between
    brackets of its own, it is then a valid array in the first case only: in the others the
    brackets close no array (what is open at the "}" stays open). The json scanner parses
    the run in one call, which shares the keys' strings between its objects (json.loads does
    so over a whole document) and costs less than a call per element.
    """
    if _nests_deep(text, start, end):
        return None
    wrapped = "[" + text[start:end] + "]"
    try:
        values, stop = _scan(wrapped, 0)
    except (StopIteration, ValueError, RecursionError):
        return None
    return values if stop == len(wrapped) else None


def members(pieces: Iterable[str], streamed: str, batch: int) -> Iterator[tuple[str, Any]]:
    """(key, value) for each member of the JSON object whose text comes in ``pieces``.

    The value of a member named ``streamed`` that is an array comes as :class:`Elements`,
    which the caller reads before asking for the next member (what it leaves is read and
    dropped). Members come in document order, repeated keys each time. Raises NotStreamable
    where the text is not valid JSON or its top level is not an object.
    """
    window = _Window(iter(pieces))
    window.expect("{")
    if window.next_char() == "}":
        window.pos += 1
    else:
        while True:
            if window.next_char() != '"':
                raise NotStreamable
            key = window.value()
            window.expect(":")
            if key == streamed and window.next_char() == "[":
                window.pos += 1
                elements = Elements(window, batch)
                yield key, elements
                for _ in elements:
                    pass
            else:
                window.skip_whitespace()
                yield key, window.value()
            if window.ends("}"):
                break
    if window.next_char() != "":
        raise NotStreamable  # more after the object


def loads(
    text: str, piece: int = 1 << 20, batch: int = 1024, tick: Tick = no_tick
) -> dict[str, Any]:
    """``json.loads(text)`` for a document whose top level is an object, parsed a few kilobytes
    per call into C: a thread reading a big file this way lets the others (the window) run
    between calls. Its arrays named "events" are read a batch of elements at a time. Raises
    NotStreamable where :func:`members` does; the caller then parses the text whole, which
    also says where it is wrong. ``tick`` hears the share of the text read before each piece,
    and may raise to stop the parsing.
    """
    document: dict[str, Any] = {}

    def ticking_pieces() -> Iterator[str]:
        for start in range(0, len(text), piece):
            tick(start / len(text))
            yield text[start : start + piece]

    pieces = ticking_pieces()
    for key, value in members(pieces, "events", batch):
        if isinstance(value, Elements):
            value = [element for elements in value for element in elements]
        document[key] = value  # a repeated key keeps its first place and its last value
    return document
