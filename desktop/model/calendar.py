"""Proleptic Gregorian calendar arithmetic for any integer year.

The view places everything on one numeric axis: seconds since 1970-01-01T00:00:00 UTC, as a
float. ``datetime`` stops at years 1 and 9999, but timelines carry BC dates and cosmological
years, so the day counting here is plain integer arithmetic (Howard Hinnant's
``days_from_civil`` algorithm), valid for every integer year. Years are astronomical: year 0 is
1 BC, year -1 is 2 BC.
"""

from __future__ import annotations

import math

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600
SECONDS_PER_MINUTE = 60
# The mean Gregorian year; used only to size things (zoom limits, tick spacing), never to date.
SECONDS_PER_MEAN_YEAR = 365.2425 * SECONDS_PER_DAY
# The years a date may name: seven times the age of the universe either side of year 1, far
# inside what a float of seconds holds (about 10**300 years) and past any axis (its widest view
# is 63 billion years).
MAX_YEAR = 100_000_000_000
MAX_YEAR_DIGITS = len(str(MAX_YEAR))

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to the given proleptic Gregorian date (negative before it)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The (year, month, day) that is ``days`` days after 1970-01-01."""
    days += 719_468
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + 3 if month_index < 10 else month_index - 9
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day


def weekday(year: int, month: int, day: int) -> int:
    """Monday is 0, as in ``datetime.date.weekday``."""
    return (days_from_civil(year, month, day) + 3) % 7


def to_seconds(
    year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0, second: float = 0
) -> float:
    """Seconds since the Unix epoch of a wall-clock time read as UTC."""
    days = days_from_civil(year, month, day)
    return float(
        days * SECONDS_PER_DAY + hour * SECONDS_PER_HOUR + minute * SECONDS_PER_MINUTE + second
    )


def from_seconds(seconds: float) -> tuple[int, int, int, int, int, float]:
    """(year, month, day, hour, minute, second) in UTC of a point on the axis."""
    days, rest = divmod(seconds, SECONDS_PER_DAY)
    year, month, day = civil_from_days(int(days))
    hour, rest = divmod(rest, SECONDS_PER_HOUR)
    minute, second = divmod(rest, SECONDS_PER_MINUTE)
    return year, month, day, int(hour), int(minute), second


def year_label(year: int, resolution: float = 0.0) -> str:
    """A year as people write it: 2024, 44 BC (astronomical -43), 10,000 BC, 2 million BC,
    13.8 billion BC; years after 9999 alike (12,345; 227.5 million), as the time axis writes
    them.

    Given a ``resolution`` (how many years apart two years must be to tell them apart, at a
    zoom), millions and billions get the decimals it makes meaningful, the same for every year
    of that zoom: "26.10 billion BC – 37.27 billion", not "26.1 billion BC – 37.27 billion";
    under a thousand years, the year is written out ("2,500,000 BC"), as the axis writes it.
    """
    number = year if year >= 1 else 1 - year
    for unit, name in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if number >= unit and not 0 < resolution < 1000:
            if resolution > 0:
                decimals = min(3, max(0, math.ceil(math.log10(unit / resolution))))
                text = f"{number / unit:,.{decimals}f} {name}"
            else:
                text = f"{number / unit:.4g} {name}"
            break
    else:
        text = f"{number:,}" if number >= 10_000 else str(number)
    return text if year >= 1 else f"{text} BC"
