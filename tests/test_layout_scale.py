"""The visible window: pixel↔time mapping, zoom about an anchor, pan, resize, fit, and limits."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from desktop.layout.scale import (
    AXIS_MAX,
    AXIS_MIN,
    MAX_SPAN,
    MIN_SPAN,
    TimeScale,
    fit,
    min_span,
)
from desktop.model.calendar import SECONDS_PER_DAY, to_seconds

# Windows like the ones timelines need: from cosmological (-4e17 s) to the far future, one minute
# to 1e18 s wide, 200–4000 px.
starts = st.floats(min_value=-4e17, max_value=3e11)
spans = st.floats(min_value=60.0, max_value=1e18)
widths = st.floats(min_value=200.0, max_value=4000.0)
# Wheel steps are small factors, but a keyboard zoom or a "fit" can jump far.
factors = st.floats(min_value=-9.0, max_value=9.0).map(lambda e: 2.0**e)


def scales() -> st.SearchStrategy[TimeScale]:
    return st.builds(lambda t0, span, width: TimeScale(t0, t0 + span, width), starts, spans, widths)


def time_tolerance(*times: float) -> float:
    # A few float steps at the largest magnitude involved: what "exactly, up to rounding" means.
    return 8 * math.ulp(max(abs(t) for t in times))


def assert_within_limits(scale: TimeScale) -> None:
    assert AXIS_MIN <= scale.t0 < scale.t1 <= AXIS_MAX
    assert scale.span <= MAX_SPAN * (1 + 1e-12)
    assert scale.span >= MIN_SPAN * (1 - 1e-12)


# -- construction and mapping -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("t0", "t1", "width"),
    [
        (0.0, 0.0, 100.0),
        (10.0, 0.0, 100.0),
        (0.0, 100.0, 0.0),
        (0.0, 100.0, -5.0),
        (math.nan, 100.0, 100.0),
        (0.0, math.inf, 100.0),
    ],
)
def test_degenerate_windows_are_rejected(t0: float, t1: float, width: float) -> None:
    with pytest.raises(ValueError):
        TimeScale(t0, t1, width)


def test_edges_map_to_edges() -> None:
    scale = TimeScale(to_seconds(2024), to_seconds(2025), 1000.0)
    assert scale.x(scale.t0) == 0.0
    assert scale.x(scale.t1) == pytest.approx(1000.0)
    assert scale.t(0.0) == scale.t0
    assert scale.seconds_per_pixel == pytest.approx(366 * SECONDS_PER_DAY / 1000)


@given(scales(), st.floats(min_value=-500.0, max_value=5000.0))
def test_x_of_t_of_x_round_trips(scale: TimeScale, x: float) -> None:
    # Positions far from the epoch are coarse floats; the error is a few steps of the axis value.
    slack = time_tolerance(scale.t0, scale.t1, scale.t(x)) / scale.seconds_per_pixel + 1e-9
    assert scale.x(scale.t(x)) == pytest.approx(x, abs=slack)


# -- zoom -----------------------------------------------------------------------------------------
@given(scales(), factors, st.floats(min_value=0.0, max_value=1.0))
def test_zoom_keeps_the_time_under_the_anchor(
    scale: TimeScale, factor: float, anchor_share: float
) -> None:
    anchor_x = anchor_share * scale.width
    before = scale.t(anchor_x)
    zoomed = scale.zoomed(factor, anchor_x)
    assert zoomed.t(anchor_x) == pytest.approx(
        before, abs=time_tolerance(scale.t0, scale.t1, zoomed.t0, zoomed.t1)
    )
    assert zoomed.width == scale.width
    assert_within_limits(zoomed)
    expected = min(max(scale.span / factor, min_span(before, scale.width)), MAX_SPAN)
    slack = time_tolerance(zoomed.t0, zoomed.t1)  # the span is a difference of rounded edges
    assert zoomed.span == pytest.approx(expected, rel=1e-9, abs=slack)


def test_zoom_in_and_out_on_bc_dates() -> None:
    # Caesar's death, 44 BC (astronomical -43), from a decade down to the minute and back.
    t = to_seconds(-43, 3, 15, 12)
    scale = TimeScale(to_seconds(-50), to_seconds(-40), 1200.0)
    anchor_x = scale.x(t)
    for _ in range(40):
        scale = scale.zoomed(2.0, anchor_x)
    assert scale.span == MIN_SPAN
    assert scale.t(anchor_x) == pytest.approx(t, abs=1e-3)
    for _ in range(80):
        scale = scale.zoomed(0.5, anchor_x)
    assert scale.span == MAX_SPAN
    assert scale.t(anchor_x) == pytest.approx(t, abs=time_tolerance(scale.t0, scale.t1))


def test_zoom_in_stops_at_one_minute() -> None:
    scale = TimeScale(to_seconds(2024), to_seconds(2025), 800.0)
    zoomed = scale.zoomed(1e12, 400.0)
    assert zoomed.span == MIN_SPAN
    assert zoomed.t(400.0) == pytest.approx(scale.t(400.0), abs=1e-6)


def test_zoom_out_stops_at_the_largest_span() -> None:
    scale = TimeScale(-1e9, 1e9, 800.0)
    assert scale.zoomed(1e-12, 400.0).span == MAX_SPAN


def test_far_from_the_epoch_the_closest_zoom_still_resolves_pixels() -> None:
    # 13.8e9 years ago one float step is 64 s: a one-minute window could not place pixels.
    big_bang = -4.35e17
    scale = TimeScale(big_bang, big_bang + 1e12, 1000.0).zoomed(1e12, 500.0)
    assert scale.span >= 16 * 1000 * math.ulp(abs(big_bang))
    xs = [scale.x(scale.t(float(x))) for x in range(0, 1001, 10)]
    assert all(b > a for a, b in itertools.pairwise(xs))


def test_zoom_near_the_axis_limit_keeps_the_anchor_and_the_limit() -> None:
    scale = TimeScale(AXIS_MAX - 1e18, AXIS_MAX - 5e17, 1000.0)
    anchor_t = scale.t(250.0)
    zoomed = scale.zoomed(1e-6, 250.0)
    assert_within_limits(zoomed)
    assert zoomed.t(250.0) == pytest.approx(anchor_t, abs=time_tolerance(AXIS_MAX))


def test_anchor_outside_the_widget_is_clamped() -> None:
    scale = TimeScale(0.0, 1000.0, 100.0)
    assert scale.zoomed(2.0, 1e6) == scale.zoomed(2.0, 100.0)
    assert scale.zoomed(2.0, -50.0) == scale.zoomed(2.0, 0.0)


@pytest.mark.parametrize("factor", [0.0, -1.0, math.nan, math.inf])
def test_bad_zoom_factors_are_rejected(factor: float) -> None:
    with pytest.raises(ValueError):
        TimeScale(0.0, 1000.0, 100.0).zoomed(factor, 50.0)


# -- pan ------------------------------------------------------------------------------------------
@given(scales(), st.floats(min_value=-10_000.0, max_value=10_000.0))
def test_pan_moves_the_content_right_by_dx(scale: TimeScale, dx: float) -> None:
    shift = dx * scale.seconds_per_pixel
    assume(scale.t0 - shift >= AXIS_MIN and scale.t1 - shift <= AXIS_MAX)  # clamps: see below
    panned = scale.panned(dx)
    edges = (scale.t0, scale.t1, panned.t0, panned.t1)
    assert panned.span == pytest.approx(scale.span, rel=1e-9, abs=time_tolerance(*edges))
    t = scale.t(scale.width / 2)
    slack = time_tolerance(*edges) / scale.seconds_per_pixel
    assert panned.x(t) == pytest.approx(scale.width / 2 + dx, rel=1e-9, abs=slack + 1e-6)


def test_pan_cannot_leave_the_axis() -> None:
    scale = TimeScale(-1e18, 0.0, 1000.0)
    left = scale.panned(1e9)
    assert left.t0 == AXIS_MIN
    assert left.span == pytest.approx(1e18)
    right = scale.panned(-1e9)
    assert right.t1 == pytest.approx(AXIS_MAX)
    assert_within_limits(right)


# -- with_range, resized, fit ---------------------------------------------------------------------
def test_with_range_clamps_the_span_about_its_centre() -> None:
    scale = TimeScale(0.0, 1e6, 500.0)
    narrow = scale.with_range(1000.0, 1010.0)
    assert narrow.span == MIN_SPAN
    assert (narrow.t0 + narrow.t1) / 2 == pytest.approx(1005.0)
    wide = scale.with_range(-1e19, 1e19)
    assert wide.span == MAX_SPAN
    point = scale.with_range(5000.0, 5000.0)
    assert point.span == MIN_SPAN
    assert point.t0 < 5000.0 < point.t1
    with pytest.raises(ValueError):
        scale.with_range(10.0, 0.0)


def test_with_range_shifts_back_inside_the_axis() -> None:
    scale = TimeScale(0.0, 1e6, 500.0).with_range(AXIS_MAX - 1e17, AXIS_MAX + 1e17)
    assert scale.t1 == AXIS_MAX
    assert scale.span == pytest.approx(2e17)


def test_resize_keeps_the_left_edge_and_the_zoom() -> None:
    scale = TimeScale(to_seconds(2024), to_seconds(2024, 2), 800.0)
    wider = scale.resized(1600.0)
    assert wider.t0 == scale.t0
    assert wider.seconds_per_pixel == pytest.approx(scale.seconds_per_pixel)
    assert wider.t1 == pytest.approx(scale.t0 + 2 * 31 * SECONDS_PER_DAY)  # January twice over
    with pytest.raises(ValueError):
        scale.resized(0.0)


def test_resize_respects_the_zoom_limits() -> None:
    widest = TimeScale(-1e18, 1e18, 400.0)
    assert widest.resized(4000.0).span == MAX_SPAN
    closest = TimeScale(0.0, MIN_SPAN, 1000.0)
    assert closest.resized(100.0).span == MIN_SPAN


def test_fit_leaves_a_margin_each_side() -> None:
    t0, t1 = to_seconds(1914, 7, 28), to_seconds(1918, 11, 11)
    scale = fit(t0, t1, 1060.0)
    assert scale.x(t0) == pytest.approx(30.0)
    assert scale.x(t1) == pytest.approx(1030.0)
    bare = fit(t0, t1, 1000.0, margin_fraction=0.0)
    assert (bare.t0, bare.t1) == (t0, t1)


def test_fit_of_an_instant_shows_one_day_around_it() -> None:
    t = to_seconds(1969, 7, 20, 20, 17)
    scale = fit(t, t, 900.0)
    assert scale.span == SECONDS_PER_DAY
    assert scale.x(t) == pytest.approx(450.0)


def test_fit_of_the_whole_cosmos_is_clamped() -> None:
    scale = fit(-4.35e17, 1.7e9, 1200.0)
    assert scale.t0 < -4.35e17 and scale.t1 > 1.7e9
    assert_within_limits(fit(-1e19, 1e19, 1200.0))


@pytest.mark.parametrize(
    ("t0", "t1", "width", "margin"),
    [(1.0, 0.0, 100.0, 0.03), (0.0, 1.0, 0.0, 0.03), (0.0, 1.0, 100.0, -0.1)],
)
def test_fit_rejects_bad_input(t0: float, t1: float, width: float, margin: float) -> None:
    with pytest.raises(ValueError):
        fit(t0, t1, width, margin)
