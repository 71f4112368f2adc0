"""Shared by the tests of the foreign formats: fixture paths, Hypothesis strategies, checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from desktop.formats import timelinejs
from desktop.formats.errors import FormatError, Problem
from desktop.model.calendar import days_in_month
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import (
    Confidence,
    Era,
    Event,
    EventColumns,
    Lane,
    Provenance,
    Reference,
    Timeline,
)

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


# -- TimelineJS events as files in the wild hold them ---------------------------------------

part_values = st.one_of(
    st.integers(-3, 70),
    st.integers(-300_000, 300_000),
    st.integers(1, 12).map(str),
    st.integers(1, 31).map(lambda n: f"{n:02d}"),
    st.sampled_from(["", " ", " 7", "007", "+5", "-44", "2024.0", "x", "1_0", "٣"]),
    st.sampled_from([None, True, False, 2024.0, 3.5, [1], 10**7, 2_000_000_000]),
)


def rarely(draw: st.DrawFn, one_in: int, messy: bool = True) -> bool:
    return messy and draw(st.integers(1, one_in)) == 1


@st.composite
def date_objects(draw: st.DrawFn, year: int, messy: bool) -> Any:
    if rarely(draw, 25, messy):
        return draw(st.sampled_from([None, "", "2024", [], {}]))
    precision = draw(st.integers(0, 5))
    month = draw(st.integers(1, 12))
    values = [year, month, draw(st.integers(1, 28)), draw(st.integers(0, 23)),
              draw(st.integers(0, 59)), draw(st.integers(0, 59))]  # fmt: skip
    as_text = draw(st.booleans())
    date: dict[str, Any] = {
        name: (str(value) if as_text else value)
        for name, value in zip(timelinejs.PART_NAMES[: precision + 1], values, strict=False)
    }
    if rarely(draw, 8, messy):  # something odd in one part
        date[draw(st.sampled_from(timelinejs.PART_NAMES))] = draw(part_values)
    if rarely(draw, 10):  # read by the careful reader, but no problem
        date["display_date"] = draw(st.sampled_from(["", " Spring "]))
    if rarely(draw, 20):
        date["millisecond"] = "5"
    return date


headlines = st.one_of(
    words,
    st.sampled_from(["", "  ", " Two  spaces ", "<b>Bold</b> move", "A &amp; B", "tab\there",
                     "line\nbreak", "non\xa0breaking", "wide 🎉"]),
)  # fmt: skip


@st.composite
def timelinejs_events(draw: st.DrawFn, messy: bool) -> Any:
    """An event as TimelineJS files write them; ``messy`` ones may hold what cannot be read."""
    if rarely(draw, 60, messy):
        return draw(st.sampled_from([None, "event", 5, []]))
    year = draw(st.one_of(st.integers(1990, 1995), st.integers(-50, 50)))
    item: dict[str, Any] = {}
    if not rarely(draw, 40, messy):
        item["start_date"] = draw(date_objects(year, messy))
    if rarely(draw, 3):
        later = draw(st.integers(0, 2) if messy else st.integers(1, 2))
        item["end_date"] = draw(date_objects(year + later, messy))
    if rarely(draw, 30):
        item["text"] = draw(st.sampled_from([None, ""] + (["headline", []] if messy else [])))
    elif not rarely(draw, 30):
        text: dict[str, Any] = {"headline": draw(headlines)}
        if rarely(draw, 30):
            text["headline"] = draw(st.sampled_from([None, 5] + ([True] if messy else [])))
        if draw(st.booleans()):
            text["text"] = draw(st.sampled_from(["<p>Body</p>", "  spaced  ", "", None, 3]))
        item["text"] = text
    if draw(st.booleans()):
        groups = ["Politics", " Politics ", "Sport", "", None, 1, 1.5]
        item["group"] = draw(st.sampled_from(groups + ([True, ["x"]] if messy else [])))
    if not rarely(draw, 4):
        item["unique_id"] = draw(
            st.sampled_from([f"e{n}" for n in range(12)] + ["", "  ", None, 3, 2.5, "event-2"])
            if rarely(draw, 5)
            else st.uuids().map(str)
        )
        if rarely(draw, 20, messy):
            item["unique_id"] = False
    if rarely(draw, 6):
        displays = ["Late 1990", "  ", "", None, 12]
        item["display_date"] = draw(st.sampled_from(displays + (["x"] if messy else [])))
    if rarely(draw, 6):
        media = [None, "", {}, {"url": " https://example.invalid/a "},
                 {"caption": "<i>Photo</i>", "credit": "AP"}]  # fmt: skip
        item["media"] = draw(st.sampled_from(media + ([{"url": True}, "x"] if messy else [])))
    if rarely(draw, 6):
        item["background"] = {"color": "#123456"}
    return item


timelinejs_event_lists = st.booleans().flatmap(
    lambda messy: st.lists(timelinejs_events(messy), max_size=12)
)


def assert_same_timeline(careful: Timeline, fast: Timeline) -> None:
    assert fast == careful
    assert [event.id for event in fast.events] == [event.id for event in careful.events]
    assert fast.lanes == careful.lanes
    assert fast.lane_order() == careful.lane_order()
    assert list(fast.index.starts) == list(careful.index.starts)
    assert list(fast.index.ends) == list(careful.index.ends)
    for column in EventColumns._fields:
        assert list(getattr(fast.columns, column)) == list(getattr(careful.columns, column))


# -- native documents as this program writes them, plain, unusual or wrong -------------------

native_names = st.text(min_size=1, max_size=20)
native_html = st.builds(
    lambda a, b: (
        f"<p>{a} &ldquo;quoted&rdquo;</p><p><a href='https://x.invalid/?a=1&amp;b=2'>{b}</a></p>"
    ),
    st.text(max_size=40),
    st.text(max_size=40),
)
NATIVE_ZONES = (None, "Z", "+05:30", "-03:00", "Europe/Warsaw")
NATIVE_LANE_IDS = ("politics", "sport")
# Points as desktop.model.dates.plain_span() reads them without DateSpan.parse().
plain_points = points(zones=(None,), years=st.integers(0, 9999), qualifiers=False)


# Fields that make an event other than plain, read without a problem…
UNUSUAL = [{"summary": "s"}, {"tags": ["t"]}, {"display_date": "Spring"}, {"body": None},
           {"lane": None}, {"provenance": None, "confidence": ""}, {"date": "2024~/2025-06?"},
           {"date": "2024-02-26T10:00Z"}, {"lane": ""}]  # fmt: skip
# …and with one.
WRONG = [{"body": 5}, {"lane": 3}, {"lane": ["politics"]}, {"lane": "x"}, {"title": ""},
         {"title": None}, {"id": 7}, {"date": "2025/2024"}, {"date": "2023-02-29"},
         {"date": ""}, {"provenance": "rumour"}, {"provenance": 3},
         {"confidence": ["high"]}]  # fmt: skip


@st.composite
def native_events(draw: st.DrawFn, plain: bool) -> Any:
    """An event as this program writes it; unless ``plain``, one may be unusual (1 in 3) or
    wrong (1 in 20)."""
    if not plain and draw(st.integers(1, 40)) == 1:
        return draw(st.sampled_from([None, "event", 5, []]))
    dates = spans(plain_points if plain or draw(st.booleans()) else points(zones=NATIVE_ZONES))
    item: dict[str, Any] = {
        "id": draw(native_names),
        "title": draw(native_names),
        "date": draw(dates).isoformat(),
    }
    if draw(st.booleans()):
        item["lane"] = draw(st.sampled_from(NATIVE_LANE_IDS))
    if draw(st.booleans()):
        item["body"] = draw(native_html)
    for field, kind in (("provenance", Provenance), ("confidence", Confidence)):
        if draw(st.booleans()):
            item[field] = draw(st.sampled_from([member.value for member in kind]))
    if not plain and draw(st.integers(1, 3)) == 1:
        item |= draw(st.sampled_from(UNUSUAL))
    if not plain and draw(st.integers(1, 20)) == 1:
        item |= draw(st.sampled_from(WRONG))
    return item
