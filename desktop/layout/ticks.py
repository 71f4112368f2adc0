"""Time-axis ticks in two rows of labels, from billions of years down to seconds.

The idea is pyqtgraph's ``DateAxisItem``: a table of zoom levels from finest to coarsest, and the
finest level whose widest label still fits the pixel spacing of its shortest period is chosen.
Each level pairs a *minor* row (the gridlines and their labels: "14:00", "26", "Feb", "2024")
with a *major* row one unit up that names the period the minor labels sit in ("Mon 26 Feb
2024", "February 2024", "2024", "2020–2029").

Dates step through the real calendar (:mod:`desktop.model.calendar`, never ``datetime``, which
stops at years 1 and 9999): months of 28–31 days, leap years, weeks starting on Monday, BC years.

Drawing rule, shared with the widget through :func:`label_boxes`: every label is left-aligned
:data:`LABEL_OFFSET` px right of its tick. A major label whose period began off-screen is drawn
at the left edge instead (``max(x, 0) + LABEL_OFFSET``: the "sticky" label that keeps the date in
view). :func:`axis_ticks` blanks (``label == ""``) any label that would overlap its neighbour or
pass the right edge, and drops the sticky major tick when its label cannot fit, so the boxes of
the labels that remain never overlap and stay inside [0, width].

Years are aligned the way people count them: AD ticks at multiples of the step (1900, 2000) and
BC ticks at multiples of the step counted in BC years (100 BC = astronomical -99, 200 BC = -199),
so labels read "100 BC", never "101 BC". There is no year zero in that count, so the era
boundary AD 1 is a tick of its own at every step of 5 years or more; the period just after it is
one year short (1–9 for decades), which the overlap check absorbs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple, TypeVar

from desktop.model.calendar import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    SECONDS_PER_DAY,
    WEEKDAY_ABBREVIATIONS,
    civil_from_days,
    from_seconds,
    to_seconds,
)

# Labels start this many pixels right of their tick (or of the left edge for a sticky label), so
# the text does not sit on the gridline.
LABEL_OFFSET = 3.0
# Ticks are never closer than this, whatever ``measure`` and ``min_gap`` say: it bounds the tick
# count by width / 4 even for a measure that returns 0.
MIN_TICK_SPACING = 4.0

_DAYS_PER_COMMON_YEAR = 365

_T = TypeVar("_T")


class RememberedMeasure:
    """A text measure that remembers its answers. The axis shows the same labels frame after
    frame, and measuring one is a text-shaping call into Qt: about 5% of a frame's time at
    100,000 events when every frame measured its labels again. Forgets everything at ``limit``
    texts (labels are few: a view shows tens, a zoom from years to seconds a few thousand)."""

    __slots__ = ("_limit", "_measure", "_widths")

    def __init__(self, measure: Callable[[str], float], limit: int = 4096) -> None:
        self._measure = measure
        self._limit = limit
        self._widths: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= self._limit:
                self._widths.clear()
            width = self._widths[text] = self._measure(text)
        return width


class Tick(NamedTuple):
    seconds: float  # position on the axis
    label: str  # "" for a gridline whose label was left out for lack of room


class AxisTicks(NamedTuple):
    major: tuple[Tick, ...]  # upper row: the period the minor labels sit in, labelled at its start
    minor: tuple[Tick, ...]  # lower row: the gridlines, each labelled right of its line
    minor_level: str  # the chosen level: "hour", "day", "month", "10 years", ... ("" if none fits)


class Level(NamedTuple):
    """One row of the zoom table: how the minor ticks step and what the major row names."""

    name: str
    kind: str  # "clock" (fixed seconds), "day", "week", "month" or "year"
    step: int  # seconds for "clock", months for "month", years for "year"; 1 otherwise
    shortest: float  # seconds in the shortest period of this level, for the fit check
    major_kind: str  # "day", "month" or "year"
    major_step: int  # years per major period when major_kind is "year"


def _plural(count: int, unit: str) -> str:
    return unit if count == 1 else f"{count:,} {unit}s"


def _build_levels() -> tuple[Level, ...]:
    levels = [
        Level(_plural(step, "second"), "clock", step, step, "day", 0) for step in (1, 5, 10, 15, 30)
    ]
    levels += [
        Level(_plural(step, "minute"), "clock", step * 60, step * 60, "day", 0)
        for step in (1, 5, 10, 15, 30)
    ]
    levels += [
        Level(_plural(step, "hour"), "clock", step * 3600, step * 3600, "day", 0)
        for step in (1, 3, 6, 12)
    ]
    levels.append(Level("day", "day", 1, SECONDS_PER_DAY, "month", 0))
    levels.append(Level("week", "week", 1, 7 * SECONDS_PER_DAY, "month", 0))
    # Shortest month, quarter and half-year: February, Jan–Mar and Jan–Jun of a common year.
    for months, days in ((1, 28), (3, 90), (6, 181)):
        shortest = days * SECONDS_PER_DAY
        levels.append(Level(_plural(months, "month"), "month", months, shortest, "year", 1))
    # Years in 1-2-5 steps; each pairs with the next power of ten as its major period (years
    # under decades, decades under centuries, ...), so a major label always spans several minors.
    for power in range(12):
        for mantissa in (1, 2, 5):
            step = mantissa * 10**power
            levels.append(
                Level(
                    _plural(step, "year"),
                    "year",
                    step,
                    step * _DAYS_PER_COMMON_YEAR * SECONDS_PER_DAY,
                    "year",
                    10 ** (power + 1),
                )
            )
    return tuple(levels)


# Finest first, up to 5e11-year steps, which covers the whole ±1e19 s axis.
LEVELS: tuple[Level, ...] = _build_levels()
LEVEL_NAMES: tuple[str, ...] = tuple(level.name for level in LEVELS)


# -- years --------------------------------------------------------------------------------------
def _includes_era_start(step: int) -> bool:
    # AD 1 is a tick at steps of 5 years and up (see the module docstring); at 2-year steps it
    # would sit one year from the AD 2 tick, so that level goes 2 BC → AD 2 instead.
    return step == 1 or step >= 5


def aligned_year_at_or_before(year: int, step: int) -> int:
    """The last tick year of a ``step``-year level at or before ``year`` (astronomical years)."""
    if year >= 1:
        multiple = (year // step) * step
        if multiple >= 1:
            return multiple
        if _includes_era_start(step):
            return 1
        return 1 - step  # the first BC tick: ``step`` BC
    bc = 1 - year
    return 1 - (-(-bc // step)) * step  # round the BC count up to a multiple of step


def aligned_year_after(year: int, step: int) -> int:
    """The first tick year of a ``step``-year level strictly after ``year``."""
    if year >= 1:
        return (year // step + 1) * step
    bc = 1 - year
    next_bc = ((bc - 1) // step) * step  # the largest multiple of step below bc
    if next_bc >= 1:
        return 1 - next_bc
    return 1 if _includes_era_start(step) else step


def _magnitude_text(number: int, step: int) -> str:
    # Multiples of a large step read as words ("2 million", "13.8 billion") with the decimals the
    # step needs, so one level's labels share a format; any other number is written out exactly
    # (thousands separators from 10,000 on), so a month in 1,000,123 BC is not "1 million BC".
    # Label width then grows with the number at every step, which the fit check relies on.
    if number >= 10**9 and step >= 10**7:
        return f"{number / 1e9:,.{_decimals(step, 9)}f} billion"
    if 10**6 <= number < 10**9 and step >= 10**5:
        return f"{number / 1e6:,.{_decimals(step, 6)}f} million"
    if number >= 10_000:
        return f"{number:,}"
    return str(number)


def _decimals(step: int, unit_power: int) -> int:
    return max(0, unit_power - (len(str(step)) - 1))


def year_text(year: int, step: int = 1) -> str:
    """A tick label for an astronomical year: "2024", "1 BC" (year 0), "44 BC" (year -43),
    "10,000 BC", "2 million BC", "13.8 billion BC" (``step`` decides how round it may be);
    "AD 1" among steps of thousands of years, where a bare "1" reads as a count."""
    if year == 1 and step >= 1000:
        return "AD 1"
    if year >= 1:
        return _magnitude_text(year, step)
    return _magnitude_text(1 - year, step) + " BC"


def _number(number: int) -> str:
    return f"{number:,}" if number >= 10_000 else str(number)


def _year_period_formats(start: int, step: int) -> tuple[str, ...]:
    """Labels for the major period of ``step`` years starting at ``start``, longest first."""
    if step == 1:
        return (year_text(start),)
    if step >= 10_000:
        return (_big_period(start, aligned_year_after(start, step), step), year_text(start, step))
    last = aligned_year_after(start, step) - 1
    if start >= 1:
        span = f"{_number(start)}–{_number(last)}"
    else:  # BC periods end by AD 1 at the latest, which is a boundary at these steps
        span = f"{_number(1 - start)}–{_number(1 - last)} BC"
    return (span, year_text(start, step))


def _big_period(start: int, after: int, step: int) -> str:
    """A period of ten thousand years or more, from its first year to the next period's:
    "20 million–10 million BC", "10,000 BC – AD 1", "AD 1 – 10,000", "10,000–20,000". Its
    first year alone ("20 million BC") at the left edge read as where the view begins."""
    if after == 1:
        return f"{year_text(start, step)} – AD 1"
    if after < 1:
        return f"{_magnitude_text(1 - start, step)}–{_magnitude_text(1 - after, step)} BC"
    if start == 1:
        return f"AD 1 – {_magnitude_text(after, step)}"
    return f"{_magnitude_text(start, step)}–{_magnitude_text(after, step)}"


# -- generating one row -------------------------------------------------------------------------
def _clock_text(seconds_of_day: int, with_seconds: bool) -> str:
    hours, rest = divmod(seconds_of_day, 3600)
    minutes, seconds = divmod(rest, 60)
    if with_seconds:
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{hours:02d}:{minutes:02d}"


def _minor_ticks(level: Level, t0: float, t1: float) -> list[tuple[float, str]]:
    """(seconds, label) of the level's ticks in [t0, t1], sorted."""
    out: list[tuple[float, str]] = []
    kind = level.kind
    if kind == "clock":
        # Every clock step divides a day and the epoch is a midnight, so multiples of the step
        # counted from the epoch land on round times of day. Integers keep the labels exact.
        step = level.step
        with_seconds = step < 60
        for k in range(math.ceil(t0 / step), math.floor(t1 / step) + 1):
            out.append((float(k * step), _clock_text((k * step) % SECONDS_PER_DAY, with_seconds)))
    elif kind in ("day", "week"):
        first = math.ceil(t0 / SECONDS_PER_DAY)
        last = math.floor(t1 / SECONDS_PER_DAY)
        if kind == "week":
            first += (4 - first) % 7  # day 4 (1970-01-05) was a Monday
        for day_number in range(first, last + 1, 1 if kind == "day" else 7):
            _, month, day = civil_from_days(day_number)
            label = str(day) if kind == "day" else f"{day} {MONTH_ABBREVIATIONS[month - 1]}"
            out.append((float(day_number * SECONDS_PER_DAY), label))
    elif kind == "month":
        year, month = from_seconds(t0)[:2]
        index = year * 12 + month - 1
        index -= index % level.step
        while True:
            year, month_index = divmod(index, 12)
            seconds = to_seconds(year, month_index + 1)
            if seconds > t1:
                break
            if seconds >= t0:
                out.append((seconds, MONTH_ABBREVIATIONS[month_index]))
            index += level.step
    else:
        step = level.step
        year = aligned_year_at_or_before(from_seconds(t0)[0], step)
        while True:
            seconds = to_seconds(year)
            if seconds > t1:
                break
            if seconds >= t0:
                out.append((seconds, year_text(year, step)))
            year = aligned_year_after(year, step)
    # At huge magnitudes k * step can round just outside the window.
    return _dedupe([tick for tick in out if t0 <= tick[0] <= t1])


def _major_ticks(level: Level, t0: float, t1: float) -> list[tuple[float, tuple[str, ...]]]:
    """(seconds, label formats longest first) of the major periods that meet [t0, t1]: the one
    containing t0 (starting at or before it), then every one starting in (t0, t1]."""
    out: list[tuple[float, tuple[str, ...]]] = []
    kind = level.major_kind
    if kind == "day":
        first = math.floor(t0 / SECONDS_PER_DAY)
        for day_number in range(first, math.floor(t1 / SECONDS_PER_DAY) + 1):
            year, month, day = civil_from_days(day_number)
            weekday = WEEKDAY_ABBREVIATIONS[(day_number + 3) % 7]
            abbreviation = MONTH_ABBREVIATIONS[month - 1]
            year_part = year_text(year)
            formats = (
                f"{weekday} {day} {abbreviation} {year_part}",
                f"{day} {abbreviation} {year_part}",
                f"{day} {abbreviation}",
                str(day),
            )
            out.append((float(day_number * SECONDS_PER_DAY), formats))
    elif kind == "month":
        year, month = from_seconds(t0)[:2]
        index = year * 12 + month - 1
        while True:
            year, month_index = divmod(index, 12)
            seconds = to_seconds(year, month_index + 1)
            if seconds > t1:
                break
            year_part = year_text(year)
            formats = (
                f"{MONTH_NAMES[month_index]} {year_part}",
                f"{MONTH_ABBREVIATIONS[month_index]} {year_part}",
                MONTH_ABBREVIATIONS[month_index],
            )
            out.append((seconds, formats))
            index += 1
    else:
        step = level.major_step
        year = aligned_year_at_or_before(from_seconds(t0)[0], step)
        while True:
            seconds = to_seconds(year)
            if seconds > t1:
                break
            formats = _year_period_formats(year, step)
            if seconds < t0:
                # Begun before the view, its label goes to the left edge (sticky), where its
                # first year alone reads as the date there (a user test saw "1800" over a view
                # from 1890): it is named whole, or not at all.
                formats = (formats[0],) * len(formats)
            out.append((seconds, formats))
            year = aligned_year_after(year, step)
    return _dedupe(out)


def _dedupe(ticks: list[tuple[float, _T]]) -> list[tuple[float, _T]]:
    # Far from the epoch two calendar dates can round to the same float; keep the first.
    if len(ticks) < 2:
        return ticks
    out = [ticks[0]]
    for tick in ticks[1:]:
        if tick[0] > out[-1][0]:
            out.append(tick)
    return out


def _label_samples(level: Level, t0: float, t1: float) -> tuple[str, ...]:
    """Labels at least as wide as any the level shows in [t0, t1] (for a monospace measure; a
    proportional font can differ by a digit's width, which the overlap check absorbs)."""
    kind = level.kind
    if kind == "clock":
        return ("00:00:00", "23:59:59") if level.step < 60 else ("00:00", "23:59")
    if kind == "day":
        return ("28", "31")
    if kind == "week":
        return tuple(f"28 {abbreviation}" for abbreviation in MONTH_ABBREVIATIONS)
    if kind == "month":
        return MONTH_ABBREVIATIONS
    # Year labels grow with the distance from AD 1 on each side, so the widest tick label is that
    # of the first or the last tick; the aligned years at or before t0 and t1 bound both.
    step = level.step
    first = aligned_year_at_or_before(from_seconds(t0)[0], step)
    last = aligned_year_at_or_before(from_seconds(t1)[0], step)
    return (year_text(first, step), year_text(last, step))


# -- placing labels -----------------------------------------------------------------------------
def _x(seconds: float, t0: float, t1: float, width: float) -> float:
    # The expression TimeScale.x uses, so the boxes here are where the widget draws.
    return (seconds - t0) * width / (t1 - t0)


def _check_window(t0: float, t1: float, width: float) -> None:
    if not (math.isfinite(t0) and math.isfinite(t1) and math.isfinite(width)):
        raise ValueError("non-finite axis window")
    if not t1 > t0:
        raise ValueError(f"empty time window: t1={t1!r} <= t0={t0!r}")
    if not width > 0:
        raise ValueError(f"width must be positive, not {width!r}")


def choose_level(
    t0: float, t1: float, width: float, measure: Callable[[str], float], min_gap: float = 8.0
) -> Level | None:
    """The finest level whose widest label plus ``min_gap`` fits its shortest period."""
    _check_window(t0, t1, width)
    seconds_per_pixel = (t1 - t0) / width
    least = max(MIN_TICK_SPACING, min_gap)
    for level in LEVELS:
        spacing = level.shortest / seconds_per_pixel
        if spacing < least:
            continue  # too dense for any label: skip without measuring
        widest = max(measure(sample) for sample in _label_samples(level, t0, t1))
        if spacing >= widest + min_gap:
            return level
    return None


def axis_ticks(
    t0: float, t1: float, width: float, measure: Callable[[str], float], min_gap: float = 8.0
) -> AxisTicks:
    """The ticks and labels of the window [t0, t1] drawn ``width`` pixels wide.

    ``measure`` gives a label's width in pixels (the widget passes its font metrics); labels in a
    row stay at least ``min_gap`` px apart where the level's spacing allows, and never overlap.
    """
    _check_window(t0, t1, width)
    # Labels repeat within one call ("Jan" in every year); the widget's measure is a Qt call.
    measured = measure if isinstance(measure, RememberedMeasure) else RememberedMeasure(measure)
    level = choose_level(t0, t1, width, measured, min_gap)
    if level is None:
        return AxisTicks((), (), "")
    minor = _place_minor(_minor_ticks(level, t0, t1), t0, t1, width, measured, min_gap)
    major = _place_major(_major_ticks(level, t0, t1), t0, t1, width, measured, min_gap)
    return AxisTicks(major, minor, level.name)


def _place_minor(
    ticks: list[tuple[float, str]],
    t0: float,
    t1: float,
    width: float,
    measure: Callable[[str], float],
    min_gap: float,
) -> tuple[Tick, ...]:
    # The level was chosen so that labels are min_gap apart; half of it is the hard floor, which
    # only irregular spots (the short period after AD 1, a wide proportional digit) ever meet.
    floor_gap = min_gap / 2
    out = []
    previous_right = -math.inf
    for seconds, label in ticks:
        left = _x(seconds, t0, t1, width) + LABEL_OFFSET
        right = left + measure(label)
        if right > width or left < previous_right + floor_gap:
            label = ""
        else:
            previous_right = right
        out.append(Tick(seconds, label))
    return tuple(out)


def _place_major(
    ticks: list[tuple[float, tuple[str, ...]]],
    t0: float,
    t1: float,
    width: float,
    measure: Callable[[str], float],
    min_gap: float,
) -> tuple[Tick, ...]:
    if not ticks:
        return ()
    sticky: tuple[float, tuple[str, ...]] | None = None
    if _x(ticks[0][0], t0, t1, width) < 0:
        sticky, ticks = ticks[0], ticks[1:]
    lefts = [_x(seconds, t0, t1, width) + LABEL_OFFSET for seconds, _ in ticks]
    count = len(sticky[1] if sticky is not None else ticks[0][1])  # formats per label

    # The longest format with which the on-screen labels keep min_gap apart (labels that pass the
    # right edge are left out of the test: they get their own fallback below).
    chosen = count - 1
    for index in range(count):
        previous_right = -math.inf
        fits = True
        for left, (_, formats) in zip(lefts, ticks, strict=True):
            right = left + measure(formats[index])
            if right > width:
                continue
            if left < previous_right + min_gap:
                fits = False
                break
            previous_right = right
        if fits:
            chosen = index
            break

    out: list[Tick] = []
    previous_right = -math.inf
    for left, (seconds, formats) in zip(lefts, ticks, strict=True):
        label = ""
        if left >= previous_right + min_gap / 2:
            # The last label may be cut by the right edge: a shorter format may still fit.
            for text in formats[chosen:]:
                right = left + measure(text)
                if right <= width:
                    label, previous_right = text, right
                    break
        out.append(Tick(seconds, label))

    if sticky is not None:
        # The sticky label sits at the left edge and must end before the first on-screen label.
        limit = width
        for left, tick in zip(lefts, out, strict=True):
            if tick.label:
                limit = left - min_gap
                break
        for text in sticky[1][chosen:]:
            if LABEL_OFFSET + measure(text) <= limit:
                out.insert(0, Tick(sticky[0], text))
                break
    return tuple(out)


def label_boxes(
    ticks: AxisTicks,
    scale_t0: float,
    scale_t1: float,
    width: float,
    measure: Callable[[str], float],
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The [left, right] pixel interval of every non-empty label, per row (major, minor), in tick
    order: the i-th box belongs to the i-th tick whose label is not "".

    Major labels start at ``max(x, 0) + LABEL_OFFSET`` (sticky at the left edge), minor labels at
    ``x + LABEL_OFFSET``; the widget draws them exactly there.
    """
    _check_window(scale_t0, scale_t1, width)
    major = []
    for tick in ticks.major:
        if tick.label:
            left = max(_x(tick.seconds, scale_t0, scale_t1, width), 0.0) + LABEL_OFFSET
            major.append((left, left + measure(tick.label)))
    minor = []
    for tick in ticks.minor:
        if tick.label:
            left = _x(tick.seconds, scale_t0, scale_t1, width) + LABEL_OFFSET
            minor.append((left, left + measure(tick.label)))
    return major, minor
