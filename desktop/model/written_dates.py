"""Dates as people type them, for Go to Date: the program's own way of writing them ("12 Dec
2024", "44 BC", "10,000 BC", "2.5 million BC"), the usual English ones ("December 12, 2024",
"Mar 44 BC 13:00"), EDTF ("2024-12-12", "-0043") and numbers with slashes or dots when they
can be read only one way ("25/12/2024", "12.25.2024"); "12/11/2024" is asked about, since it is
12 November for most of the world and 11 December in the United States.

The precision is what was written: "Dec 2024" is the month, "2024" the year.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal

from desktop.model.calendar import MONTH_ABBREVIATIONS, MONTH_NAMES
from desktop.model.dates import DateError, DateSpan

_MONTHS = {
    **{name.casefold(): number for number, name in enumerate(MONTH_ABBREVIATIONS, 1)},
    **{name.casefold(): number for number, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}
_BEFORE_CHRIST = {"bc", "bce", "b.c.", "b.c.e."}
_ANNO_DOMINI = {"ad", "ce", "a.d.", "c.e."}
_BIG = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# A time of day, a number (thousands may be grouped with commas; decimals for "2.5 million"),
# or a word (with the dots of "b.c."); anything else (commas, spaces) only separates.
_TOKEN = re.compile(
    r"(\d{1,2}:\d{2})"  # 13:00
    r"|(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"  # 2024, 10,000, 2.5
    r"|([^\W\d_](?:[^\W\d_]|\.)*)"  # Dec, b.c.
)
# Day and month in either order, then a year of four digits: 12/11/2024, 12.11.2024.
_NUMERIC = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})")


def read_date(text: str) -> DateSpan:
    """The date ``text`` names; DateError saying what is wrong when it names none."""
    stripped = text.strip()
    try:
        return DateSpan.parse(stripped)
    except DateError as edtf_error:
        numeric = _NUMERIC.fullmatch(stripped)
        if numeric is not None:
            return _day_and_month_either_way(stripped, numeric)
        if not re.search(r"[^\W\d_]", text) and not re.fullmatch(r"[\d,]+", stripped):
            raise  # digits and dashes or colons: meant as EDTF ("1" or "10,000" is a year)
        edtf = _as_edtf(text)
        try:
            return DateSpan.parse(edtf)
        except DateError as error:
            # Said of the EDTF made here ("'2024-02-31': day 31 ..."), which the user never
            # typed: the reason alone.
            reason = str(error).removeprefix(f"'{edtf}': ")
            raise DateError(reason, 0) from edtf_error


def _day_and_month_either_way(text: str, numeric: re.Match[str]) -> DateSpan:
    """The one date "25/12/2024" or "12/25/2024" can be; DateError naming both readings of
    "12/11/2024" (from a user test: it was told it was "not an EDTF date")."""
    first, _, second, year = numeric.groups()
    readings: dict[DateSpan, None] = {}  # in order, without repeats (05/05/2024)
    for day, month in ((first, second), (second, first)):
        with contextlib.suppress(DateError):
            readings[DateSpan.parse(f"{year}-{int(month):02d}-{int(day):02d}")] = None
    if len(readings) == 1:
        return next(iter(readings))
    if not readings:
        raise DateError(f"“{text}” is no day of {year}, day or month first", 0)
    day_first, month_first = (span.describe() for span in readings)
    raise DateError(
        f"“{text}” could be {day_first} or {month_first}: write the month as a word, as in "
        f"“{day_first}”, or the date as year-month-day",
        0,
    )


def _as_edtf(text: str) -> str:
    numbers: list[str] = []
    month = era = clock = None
    for time_of_day, number, word in _TOKEN.findall(text.casefold()):
        if time_of_day:
            if clock is not None:
                raise DateError("two times of day", 0)
            clock = time_of_day
        elif number:
            numbers.append(number)
        elif word in _MONTHS and month is None:
            month = _MONTHS[word]
        elif word in _BEFORE_CHRIST or word in _ANNO_DOMINI:
            era = "BC" if word in _BEFORE_CHRIST else "AD"
        elif word in _BIG and numbers:
            numbers[-1] = f"{numbers[-1]} {word}"
        else:
            raise DateError(f"“{word}” is not a month or an era (BC, AD)", 0)
    if month is None and len(numbers) == 1:
        day = None
    elif month is not None and len(numbers) in (1, 2):
        if len(numbers) == 2 and not _could_be_day(numbers[0]) and _could_be_day(numbers[1]):
            numbers.reverse()  # the year first: "2024 March 3"
        if len(numbers) == 2 and not numbers[0].isdigit():
            raise DateError(f"“{numbers[0]}” is not a day of the month", 0)
        day = int(numbers[0]) if len(numbers) == 2 else None  # "12 Dec 2024", "Dec 12, 2024"
    else:
        raise DateError("give a year, a month and year, or a day, month and year", 0)
    year = _year(numbers[-1], era)
    written = f"{year:05d}" if year < 0 else f"{year:04d}"
    if abs(year) > 9999:
        written = f"Y{year}"
        if month is not None or clock is not None:
            raise DateError("years beyond 9999 are given alone", 0)
    if month is not None:
        written += f"-{month:02d}"
    if day is not None:
        written += f"-{day:02d}"
    if clock is not None:
        if day is None:
            raise DateError("a time of day needs a day", 0)
        hours, minutes = clock.split(":")
        written += f"T{int(hours):02d}:{minutes}"
    return written


def _could_be_day(number: str) -> bool:
    return number.isdigit() and 1 <= int(number) <= 31


def _year(number: str, era: str | None) -> int:
    """The astronomical year (1 BC is 0) of "44", "10,000", "2.5 million" with its era."""
    digits, _, unit = number.partition(" ")
    value = Decimal(digits.replace(",", "")) * _BIG.get(unit, 1)  # 13.8 billion exactly
    if value != int(value) or value < 1:
        raise DateError(f"“{number}” is not a year", 0)
    return 1 - int(value) if era == "BC" else int(value)
