"""Shared by the tests of the foreign formats: fixture paths and Hypothesis strategies."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import strategies as st

from desktop.formats.errors import FormatError, Problem
from desktop.model.calendar import days_in_month
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import Era, Event, Lane, Reference, Timeline

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def problems_of(read: object, text: str) -> list[Problem]:
    with pytest.raises(FormatError) as caught:
        read(text)  # type: ignore[operator]
    return caught.value.problems


def by_id(timeline: Timeline) -> dict[str, Event]:
    return {event.id: event for event in timeline.events}


# -- strategies -----------------------------------------------------------------------------

# Words without markup characters, so text survives formats that hold HTML or plain text alike.
words = st.text(
    st.characters(codec="utf-8", categories=("L", "N"), include_characters=" .,;:'\"!?&-"),
    max_size=30,
)
ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
lane_names = st.from_regex(r"[A-Z][a-z]{0,8}( [A-Z][a-z]{0,8})?", fullmatch=True)
colors = st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)
urls = st.sampled_from(["https://example.invalid/a?b=c&d=é", "https://pap.pl/en/news/x"])


@st.composite
def points(
    draw: st.DrawFn,
    precisions: tuple[Precision, ...] = tuple(Precision),
    zones: tuple[str | None, ...] = (None, "Z", "+05:30", "Europe/Warsaw"),
    years: st.SearchStrategy[int] | None = None,
    qualifiers: bool = True,
) -> TimePoint:
    if years is None:
        years = st.one_of(st.integers(-9999, 9999), st.integers(-(10**10), 10**10))
    year = draw(years)
    precision = draw(st.sampled_from(precisions))
    if abs(year) > 10**8:  # floats cannot tell minutes apart that far out
        precision = min(precision, Precision.DAY)
    month = draw(st.integers(1, 12))
    parts = (
        year,
        month,
        draw(st.integers(1, days_in_month(year, month))),
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
    )
    zone = draw(st.sampled_from(zones)) if precision >= Precision.HOUR else None
    return TimePoint.from_parts(
        parts,
        precision,
        approximate=qualifiers and draw(st.booleans()),
        uncertain=qualifiers and draw(st.booleans()),
        zone=zone,
    )


@st.composite
def spans(draw: st.DrawFn, point_strategy: st.SearchStrategy[TimePoint] | None = None) -> DateSpan:
    strategy = points() if point_strategy is None else point_strategy
    start = draw(strategy)
    if draw(st.booleans()):
        return DateSpan(start)
    end = draw(strategy)
    if end.start_seconds() < start.start_seconds():
        start, end = end, start
    return DateSpan(start, end)


@st.composite
def timelines(
    draw: st.DrawFn,
    span_strategy: st.SearchStrategy[DateSpan] | None = None,
    bodies: st.SearchStrategy[str] | None = None,
) -> Timeline:
    """Timelines with unique, non-blank lane names (foreign formats name lanes, not ids)."""
    names = draw(st.lists(lane_names, max_size=4, unique=True))
    lanes = tuple(
        Lane(id=f"lane-{index}", name=name, color=draw(colors)) for index, name in enumerate(names)
    )
    dates = spans() if span_strategy is None else span_strategy
    if bodies is None:
        bodies = words.map(lambda text: f"<p>{text}</p>" if text.strip() else "")
    events = tuple(
        Event(
            id=event_id,
            title=draw(words),
            when=draw(dates),
            summary=draw(words),
            body=draw(bodies),
            place=draw(words),
            lane=draw(st.sampled_from(["", *(lane.id for lane in lanes)])),
            references=tuple(
                draw(
                    st.lists(
                        st.builds(Reference, url=urls, title=words, publisher=words), max_size=2
                    )
                )
            ),
            display_date=draw(st.sampled_from(["", "early that year", "26 February 2024"])),
        )
        for event_id in draw(st.lists(ids, max_size=8, unique=True))
    )
    eras = tuple(
        Era(name=draw(words), span=draw(dates), color=draw(colors))
        for _ in range(draw(st.integers(0, 2)))
    )
    return Timeline(title=draw(words), summary=draw(words), events=events, lanes=lanes, eras=eras)
