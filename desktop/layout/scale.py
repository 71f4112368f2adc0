"""The visible window of the time axis and the mapping between axis seconds and pixels.

A :class:`TimeScale` is an immutable value: zooming, panning and resizing return a new scale, so
the widget can compare the old and the new one and repaint only when something changed. All
operations that come from the user go through one clamp, so no sequence of wheel turns and drags
can reach a window that the rest of the program cannot draw.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from desktop.model.calendar import SECONDS_PER_DAY

# One minute across the whole width is the closest zoom: timelines carry times to the minute
# (seconds at most), and a narrower window would show nothing but one gridline.
MIN_SPAN = 60.0
# The widest window: the cosmological timelines start ~13.8e9 years ago (-4.35e17 s), so 2e18 s
# (~63e9 years) shows all of that with room on both sides.
MAX_SPAN = 2e18
# The window never leaves [AXIS_MIN, AXIS_MAX]: far enough for any real timeline, and small
# enough that float positions still resolve (one float step at 1e19 is 2048 s).
AXIS_MIN = -1e19
AXIS_MAX = 1e19
# Far from the epoch a float cannot tell close seconds apart (one step at 4e17 s is 64 s), so the
# closest zoom there also keeps this many float steps per pixel; otherwise neighbouring pixels
# would map to the same time and drawing would jitter. Near the present MIN_SPAN is what binds.
ULPS_PER_PIXEL = 16


def min_span(centre: float, width: float) -> float:
    """The narrowest window of ``width`` pixels around ``centre`` that still resolves pixels."""
    return max(MIN_SPAN, ULPS_PER_PIXEL * width * math.ulp(abs(centre)))


def _check_finite(*values: float) -> None:
    if not all(math.isfinite(value) for value in values):
        raise ValueError(f"non-finite value in {values!r}")


def _clamp_range(t0: float, t1: float, width: float) -> tuple[float, float]:
    """[t0, t1] with its span brought within the zoom limits about its centre, then shifted (not
    shrunk) back inside the axis limits."""
    centre = t0 / 2 + t1 / 2  # halves first: t0 + t1 could overflow near the float limits
    span = min(max(t1 - t0, min_span(centre, width)), MAX_SPAN)
    if span != t1 - t0:
        t0 = centre - span / 2
        t1 = t0 + span
    return _shift_inside(t0, t1, span)


def _shift_inside(t0: float, t1: float, span: float) -> tuple[float, float]:
    if t0 < AXIS_MIN:
        return AXIS_MIN, AXIS_MIN + span
    if t1 > AXIS_MAX:
        return AXIS_MAX - span, AXIS_MAX
    return t0, t1


class _TimeScaleFields(NamedTuple):
    t0: float
    t1: float
    width: float


class TimeScale(_TimeScaleFields):
    """Maps axis seconds to x pixels: ``t0`` at x=0, ``t1`` at x=``width``.

    The constructor only rejects windows that cannot map at all (t1 <= t0, width <= 0, NaN);
    the limits above are applied by the operations, which is where user input arrives.

    An immutable NamedTuple that checks its fields: a frozen dataclass would cost start-up
    ~0.5 ms to define, and each frame makes a few of these.
    """

    __slots__ = ()

    def __new__(cls, t0: float, t1: float, width: float) -> TimeScale:
        _check_finite(t0, t1, width)
        if not t1 > t0:
            raise ValueError(f"empty time window: t1={t1!r} <= t0={t0!r}")
        if not width > 0:
            raise ValueError(f"width must be positive, not {width!r}")
        return super().__new__(cls, t0, t1, width)

    @property
    def span(self) -> float:
        return self.t1 - self.t0

    @property
    def seconds_per_pixel(self) -> float:
        return (self.t1 - self.t0) / self.width

    def x(self, t: float) -> float:
        # The same expression as desktop.layout.ticks uses, so label boxes and drawing agree.
        return (t - self.t0) * self.width / (self.t1 - self.t0)

    def t(self, x: float) -> float:
        return self.t0 + x * (self.t1 - self.t0) / self.width

    def zoomed(self, factor: float, anchor_x: float) -> TimeScale:
        """Zoom in by ``factor`` (> 1 in, < 1 out) keeping the time under ``anchor_x`` in place.

        ``anchor_x`` is clamped to the widget. Near the axis limits the span shrinks rather than
        the anchor moving; only when the anchor sits on the limit itself does the window shift.
        """
        _check_finite(factor, anchor_x)
        if not factor > 0:
            raise ValueError(f"zoom factor must be positive, not {factor!r}")
        anchor_x = min(max(anchor_x, 0.0), self.width)
        anchor_t = self.t(anchor_x)
        fraction = anchor_x / self.width
        span = min(self.span / factor, MAX_SPAN)
        # Keep both edges inside the axis limits without moving the anchor.
        if fraction > 0:
            span = min(span, (anchor_t - AXIS_MIN) / fraction)
        if fraction < 1:
            span = min(span, (AXIS_MAX - anchor_t) / (1 - fraction))
        span = max(span, min_span(anchor_t, self.width))
        t0 = anchor_t - fraction * span
        t0, t1 = _shift_inside(t0, t0 + span, span)
        return TimeScale(t0, t1, self.width)

    def panned(self, dx: float) -> TimeScale:
        """The content moved right by ``dx`` pixels (the window moves to earlier times)."""
        _check_finite(dx)
        span = self.span
        t0 = self.t0 - dx * self.seconds_per_pixel
        t0 = min(max(t0, AXIS_MIN), AXIS_MAX - span)
        return TimeScale(t0, t0 + span, self.width)

    def with_range(self, t0: float, t1: float) -> TimeScale:
        """Show [t0, t1] at the same width, within the zoom and axis limits.

        An empty range (t0 == t1) becomes the narrowest window centred on it.
        """
        _check_finite(t0, t1)
        if t1 < t0:
            raise ValueError(f"reversed time range: {t0!r} > {t1!r}")
        return TimeScale(*_clamp_range(t0, t1, self.width), self.width)

    def resized(self, width: float) -> TimeScale:
        """The window at a new width: the left edge and the zoom stay, so a wider window reveals
        more on the right (as a resized document view does), within the limits."""
        _check_finite(width)
        if not width > 0:
            raise ValueError(f"width must be positive, not {width!r}")
        span = self.seconds_per_pixel * width
        span = min(max(span, min_span(self.t0 + span / 2, width)), MAX_SPAN)
        t0, t1 = _shift_inside(self.t0, self.t0 + span, span)
        return TimeScale(t0, t1, width)


def fit(t0: float, t1: float, width: float, margin_fraction: float = 0.03) -> TimeScale:
    """A scale showing [t0, t1] with ``margin_fraction`` of its span free on each side.

    A single instant (t0 == t1) gets a one-day window centred on it, since a zero span has no
    natural zoom; everything is then clamped like user zooms.
    """
    _check_finite(t0, t1, width, margin_fraction)
    if t1 < t0:
        raise ValueError(f"reversed time range: {t0!r} > {t1!r}")
    if not width > 0:
        raise ValueError(f"width must be positive, not {width!r}")
    if margin_fraction < 0:
        raise ValueError(f"margin_fraction must not be negative, not {margin_fraction!r}")
    if t1 == t0:
        half = SECONDS_PER_DAY / 2
        lo, hi = t0 - half, t0 + half
    else:
        margin = (t1 - t0) * margin_fraction
        lo, hi = t0 - margin, t1 + margin
    return TimeScale(*_clamp_range(lo, hi, width), width)


def widened_for_labels(scale: TimeScale, labels: Iterable[tuple[float, float]]) -> TimeScale:
    """``scale`` widened on the right, from the same left edge, until every label starting on
    it ends inside the width. ``labels`` are (time the label starts at, label width in px);
    one wider than two thirds of the width is left to be cut.

    Opening on a range whose last events would have their titles cut by the window edge is
    the one case where a plain fit fails the reader, so the fit makes room for them.
    """
    width = scale.width
    left = scale.t0
    seconds_per_pixel = scale.seconds_per_pixel
    for start, label_width in labels:
        room = width - label_width
        if scale.t0 <= start <= scale.t1 and room > width / 3:
            seconds_per_pixel = max(seconds_per_pixel, (start - left) / room)
    if seconds_per_pixel == scale.seconds_per_pixel:
        return scale
    return TimeScale(*_clamp_range(left, left + seconds_per_pixel * width, width), width)
