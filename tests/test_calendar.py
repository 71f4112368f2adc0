"""Proleptic Gregorian arithmetic for any integer year: day counts, weekdays, seconds, labels."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.model import calendar
from desktop.model.calendar import (
    SECONDS_PER_DAY,
    civil_from_days,
    days_from_civil,
    days_in_month,
    from_seconds,
    is_leap_year,
    to_seconds,
    weekday,
    year_label,
)

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

any_day = st.integers(min_value=-(10**9), max_value=10**9)
huge_day = st.integers(min_value=-(10**15), max_value=10**15)


@st.composite
def civil_dates(draw: st.DrawFn, years: st.SearchStrategy[int]) -> tuple[int, int, int]:
    year = draw(years)
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, days_in_month(year, month)))
    return year, month, day


@given(any_day)
def test_day_count_round_trips(days: int) -> None:
    assert days_from_civil(*civil_from_days(days)) == days


@given(huge_day)
def test_day_count_round_trips_for_cosmological_spans(days: int) -> None:
    assert days_from_civil(*civil_from_days(days)) == days


@given(any_day)
def test_civil_from_days_gives_a_real_date(days: int) -> None:
    year, month, day = civil_from_days(days)
    assert 1 <= month <= 12
    assert 1 <= day <= days_in_month(year, month)


@given(civil_dates(st.integers(-(10**7), 10**7)))
def test_civil_round_trips(date: tuple[int, int, int]) -> None:
    assert civil_from_days(days_from_civil(*date)) == date


@given(any_day)
def test_consecutive_days_are_consecutive_dates(days: int) -> None:
    year, month, day = civil_from_days(days)
    following = civil_from_days(days + 1)
    if day < days_in_month(year, month):
        assert following == (year, month, day + 1)
    elif month < 12:
        assert following == (year, month + 1, 1)
    else:
        assert following == (year + 1, 1, 1)


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_agrees_with_datetime_ordinals(date: dt.date) -> None:
    days = days_from_civil(date.year, date.month, date.day)
    assert days == date.toordinal() - EPOCH_ORDINAL
    assert civil_from_days(days) == (date.year, date.month, date.day)
    assert weekday(date.year, date.month, date.day) == date.weekday()


@pytest.mark.parametrize(
    ("date", "days"),
    [
        ((1970, 1, 1), 0),
        ((1969, 12, 31), -1),
        ((2000, 3, 1), 11_017),
        ((2024, 2, 29), 19_782),
        ((1, 1, 1), -719_162),
        ((0, 12, 31), -719_163),  # 1 BC
        ((0, 2, 29), -719_469),  # 1 BC is a leap year
    ],
)
def test_known_day_counts(date: tuple[int, int, int], days: int) -> None:
    assert days_from_civil(*date) == days
    assert civil_from_days(days) == date


def test_year_one_follows_year_zero() -> None:
    assert days_from_civil(1, 1, 1) - days_from_civil(0, 12, 31) == 1
    assert days_from_civil(0, 1, 1) - days_from_civil(-1, 12, 31) == 1


@pytest.mark.parametrize(
    ("year", "leap"),
    [
        (2024, True),
        (2023, False),
        (2000, True),
        (1900, False),
        (2100, False),
        (1600, True),
        (0, True),  # 1 BC
        (-1, False),
        (-4, True),  # 5 BC
        (-100, False),
        (-400, True),
    ],
)
def test_leap_years(year: int, leap: bool) -> None:
    assert is_leap_year(year) is leap
    assert days_in_month(year, 2) == (29 if leap else 28)
    assert days_from_civil(year + 1, 1, 1) - days_from_civil(year, 1, 1) == (366 if leap else 365)


@given(st.integers(-(10**9), 10**9))
def test_year_length_matches_leap_rule(year: int) -> None:
    length = days_from_civil(year + 1, 1, 1) - days_from_civil(year, 1, 1)
    assert length == (366 if is_leap_year(year) else 365)


@given(st.integers(-(10**9), 10**9))
def test_four_hundred_years_repeat(year: int) -> None:
    assert days_from_civil(year + 400, 1, 1) - days_from_civil(year, 1, 1) == 146_097


def test_month_lengths() -> None:
    assert [days_in_month(2023, m) for m in range(1, 13)] == [
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ((1970, 1, 1), 3),  # Thursday
        ((2024, 2, 26), 0),  # Monday: the Paris conference
        ((2024, 12, 12), 3),  # Thursday: the Warsaw talks
        ((2000, 1, 1), 5),  # Saturday
    ],
)
def test_weekday(date: tuple[int, int, int], expected: int) -> None:
    assert weekday(*date) == expected
    assert calendar.WEEKDAY_ABBREVIATIONS[weekday(*date)] == (
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
    )[expected]  # fmt: skip


@given(any_day)
def test_weekday_advances_by_one(days: int) -> None:
    today = civil_from_days(days)
    tomorrow = civil_from_days(days + 1)
    assert 0 <= weekday(*today) <= 6
    assert weekday(*tomorrow) == (weekday(*today) + 1) % 7


def test_to_seconds_of_known_instants() -> None:
    assert to_seconds(1970) == 0.0
    assert to_seconds(2024, 12, 12, 12) == dt.datetime(2024, 12, 12, 12, tzinfo=dt.UTC).timestamp()
    assert to_seconds(1969, 12, 31, 23, 59, 59) == -1.0
    assert to_seconds(1, 1, 1) == dt.datetime(1, 1, 1, tzinfo=dt.UTC).timestamp()
    assert isinstance(to_seconds(2024), float)


@given(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)))
def test_to_seconds_agrees_with_datetime(value: dt.datetime) -> None:
    value = value.replace(microsecond=0)
    expected = value.replace(tzinfo=dt.UTC).timestamp()
    assert (
        to_seconds(value.year, value.month, value.day, value.hour, value.minute, value.second)
        == expected
    )
    assert from_seconds(expected) == (
        value.year, value.month, value.day, value.hour, value.minute, float(value.second)
    )  # fmt: skip


@given(
    civil_dates(st.integers(-(10**8), 10**8)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
)
def test_from_seconds_inverts_to_seconds(
    date: tuple[int, int, int], hour: int, minute: int, second: int
) -> None:
    # Seconds are exact floats while |seconds| < 2**53, i.e. for about ±285 million years.
    seconds = to_seconds(*date, hour, minute, second)
    assert from_seconds(seconds) == (*date, hour, minute, second)


@given(civil_dates(st.integers(-(2 * 10**10), 2 * 10**10)))
def test_midnights_stay_exact_for_cosmological_years(date: tuple[int, int, int]) -> None:
    # A whole number of days is a multiple of 2**7 seconds, so midnights stay exact floats
    # far beyond 2**53: the age of the universe keeps its calendar days.
    seconds = to_seconds(*date)
    assert seconds == days_from_civil(*date) * SECONDS_PER_DAY
    assert from_seconds(seconds) == (*date, 0, 0, 0.0)


def test_from_seconds_before_the_epoch_rounds_down_to_the_day() -> None:
    assert from_seconds(-1.0) == (1969, 12, 31, 23, 59, 59.0)
    assert from_seconds(-SECONDS_PER_DAY) == (1969, 12, 31, 0, 0, 0.0)
    assert from_seconds(0.5) == (1970, 1, 1, 0, 0, 0.5)


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2024, "2024"),
        (1, "1"),
        (0, "1 BC"),
        (-1, "2 BC"),
        (-43, "44 BC"),
        (-9998, "9999 BC"),
        (-9999, "10,000 BC"),
        (-999_999, "1 million BC"),
        (-999_998, "999,999 BC"),
        (-1_999_999, "2 million BC"),
        (-13_798_000_000, "13.8 billion BC"),
        (9999, "9999"),
        (12_345, "12,345"),
        (227_496_811, "227.5 million"),
        (4_000_000_000, "4 billion"),
    ],
)
def test_year_label(year: int, label: str) -> None:
    assert year_label(year) == label


@pytest.mark.parametrize(
    ("year", "resolution", "label"),
    [
        # One pixel of the widest view is about 11 million years: hundredths of a billion.
        (1 - 26_100_000_000, 1.1e7, "26.10 billion BC"),
        (37_270_000_000, 1.1e7, "37.27 billion"),
        (1 - 2_345_678, 1_000, "2.346 million BC"),
        (1 - 13_798_000_000, 5e8, "13.8 billion BC"),
        (1 - 13_798_000_000, 2e9, "14 billion BC"),  # coarser than the unit: no decimals
        (1 - 13_798_000_000, 5_000, "13.798 billion BC"),  # at most three
        # Finer than a thousand years (a day's or a month's view): the year written out.
        (1 - 13_798_000_000, 0.5, "13,798,000,000 BC"),
        (1 - 2_500_000, 1, "2,500,000 BC"),
        (12_345, 1e7, "12,345"),  # below a million: the year itself
    ],
)
def test_year_label_with_a_resolution(year: int, resolution: float, label: str) -> None:
    assert year_label(year, resolution) == label


def test_month_names() -> None:
    assert calendar.MONTH_NAMES[0] == "January"
    assert calendar.MONTH_NAMES[11] == "December"
    assert calendar.MONTH_ABBREVIATIONS[6] == "Jul"
