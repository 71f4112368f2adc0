"""Time-axis ticks: level choice, calendar stepping, BC years, and labels that never collide."""

from __future__ import annotations

import ast
import itertools
import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import desktop.layout.ticks as ticks_module
from desktop.layout.ticks import (
    LABEL_OFFSET,
    LEVEL_NAMES,
    AxisTicks,
    RememberedMeasure,
    Tick,
    aligned_year_after,
    aligned_year_at_or_before,
    axis_ticks,
    label_boxes,
    year_text,
)
from desktop.model.calendar import (
    MONTH_ABBREVIATIONS,
    SECONDS_PER_DAY,
    civil_from_days,
    days_from_civil,
    from_seconds,
    to_seconds,
    weekday,
)


def mono(text: str) -> float:
    # A monospace font, 7 px a character: the measure the brief's numbers assume.
    return 7.0 * len(text)


def proportional(text: str) -> float:
    # Narrow digits and spaces, wide capitals: labels of one level differ in width.
    return sum(9.0 if c.isupper() else 4.0 if c in " ,.:" else 6.5 for c in text)


def labels(row: tuple[Tick, ...]) -> list[str]:
    return [tick.label for tick in row if tick.label]


def level_index(result: AxisTicks) -> int:
    return LEVEL_NAMES.index(result.minor_level)


def check_invariants(t0: float, t1: float, width: float, measure=mono, min_gap=8.0) -> AxisTicks:
    result = axis_ticks(t0, t1, width, measure, min_gap)
    major_boxes, minor_boxes = label_boxes(result, t0, t1, width, measure)
    assert len(major_boxes) == len(labels(result.major))
    assert len(minor_boxes) == len(labels(result.minor))
    for boxes in (major_boxes, minor_boxes):
        for left, right in boxes:
            assert 0.0 <= left <= right <= width
        for (_, right), (left, _) in itertools.pairwise(boxes):
            assert right <= left, f"labels overlap in {result}"
    for row in (result.major, result.minor):
        positions = [tick.seconds for tick in row]
        assert positions == sorted(positions)
        assert len(set(positions)) == len(positions)
    assert all(t0 <= tick.seconds <= t1 for tick in result.minor)
    # Only the first major tick may lie before the window (the sticky label's period).
    assert all(t0 <= tick.seconds <= t1 for tick in result.major[1:])
    if result.major and result.major[0].seconds < t0:
        assert result.major[0].label, "a sticky tick without a label should have been dropped"
    # Bounded by the pixels, never by the range.
    assert len(result.minor) <= width / 4 + 2
    assert len(result.major) <= width / 4 + 3
    return result


# -- concrete windows -----------------------------------------------------------------------------
def test_months_of_2024() -> None:
    t0, t1 = to_seconds(2024, 2, 26), to_seconds(2024, 12, 12)
    result = check_invariants(t0, t1, 1600.0)
    assert result.minor_level == "month"
    assert labels(result.minor) == list(MONTH_ABBREVIATIONS[2:])  # "Mar" .. "Dec"
    assert labels(result.major) == ["2024"]
    assert result.major[0].seconds == to_seconds(2024)  # sticky: the year began off-screen
    boxes, _ = label_boxes(result, t0, t1, 1600.0, mono)
    assert boxes[0][0] == LABEL_OFFSET


def test_one_day_shows_hours_under_the_date() -> None:
    t0 = to_seconds(2024, 2, 26)
    result = check_invariants(t0, t0 + SECONDS_PER_DAY, 1600.0)
    assert result.minor_level == "hour"
    assert labels(result.minor)[:3] == ["00:00", "01:00", "02:00"]
    assert "14:00" in labels(result.minor)
    assert labels(result.major)[0] == "Mon 26 Feb 2024"


def test_half_an_hour_shows_minutes() -> None:
    t0 = to_seconds(2024, 2, 26, 14)
    result = check_invariants(t0 + 10, t0 + 1800, 1600.0)
    assert result.minor_level == "minute"
    assert labels(result.minor)[:2] == ["14:01", "14:02"]
    assert labels(result.major) == ["Mon 26 Feb 2024"]  # sticky: the day began off-screen


def test_one_minute_at_the_closest_zoom_still_has_gridlines() -> None:
    t0 = to_seconds(2024, 2, 26, 14, 5)
    result = check_invariants(t0, t0 + 60, 1200.0)
    assert result.minor_level.endswith("seconds")
    assert labels(result.minor)[0] == "14:05:00"


def test_a_thousand_years_shows_decades_or_centuries() -> None:
    t0, t1 = to_seconds(1000), to_seconds(2000)
    for width in (800.0, 1600.0, 4000.0):
        result = check_invariants(t0, t1, width)
        step = int(result.minor_level.split()[0])
        assert step in (10, 20, 50, 100)
        years = [from_seconds(tick.seconds)[:3] for tick in result.minor]
        assert all(month == day == 1 and year % step == 0 for year, month, day in years)
        major_years = [from_seconds(tick.seconds)[0] for tick in result.major]
        assert all(year % 100 == 0 for year in major_years)
    result = axis_ticks(t0, t1, 1600.0, mono)
    assert result.minor_level == "50 years"
    assert labels(result.minor)[:3] == ["1000", "1050", "1100"]
    assert labels(result.major)[:2] == ["1000–1099", "1100–1199"]


def test_years_around_the_era_boundary() -> None:
    result = check_invariants(to_seconds(-15), to_seconds(15), 1600.0)
    assert result.minor_level == "year"
    shown = labels(result.minor)
    assert shown[shown.index("1 BC") - 1 : shown.index("1 BC") + 3] == ["2 BC", "1 BC", "1", "2"]
    assert "0" not in shown
    assert labels(result.major) == ["20–11 BC", "10–1 BC", "1–9", "10–19"]


def test_months_around_the_era_boundary_name_the_years() -> None:
    result = check_invariants(to_seconds(-3), to_seconds(4), 1600.0)
    assert labels(result.major)[:5] == ["4 BC", "3 BC", "2 BC", "1 BC", "1"]


def test_bc_ticks_fall_on_round_bc_years() -> None:
    result = check_invariants(to_seconds(-600), to_seconds(600), 1600.0)
    shown = labels(result.minor)
    assert "500 BC" in shown and "100 BC" in shown and "1" in shown and "100" in shown
    assert not any(label.startswith("1") and label.endswith("01 BC") for label in shown)
    # 100 BC is astronomical year -99.
    assert Tick(to_seconds(-99), "100 BC") in result.minor


def test_two_year_steps_skip_the_era_boundary() -> None:
    result = check_invariants(to_seconds(-10), to_seconds(10), 600.0)
    assert result.minor_level == "2 years"
    years = [from_seconds(tick.seconds)[0] for tick in result.minor]
    assert -1 in years and 2 in years and 1 not in years and 0 not in years


def test_years_past_9999() -> None:
    result = check_invariants(to_seconds(12_000), to_seconds(12_100), 1600.0)
    assert labels(result.minor)[0] == "12,000"
    assert labels(result.major)[0] == "12,000–12,009"


def test_cosmological_range() -> None:
    result = check_invariants(-4.35e17, 1.7e9, 1600.0)
    assert result.minor_level == "1,000,000,000 years"
    shown = labels(result.minor)
    assert shown[:2] == ["13 billion BC", "12 billion BC"]
    assert "1 billion BC" in shown


def test_millions_of_years_use_one_decimal_for_tenths() -> None:
    result = check_invariants(to_seconds(-2_000_000), to_seconds(-900_000), 1600.0)
    assert labels(result.minor)[:2] == ["2.0 million BC", "1.9 million BC"]
    # Periods this long are named by both ends: "2 million BC" alone at the left edge read as
    # where the view begins.
    assert labels(result.major)[:2] == ["2 million–1 million BC", "1 million BC – AD 1"]


def test_the_periods_of_the_widest_zooms_are_named_by_both_ends() -> None:
    result = check_invariants(-3e14, 3e14, 1200.0)
    assert labels(result.major) == ["10 million BC – AD 1", "AD 1 – 10 million"]
    result = check_invariants(to_seconds(12_000), to_seconds(95_000), 1600.0)
    assert labels(result.major)[:2] == ["10,000–20,000", "20,000–30,000"]


def test_the_whole_axis_at_a_small_width() -> None:
    result = check_invariants(-1e19, 1e19, 200.0)
    assert 1 <= len(result.minor) <= 3


def test_nothing_fits_in_a_sliver() -> None:
    result = axis_ticks(-1e19, 1e19, 20.0, mono)
    assert result == AxisTicks((), (), "")


@pytest.mark.parametrize(
    ("t0", "t1", "width"), [(0.0, 0.0, 100.0), (1.0, 0.0, 100.0), (0.0, 1.0, 0.0)]
)
def test_degenerate_windows_are_rejected(t0: float, t1: float, width: float) -> None:
    with pytest.raises(ValueError):
        axis_ticks(t0, t1, width, mono)


# -- calendar stepping ---------------------------------------------------------------------------
@pytest.mark.parametrize("first_year", [-44, -1, 1582, 1999, 2023, 9998])
def test_month_ticks_land_on_month_starts(first_year: int) -> None:
    t0, t1 = to_seconds(first_year, 1, 15), to_seconds(first_year + 2, 1, 15)
    result = check_invariants(t0, t1, 2400.0)
    assert result.minor_level == "month"
    assert len(result.minor) == 24
    for tick in result.minor:
        days, rest = divmod(tick.seconds, SECONDS_PER_DAY)
        assert rest == 0
        year, month, day = civil_from_days(int(days))
        assert day == 1
        assert days == days_from_civil(year, month, 1)
        assert tick.label == MONTH_ABBREVIATIONS[month - 1]


@pytest.mark.parametrize(("year", "has_29th"), [(2024, True), (2023, False), (1900, False)])
def test_day_ticks_follow_february(year: int, has_29th: bool) -> None:
    result = check_invariants(to_seconds(year, 2, 20), to_seconds(year, 3, 5), 1000.0)
    assert result.minor_level == "day"
    shown = labels(result.minor)
    assert ("29" in shown) == has_29th
    assert shown[shown.index("28") + 1] == ("29" if has_29th else "1")
    assert labels(result.major)[0] == f"February {year}"


def test_week_ticks_are_mondays() -> None:
    result = check_invariants(to_seconds(2024, 1, 1), to_seconds(2024, 6, 1), 1200.0)
    assert result.minor_level == "week"
    for tick in result.minor:
        year, month, day = from_seconds(tick.seconds)[:3]
        assert weekday(year, month, day) == 0
        if tick.label:
            assert tick.label == f"{day} {MONTH_ABBREVIATIONS[month - 1]}"
    assert labels(result.major)[0] == "January 2024"


def test_quarters() -> None:
    result = check_invariants(to_seconds(2020), to_seconds(2024), 1000.0)
    assert result.minor_level == "3 months"
    assert set(labels(result.minor)) == {"Jan", "Apr", "Jul", "Oct"}


def test_year_text() -> None:
    assert year_text(2024) == "2024"
    assert year_text(1) == "1"
    assert year_text(1, 100) == "1"
    assert year_text(1, 1000) == year_text(1, 10**9) == "AD 1"  # not a bare "1" among billions
    assert year_text(0) == "1 BC"
    assert year_text(-43) == "44 BC"
    assert year_text(-9999) == "10,000 BC"
    assert year_text(10_000) == "10,000"
    assert year_text(-1_999_999, 1_000_000) == "2 million BC"
    assert year_text(-1_899_999, 100_000) == "1.9 million BC"
    assert year_text(-13_799_999_999, 100_000_000) == "13.8 billion BC"
    assert year_text(-1_779_999_999, 10_000_000) == "1.78 billion BC"
    assert year_text(-1_779_999_999, 1_000_000) == "1,780,000,000 BC"
    # Small steps keep every digit: a month in the year 1,000,123 BC is that year, not "1 million".
    assert year_text(-1_000_122) == "1,000,123 BC"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from([1, 2, 5, 10, 50, 1000]))
def test_aligned_years_bracket_every_year(year: int, step: int) -> None:
    before = aligned_year_at_or_before(year, step)
    after = aligned_year_after(year, step)
    assert before <= year < after
    assert aligned_year_after(before, step) > year  # nothing aligned strictly between
    for aligned in (before, after):
        assert aligned == 1 or (aligned % step == 0 if aligned >= 1 else (1 - aligned) % step == 0)


# -- properties over many windows ------------------------------------------------------------
windows = st.tuples(
    st.floats(min_value=-4e17, max_value=3e11),
    st.floats(min_value=0.0, max_value=1.0).map(lambda u: 60.0 * (1e18 / 60.0) ** u),
    st.floats(min_value=200.0, max_value=4000.0),
)


@settings(max_examples=300, deadline=None)
@given(windows, st.sampled_from([mono, proportional]), st.sampled_from([0.0, 8.0, 20.0]))
def test_labels_never_overlap_and_ticks_stay_bounded(window, measure, min_gap: float) -> None:
    t0, span, width = window
    result = check_invariants(t0, t0 + span, width, measure, min_gap)
    assert result.minor_level in LEVEL_NAMES  # a window narrower than a step may have no tick


@settings(max_examples=200, deadline=None)
@given(windows, st.floats(min_value=0.01, max_value=0.99))
def test_zooming_in_never_picks_a_coarser_level(window, shrink: float) -> None:
    t0, span, width = window
    centre = t0 + span / 2
    inner_span = max(60.0, span * shrink)
    outer = (centre - span / 2, centre + span / 2)
    inner = (centre - inner_span / 2, centre + inner_span / 2)
    # Far from the epoch a short span may not survive float rounding (the scale never goes there).
    assume(outer[0] < inner[0] < inner[1] < outer[1] or (inner == outer and outer[0] < outer[1]))
    outer_ticks = axis_ticks(*outer, width, mono)
    inner_ticks = axis_ticks(*inner, width, mono)
    assert level_index(inner_ticks) <= level_index(outer_ticks)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-4e17, max_value=3e11), st.floats(min_value=200.0, max_value=4000.0))
def test_levels_get_finer_step_by_step(t0: float, width: float) -> None:
    indices = [
        level_index(axis_ticks(t0, t0 + span, width, mono))
        for span in (1e18 / 4**k for k in range(30))
        if span >= 60.0
    ]
    assert indices == sorted(indices, reverse=True)


def test_sticky_label_shortens_then_gives_way_to_the_next_period() -> None:
    # The day began off-screen; how much of its date fits depends on where the next one starts.
    roomy = check_invariants(to_seconds(2024, 2, 26, 23, 30), to_seconds(2024, 2, 27, 1), 1600.0)
    assert labels(roomy.major) == ["Mon 26 Feb 2024", "Tue 27 Feb 2024"]  # next at 533 px
    assert roomy.major[0].seconds == to_seconds(2024, 2, 26)
    tight = check_invariants(to_seconds(2024, 2, 26, 23), to_seconds(2024, 2, 27, 23), 1600.0)
    assert labels(tight.major) == ["26 Feb", "Tue 27 Feb 2024"]  # next at 67 px
    gone = check_invariants(to_seconds(2024, 2, 26, 23, 59, 30), to_seconds(2024, 2, 27, 1), 1600.0)
    assert labels(gone.major) == ["Tue 27 Feb 2024"]  # next at 13 px: not even "26" fits
    assert gone.major[0].seconds == to_seconds(2024, 2, 27)


def test_major_labels_shorten_before_they_collide() -> None:
    t0 = to_seconds(2024, 2, 26)
    result = check_invariants(t0, t0 + 6 * SECONDS_PER_DAY, 600.0)  # 100 px a day
    assert result.minor_level == "12 hours"
    assert labels(result.major)[:2] == ["26 Feb 2024", "27 Feb 2024"]
    roomy = check_invariants(t0, t0 + 6 * SECONDS_PER_DAY, 1200.0)
    assert labels(roomy.major)[:2] == ["Mon 26 Feb 2024", "Tue 27 Feb 2024"]


def test_label_boxes_follow_the_drawing_rule() -> None:
    t0, t1 = to_seconds(2024, 2, 26, 6), to_seconds(2024, 2, 28)
    result = axis_ticks(t0, t1, 1200.0, mono)
    major, minor = label_boxes(result, t0, t1, 1200.0, mono)
    labelled = [tick for tick in result.minor if tick.label]
    for tick, (left, right) in zip(labelled, minor, strict=True):
        x = (tick.seconds - t0) * 1200.0 / (t1 - t0)
        assert left == x + LABEL_OFFSET
        assert right == left + mono(tick.label)
    assert major[0] == (LABEL_OFFSET, LABEL_OFFSET + mono(result.major[0].label))


def test_fast_enough_for_every_paint() -> None:
    windows = [
        (to_seconds(2024, 2, 26), to_seconds(2024, 12, 12)),
        (to_seconds(2024, 2, 26), to_seconds(2024, 2, 27)),
        (to_seconds(1000), to_seconds(2000)),
        (-4.35e17, 1.7e9),
    ]
    start = time.perf_counter()
    for _ in range(50):
        for t0, t1 in windows:
            axis_ticks(t0, t1, 1600.0, mono)
    per_call = (time.perf_counter() - start) / (50 * len(windows))
    assert per_call < 0.005  # typically ~0.1 ms; the bound only catches runaway tick counts


def test_layout_does_not_import_qt() -> None:
    for module in ("scale.py", "ticks.py"):
        tree = ast.parse((Path(ticks_module.__file__).parent / module).read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                assert not any(name.split(".")[0] in ("PySide6", "PyQt6") for name in names)


@pytest.mark.parametrize("first_year", [1890, 1895, 1905, 1961, 250, -350])
@pytest.mark.parametrize("width", [600.0, 1000.0, 1600.0])
def test_the_left_edge_names_the_period_it_is_in_or_nothing(first_year: int, width: float):
    """From a user test: a view from 1890 to 2030 showed "1800" at the left edge, the first
    year of the century it began in, which reads as the date there. The label kept at the
    left edge for a period of years begun before the view names it whole ("1800–1899"), or
    is left out when that does not fit before the next label."""
    for span_years in (12, 40, 140, 400, 1400):
        t0, t1 = to_seconds(first_year), to_seconds(first_year + span_years)
        ticks = axis_ticks(t0, t1, width, mono)
        level = LEVEL_NAMES.index(ticks.minor_level)
        if level < LEVEL_NAMES.index("year"):
            continue  # the major row names months or years: one year is a whole period
        for tick in ticks.major:
            if tick.seconds < t0 and tick.label:
                assert "–" in tick.label, (span_years, tick.label)
    # Where it fits, it is there.
    ticks = axis_ticks(to_seconds(1905), to_seconds(2045), 1000.0, mono)
    assert ticks.major[0].label == "1900–1999"


def test_a_remembered_measure_measures_each_text_once_and_forgets_at_its_limit() -> None:
    asked: list[str] = []

    def measure(text: str) -> float:
        asked.append(text)
        return 7.0 * len(text)

    remembered = RememberedMeasure(measure, limit=3)
    assert [remembered(text) for text in ("2024", "Jan", "2024", "Jan")] == [28, 21, 28, 21]
    assert asked == ["2024", "Jan"]
    remembered("Feb")
    remembered("Mar")  # the fourth text: the first three are forgotten
    remembered("2024")
    assert asked == ["2024", "Jan", "Feb", "Mar", "2024"]


def test_axis_ticks_through_a_remembered_measure_measure_nothing_twice() -> None:
    asked: list[str] = []

    def measure(text: str) -> float:
        asked.append(text)
        return mono(text)

    remembered = RememberedMeasure(measure)
    t0, t1 = to_seconds(2024, 1, 1), to_seconds(2024, 3, 1)
    first = axis_ticks(t0, t1, 1600.0, remembered)
    measured_once = len(asked)
    assert axis_ticks(t0, t1, 1600.0, remembered) == first
    assert len(asked) == measured_once == len(set(asked))
