"""EDTF dates: parsing and writing, positions on the axis, time zones, descriptions, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from formats_helpers import plain_points, points, spans
from hypothesis import assume, given
from hypothesis import strategies as st

from desktop.model import calendar
from desktop.model.dates import (
    DateError,
    DateSpan,
    Precision,
    TimePoint,
    plain_span,
    resolve_zone,
)

ZONES = ("Z", "+05:30", "-08:00", "+01:00", "Europe/Warsaw", "America/New_York", "Asia/Kolkata")

years = st.one_of(
    st.integers(-9999, 9999),
    st.integers(-(10**8), 10**8),  # 5+ digit years, written "Y12345"
    st.sampled_from([0, -1, -43, 1, 9999, 10_000, -10_000, -13_798_000_000]),
)


def time_points(year_strategy: st.SearchStrategy[int] = years) -> st.SearchStrategy[TimePoint]:
    """Any TimePoint: every precision, qualifiers, zones, BC and cosmological years."""
    return points(zones=(None, *ZONES), years=year_strategy)


def date_spans() -> st.SearchStrategy[DateSpan]:
    return spans(time_points())


def seconds(text: str) -> float:
    return TimePoint.parse(text).start_seconds()


# -- parsing and writing ------------------------------------------------------------------


@given(time_points())
def test_point_round_trips_through_its_string(point: TimePoint) -> None:
    assert TimePoint.parse(point.isoformat()) == point


@given(time_points())
def test_point_string_is_stable(point: TimePoint) -> None:
    text = point.isoformat()
    assert TimePoint.parse(text).isoformat() == text


@given(date_spans())
def test_span_round_trips_through_its_string(span: DateSpan) -> None:
    assert DateSpan.parse(span.isoformat()) == span


@given(time_points())
def test_a_point_is_a_span_of_itself(point: TimePoint) -> None:
    span = DateSpan.parse(point.isoformat())
    assert span == DateSpan(point)
    assert span.start_seconds() == point.start_seconds()
    assert span.end_seconds() == point.end_seconds()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", TimePoint(2024, precision=Precision.YEAR)),
        ("2024-07", TimePoint(2024, 7, precision=Precision.MONTH)),
        ("2024-02-26", TimePoint(2024, 2, 26)),
        ("2024-07~", TimePoint(2024, 7, precision=Precision.MONTH, approximate=True)),
        ("2024?", TimePoint(2024, precision=Precision.YEAR, uncertain=True)),
        (
            "2024-06-07%",
            TimePoint(2024, 6, 7, approximate=True, uncertain=True),
        ),
        ("-0043-03-15", TimePoint(-43, 3, 15)),
        ("0000", TimePoint(0, precision=Precision.YEAR)),
        ("Y-13798000000", TimePoint(-13_798_000_000, precision=Precision.YEAR)),
        ("Y12345", TimePoint(12_345, precision=Precision.YEAR)),
        ("+2024", TimePoint(2024, precision=Precision.YEAR)),
        (
            "2024-12-12T13",
            TimePoint(2024, 12, 12, 13, precision=Precision.HOUR),
        ),
        (
            "2024-12-12T13:00+01:00",
            TimePoint(2024, 12, 12, 13, 0, precision=Precision.MINUTE, zone="+01:00"),
        ),
        (
            "2024-12-12 13:05:09Z",
            TimePoint(2024, 12, 12, 13, 5, 9, precision=Precision.SECOND, zone="Z"),
        ),
        (
            "2024-12-12T130509.25+0530",
            TimePoint(2024, 12, 12, 13, 5, 9, precision=Precision.SECOND, zone="+05:30"),
        ),
        (
            "2024-12-12T13:00[Europe/Warsaw]",
            TimePoint(2024, 12, 12, 13, 0, precision=Precision.MINUTE, zone="Europe/Warsaw"),
        ),
        (
            "2024-12-12T13:00+01:00[Europe/Warsaw]",
            TimePoint(2024, 12, 12, 13, 0, precision=Precision.MINUTE, zone="Europe/Warsaw"),
        ),
        ("  2024-02-26  ", TimePoint(2024, 2, 26)),
    ],
)
def test_parse(text: str, expected: TimePoint) -> None:
    assert TimePoint.parse(text) == expected


@pytest.mark.parametrize(
    ("point", "text"),
    [
        (TimePoint(2024, precision=Precision.YEAR), "2024"),
        (TimePoint(33, precision=Precision.YEAR), "0033"),
        (TimePoint(-43, 3, 15), "-0043-03-15"),
        (TimePoint(-9999, precision=Precision.YEAR), "-9999"),
        (TimePoint(-10_000, precision=Precision.YEAR), "Y-10000"),
        (TimePoint(-13_798_000_000, precision=Precision.YEAR), "Y-13798000000"),
        (TimePoint(2024, 7, precision=Precision.MONTH, approximate=True), "2024-07~"),
        (TimePoint(2024, 7, 1, precision=Precision.DAY, uncertain=True), "2024-07-01?"),
        (TimePoint(2024, 7, 1, approximate=True, uncertain=True), "2024-07-01%"),
        (TimePoint(2024, 12, 12, 13, precision=Precision.HOUR, zone="Z"), "2024-12-12T13Z"),
        (
            TimePoint(2024, 12, 12, 13, 0, 5, precision=Precision.SECOND, zone="-08:00"),
            "2024-12-12T13:00:05-08:00",
        ),
        (
            TimePoint(2024, 12, 12, 13, 0, precision=Precision.MINUTE, zone="Europe/Warsaw"),
            "2024-12-12T13:00+01:00[Europe/Warsaw]",
        ),
        (
            TimePoint(2024, 7, 12, 13, 0, precision=Precision.MINUTE, zone="Europe/Warsaw"),
            "2024-07-12T13:00+02:00[Europe/Warsaw]",
        ),
    ],
)
def test_isoformat(point: TimePoint, text: str) -> None:
    assert point.isoformat() == text


def test_interval_with_zone_names_containing_slashes() -> None:
    text = "2024-12-12T09:00[Europe/Warsaw]/2024-12-12T18:00[Europe/Warsaw]"
    span = DateSpan.parse(text)
    assert span.start.zone == span.end.zone == "Europe/Warsaw"
    assert span.end_seconds() - span.start_seconds() == 9 * 3600 + 60
    assert DateSpan.parse(span.isoformat()) == span


def test_interval_parts() -> None:
    span = DateSpan.parse("2024-06~/2024-07~")
    assert span.start == TimePoint(2024, 6, precision=Precision.MONTH, approximate=True)
    assert span.end == TimePoint(2024, 7, precision=Precision.MONTH, approximate=True)
    assert span.start_seconds() == seconds("2024-06-01")
    assert span.end_seconds() == seconds("2024-08-01")
    assert span.isoformat() == "2024-06~/2024-07~"


def test_interval_may_end_on_its_start_day() -> None:
    span = DateSpan.parse("2024-02-26/2024-02-26")
    assert span.end_seconds() - span.start_seconds() == calendar.SECONDS_PER_DAY


# -- positions on the axis ----------------------------------------------------------------


@given(time_points())
def test_start_is_before_end(point: TimePoint) -> None:
    assert point.start_seconds() < point.end_seconds()


@given(date_spans())
def test_span_start_is_before_end(span: DateSpan) -> None:
    assert span.start_seconds() < span.end_seconds()


@given(time_points(st.integers(-(10**6), 10**6)))
def test_period_lengths(point: TimePoint) -> None:
    length = point.end_seconds() - point.start_seconds()
    days = {
        Precision.YEAR: 366 if calendar.is_leap_year(point.year) else 365,
        Precision.MONTH: calendar.days_in_month(point.year, point.month),
        Precision.DAY: 1,
    }
    if point.precision in days:
        assert length == days[point.precision] * calendar.SECONDS_PER_DAY
    else:
        assert (
            length
            == {Precision.HOUR: 3600, Precision.MINUTE: 60, Precision.SECOND: 1}[point.precision]
        )


@given(time_points())
def test_end_is_the_next_period_start(point: TimePoint) -> None:
    following = point.next_period()
    assert following.precision == point.precision
    if point.zone is None:
        assert point.end_seconds() == following.start_seconds()


@st.composite
def day_tuples(draw: st.DrawFn) -> tuple[int, int, int]:
    year = draw(years)
    month = draw(st.integers(1, 12))
    return year, month, draw(st.integers(1, calendar.days_in_month(year, month)))


@given(day_tuples(), day_tuples())
def test_earlier_dates_come_first(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    assume(a != b)
    first, second = sorted((a, b))
    assert TimePoint(*first).start_seconds() < TimePoint(*second).start_seconds()
    assert TimePoint(*first).end_seconds() <= TimePoint(*second).start_seconds()


@given(time_points(), time_points())
def test_earlier_wall_clocks_come_first_without_zones(a: TimePoint, b: TimePoint) -> None:
    assume(a.zone is None and b.zone is None)
    key_a = (a.year, a.month, a.day, a.hour, a.minute, a.second)
    key_b = (b.year, b.month, b.day, b.hour, b.minute, b.second)
    assume(key_a != key_b)
    assume(abs(a.year) <= 10**8 and abs(b.year) <= 10**8)
    if key_a < key_b:
        assert a.start_seconds() < b.start_seconds()
    else:
        assert a.start_seconds() > b.start_seconds()


def test_ordering_across_bc_and_ad() -> None:
    ordered = [
        "Y-13798000000",
        "-9999",
        "-0043-03-15",
        "-0043-03-16",
        "0000",
        "0000-12-31",
        "0001-01-01",
        "1969-12-31",
        "1970",
        "2024",
        "2024-02-26",
        "2024-12-12",
        "9999-12-31",
        "Y10000",
    ]
    starts = [seconds(text) for text in ordered]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


@given(time_points(st.integers(-3000, 3000)))
def test_a_finer_point_lies_inside_its_period(point: TimePoint) -> None:
    for coarser in Precision:
        if coarser >= point.precision:
            break
        period = TimePoint.from_parts(
            (point.year, point.month, point.day, point.hour, point.minute, point.second), coarser
        )
        if point.zone is None:
            assert period.start_seconds() <= point.start_seconds() < period.end_seconds()


def test_a_month_spans_exactly_that_month() -> None:
    july = TimePoint.parse("2024-07")
    assert july.start_seconds() == seconds("2024-07-01")
    assert july.end_seconds() == seconds("2024-08-01")
    assert july.end_seconds() == TimePoint.parse("2024-08").start_seconds()
    assert july.end_seconds() - july.start_seconds() == 31 * calendar.SECONDS_PER_DAY


def test_february_of_leap_and_common_years() -> None:
    assert TimePoint.parse("2024-02").end_seconds() == seconds("2024-03-01")
    assert TimePoint.parse("2023-02").end_seconds() == seconds("2023-03-01")
    assert TimePoint.parse("2024-02-29").end_seconds() == seconds("2024-03-01")


def test_year_and_december_roll_over() -> None:
    assert TimePoint.parse("2024").end_seconds() == seconds("2025-01-01")
    assert TimePoint.parse("2024-12").next_period() == TimePoint.parse("2025-01")
    assert TimePoint.parse("2024-12-31").next_period() == TimePoint.parse("2025-01-01")
    assert TimePoint.parse("2024-12-31T23").next_period() == TimePoint.parse("2025-01-01T00")
    assert TimePoint.parse("-0001").next_period() == TimePoint.parse("0000")
    assert TimePoint.parse("0000").next_period() == TimePoint.parse("0001")


def test_day_start_matches_datetime() -> None:
    expected = dt.datetime(2024, 2, 26, tzinfo=dt.UTC).timestamp()
    assert seconds("2024-02-26") == expected
    assert TimePoint.parse("2024-02-26").end_seconds() == expected + 86_400


# -- time zones ---------------------------------------------------------------------------


def test_offset_and_zone_name_give_the_same_instant() -> None:
    by_offset = seconds("2024-12-12T13:00+01:00")
    by_name = seconds("2024-12-12T13:00[Europe/Warsaw]")
    utc = seconds("2024-12-12T12:00Z")
    assert by_offset == by_name == utc
    assert utc == dt.datetime(2024, 12, 12, 12, tzinfo=dt.UTC).timestamp()


def test_summer_time_is_applied_by_zone_name() -> None:
    assert seconds("2024-07-12T13:00[Europe/Warsaw]") == seconds("2024-07-12T11:00Z")
    assert seconds("2024-07-12T13:00-04:00") == seconds("2024-07-12T13:00[America/New_York]")


def test_floating_time_is_read_as_utc() -> None:
    assert seconds("2024-12-12T12:00") == seconds("2024-12-12T12:00Z")


@pytest.mark.parametrize("zone", ZONES)
def test_a_plain_date_is_never_shifted(zone: str) -> None:
    day = TimePoint.parse("2024-12-12")
    assert day.zone is None
    assert day.start_seconds() == calendar.to_seconds(2024, 12, 12)
    with pytest.raises(DateError, match="time of day"):
        TimePoint(2024, 12, 12, zone=zone)


@pytest.mark.parametrize("zone", ZONES)
def test_zones_survive_a_datetime(zone: str) -> None:
    tzinfo = resolve_zone(zone)
    value = dt.datetime(2024, 12, 12, 13, 0, tzinfo=tzinfo)
    point = TimePoint.from_datetime(value, Precision.MINUTE)
    assert point.start_seconds() == value.timestamp()
    day = TimePoint.from_datetime(value, Precision.DAY)
    assert day == TimePoint(2024, 12, 12)


def test_from_date_and_naive_datetime() -> None:
    assert TimePoint.from_datetime(dt.date(2024, 2, 26), Precision.MONTH) == TimePoint.parse(
        "2024-02"
    )
    naive = TimePoint.from_datetime(dt.datetime(2024, 2, 26, 18, 30, 15), Precision.SECOND)
    assert naive == TimePoint.parse("2024-02-26T18:30:15")


@pytest.mark.parametrize(
    ("given_zone", "stored"),
    [("+0530", "+05:30"), ("+05", "+05:00"), ("+00:00", "Z"), ("-00:00", "Z"), ("Z", "Z")],
)
def test_fixed_offsets_have_one_spelling(given_zone: str, stored: str) -> None:
    point = TimePoint(2024, 12, 12, 13, precision=Precision.HOUR, zone=given_zone)
    assert point.zone == stored
    assert TimePoint.parse(point.isoformat()) == point


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "/etc/localtime", "+25:00", "+05:99"])
def test_unknown_zones_are_refused(zone: str) -> None:
    with pytest.raises(DateError):
        TimePoint(2024, 12, 12, 13, precision=Precision.HOUR, zone=zone)


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-31T01[Europe/Warsaw]",
        "2024-03-31T02[Europe/Warsaw]",  # does not exist: clocks jump from 02:00 to 03:00
        "2024-03-31T03[Europe/Warsaw]",
        "2024-10-27T02[Europe/Warsaw]",  # happens twice: clocks go back from 03:00 to 02:00
        "2024-10-27T02:59:59[Europe/Warsaw]",
        "2024-03-10T02:30[America/New_York]",
    ],
)
def test_periods_keep_their_length_across_clock_changes(text: str) -> None:
    point = TimePoint.parse(text)
    step = {Precision.HOUR: 3600, Precision.MINUTE: 60, Precision.SECOND: 1}[point.precision]
    assert point.end_seconds() - point.start_seconds() == step


def test_years_outside_datetime_keep_a_zone() -> None:
    point = TimePoint.parse("Y12345-06-01T12:00[Europe/Warsaw]")
    assert TimePoint.parse(point.isoformat()) == point
    assert point.start_seconds() == calendar.to_seconds(12_345, 6, 1, 11)  # winter offset, +1


# -- descriptions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("2024-02-26", "26 February 2024"),
        ("2024-07~", "about July 2024"),
        ("2024?", "2024 (uncertain)"),
        ("2024%", "about 2024 (uncertain)"),
        ("-0043-03-15", "15 March 44 BC"),
        ("0000", "1 BC"),
        ("Y-13798000000", "13.8 billion BC"),
        ("2024-12-12T13:00Z", "12 December 2024, 13:00 (UTC)"),
        ("2024-12-12T13:00:05+01:00", "12 December 2024, 13:00:05 (+01:00)"),
        ("2024-12-12T13[Europe/Warsaw]", "12 December 2024, 13:00 (Europe/Warsaw)"),
        ("2024-12-12T13:00", "12 December 2024, 13:00"),
    ],
)
def test_describe(text: str, description: str) -> None:
    assert TimePoint.parse(text).describe() == description


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("2024-06-07", "7 June 2024"),
        # From a user test: "26 February 2024, 19:30 – 26 February 2024, 21:15".
        ("2024-02-26T19:30/2024-02-26T21:15", "26 February 2024, 19:30–21:15"),
        ("2024-12-12T13:00+01:00/2024-12-12T15:30+01:00", "12 December 2024, 13:00–15:30 (+01:00)"),
        ("2024-02-27/2024-02-28", "27–28 February 2024"),
        ("2024-02-27/2024-03-03", "27 February – 3 March 2024"),
        ("2024-07/2024-09", "July – September 2024"),
        ("-0043-03-15/-0043-03-17", "15–17 March 44 BC"),
        # Written whole: years, precisions, qualifiers or days (of timed ends) that differ.
        ("2023-12-30/2024-01-02", "30 December 2023 – 2 January 2024"),
        ("2024-07~/2024-09", "about July 2024 – September 2024"),
        ("2024-12-12T13/2024-12-12T15:30", "12 December 2024, 13:00 – 12 December 2024, 15:30"),
        ("2024-02-27T10/2024-03-01T11", "27 February 2024, 10:00 – 1 March 2024, 11:00"),
    ],
)
def test_describe_interval(text: str, description: str) -> None:
    assert DateSpan.parse(text).describe() == description


@given(spans())
def test_a_span_s_description_names_its_end_s_year_and_is_never_longer_than_both_ends(
    span: DateSpan,
) -> None:
    text = span.describe()
    whole = (
        span.start.describe()
        if span.end is None
        else (f"{span.start.describe()} – {span.end.describe()}")
    )
    assert len(text) <= len(whole)
    assert calendar.year_label((span.end or span.start).year) in text


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("2024-21", 6, "season"),
        ("2024-24", 6, "season"),
        ("2024-13", 6, "month 13"),
        ("2024-00-01", 6, "month 0"),
        ("2023-02-29", 9, "day 29"),
        ("2024-04-31", 9, "day 31"),
        ("2024-02-10T25:00", 12, "time"),
        ("2024-02-10T23:60", 12, "time"),
        ("  2024-13", 8, "month 13"),
        ("2024-12-12T13:00[Mars/Olympus]", 18, "Mars/Olympus"),
        ("2024-12-12T13:00+25:00", 17, "offset"),
        ("2024-12-12T13:00+05:99", 17, "offset"),
        ("2024/2023", 6, "before it starts"),
        ("2024-12-12T13:00[Europe/Warsaw]/2024-12-12T11:00Z", 33, "before it starts"),
        ("2024-05/2024-13", 14, "month 13"),
        ("2024-13/2025", 6, "month 13"),
        ("2024/garbage", 6, "not an EDTF date"),
        ("../2024", 1, "open"),
        ("2024/..", 6, "open"),
        ("/2024", 1, "open"),
        ("2024/", 6, "open"),
        ("garbage", 1, "not an EDTF date"),
        ("24-02-26", 1, "not an EDTF date"),
        ("2024-2-26", 1, "not an EDTF date"),
        ("", 1, "not an EDTF date"),
        ("2024-21~", 6, "season"),
    ],
)
def test_error_columns_point_at_the_problem(text: str, column: int, fragment: str) -> None:
    with pytest.raises(DateError, match=None) as caught:
        DateSpan.parse(text)
    assert caught.value.column == column, str(caught.value)
    assert fragment in str(caught.value)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)
    assert DateError("x").column == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": 2024, "month": 13},
        {"year": 2024, "month": 2, "day": 30},
        {"year": 2023, "month": 2, "day": 29},
        {"year": 2024, "hour": 24, "precision": Precision.HOUR},
        {"year": 2024, "minute": 60, "precision": Precision.MINUTE},
        {"year": 2024, "month": 7, "precision": Precision.YEAR},  # finer than the precision
        {"year": 2024, "day": 2, "precision": Precision.MONTH},
        {"year": 2024, "hour": 1, "precision": Precision.DAY},
        {"year": 2024, "zone": "Z"},  # a zone without a time of day
    ],
)
def test_invalid_points_are_refused(kwargs: dict) -> None:
    with pytest.raises(DateError):
        TimePoint(**kwargs)


def test_precision_is_stored_as_the_enum() -> None:
    point = TimePoint(2024, precision=0)  # type: ignore[arg-type]
    assert point.precision is Precision.YEAR
    assert point == TimePoint(2024, precision=Precision.YEAR)


# -- plainly written dates, read without a DateSpan -----------------------------------------


def positions(span: DateSpan) -> tuple[float, float, float, float, int, int]:
    """What plain_span() answers, from the DateSpan DateSpan.parse() builds."""
    end = span.end
    return (
        span.start_seconds(),
        span.start.end_seconds(),
        end.start_seconds() if end is not None else span.start.end_seconds(),
        span.end_seconds(),
        span.start.precision,
        end.precision if end is not None else -1,
    )


@given(
    st.one_of(plain_points.map(TimePoint.isoformat), spans(plain_points).map(DateSpan.isoformat))
)
def test_plain_dates_are_read_as_parse_reads_them(text: str) -> None:
    found = plain_span(text)
    assert found is not None, text
    assert found == positions(DateSpan.parse(text))


@given(
    st.one_of(
        date_spans().map(DateSpan.isoformat),
        st.from_regex(
            r"\d{4}(-\d\d(-\d\d(T\d\d(:\d\d(:\d\d)?)?)?)?)?(/\d{4}(-\d\d)?)?", fullmatch=True
        ),
        st.text(alphabet="0123456789-/T:~?Z ", max_size=25),
    )
)
def test_plain_span_reads_nothing_differently_from_parse(text: str) -> None:
    """Any text: plain_span() answers as DateSpan.parse() does, or leaves it to parse()
    (whatever parse() then makes of it, a date or an error)."""
    found = plain_span(text)
    if found is not None:
        assert found == positions(DateSpan.parse(text))


@pytest.mark.parametrize(
    "text",
    ["2023-02-29", "2024-13", "2024-00", "2024-06-31", "2024-01-01T24:00", "2024-01-01T10:60",
     "2025/2024", "2024-01-01T10:00/2024-01-01T09:00", "2024~", "2024-01-01T10:00Z", "Y12345",
     "-0043", "2024-01-01 10:00", "2024-01-01T1000", " 2024", "2024/", "../2024"],
)  # fmt: skip
def test_plain_span_leaves_everything_else_to_parse(text: str) -> None:
    assert plain_span(text) is None


@pytest.mark.parametrize(("text", "written"), [("-10000", "Y-10000"), ("12345", "Y12345")])
def test_a_year_of_five_digits_without_its_y_says_how_to_write_it(text: str, written: str) -> None:
    with pytest.raises(DateError) as caught:
        DateSpan.parse(text)
    assert str(caught.value).endswith(f"a year of five digits or more is written {written}")
    assert DateSpan.parse(written).start.year == int(text)
