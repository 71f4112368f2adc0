"""The compact event store: events rebuilt exactly, the fast TimelineJS path equal to the careful
one, sorting with ties, and the memory a big timeline takes."""

from __future__ import annotations

import gc
import json
import random
import tracemalloc
from array import array
from typing import Any

import pytest
from formats_helpers import (
    assert_same_timeline,
    spans,
    timelinejs_event_lists,
    words,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats import timelinejs
from desktop.formats.errors import FormatError
from desktop.model.dates import DateSpan, Precision
from desktop.model.store import CHUNK, EventStore, PackedStrings, PackedStringsBuilder
from desktop.model.timeline import (
    STORE_MIN_EVENTS,
    Confidence,
    Event,
    EventColumns,
    Lane,
    ModelError,
    Provenance,
    Reference,
    Timeline,
)

# -- packed strings -------------------------------------------------------------------------

# Now and then the separator the packing uses itself.
texts = st.text(st.characters(codec="utf-8"), max_size=12)


@given(st.lists(texts, max_size=2 * CHUNK + 5))
def test_packed_strings_read_back_what_was_appended(strings: list[str]) -> None:
    builder = PackedStringsBuilder()
    half = len(strings) // 2
    for text in strings[:half]:
        builder.append(text)
    builder.extend(strings[half:])
    packed = builder.build()
    assert len(packed) == len(strings)
    assert list(packed) == strings
    assert packed.tolist() == strings
    assert packed == strings
    if strings:
        assert packed[-1] == strings[-1]
        assert packed[1:3] == strings[1:3]
    with pytest.raises(IndexError):
        packed[len(strings)]


def test_packed_strings_follow_an_order() -> None:
    builder = PackedStringsBuilder()
    builder.extend(["zero", "one", "", "three"])
    packed = builder.build(array("I", [3, 0, 2, 1]))
    assert list(packed) == ["three", "zero", "", "one"]
    assert packed.tolist() == ["three", "zero", "", "one"]
    assert [packed[i] for i in range(4)] == ["three", "zero", "", "one"]


def test_one_wide_character_widens_only_its_chunk() -> None:
    import sys

    builder = PackedStringsBuilder()
    builder.extend(["plain text"] * (3 * CHUNK))
    builder.append("emoji 🎉")
    packed = builder.build()
    chunks = packed._chunks
    assert [sys.getsizeof(chunk) > 4 * len(chunk) for chunk in chunks] == [False] * 3 + [True]


# -- the store rebuilds events exactly ------------------------------------------------------

lane_ids = st.sampled_from(["", "a", "b", "c"])


@st.composite
def events(draw: st.DrawFn, event_id: str) -> Event:
    rare = draw(st.booleans())
    return Event(
        id=event_id,
        title=draw(words),
        when=draw(spans()),
        body=draw(words),
        lane=draw(lane_ids),
        summary=draw(words) if rare else "",
        actors=tuple(draw(st.lists(words, max_size=2))) if rare else (),
        place=draw(words) if rare else "",
        tags=tuple(draw(st.lists(words, max_size=2))) if rare else (),
        references=(Reference(quote=draw(words), url="https://example.invalid/x"),)
        if rare and draw(st.booleans())
        else (),
        provenance=draw(st.sampled_from(Provenance)) if rare else Provenance.UNKNOWN,
        confidence=draw(st.sampled_from(Confidence)) if rare else Confidence.UNKNOWN,
        display_date=draw(words) if rare else "",
    )


@st.composite
def event_lists(draw: st.DrawFn, max_size: int = 25) -> list[Event]:
    names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True), unique=True,
                          max_size=max_size))  # fmt: skip
    return [draw(events(name)) for name in names]


LANES = (Lane("a", "A"), Lane("b", "B"), Lane("c", "C"))


def by_start(items: list[Event]) -> list[Event]:
    return sorted(items, key=lambda event: event.when.start_seconds())  # stable: ties in order


@settings(max_examples=200, deadline=None)
@given(event_lists())
def test_the_store_rebuilds_every_event_exactly(items: list[Event]) -> None:
    store = EventStore.from_events(items)
    expected = by_start(items)
    assert len(store) == len(expected)
    for position, event in enumerate(expected):
        rebuilt = store[position]
        assert rebuilt == event
        # Equal is not enough where types matter: parts are ints, precision an enum.
        for point, original in ((rebuilt.start, event.start), (rebuilt.end, event.end)):
            if point is not None and original is not None:
                assert type(point.second) is int
                assert point.precision is original.precision
                assert point.isoformat() == original.isoformat()
    assert list(store) == expected
    assert store == tuple(expected) and tuple(expected) == store
    assert hash(store) == hash(tuple(expected))
    assert list(store.starts) == [event.when.start_seconds() for event in expected]
    assert list(store.ends) == [event.when.end_seconds() for event in expected]


@settings(max_examples=100, deadline=None)
@given(event_lists())
def test_a_stored_timeline_equals_the_tuple_one(items: list[Event]) -> None:
    small = Timeline(title="t", events=tuple(items), lanes=LANES)
    stored = Timeline(title="t", events=EventStore.from_events(items), lanes=LANES)
    assert isinstance(small.events, tuple) and isinstance(stored.events, EventStore)
    assert stored == small and small == stored
    assert stored.lane_order() == small.lane_order()
    assert list(stored.index.starts) == list(small.index.starts)
    assert list(stored.index.ends) == list(small.index.ends)
    assert stored.index.max_end == small.index.max_end
    for column in EventColumns._fields:
        assert list(getattr(stored.columns, column)) == list(getattr(small.columns, column))
    for event in small.events:
        assert stored.event(event.id) == event
    assert stored.extent() == small.extent()


def test_the_lane_slots_follow_the_declared_lane_order() -> None:
    items = [
        Event(id="x", title="X", when=DateSpan.parse("2024"), lane="c"),
        Event(id="y", title="Y", when=DateSpan.parse("2025")),
        Event(id="z", title="Z", when=DateSpan.parse("2026"), lane="a"),
    ]
    timeline = Timeline(title="t", events=EventStore.from_events(items), lanes=LANES)
    assert timeline.lane_order() == ("a", "b", "c", "")
    assert list(timeline.columns.lane_slots) == [2, 3, 0]
    with pytest.raises(ModelError, match="not declared"):
        Timeline(title="t", events=EventStore.from_events(items), lanes=LANES[:2])


def test_big_timelines_keep_a_store_and_small_ones_a_tuple() -> None:
    def build(count: int) -> Timeline:
        return Timeline(
            title="t",
            events=tuple(
                Event(id=f"e{n}", title=f"E {n}", when=DateSpan.parse(f"{2000 + n % 50}"))
                for n in range(count)
            ),
        )

    assert isinstance(build(10).events, tuple)
    big = build(STORE_MIN_EVENTS)
    assert isinstance(big.events, EventStore)
    assert [event.id for event in big.events[:3]] == ["e0", "e50", "e100"]  # ties in order
    with pytest.raises(ModelError, match="used twice"):
        EventStore.from_events([big.events[0], big.events[0]])


def test_repeated_reads_return_the_same_object() -> None:
    items = [Event(id=f"e{n}", title="E", when=DateSpan.parse("2024")) for n in range(5)]
    store = EventStore.from_events(items)
    assert store[3] is store[3]
    assert store[-1] is store[4]
    with pytest.raises(IndexError):
        store[5]


# -- the fast TimelineJS path equals the careful one ----------------------------------------


def read_both(data: dict[str, Any]) -> tuple[Timeline | list[Any], Timeline | list[Any]]:
    """(the careful reading, the fast reading): a Timeline, or the problems found."""
    text = json.dumps(data, indent=1)
    results: list[Timeline | list[Any]] = []
    for careful in (True, False):
        try:
            results.append(
                timelinejs.timeline_from_timelinejs(
                    json.loads(text), text, careful=careful, consume=not careful
                )
            )
        except FormatError as error:
            results.append(error.problems)
    return results[0], results[1]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelinejs_event_lists)
def test_the_fast_path_reads_as_the_careful_one(items: list[Any]) -> None:
    careful, fast = read_both({"title": {"text": {"headline": "T"}}, "events": items})
    if isinstance(careful, list):
        assert fast == careful  # the same problems, at the same places
    else:
        assert isinstance(fast, Timeline)
        assert_same_timeline(careful, fast)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32), st.integers(CHUNK - 2, 2 * CHUNK + 40), st.booleans())
def test_the_fast_path_over_several_chunks(seed: int, count: int, odd: bool) -> None:
    rng = random.Random(seed)
    items: list[Any] = []
    for number in range(count):
        year, precision = rng.randint(1990, 1992), rng.randint(0, 5)
        values = [year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                  rng.randint(0, 59), rng.randint(0, 59)]  # fmt: skip
        as_text = rng.random() < 0.7
        date = {
            name: str(value) if as_text else value
            for name, value in zip(timelinejs.PART_NAMES[: precision + 1], values, strict=False)
        }
        item: dict[str, Any] = {
            "start_date": date,
            "text": {"headline": f"Event {number % 50}", "text": "<p>x</p>"},
            "group": rng.choice(["", "Politics", "Sport"]),
            "unique_id": f"id-{number}",
        }
        if rng.random() < 0.2:
            item["end_date"] = {"year": str(year + 1)}
        if odd and rng.random() < 0.01:  # now and then one for the careful reader
            item["display_date"] = "Some day"
            item["text"]["headline"] = "A <b>bold</b> &amp; wide 🎉 title"
        items.append(item)
    careful, fast = read_both({"events": items})
    assert isinstance(careful, Timeline) and isinstance(fast, Timeline)
    assert_same_timeline(careful, fast)


def test_the_fast_path_sorts_with_ties_in_file_order() -> None:
    items = [
        {"start_date": {"year": year, "month": month}, "text": {"headline": name},
         "unique_id": name}
        for name, year, month in [
            ("late", "2025", "3"), ("first", "2024", "1"), ("tie-a", "2024", "6"),
            ("tie-b", "2024", "6"), ("year", "2024", ""), ("tie-c", "2024", "06"),
        ]
    ]  # fmt: skip
    careful, fast = read_both({"events": items})
    assert isinstance(careful, Timeline) and isinstance(fast, Timeline)
    expected = ["first", "year", "tie-a", "tie-b", "tie-c", "late"]
    assert [event.id for event in fast.events] == expected
    assert fast.events[1].start.precision is Precision.YEAR
    assert_same_timeline(careful, fast)


def test_the_fast_path_keeps_far_years_exact() -> None:
    items = [
        {"start_date": {"year": "-13800000000"}, "text": {"headline": "Big Bang"}},
        {"start_date": {"year": -4_540_000_000}, "end_date": {"year": "-4000000000"},
         "text": {"headline": "Hadean"}},
        {"start_date": {"year": "-2000000", "month": "3"}, "text": {"headline": "Far"}},
        {"start_date": {"year": 1_500_000, "month": 3, "day": 1, "hour": 5},
         "text": {"headline": "Later"}},
        {"start_date": {"year": "-0044", "month": "03", "day": "15"}, "text": {"headline": "Ides"}},
    ]  # fmt: skip
    careful, fast = read_both({"events": items, "scale": "cosmological"})
    assert isinstance(careful, Timeline) and isinstance(fast, Timeline)
    assert_same_timeline(careful, fast)
    # As TimelineJS shows them: 13,800,000,000 BC and 4,000,000,000 BC, astronomically one later.
    assert fast.events[0].start.year == -13_799_999_999
    assert fast.events[1].end is not None and fast.events[1].end.year == -3_999_999_999


def test_the_fast_path_frees_the_json_it_read() -> None:
    data = {"events": [{"start_date": {"year": "2024"}, "text": {"headline": "A"}}] * 3}
    timeline = timelinejs.timeline_from_timelinejs(data, json.dumps(data), consume=True)
    assert data["events"] == [None, None, None]
    assert [event.id for event in timeline.events] == ["event-1", "event-2", "event-3"]


# -- memory ---------------------------------------------------------------------------------


def generated(count: int) -> dict[str, Any]:
    return {
        "events": [
            {
                "start_date": {
                    "year": str(1960 + n % 60),
                    "month": str(1 + n % 12),
                    "day": str(1 + n % 28),
                },
                "text": {"headline": f"Summit talks number {n}", "text": f"<p>Body {n}.</p>"},
                "group": f"Lane {n % 7}",
                "unique_id": f"e{n}",
            }
            for n in range(count)
        ]
    }


def test_a_big_timeline_is_compact_and_builds_no_events(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 100_000
    data = generated(count)
    built = 0
    original = Event.__new__

    def counting(cls: type[Event], *args: Any, **kwargs: Any) -> Event:
        nonlocal built
        built += 1
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(Event, "__new__", counting)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        timeline = timelinejs.timeline_from_timelinejs(data, "", consume=True)
        del data
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert built == 0
    assert len(timeline.events) == count
    # Text is about 50 characters an event; the numbers, lanes and flags about 45 bytes. A
    # tuple of Event objects takes some 1.5 kB an event.
    assert kept < 200 * count, kept / count
    assert isinstance(timeline.columns.titles, PackedStrings)
    assert timeline.events[0].title.startswith("Summit talks number")
