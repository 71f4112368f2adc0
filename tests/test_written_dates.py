"""Go to Date reads dates as people, and this program, write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.model.calendar import MONTH_ABBREVIATIONS, days_in_month, year_label
from desktop.model.dates import DateError, DateSpan, Precision
from desktop.model.written_dates import read_date


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("12 Dec 2024", "2024-12-12"),
        ("December 12, 2024", "2024-12-12"),
        ("dec 2024", "2024-12"),
        ("Sept 1939", "1939-09"),
        ("2024", "2024"),
        ("1", "0001"),  # as the axis writes AD 1
        ("44 BC", "-0043"),
        ("1 BC", "0000"),
        ("AD 1", "0001"),
        ("Dec 12", "0012-12"),  # as the axis writes December of AD 12
        ("AD 2024 March 3", "2024-03-03"),  # the year first
        ("15 Mar 44 BC 13:00", "-0043-03-15T13:00"),
        ("12 Dec 2024 22:15", "2024-12-12T22:15"),
        ("10,000 BC", "-9999"),
        ("2.5 million BC", "Y-2499999"),
        ("13.8 billion BC", "Y-13799999999"),
        ("2024-12-12", "2024-12-12"),  # EDTF as before
        ("-0043", "-0043"),
        ("25/12/2024", "2024-12-25"),  # only the day can be 25
        ("12/25/2024", "2024-12-25"),
        ("25.12.2024", "2024-12-25"),
        ("05/05/2024", "2024-05-05"),  # both ways the same
    ],
)
def test_written_dates(text: str, edtf: str) -> None:
    assert read_date(text) == DateSpan.parse(edtf)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("12 Foo 2024", "“foo” is not a month"),
        ("31 Feb 2024", "^day 31 does not exist"),  # not the EDTF made of it, never typed
        ("Dec 2024 13:00", "a time of day needs a day"),
        ("1 Dec 2 2024", "give a year, a month and year, or a day, month and year"),
        ("2024-13", r"month 13 does not exist \(1–12\)"),  # as the other readers say it
        ("2.5 Dec 2024", "“2.5” is not a day of the month"),
        # From a user test, told it was "not an EDTF date": most of the world reads it as
        # 12 November, the United States as 11 December.
        ("12/11/2024", "could be 12 November 2024 or 11 December 2024: write the month as a"),
        ("31/31/2024", "is no day of 2024, day or month first"),
        ("31/02/2024", "is no day of 2024"),
    ],
)
def test_what_is_not_a_date_says_why(text: str, says: str) -> None:
    with pytest.raises(DateError, match=says):
        read_date(text)


years = st.integers(-9998, 9999)


@given(years, st.integers(1, 12), st.data())
def test_the_program_s_own_dates_read_back(year: int, month: int, data: st.DataObject) -> None:
    """What the status bar, the axis and the Events list write can be typed back in."""
    day = data.draw(st.integers(1, days_in_month(year, month)))
    name = MONTH_ABBREVIATIONS[month - 1]
    label = year_label(year)
    by_day = read_date(f"{day} {name} {label}")
    assert (by_day.start.year, by_day.start.month, by_day.start.day) == (year, month, day)
    assert by_day.start.precision == Precision.DAY
    by_month = read_date(f"{name} {label}")
    assert (by_month.start.year, by_month.start.month) == (year, month)
    assert by_month.start.precision == Precision.MONTH
    assert read_date(label).start.year == year


words = st.sampled_from(
    ["12", "2024", "0", "99:99", "2.5", "10,000", "Dec", "march", "bc", "AD", "13:00",
     "million", "billion", "thousand", "x", "-", "/", "~", "T", "Y-1", ","]
)  # fmt: skip


@given(
    st.one_of(
        st.text(alphabet="0123456789 ,.:-/~?%TYBCADdecmilonthusa", max_size=30),
        st.lists(words, max_size=6).map(" ".join),
    )
)
def test_any_text_is_a_date_or_says_why(text: str) -> None:
    """Whatever is typed, Go to Date gets a date or a DateError: never another exception."""
    try:
        assert isinstance(read_date(text), DateSpan)
    except DateError as error:
        assert str(error)  # and says why
