"""CSV with a header row: read (two dialects) and write.

Columns are found by name, ignoring case, spaces, "_" and "-" (see :data:`GENERIC_COLUMNS`).
The TimelineJS spreadsheet dialect (Year, Month, Day, Time, End Year, …, Headline, Text, Media,
Group, Type) is recognised by its Year and Headline columns.

Dates in the generic dialect are EDTF/ISO 8601 first ("2024", "2024-06", "2024-07~",
"-0043-03-15", "2024-02-26/2024-03-01", "2024-12-12T13:00+01:00"), else free-form text read by
python-dateutil ("27 February 2024", "Dec 12, 2024 1:30 PM"), dated as precisely as the text is:
parts the text does not give are not invented. Numeric dates are read month first ("03/04/2024"
is 4 March), as dateutil does by default. "c.", "ca.", "circa", "about" or "approx." before a
free-form date make it approximate, a "?" after it uncertain.

Problems are reported per row: LINE is the line the row starts on (rows may span lines inside
quotes), COLUMN the 1-based number of the field, as spreadsheets count columns.

Delimiters: ",", ";" or a tab, whichever splits the header into most fields. A UTF-8 byte order
mark is ignored.

Writing (:func:`write_csv`) gives the columns of :data:`WRITTEN_COLUMNS`: dates as EDTF (so
precision, qualifiers and zones survive), lanes by name, the body as plain text, the first
reference's URL; actors, tags, other references, provenance and confidence are not written.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dateutil import parser as _dateutil_parser

from desktop.formats.common import (
    PART_NAMES,
    UNTITLED_EVENT,
    UNTITLED_TIMELINE,
    IdAllocator,
    LaneRegistry,
    PartError,
    as_html,
    era_color,
    html_to_line,
    html_to_text,
    lane_names,
    point_from_timelinejs_parts,
    whole_number,
)
from desktop.formats.errors import FormatError, Problem
from desktop.formats.progress import Progress, no_progress, reporting
from desktop.model.dates import DateError, DateSpan, Precision, TimePoint
from desktop.model.timeline import Era, Event, Reference, Timeline

GENERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "start": ("start", "startdate", "date", "begin", "from", "when"),
    "end": ("end", "enddate", "to", "until", "finish"),
    "title": ("title", "headline", "event", "name"),
    "summary": ("summary",),
    "description": ("description", "text", "body", "details", "notes"),
    "display_date": ("displaydate",),
    "lane": ("lane", "group", "category", "track", "actor"),
    "id": ("id", "uniqueid"),
    "place": ("place", "location"),
    "url": ("url", "link", "source"),
}
TIMELINEJS_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "month": ("month",),
    "day": ("day",),
    "time": ("time",),
    "end_year": ("endyear",),
    "end_month": ("endmonth",),
    "end_day": ("endday",),
    "end_time": ("endtime",),
    "display_date": ("displaydate",),
    "headline": ("headline",),
    "text": ("text",),
    "media": ("media",),
    "media_credit": ("mediacredit",),
    "media_caption": ("mediacaption",),
    "group": ("group",),
    "type": ("type",),
    "id": ("uniqueid", "id"),
}
WRITTEN_COLUMNS = (
    "id", "start", "end", "display date", "title", "summary", "lane", "place", "description",
    "url",
)  # fmt: skip
_DELIMITERS = (",", ";", "\t")
_TIME_RE = re.compile(r"^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*([AaPp]\.?[Mm]\.?)?$")
# Text that starts like an EDTF date (a four-digit or "Y" year, then "-" or the end).
_EDTF_SHAPE = re.compile(r"^\s*(?:[+-]?\d{4}(?:-\d|[~?%]?\s*$)|Y[+-]?\d)")
_NUMERIC_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_APPROXIMATE_RE = re.compile(r"^(?:c\.|ca\.|circa|about|approx\.?|around)\s*", re.IGNORECASE)
# Two defaults that differ in every field: what a free-form date leaves out differs between
# the two parses, what it gives is the same in both.
_DEFAULTS = (_dt.datetime(2000, 1, 1, 0, 0, 0), _dt.datetime(2001, 2, 2, 1, 1, 1))


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


def _columns(header: Sequence[str], names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field → index of the first header cell that names it."""
    keys = [_key(cell) for cell in header]
    found = {}
    for field, aliases in names.items():
        index = next((i for i, key in enumerate(keys) if key in aliases), None)
        if index is not None:
            found[field] = index
    return found


def _header(text: str) -> tuple[list[str], str]:
    """The first line's cells and the delimiter that splits it into most of them."""
    first, start = "", 0
    while start < len(text) and not first.strip():  # the first line that is not blank
        # A line ends at \n, \r\n or a lone \r: the csv module refuses a line break inside
        # an unquoted cell, so none may be left in the line it is given.
        ends = [end for end in (text.find("\n", start), text.find("\r", start)) if end >= 0]
        end = min(ends, default=len(text))
        first, start = text[start:end], end + 1
    best: tuple[list[str], str] = ([first.strip()], ",")
    for delimiter in _DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:  # a cell over the csv module's size limit: no header of ours
            continue
        if len(cells) > len(best[0]):
            best = (cells, delimiter)
    return best


def _is_timelinejs(columns: dict[str, int]) -> bool:
    return "year" in columns and "headline" in columns


def accepts(text_start: str) -> bool:
    """A header row with a start (or date) column and a title column, or TimelineJS's Year and
    Headline columns."""
    header, _ = _header(text_start)
    if _is_timelinejs(_columns(header, TIMELINEJS_COLUMNS)):
        return True
    columns = _columns(header, GENERIC_COLUMNS)
    return "start" in columns and "title" in columns


# A column's name has at most this many words, and no full stop (prose with commas has both).
HEADER_CELL_WORDS = 4


def missing_columns(text_start: str) -> str | None:
    """Why a file whose first line reads as a CSV header is not a timeline this module reads:
    the columns it lacks, and the ones it has. None for a file that does not look like CSV (a
    header of two names or more, the next line as many cells), or that :func:`accepts`."""
    header, delimiter = _header(text_start)
    cells = [cell.strip() for cell in header]
    if len(cells) < 2 or any(
        len(cell.split()) > HEADER_CELL_WORDS or cell.endswith(".") for cell in cells
    ):
        return None
    lines = [line for line in text_start.splitlines()[1:3] if line.strip()]
    if lines and len(next(csv.reader(lines[:1], delimiter=delimiter), [])) != len(cells):
        return None
    columns = _columns(header, GENERIC_COLUMNS)
    lacking = [
        f"a {what} column ({', '.join(GENERIC_COLUMNS[field])})"
        for field, what in (("start", "date"), ("title", "title"))
        if field not in columns
    ]
    if not lacking or accepts(text_start):
        return None
    return f"a CSV file without {' or '.join(lacking)}; its columns: {', '.join(cells)}"


@dataclass
class _Row:
    cells: list[str]
    line: int
    header: list[str]
    columns: dict[str, int]
    problems: list[Problem]

    def get(self, field: str) -> str:
        index = self.columns.get(field)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()

    def problem(self, field: str, message: str) -> None:
        """Notes a problem in ``field``'s cell, named by its header."""
        index = self.columns.get(field, 0)
        name = self.header[index].strip() if index < len(self.header) else field
        self.problems.append(Problem(f"{name!r}: {message}", self.line, index + 1))


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record, with the header first; blank records skipped.

    FormatError for a file that ends inside a quoted field: the csv module reads such a field
    to the end of the file, so a file cut short there passed as whole (from a user test).
    """
    delimiter = _header(text)[1]
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    line = first_line = 0
    start = next_start = 0  # where the last record read starts in the text, and the next
    try:
        for cells in reader:
            first_line, line = line + 1, reader.line_num
            start, next_start = next_start, stream.tell()
            if any(cell.strip() for cell in cells):
                yield first_line, cells
    except csv.Error as error:
        raise FormatError([Problem(f"not readable as CSV: {error}", line + 1)]) from None
    try:  # the last record again, strictly: only there can the file end inside quotes
        for _ in csv.reader(
            io.StringIO(text[start:], newline=""), delimiter=delimiter, strict=True
        ):
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            message = "the file ends inside a quoted field: it may be cut short"
            raise FormatError([Problem(message, first_line)]) from None


def read_csv(text: str) -> Timeline:
    """A Timeline from CSV text; FormatError lists each bad row's line and field."""
    rows = _rows(text.removeprefix("\ufeff"))
    header = next(rows, None)
    if header is None:
        raise FormatError([Problem("the file is empty")])
    reader = _Reader(header[1])
    for line, cells in rows:
        reader.row(line, cells)
    return reader.timeline()


class _Reader:
    def __init__(self, header: list[str]) -> None:
        self.header = header
        timelinejs_columns = _columns(header, TIMELINEJS_COLUMNS)
        self.timelinejs = _is_timelinejs(timelinejs_columns)
        self.columns = timelinejs_columns if self.timelinejs else _columns(header, GENERIC_COLUMNS)
        if not self.timelinejs and "start" not in self.columns:
            raise FormatError(
                [Problem("no start or date column in the header row (start, date, …)", 1, 1)]
            )
        self.problems: list[Problem] = []
        self.rows: list[tuple[_Row, DateSpan]] = []
        self.eras: list[Era] = []
        self.title, self.summary = UNTITLED_TIMELINE, ""

    def row(self, line: int, cells: list[str]) -> None:
        row = _Row(cells, line, self.header, self.columns, self.problems)
        if not self.timelinejs:
            span = self._generic_span(row)
        else:
            kind = row.get("type").casefold()
            if kind == "title":
                self.title = html_to_line(row.get("headline")) or self.title
                self.summary = html_to_text(row.get("text"))
                return
            span = self._timelinejs_span(row)
            if kind == "era":
                if span is not None:
                    name = html_to_line(row.get("headline"))
                    self.eras.append(Era(name, span, era_color(len(self.eras))))
                return
        if span is not None:
            self.rows.append((row, span))

    # -- dates --
    def _generic_span(self, row: _Row) -> DateSpan | None:
        if not row.get("start"):
            row.problem("start", "no date")
            return None
        start = _date_cell(row, "start")
        if start is None or not row.get("end"):
            return start
        end = _date_cell(row, "end")
        if end is None:
            return None
        if start.end is not None or end.end is not None:
            row.problem("end", "give an interval in the start column or an end date")
            return None
        return _joined(row, start.start, end.start)

    def _timelinejs_span(self, row: _Row) -> DateSpan | None:
        start = self._parts_point(row, ("year", "month", "day", "time"))
        if start is None:
            return None
        if not row.get("end_year"):
            return DateSpan(start)
        end = self._parts_point(row, ("end_year", "end_month", "end_day", "end_time"))
        return None if end is None else _joined(row, start, end)

    def _parts_point(self, row: _Row, fields: tuple[str, str, str, str]) -> TimePoint | None:
        parts: list[int | None] = []
        for field in fields[:3]:
            try:
                parts.append(whole_number(row.get(field)))
            except ValueError as error:
                row.problem(field, str(error))
                return None
        clock = row.get(fields[3])
        if clock:
            match = _TIME_RE.match(clock)
            if match is None:
                row.problem(fields[3], f"{clock!r} is not a time such as 13:30")
                return None
            parts.extend(_clock_parts(match))
        try:
            return point_from_timelinejs_parts(parts)
        except PartError as error:
            row.problem(fields[min(error.part, 3)], str(error))
            return None

    # -- the whole --
    def timeline(self) -> Timeline:
        lanes = LaneRegistry()
        lane_field = "group" if self.timelinejs else "lane"
        ids = IdAllocator("event", (row.get("id") for row, _ in self.rows))
        events = []
        for position, (row, span) in enumerate(self.rows, start=1):
            events.append(self._event(row, span, lanes.lane_id(row.get(lane_field)), ids, position))
        if self.problems:
            self.problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
            raise FormatError(self.problems)
        return Timeline(
            title=self.title,
            summary=self.summary,
            events=tuple(events),
            lanes=lanes.lanes(),
            eras=tuple(self.eras),
        )

    def _event(
        self, row: _Row, span: DateSpan, lane: str, ids: IdAllocator, position: int
    ) -> Event:
        if self.timelinejs:
            url, caption = row.get("media"), html_to_line(row.get("media_caption"))
            credit = html_to_line(row.get("media_credit"))
            title, body = html_to_line(row.get("headline")), row.get("text")
            summary = place = ""
        else:
            url, caption, credit = row.get("url"), "", ""
            title, body = row.get("title"), as_html(row.get("description"))
            summary, place = row.get("summary"), row.get("place")
        references = (Reference(url=url, title=caption, publisher=credit),) if url else ()
        return Event(
            id=ids.take(row.get("id"), position),
            title=title or UNTITLED_EVENT,
            when=span,
            summary=summary,
            body=body,
            place=place,
            lane=lane,
            references=references,
            display_date=row.get("display_date"),
        )


def _date_cell(row: _Row, field: str) -> DateSpan | None:
    try:
        return parse_date(row.get(field))
    except DateError as error:
        row.problem(field, str(error))
        return None


def _joined(row: _Row, start: TimePoint, end: TimePoint) -> DateSpan | None:
    field = "end_year" if "end_year" in row.columns else "end"
    try:
        return DateSpan(start, end)
    except DateError:
        row.problem(field, "the end date is before the start date")
        return None


def _clock_parts(match: re.Match[str]) -> list[int | None]:
    hour = int(match[1])
    meridiem = (match[4] or "").casefold().replace(".", "")
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif meridiem:
        hour = 99  # "13 PM": out of range, reported as such
    minute = int(match[2]) if match[2] else None
    second = int(match[3]) if match[3] else None
    return [hour, minute, second]


# -- free-form dates ------------------------------------------------------------------------


def parse_date(text: str) -> DateSpan:
    """A date cell: EDTF/ISO 8601 (a point or an interval), else free-form text (a point)."""
    try:
        return DateSpan.parse(text)
    except DateError:
        if _EDTF_SHAPE.match(text):  # meant as EDTF ("2024-13"): its error says most
            raise
        return DateSpan(_free_form(text))


def _free_form(text: str) -> TimePoint:
    stripped = text.strip()
    approximate = bool(_APPROXIMATE_RE.match(stripped))
    stripped = _APPROXIMATE_RE.sub("", stripped)
    uncertain = stripped.endswith("?")
    stripped = stripped.rstrip("?").strip()
    numeric = _NUMERIC_DATE_RE.match(stripped)
    if numeric and int(numeric[1]) > 12:
        # dateutil would read "13/03/2024" day first, next to "12/03/2024" read month first:
        # one column of dates in two orders. Numeric dates are month first, here without fail.
        day, month, year = numeric.groups()
        raise DateError(
            f"{text.strip()!r}: numeric dates are read month first, and there is no month"
            f" {int(day)}; write it as EDTF ({year}-{int(month):02d}-{int(day):02d})"
        )
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("CEST") is a warning in dateutil: here it is a bad date.
            warnings.simplefilter("error")
            parsed = [_dateutil_parser.parse(stripped, default=default) for default in _DEFAULTS]
    except (ValueError, ArithmeticError, Warning) as error:  # dateutil lets decimal's out too
        if "day is out of range for month" in str(error):  # "31 February 2024"
            raise DateError(f"{text.strip()!r}: that month has no such day") from None
        raise DateError(
            f"{text.strip()!r} is not a date: write 2024, 2024-02, 2024-02-26, 2024-07~ (EDTF) "
            "or a date in words such as 26 February 2024"
        ) from None
    fields = [[getattr(value, name) for name in PART_NAMES] for value in parsed]
    given = [first == second for first, second in zip(*fields, strict=True)]
    if not given[0]:
        raise DateError(f"{text!r} has no year")
    year = parsed[0].year
    if str(year) not in re.findall(r"\d+", stripped):
        # dateutil reads a year of one or two digits, zeros in front or not ("99", "0044"),
        # as one of the hundred years around now: a guess this does not make for the user.
        raise DateError(
            f"{text.strip()!r}: a year of one or two digits is ambiguous: write it in full"
            " (1999), or the date as EDTF (0044-12-12 for 12 December AD 44)"
        )
    precision = given.index(False) - 1 if False in given else len(PART_NAMES) - 1
    if any(given[precision + 1 :]):
        finer = PART_NAMES[len(given) - 1 - given[::-1].index(True)]
        raise DateError(f"{text!r} gives the {finer} but not the {PART_NAMES[precision + 1]}")
    try:
        point = TimePoint.from_datetime(parsed[0], Precision(precision))
    except DateError:
        raise
    except ValueError:  # datetime refuses the offset dateutil read ("+2400")
        raise DateError(f"{text.strip()!r}: the UTC offset is out of range") from None
    return point._replace(approximate=approximate, uncertain=uncertain)


# -- writing --------------------------------------------------------------------------------


def csv_pieces(timeline: Timeline, progress: Progress = no_progress) -> Iterator[str]:
    """Columns :data:`WRITTEN_COLUMNS`, dates as EDTF, descriptions as plain text, CRLF rows;
    a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def taken() -> str:
        row = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return row

    writer.writerow(WRITTEN_COLUMNS)
    yield taken()
    names = lane_names(timeline.lanes)
    for event in reporting(timeline.events, progress, "Writing"):
        url = next((reference.url for reference in event.references if reference.url), "")
        writer.writerow(
            (
                event.id,
                event.start.isoformat(),
                event.end.isoformat() if event.end is not None else "",
                event.display_date,
                event.title,
                event.summary,
                names.get(event.lane, ""),
                event.place,
                html_to_text(event.body),
                url,
            )
        )
        yield taken()


def write_csv(timeline: Timeline) -> str:
    return "".join(csv_pieces(timeline))
