"""The event model: sorting, validation, immutability, and the range index against brute force."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop.model.calendar import SECONDS_PER_DAY, to_seconds
from desktop.model.dates import DateSpan, TimePoint
from desktop.model.index import EventIndex
from desktop.model.timeline import (
    Confidence,
    Era,
    Event,
    Lane,
    ModelError,
    Provenance,
    Reference,
    SourceDocument,
    Timeline,
    check_color,
)


def event(event_id: str, date: str, **fields: object) -> Event:
    return Event(id=event_id, title=event_id.title(), when=DateSpan.parse(date), **fields)


# -- Timeline -----------------------------------------------------------------------------


def test_events_are_sorted_by_start() -> None:
    timeline = Timeline(
        title="t",
        events=(event("c", "2024-12-12"), event("a", "-0043-03-15"), event("b", "2024-02")),
    )
    assert [e.id for e in timeline.events] == ["a", "b", "c"]
    assert list(timeline.index.starts) == sorted(timeline.index.starts)


def test_ties_keep_source_order() -> None:
    same_day = [event(name, "2024-12-12") for name in ("warsaw", "berlin", "finance", "aaa")]
    timeline = Timeline(title="t", events=(event("later", "2025"), *same_day))
    assert [e.id for e in timeline.events] == ["warsaw", "berlin", "finance", "aaa", "later"]


@given(
    st.lists(
        st.tuples(st.integers(-3, 3), st.sampled_from(["Y", "M", "D"])), min_size=0, max_size=30
    )
)
def test_sorting_is_stable(keys: list[tuple[int, str]]) -> None:
    # Several precisions that start on the same instant (2024, 2024-01, 2024-01-01) tie too.
    texts = {"Y": "{}", "M": "{}-01", "D": "{}-01-01"}
    events = tuple(
        event(f"e{i}", texts[kind].format(2020 + year)) for i, (year, kind) in enumerate(keys)
    )
    timeline = Timeline(title="t", events=events)
    expected = sorted(range(len(events)), key=lambda i: (2020 + keys[i][0], i))
    assert [e.id for e in timeline.events] == [f"e{i}" for i in expected]
    for position, item in enumerate(timeline.events):
        assert timeline.event(item.id) is item
        assert timeline.index.position(item.id) == position


def test_duplicate_event_ids_are_refused() -> None:
    with pytest.raises(ModelError, match="'a' is used twice"):
        Timeline(title="t", events=(event("a", "2024"), event("a", "2025")))


def test_duplicate_lane_ids_are_refused() -> None:
    with pytest.raises(ModelError, match="lane id 'x'"):
        Timeline(title="t", events=(), lanes=(Lane("x", "X"), Lane("x", "Y")))


def test_undeclared_lanes_are_refused() -> None:
    with pytest.raises(ModelError, match="not declared"):
        Timeline(title="t", events=(event("a", "2024", lane="nowhere"),), lanes=(Lane("x", "X"),))


@pytest.mark.parametrize("color", ["red", "#12345", "#1234567", "#GGGGGG", "123456", "", "#fff"])
def test_bad_colours_are_refused(color: str) -> None:
    with pytest.raises(ModelError, match="colour"):
        Lane("x", "X", color=color)
    with pytest.raises(ModelError, match="colour"):
        Era("e", DateSpan.parse("2024"), color=color)
    with pytest.raises(ModelError):
        check_color(color, "thing")


def test_colours_are_normalised_to_upper_case() -> None:
    assert Lane("x", "X", color="#0072b2").color == "#0072B2"
    assert Era("e", DateSpan.parse("2024"), color="#fce9d2").color == "#FCE9D2"


def test_model_error_is_a_value_error() -> None:
    assert issubclass(ModelError, ValueError)


def test_lane_order_appends_the_default_lane_when_used() -> None:
    lanes = (Lane("b", "B"), Lane("a", "A"))
    with_default = Timeline(title="t", events=(event("x", "2024"),), lanes=lanes)
    assert with_default.lane_order() == ("b", "a", "")
    all_placed = Timeline(title="t", events=(event("x", "2024", lane="a"),), lanes=lanes)
    assert all_placed.lane_order() == ("b", "a")
    assert all_placed.lane("a") == Lane("a", "A")
    assert all_placed.lane("zzz") is None


def test_extent_and_initial_range() -> None:
    events = (event("a", "2024-02-26"), event("b", "2024-06-07/2024-07~"), event("c", "2024-03"))
    era = Era("before", DateSpan.parse("2023-12-31"))
    timeline = Timeline(title="t", events=events, eras=(era,))
    assert timeline.extent() == (to_seconds(2023, 12, 31), to_seconds(2024, 8, 1))
    assert timeline.initial_range() == timeline.extent()
    view = DateSpan.parse("2024-02-26/2024-12-12")
    viewed = Timeline(title="t", events=events, eras=(era,), view=view)
    assert viewed.initial_range() == (to_seconds(2024, 2, 26), to_seconds(2024, 12, 13))
    assert Timeline(title="empty", events=()).extent() is None
    assert Timeline(title="empty", events=()).initial_range() is None


def test_event_helpers() -> None:
    span = event("a", "2024-02-27/2024-02-28", display_date="27–28 February 2024")
    assert span.is_span
    assert span.start == TimePoint(2024, 2, 27)
    assert span.end == TimePoint(2024, 2, 28)
    assert span.date_text() == "27–28 February 2024"
    point = event("b", "2024-07~")
    assert not point.is_span
    assert point.end is None
    assert point.date_text() == "about July 2024"


def test_unknown_event_id() -> None:
    timeline = Timeline(title="t", events=(event("a", "2024"),))
    with pytest.raises(KeyError):
        timeline.event("zzz")


def test_provenance_labels_and_values() -> None:
    assert Provenance("article") is Provenance.ARTICLE
    assert Provenance("other-reporting") is Provenance.OTHER_REPORTING
    assert all(member.label for member in Provenance)
    assert {member.value for member in Confidence} == {"high", "medium", "low", "unknown"}


def test_everything_is_immutable() -> None:
    timeline = Timeline(
        title="t",
        events=(event("a", "2024", references=(Reference(quote="q"),)),),
        lanes=(Lane("x", "X"),),
        eras=(Era("e", DateSpan.parse("2024")),),
        source=SourceDocument("s"),
    )
    item = timeline.events[0]
    targets = [
        (timeline, "title"),
        (timeline, "events"),
        (item, "title"),
        (item.when, "start"),
        (item.when.start, "year"),
        (item.references[0], "quote"),
        (timeline.lanes[0], "color"),
        (timeline.eras[0], "name"),
        (timeline.source, "title"),
    ]
    for target, name in targets:
        with pytest.raises(AttributeError):  # NamedTuple fields, and Timeline refuses too
            setattr(target, name, getattr(target, name))
    assert isinstance(timeline.events, tuple)
    assert isinstance(item.actors, tuple)


def test_equal_timelines_compare_equal_and_hash_their_parts() -> None:
    def build() -> Timeline:
        return Timeline(title="t", events=(event("a", "2024"), event("b", "2023")))

    assert build() == build()
    assert hash(build().events) == hash(build().events)


# -- EventIndex ---------------------------------------------------------------------------

YEAR = 365.2425 * SECONDS_PER_DAY

# Times on a grid (so ties happen), with a few BC and far-away values mixed in.
times = st.one_of(
    st.integers(-200, 200).map(lambda n: n * 1000.0),
    st.sampled_from(
        [
            to_seconds(-43, 3, 15),
            to_seconds(-13_798_000_000),
            to_seconds(2024, 2, 26),
            to_seconds(2024, 12, 12),
            0.0,
        ]
    ),
)
durations = st.one_of(
    st.integers(0, 5).map(lambda n: n * 1000.0),  # short events, some of zero length
    st.integers(1, 50).map(lambda n: n * 1000.0),
    st.sampled_from([YEAR, 1000 * YEAR, 1e9 * YEAR]),  # a few very long spans
)


@st.composite
def indexes(draw: st.DrawFn) -> EventIndex:
    pairs = sorted(draw(st.lists(st.tuples(times, durations), max_size=150)), key=lambda p: p[0])
    starts = [start for start, _ in pairs]
    ends = [start + length for start, length in pairs]
    return EventIndex(starts, ends, [f"e{i}" for i in range(len(pairs))])


@st.composite
def windows(draw: st.DrawFn) -> tuple[float, float]:
    t0 = draw(times)
    if draw(st.integers(0, 3)) == 0:
        return t0, t0  # a point query
    return t0, t0 + draw(durations)


def brute_force(index: EventIndex, t0: float, t1: float) -> list[int]:
    if t0 == t1:
        return [i for i in range(len(index)) if index.starts[i] <= t0 < index.ends[i]]
    return [i for i in range(len(index)) if index.starts[i] < t1 and index.ends[i] > t0]


@settings(max_examples=300, deadline=None)
@given(indexes(), st.lists(windows(), min_size=1, max_size=10))
def test_overlapping_agrees_with_brute_force(
    index: EventIndex, queries: list[tuple[float, float]]
) -> None:
    for t0, t1 in queries:
        expected = brute_force(index, t0, t1)
        assert index.overlapping(t0, t1) == expected
        assert index.count_overlapping(t0, t1) == len(expected)


@settings(deadline=None)
@given(indexes(), times, times)
def test_reversed_windows_agree_with_brute_force(index: EventIndex, a: float, b: float) -> None:
    assume(a != b)
    t0, t1 = max(a, b), min(a, b)
    expected = [i for i in range(len(index)) if index.starts[i] < t1 and index.ends[i] > t0]
    assert index.overlapping(t0, t1) == expected
    assert index.count_overlapping(t0, t1) == len(expected)


def test_many_short_events_and_a_few_long_ones() -> None:
    # Enough events that the long-span list is used (more than 1 in 100 durations is long).
    starts = [i * 10.0 for i in range(1000)]
    ends = [s + 5.0 for s in starts]
    ends[3] = 1e9  # one very long span near the start
    ends[500] = 20_000.0
    index = EventIndex(starts, ends)
    for t0, t1 in [(9_000.0, 9_001.0), (9_995.0, 9_995.0), (-5.0, 0.0), (5_001.0, 5_002.0)]:
        assert index.overlapping(t0, t1) == brute_force(index, t0, t1)
        assert index.count_overlapping(t0, t1) == len(brute_force(index, t0, t1))
    assert 3 in index.overlapping(9_000.0, 9_001.0)
    assert 500 in index.overlapping(9_000.0, 9_001.0)


def test_point_query_finds_the_containing_events() -> None:
    index = EventIndex([0.0, 10.0, 10.0], [10.0, 20.0, 11.0])
    assert index.overlapping(10.0, 10.0) == [1, 2]  # start <= t < end
    assert index.count_overlapping(10.0, 10.0) == 2
    assert index.overlapping(0.0, 0.0) == [0]
    assert index.count_overlapping(0.0, 0.0) == 1
    assert index.overlapping(20.0, 20.0) == []
    assert index.count_overlapping(20.0, 20.0) == 0


def test_windows_are_half_open() -> None:
    index = EventIndex([0.0, 10.0], [10.0, 20.0])
    assert index.overlapping(10.0, 15.0) == [1]
    assert index.overlapping(5.0, 10.0) == [0]
    assert index.count_overlapping(5.0, 10.0) == 1


@settings(deadline=None)
@given(indexes(), times)
def test_first_after_and_last_before(index: EventIndex, t: float) -> None:
    after = [i for i in range(len(index)) if index.starts[i] > t]
    before = [i for i in range(len(index)) if index.starts[i] < t]
    assert index.first_after(t) == (after[0] if after else None)
    assert index.last_before(t) == (before[-1] if before else None)


@settings(deadline=None)
@given(indexes(), st.data())
def test_at_one_moment_is_one_start_and_one_end(index: EventIndex, data: st.DataObject) -> None:
    size = len(index)
    positions = data.draw(st.lists(st.integers(0, size - 1), max_size=8)) if size else []
    moments = {(index.starts[p], index.ends[p]) for p in positions}
    assert index.at_one_moment(positions) == (len(moments) <= 1)


def test_at_one_moment_needs_the_same_end_too() -> None:
    index = EventIndex([5.0, 5.0, 5.0], [5.0, 5.0, 9.0])
    assert index.at_one_moment([0, 1])
    assert not index.at_one_moment([0, 2])


def test_empty_index() -> None:
    index = EventIndex([], [])
    assert len(index) == 0
    assert index.overlapping(0.0, 1.0) == []
    assert index.count_overlapping(0.0, 1.0) == 0
    assert index.first_after(0.0) is None
    assert index.last_before(0.0) is None
    assert index.max_end == float("-inf")


def test_index_needs_sorted_starts_and_matching_ends() -> None:
    with pytest.raises(ValueError, match="sorted"):
        EventIndex([2.0, 1.0], [3.0, 3.0])
    with pytest.raises(ValueError):
        EventIndex([1.0, 2.0], [3.0])


def test_unknown_id_position() -> None:
    index = EventIndex([0.0], [1.0], ["a"])
    assert index.position("a") == 0
    with pytest.raises(KeyError):
        index.position("b")


def test_timeline_index_matches_its_events() -> None:
    events = (
        event("invasion", "2022-02-24"),
        event("trainers", "2024-06-07/2024-07~"),
        event("caesar", "-0043-03-15"),
        event("warsaw", "2024-12-12"),
    )
    timeline = Timeline(title="t", events=events)
    index = timeline.index
    assert [e.id for e in timeline.events] == ["caesar", "invasion", "trainers", "warsaw"]
    assert list(index.ends) == [e.when.end_seconds() for e in timeline.events]
    july = (to_seconds(2024, 7, 10), to_seconds(2024, 7, 11))
    assert [timeline.events[i].id for i in index.overlapping(*july)] == ["trainers"]
    assert index.max_end == to_seconds(2024, 12, 13)
