"""Dates with honest precision: EDTF level-1 strings in, positions on the time axis out.

A :class:`TimePoint` is a calendar date known to some precision (year … second), possibly
approximate (``~``) or uncertain (``?``), with a time zone when a time of day is known. It covers
the whole period its precision names: "2024-07" is all of July 2024. Its place on the axis is
given by :meth:`TimePoint.start_seconds` and :meth:`TimePoint.end_seconds`, the one numeric
scale of the whole program (seconds since 1970-01-01 UTC, see :mod:`desktop.model.calendar`).

Parsing leans on python-dateutil for what it does (ISO times and offsets through ``isoparser``,
zone names through ``tz.gettz``); the code here handles only what dateutil does not: reduced
precision, EDTF qualifiers, intervals and years outside 1–9999.
"""

from __future__ import annotations

import functools
import re
from enum import IntEnum
from typing import TYPE_CHECKING, NamedTuple

from desktop.model import calendar

# datetime is needed only where a time zone is met (dateutil then brings it anyway): most
# timelines have none, and start-up does without the import.
if TYPE_CHECKING:
    import datetime as _dt


class DateError(ValueError):
    """A date string that cannot be read; ``column`` is the 1-based place of the problem."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.column = column


class Precision(IntEnum):
    YEAR = 0
    MONTH = 1
    DAY = 2
    HOUR = 3
    MINUTE = 4
    SECOND = 5


_TIME_STEPS = {Precision.HOUR: 3600, Precision.MINUTE: 60, Precision.SECOND: 1}


def _date_end(year: int, month: int, day: int, precision: int) -> float:
    """Where a date known to the year, month or day ends: the next one's midnight, in seconds.

    Counted directly: a date has no zone (a zone needs a time of day), and building the next
    period's TimePoint to read its start, as next_period() does, cost a big file's reading a
    third of its time.
    """
    if precision == Precision.YEAR:
        days = calendar.days_from_civil(year + 1, 1, 1)
    elif precision == Precision.MONTH:
        days = calendar.days_from_civil(*((year + 1, 1) if month == 12 else (year, month + 1)), 1)
    else:
        days = calendar.days_from_civil(year, month, day) + 1
    return float(days * calendar.SECONDS_PER_DAY)


_YEAR_OUT_OF_RANGE = f"the year is out of range (at most {calendar.MAX_YEAR:,} years from year 1)"

# IANA's longest names ("America/Argentina/ComodRivadavia") have 32 characters.
_LONGEST_ZONE_NAME = 64

_OFFSET_RE = re.compile(r"^(Z|[+-]\d\d(?::?\d\d)?)$")


@functools.lru_cache(maxsize=256)
def resolve_zone(zone: str) -> _dt.tzinfo:
    """The tzinfo for "Z", "+01:00" or an IANA name such as "Europe/Warsaw"."""
    # dateutil is imported when a zone is first met: most timelines have none, and its
    # import is a noticeable part of start-up.
    from dateutil import tz as _dateutil_tz

    if zone == "Z":
        return _dateutil_tz.UTC
    if _OFFSET_RE.match(zone):
        return _dateutil_tz.tzoffset(None, _offset_minutes(zone) * 60)
    # gettz("") is the machine's local zone and gettz("/path") reads any file: neither names a
    # zone that means the same on every computer.
    if not zone or zone.startswith("/") or len(zone) > _LONGEST_ZONE_NAME:
        raise DateError(f"unknown time zone {zone[:_LONGEST_ZONE_NAME]!r}")
    try:
        found = _dateutil_tz.gettz(zone)
    except (OSError, RecursionError, ValueError):  # names that are no file name it can look up
        found = None
    if found is None:
        raise DateError(f"unknown time zone {zone!r}")
    return found


def _offset_minutes(zone: str) -> int:
    """Signed minutes east of UTC of a fixed offset "+05:30", "-0800" or "+01"."""
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"bad UTC offset {zone!r}")
    return (-1 if zone[0] == "-" else 1) * (hours * 60 + minutes)


def _format_offset(offset_seconds: float) -> str:
    minutes = round(offset_seconds / 60)
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


# TimePoint and DateSpan are NamedTuples that check their fields in __new__, not frozen
# dataclasses: this module is imported at every start-up, where @dataclass costs ~0.5 ms a class
# on Python 3.11 (a NamedTuple ~0.1 ms), and a tuple is also quicker to make, which counts when
# a big file is read.
class _TimePointFields(NamedTuple):
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    precision: Precision
    approximate: bool
    uncertain: bool
    zone: str | None


class TimePoint(_TimePointFields):
    """A date or time known to ``precision``; parts finer than the precision stay at their minimum.

    ``zone`` is only set when a time of day is known: "Z", a fixed offset like "+01:00", or an
    IANA zone name like "Europe/Warsaw". A time without a zone is floating (read as UTC), and a
    plain date is never shifted by any offset.
    """

    __slots__ = ()

    def __new__(
        cls,
        year: int,
        month: int = 1,
        day: int = 1,
        hour: int = 0,
        minute: int = 0,
        second: int = 0,
        precision: Precision = Precision.DAY,
        approximate: bool = False,
        uncertain: bool = False,
        zone: str | None = None,
    ) -> TimePoint:
        precision = Precision(precision)
        if not -calendar.MAX_YEAR <= year <= calendar.MAX_YEAR:
            raise DateError(_YEAR_OUT_OF_RANGE)
        if not 1 <= month <= 12:
            raise DateError(f"month {month} does not exist (1–12)")
        if not 1 <= day <= calendar.days_in_month(year, month):
            raise DateError(f"day {day} does not exist in {year}-{month:02d}")
        if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
            raise DateError(f"time {hour}:{minute}:{second} is out of range")
        finer = (month - 1, day - 1, hour, minute, second)
        if any(finer[precision:]):
            raise DateError(f"parts finer than the {precision.name.lower()} precision are set")
        if zone is not None:
            if precision < Precision.HOUR:
                raise DateError("a time zone needs a time of day")
            resolve_zone(zone)
            if zone != "Z" and _OFFSET_RE.match(zone):
                # One spelling per fixed offset ("+0530", "+05:30" → "+05:30"; "+00:00" → "Z"),
                # the one parse() gives, so equal instants written alike compare equal.
                zone = _format_offset(_offset_minutes(zone) * 60)
        return super().__new__(
            cls, year, month, day, hour, minute, second, precision, approximate, uncertain, zone
        )

    # -- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> TimePoint:
        """Read one EDTF/ISO 8601 date: "2024", "2024-07~", "-0043-03-15", "2024-12-12T13:00Z"."""
        return _parse_point(text, 0)

    @classmethod
    def from_datetime(cls, value: _dt.datetime | _dt.date, precision: Precision) -> TimePoint:
        import datetime as _dt  # loaded already: whoever made ``value`` imported it

        if isinstance(value, _dt.datetime):
            zone = None
            if value.tzinfo is not None:
                name = _zone_name(value.tzinfo)
                offset = value.utcoffset()
                zone = name or (
                    _format_offset(offset.total_seconds()) if offset is not None else None
                )
            parts = (value.year, value.month, value.day, value.hour, value.minute, value.second)
        else:
            zone = None
            parts = (value.year, value.month, value.day, 0, 0, 0)
        return cls.from_parts(parts, precision, zone=zone if precision >= Precision.HOUR else None)

    @classmethod
    def from_parts(
        cls,
        parts: tuple[int, ...],
        precision: Precision,
        *,
        approximate: bool = False,
        uncertain: bool = False,
        zone: str | None = None,
    ) -> TimePoint:
        """From (year, month, day, hour, minute, second), keeping only what ``precision`` knows."""
        minimum = (0, 1, 1, 0, 0, 0)
        kept = [part if index <= precision else minimum[index] for index, part in enumerate(parts)]
        kept += minimum[len(kept) :]
        return cls(
            *kept, precision=precision, approximate=approximate, uncertain=uncertain, zone=zone
        )

    # -- position on the axis -----------------------------------------------------------
    def _offset_seconds(self) -> float:
        if self.zone is None:
            return 0.0
        import datetime as _dt  # loaded already: resolve_zone imported dateutil, which uses it

        tzinfo = resolve_zone(self.zone)
        if 1 <= self.year <= 9999:
            local = _dt.datetime(
                self.year, self.month, self.day, self.hour, self.minute, self.second
            )
            offset = tzinfo.utcoffset(local)
        else:  # outside datetime's range: use the zone's offset for an arbitrary known year
            offset = tzinfo.utcoffset(_dt.datetime(2000, 1, 1))
        return offset.total_seconds() if offset is not None else 0.0

    def start_seconds(self) -> float:
        """The first instant of the period, in seconds since 1970-01-01T00:00Z."""
        wall = calendar.to_seconds(
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
        return wall - self._offset_seconds()

    def end_seconds(self) -> float:
        """The first instant after the period (exclusive end)."""
        step = _TIME_STEPS.get(self.precision)
        if step is not None:
            # An hour lasts an hour even where the zone's clocks jump (DST): the next wall-clock
            # hour can be the same instant (spring forward) or two hours later (fall back).
            return self.start_seconds() + step
        return _date_end(self.year, self.month, self.day, self.precision)

    def next_period(self) -> TimePoint:
        """The following period of the same precision (2024-12 → 2025-01)."""
        year, month, day = self.year, self.month, self.day
        hour, minute, second = self.hour, self.minute, self.second
        if self.precision == Precision.YEAR:
            year += 1
        elif self.precision == Precision.MONTH:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        elif self.precision == Precision.DAY:
            year, month, day = calendar.civil_from_days(
                calendar.days_from_civil(year, month, day) + 1
            )
        else:
            step = _TIME_STEPS[self.precision]
            wall = calendar.to_seconds(year, month, day, hour, minute, second) + step
            year, month, day, hour, minute, rest = calendar.from_seconds(wall)
            second = int(rest)
        return TimePoint(year, month, day, hour, minute, second, self.precision, zone=self.zone)

    # -- writing ------------------------------------------------------------------------
    @property
    def qualifier(self) -> str:
        if self.approximate and self.uncertain:
            return "%"
        return "~" if self.approximate else "?" if self.uncertain else ""

    def isoformat(self) -> str:
        """The EDTF string this point parses back from."""
        if -9999 <= self.year <= 9999:
            text = f"-{-self.year:04d}" if self.year < 0 else f"{self.year:04d}"
        else:
            text = f"Y{self.year}"
        if self.precision >= Precision.MONTH:
            text += f"-{self.month:02d}"
        if self.precision >= Precision.DAY:
            text += f"-{self.day:02d}"
        if self.precision >= Precision.HOUR:
            text += f"T{self.hour:02d}"
            if self.precision >= Precision.MINUTE:
                text += f":{self.minute:02d}"
            if self.precision >= Precision.SECOND:
                text += f":{self.second:02d}"
            if self.zone is not None:
                if self.zone == "Z" or _OFFSET_RE.match(self.zone):
                    text += self.zone
                else:
                    text += (
                        _format_offset(self._offset_seconds()).replace("Z", "+00:00")
                        + f"[{self.zone}]"
                    )
        return text + self.qualifier

    def describe(self) -> str:
        """Written out for people, with its precision: "26 February 2024", "about July 2024"."""
        year = calendar.year_label(self.year)
        if self.precision == Precision.YEAR:
            text = year
        elif self.precision == Precision.MONTH:
            text = f"{calendar.MONTH_NAMES[self.month - 1]} {year}"
        else:
            text = f"{self.day} {calendar.MONTH_NAMES[self.month - 1]} {year}"
            if self.precision >= Precision.HOUR:
                text += f", {self.clock()}{self.zone_label()}"
        if self.approximate:
            text = f"about {text}"
        if self.uncertain:
            text += " (uncertain)"
        return text

    def clock(self) -> str:
        """The time of day as precisely as it is known: "13:00", "13:00:05"."""
        clock = f"{self.hour:02d}:{self.minute:02d}"
        return clock + f":{self.second:02d}" if self.precision >= Precision.SECOND else clock

    def zone_label(self) -> str:
        """ " (Europe/Warsaw)", " (UTC)", " (+01:00)" after a time in a zone; else ""."""
        if self.zone is None:
            return ""
        return f" ({self.zone if self.zone != 'Z' else 'UTC'})"


def _zone_name(tzinfo: _dt.tzinfo) -> str | None:
    """An IANA name for a dateutil zone read from the zoneinfo database, when it has one."""
    filename = getattr(tzinfo, "_filename", None)
    if isinstance(filename, str) and "/" in filename and not filename.startswith("/"):
        return filename
    if isinstance(filename, str) and "zoneinfo/" in filename:
        return filename.split("zoneinfo/", 1)[1]
    return None


_POINT_RE = re.compile(
    r"""
    ^(?P<year>Y[+-]?\d+|[+-]?\d{4})
    (?:-(?P<month>\d{2})
       (?:-(?P<day>\d{2})
          (?:[T ](?P<time>\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)
             (?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?
             (?:\[(?P<zone>[A-Za-z0-9_+\-/]+)\])?
          )?
       )?
    )?
    (?P<qualifier>[~?%])?$
    """,
    re.VERBOSE,
)


def _parse_point(text: str, column_offset: int) -> TimePoint:
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    match = _POINT_RE.match(stripped)
    if match is None:
        sign, digits = ("-", stripped[1:]) if stripped[:1] == "-" else ("", stripped.lstrip("+"))
        hint = ""
        if len(digits) >= 5 and digits.isascii() and digits.isdigit():
            # "-10000": EDTF writes a year of five digits or more after a "Y"
            hint = f"; a year of five digits or more is written Y{sign}{digits}"
        raise DateError(
            f"{text!r} is not an EDTF date (YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time,"
            f" optionally ending in ~ ? or %){hint}",
            column_offset + lead + 1,
        )
    year_text = match["year"].lstrip("Y")
    if len(year_text.lstrip("+-").lstrip("0")) > calendar.MAX_YEAR_DIGITS:
        raise DateError(_YEAR_OUT_OF_RANGE, column_offset + lead + 1)  # before int() of it
    year = int(year_text)
    qualifier = match["qualifier"] or ""
    approximate = qualifier in ("~", "%")
    uncertain = qualifier in ("?", "%")
    precision = Precision.YEAR
    month = day = 1
    hour = minute = second = 0
    zone = None

    def column(group: str) -> int:
        return column_offset + lead + match.start(group) + 1

    if match["month"]:
        month, precision = int(match["month"]), Precision.MONTH
        if 21 <= month <= 24:
            raise DateError(
                "EDTF seasons (-21 … -24) are not supported; use a month interval",
                column("month"),
            )
        if not 1 <= month <= 12:
            raise DateError(f"{stripped!r}: month {month} does not exist (1–12)", column("month"))
    if match["day"]:
        day, precision = int(match["day"]), Precision.DAY
        if not 1 <= day <= calendar.days_in_month(year, month):
            raise DateError(
                f"{stripped!r}: day {day} does not exist in {year}-{month:02d}", column("day")
            )
    if match["time"]:
        time_text = match["time"]
        digits = time_text.replace(":", "").split(".")[0].split(",")[0]
        hour = int(digits[:2])
        precision = Precision.HOUR
        if len(digits) >= 4:
            minute, precision = int(digits[2:4]), Precision.MINUTE
        if len(digits) >= 6:
            second, precision = int(digits[4:6]), Precision.SECOND
        if not (hour <= 23 and minute <= 59 and second <= 59):
            raise DateError(
                f"{stripped!r}: time {time_text} is out of range (00:00:00–23:59:59)",
                column("time"),
            )
        if match["zone"]:
            zone = match["zone"]
            try:
                resolve_zone(zone)
            except DateError as error:
                raise DateError(str(error), column("zone")) from None
        elif match["offset"]:
            # Let dateutil validate the offset the way ISO 8601 defines it.
            from dateutil import parser as _dateutil_parser

            try:
                parsed = _dateutil_parser.isoparser().parse_tzstr(match["offset"])
            except ValueError as error:
                raise DateError(
                    f"bad UTC offset {match['offset']!r}: {error}", column("offset")
                ) from None
            offset = parsed.utcoffset(None) if parsed is not None else None
            zone = _format_offset(offset.total_seconds()) if offset is not None else "Z"
    try:
        return TimePoint(
            year, month, day, hour, minute, second, precision,
            approximate=approximate, uncertain=uncertain, zone=zone,
        )  # fmt: skip
    except DateError as error:
        raise DateError(f"{text.strip()!r}: {error}", column_offset + lead + 1) from None


def _interval_slash(text: str) -> int:
    """Where the interval's "/" is; slashes inside a "[Europe/Warsaw]" zone do not count."""
    depth = 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "/" and depth == 0:
            return index
    return -1


# A date or a floating time of day as files mostly write them: four-digit year, then month,
# day, hours, minutes and seconds, each optional once the ones before it are there.
_PLAIN_POINT_RE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?")


def _plain_point(text: str) -> tuple[float, float, int] | None:
    """(start seconds, end seconds, precision) of a point :data:`_PLAIN_POINT_RE` matches and
    whose parts exist; None for anything else."""
    match = _PLAIN_POINT_RE.fullmatch(text)
    if match is None:
        return None
    year_text, month_text, day_text, hour_text, minute_text, second_text = match.groups()
    year = int(year_text)
    month = day = 1
    hour = minute = second = 0
    precision = Precision.YEAR
    if month_text is not None:
        month, precision = int(month_text), Precision.MONTH
        if not 1 <= month <= 12:
            return None
        if day_text is not None:
            day, precision = int(day_text), Precision.DAY
            if not 1 <= day <= calendar.days_in_month(year, month):
                return None
            if hour_text is not None:
                hour, precision = int(hour_text), Precision.HOUR
                if minute_text is not None:
                    minute, precision = int(minute_text), Precision.MINUTE
                    if second_text is not None:
                        second, precision = int(second_text), Precision.SECOND
                if hour > 23 or minute > 59 or second > 59:
                    return None
                start = calendar.to_seconds(year, month, day, hour, minute, second)
                return start, start + _TIME_STEPS[precision], precision
    start = calendar.to_seconds(year, month, day)
    return start, _date_end(year, month, day, precision), precision


def plain_span(text: str) -> tuple[float, float, float, float, int, int] | None:
    """Where a date field written plainly lies on the axis, without building the DateSpan.

    "Plainly" is a point or an interval of two points, each a four-digit year optionally
    followed by month, day and a floating time ("2024", "2024-07-14", "2024-07-14T09:30:05"),
    with no qualifier, zone or other spelling. The answer is (start, end of the start's period,
    start of the end's period, end, the start's precision, the end's precision or -1 for a
    point), the positions DateSpan.parse(text) gives; None for any other text, and for a plain
    one DateSpan.parse would refuse (a day that does not exist, an interval ending before it
    starts), which the caller then reads with DateSpan.parse.
    """
    slash = text.find("/")
    if slash < 0:
        point = _plain_point(text)
        if point is None:
            return None
        start, end, precision = point
        return start, end, end, end, precision, -1
    first, second = _plain_point(text[:slash]), _plain_point(text[slash + 1 :])
    if first is None or second is None or second[1] <= first[0]:
        return None
    return first[0], first[1], second[0], second[1], first[2], second[2]


class _DateSpanFields(NamedTuple):
    start: TimePoint
    end: TimePoint | None


class DateSpan(_DateSpanFields):
    """What an event's date field holds: one point, or an interval from ``start`` to ``end``."""

    __slots__ = ()

    def __new__(cls, start: TimePoint, end: TimePoint | None = None) -> DateSpan:
        if end is not None and end.end_seconds() <= start.start_seconds():
            raise DateError(f"the interval ends ({end.isoformat()}) before it starts")
        return super().__new__(cls, start, end)

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        """ "2024-02-26", or an interval "2024-06~/2024-07~"."""
        slash = _interval_slash(text)
        if slash >= 0:
            first, second = text[:slash], text[slash + 1 :]
            if first.strip() in ("", "..") or second.strip() in ("", ".."):
                raise DateError(
                    "open or unknown interval ends (..) are not supported; give both dates",
                    1 if first.strip() in ("", "..") else len(first) + 2,
                )
            start = _parse_point(first, 0)
            end = _parse_point(second, len(first) + 1)
            try:
                return cls(start, end)
            except DateError as error:
                raise DateError(str(error), len(first) + 2) from None
        return cls(_parse_point(text, 0))

    def isoformat(self) -> str:
        if self.end is None:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def start_seconds(self) -> float:
        return self.start.start_seconds()

    def end_seconds(self) -> float:
        return (self.end or self.start).end_seconds()

    def describe(self) -> str:
        """Written out for people: "26 February 2024", and a span's shared parts once:
        "26 February 2024, 19:30–21:15", "27–28 February 2024", "27 February – 3 March 2024",
        "July – September 2024" (from a user test: a same-day meeting read "26 February 2024,
        19:30 – 26 February 2024, 21:15"). Ends in different years, or that differ in precision,
        zone or qualifiers, are written out whole."""
        start, end = self.start, self.end
        if end is None:
            return start.describe()
        if (
            start.precision != end.precision
            or start.zone != end.zone
            or start.qualifier
            or end.qualifier
            or start.year != end.year
        ):
            return f"{start.describe()} – {end.describe()}"
        year = calendar.year_label(start.year)
        month, end_month = (calendar.MONTH_NAMES[point.month - 1] for point in (start, end))
        if start.precision == Precision.YEAR:
            return year  # the same year twice
        if start.precision == Precision.MONTH:
            return f"{month} {year}" if month == end_month else f"{month} – {end_month} {year}"
        if start.month != end.month:
            if start.precision == Precision.DAY:
                return f"{start.day} {month} – {end.day} {end_month} {year}"
            return f"{start.describe()} – {end.describe()}"
        if start.precision == Precision.DAY:
            if start.day == end.day:
                return start.describe()
            return f"{start.day}–{end.day} {month} {year}"
        if start.day != end.day:
            return f"{start.describe()} – {end.describe()}"
        return f"{start.day} {month} {year}, {start.clock()}–{end.clock()}{start.zone_label()}"
