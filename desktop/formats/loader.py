"""Open any supported timeline file: the format is found from the content, not the extension.

JSON documents are parsed once and handed to the first JSON reader that recognises their shape;
other text goes to the readers that recognise their first characters.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from desktop import heap
from desktop.bundled import BUNDLED_TIMELINE, read_text
from desktop.formats import jsonstream, native
from desktop.formats.errors import FormatError, Problem
from desktop.formats.jsonstream import NotStreamable
from desktop.formats.progress import Progress, no_progress
from desktop.model.stepwise import Tick, no_tick
from desktop.model.timeline import ModelError, Timeline

BUNDLED_NAME = f"<bundled {BUNDLED_TIMELINE.rsplit('/', 1)[-1]}>"


class JsonReader(NamedTuple):
    name: str
    accepts: Callable[[Any], bool]
    # (parsed data, original text for error positions, hearing the share of the reading done)
    read: Callable[[Any, str, Tick], Timeline]


class TextReader(NamedTuple):
    name: str
    accepts: Callable[[str], bool]  # looks at the text's start
    read: Callable[[str], Timeline]


def _deferred(module: str, name: str, **options: Any) -> Callable[..., Any]:
    """``desktop.formats.<module>.<name>``, imported on the first call: start-up opens only
    the bundled native file, and the other readers' imports (dateutil, XML, CSV) cost time."""

    def call(*args: Any) -> Any:
        function = getattr(importlib.import_module(f"desktop.formats.{module}"), name)
        return function(*args, **options)

    return call


JSON_READERS: list[JsonReader] = [
    JsonReader("Timeline Viewer JSON", native.looks_native, native.timeline_from_native),
    # The JSON is parsed for the reader alone, so it may drop each event's JSON once read.
    JsonReader(
        "TimelineJS JSON",
        _deferred("timelinejs", "accepts"),
        _deferred("timelinejs", "timeline_from_timelinejs", consume=True),
    ),
]
# XML first: a CSV header never starts with "<", while the CSV check parses a whole line.
TEXT_READERS: list[TextReader] = [
    TextReader(
        "The Timeline Project .timeline XML",
        _deferred("thetimelineproj", "accepts"),
        _deferred("thetimelineproj", "read_thetimelineproj"),
    ),
    TextReader(
        "CSV with a header row",
        _deferred("csv_format", "accepts"),
        _deferred("csv_format", "read_csv"),
    ),
]


# The share of reading a JSON document whole that is parsing it; reading the events takes the rest.
PARSE_SHARE = 0.4
# How a web page starts (after any byte order mark and blank space), in lower case.
_WEB_PAGE_STARTS = ("<!doctype html", "<html>", "<html ")


def read_text_document(text: str, progress: Progress = no_progress) -> Timeline:
    """A timeline from a file's text, whatever its supported format. ``progress`` hears how far
    the parsing and the reading of a JSON document have got, and may cancel them."""
    if text.startswith("\ufeff"):
        text = text[1:]
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        with heap.paused():
            data = _parse_json(
                text,
                is_object=stripped.startswith("{"),
                tick=lambda done: progress(PARSE_SHARE * done, "Parsing"),
            )
            for reader in JSON_READERS:
                if reader.accepts(data):
                    with _model_errors_as_problems():
                        return reader.read(
                            data,
                            text,
                            lambda done: progress(
                                PARSE_SHARE + (1 - PARSE_SHARE) * done, "Reading events"
                            ),
                        )
        raise FormatError(
            [
                Problem(
                    "a JSON file, but not a known timeline format (expected "
                    + " or ".join(reader.name for reader in JSON_READERS)
                    + ")",
                    1,
                    1,
                )
            ]
        )
    if stripped[:16].lower().startswith(_WEB_PAGE_STARTS):
        # From a user test: a web page saved as .json was refused as a .timeline file with a
        # DOCTYPE, which says nothing to someone who saved a page.
        raise FormatError([Problem("the file is a web page (HTML), not a timeline", 1, 1)])
    for text_reader in TEXT_READERS:
        if text_reader.accepts(stripped):
            with _model_errors_as_problems():
                return text_reader.read(text)
    if not stripped:
        raise FormatError([Problem("the file is empty")])
    # From a user test: a CSV without a date column was called "not a timeline file … (…, CSV
    # with a header row)", which it is; what it lacks is the news.
    lacking = _deferred("csv_format", "missing_columns")(stripped)
    if lacking is not None:
        raise FormatError([Problem(lacking, 1, 1)])
    known = ", ".join(reader.name for reader in (*JSON_READERS, *TEXT_READERS))
    raise FormatError([Problem(f"not a timeline file this program reads ({known})", 1, 1)])


@contextlib.contextmanager
def _model_errors_as_problems() -> Iterator[None]:
    """What the timeline model refuses of what a reader made of a file (more lanes than it
    holds, say) is a problem of that file."""
    try:
        yield
    except ModelError as error:
        raise FormatError([Problem(str(error))]) from None


READ_CHUNK = 4 * 2**20
# The share of a whole-file load that is reading the bytes.
READ_SHARE = 0.3
# The text is parsed as it is read, a piece this big at a time: each step of progress is some
# twenty milliseconds of work.
STREAM_CHUNK = 2**20
# The share of a streamed load that is reading and parsing; putting the events in order
# takes the rest.
STREAM_READ_SHARE = 0.8


def load_path(path: Path, progress: Progress = no_progress) -> Timeline:
    """Read a file from disk; OSError for unreadable files, FormatError for bad content.

    ``progress`` hears how far the reading has got and may cancel it (see formats.progress).
    A TimelineJS or native file is parsed as it is read, in short steps (see
    :func:`~desktop.formats.timelinejs.stream_timelinejs`,
    :func:`~desktop.formats.native.stream_native`); any other file, or one that is not plain
    enough for that, is read whole and handed to :func:`read_text_document`.
    """
    progress = _never_back(progress)  # each reading that gives up starts from the file's start
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if stream.seekable():  # a pipe cannot be read again whole
            # Imported on first use, as the readers are (see _deferred).
            from desktop.formats.timelinejs import stream_timelinejs

            def sorting(done: float) -> None:
                progress(STREAM_READ_SHARE + (1 - STREAM_READ_SHARE) * done, "Sorting")

            # Each gives up within its first piece on a document of the other format.
            for stream_document in (stream_timelinejs, native.stream_native):
                with heap.paused():
                    timeline = stream_document(_pieces(stream, size, progress), sorting)
                if timeline is not None:
                    return timeline
                stream.seek(0)
        # One buffer filled in chunks: progress to report, and no second copy of the bytes.
        buffer = bytearray(size)
        view = memoryview(buffer)
        done = 0
        while done < size and (count := stream.readinto(view[done : done + READ_CHUNK])):
            done += count
            progress(READ_SHARE * done / max(1, size), "Reading")
        view.release()
        del buffer[done:]  # a file that shrank while being read
        buffer += stream.read()  # or grew
    raw = buffer
    progress(READ_SHARE, "Parsing")
    not_text = _not_text(raw)
    if not_text is not None:
        raise FormatError([not_text])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError([_not_utf8(raw, error.start)]) from None
    del raw, buffer  # the text is all the readers need: do not hold the file twice
    return read_text_document(
        text, lambda done, stage: progress(READ_SHARE + (1 - READ_SHARE) * done, stage)
    )


# What a file that is not text most likely is, by how it starts: what the user is told instead
# of advice on encodings (from a user test: a PNG was told to be saved as "CSV UTF-8").
_BINARY_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, such as an Excel workbook: save the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Office file, such as an Excel workbook: save the sheet as CSV"),
)
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # the byte order marks of UTF-16 text
# UTF-32's: the little-endian one starts as UTF-16's does (a user test was told "UTF-16").
_UTF32_MARKS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def _not_text(raw: bytes | bytearray) -> Problem | None:
    """What is wrong with a file that is not UTF-8 text at all, as far as its start tells:
    UTF-16 or UTF-32 text, a file type known by its first bytes, or one with NUL bytes; None for any
    other."""
    sample = bytes(raw[:4096])
    if sample.startswith(_UTF32_MARKS):
        return Problem("the file is UTF-32 text: save it as UTF-8", 1, 1)
    if sample.startswith(_UTF16_MARKS):
        return Problem("the file is UTF-16 text: save it as UTF-8", 1, 1)
    for signature, what in _BINARY_SIGNATURES:
        if sample.startswith(signature):
            return Problem(f"the file is not text: it looks like {what}")
    if b"\0" in sample:
        if _every_other_nul(sample):
            return Problem("the file is UTF-16 text: save it as UTF-8", 1, 1)
        return Problem("the file is not text")
    return None


def _every_other_nul(sample: bytes) -> bool:
    """Whether the bytes look like UTF-16 text of mostly Latin letters without a byte order
    mark: a NUL in nearly every even place, or in nearly every odd one, and few elsewhere."""
    pairs = len(sample) // 2
    if pairs < 4:
        return False
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    return max(even, odd) >= 0.9 * pairs and min(even, odd) <= 0.1 * pairs


def _not_utf8(raw: bytes | bytearray, start: int) -> Problem:
    """Where a file stops being UTF-8, and what to do. From a user test: a CSV saved by a
    spreadsheet in its legacy encoding was refused with no hint of the way out."""
    line_start = raw.rfind(b"\n", 0, start) + 1
    column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
    return Problem(
        f"the file is not UTF-8 text (byte 0x{raw[start]:02X}): save it as UTF-8 "
        "(in a spreadsheet, as “CSV UTF-8”)",
        raw.count(b"\n", 0, start) + 1,
        column,
    )


def _never_back(progress: Progress) -> Progress:
    """``progress``, told the furthest share reported so far whenever less is reported."""
    furthest = 0.0

    def forward(done: float, stage: str) -> None:
        nonlocal furthest
        furthest = max(furthest, done)
        progress(furthest, stage)

    return forward


def _parse_json(text: str, *, is_object: bool, tick: Tick = no_tick) -> Any:
    """The JSON value of ``text``. A big object is parsed in pieces, ``tick`` hearing the share
    done: a worker thread parsing it in one call into C would keep the window waiting for
    seconds. Anything else, or anything the pieces cannot read, is parsed whole, which also
    says where a problem is."""
    if is_object and len(text) >= STREAM_CHUNK:
        with contextlib.suppress(NotStreamable):
            return jsonstream.loads(text, STREAM_CHUNK, tick=tick)
    return native.parse_json(text)


def _pieces(stream: BinaryIO, size: int, progress: Progress) -> Iterator[str]:
    """The text of ``stream`` as it is read, without a byte order mark; NotStreamable where it
    is not UTF-8 (the whole-file reader says where)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    started = False  # a non-empty piece came: any byte order mark is behind
    while chunk := stream.read(STREAM_CHUNK):
        done += len(chunk)
        progress(STREAM_READ_SHARE * min(1.0, done / max(1, size)), "Reading")
        try:
            piece = decoder.decode(chunk)
        except UnicodeDecodeError:
            raise NotStreamable from None
        if not started and piece:
            started = True
            piece = piece.removeprefix("\ufeff")
        yield piece
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise NotStreamable from None


def load_bundled() -> Timeline:
    return read_text_document(read_text(BUNDLED_TIMELINE))
