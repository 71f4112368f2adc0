"""Row packing of lane items with overflow clusters, and density bins that ignore event counts."""

from __future__ import annotations

import math
import random
from array import array
from bisect import bisect_left
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import desktop.layout.packing as packing_module
from desktop.layout.packing import (
    BADGE_REACH,
    LABEL_PAD,
    MARKER_RADIUS,
    MIN_BAR,
    Cluster,
    DensityBin,
    LaneItem,
    LanePacking,
    PlacedItem,
    density_bins,
    item_boxes,
    pack_lane,
    slide_density,
)

EPS = 1e-6  # float slack for "at least gap apart" checks


def badge(count):
    # Like a real badge: "+N" text grows with the number of digits.
    return 10.0 + 7.0 * len(str(count))


def point(position, x, width=40.0, x1=None):
    return LaneItem(position, x, x if x1 is None else x1, False, width)


def span(position, x0, x1, width=40.0):
    return LaneItem(position, x0, x1, True, width)


def check_packing(items, max_rows, gap, packing):
    """The invariants every packing must hold; returns the placed positions and hidden count."""
    by_position = {item.position: item for item in items}
    assert len(by_position) == len(items)

    # Every item is accounted for exactly once.
    seen = [p.position for p in packing.items]
    for cluster in packing.clusters:
        assert cluster.count == len(cluster.positions) >= 1
        assert list(cluster.positions) == sorted(cluster.positions)
        seen.extend(cluster.positions)
    assert sorted(seen) == sorted(by_position)

    # Placed items are drawn where the geometry rules say; a label may be cut short for a badge
    # in a lane of one row, never to nothing, and the badge then sits right after it.
    badges_at = {cluster.x0 for cluster in packing.clusters}
    for placed in packing.items:
        assert 0 <= placed.row < max_rows
        x0, x1, label_x0, label_x1 = item_boxes(by_position[placed.position])
        assert (placed.x0, placed.x1, placed.label_x0) == (x0, x1, label_x0)
        if placed.label_cut:
            assert max_rows == 1
            assert max(x1, label_x0) < placed.label_x1 < label_x1
            assert placed.label_x1 + gap in badges_at
        else:
            assert placed.label_x1 == label_x1

    # Clusters know the dates they stand for.
    for cluster in packing.clusters:
        members = [by_position[p] for p in cluster.positions]
        assert cluster.span_x0 == min(m.x0 for m in members)
        assert cluster.span_x1 == max(m.x1 for m in members)
        assert cluster.x1 >= cluster.x0
        assert 0 <= cluster.row < max_rows

    # Nothing in a row comes closer than gap to anything else in that row.
    rows: dict[int, list[tuple[float, float, object]]] = {}
    for placed in packing.items:
        rows.setdefault(placed.row, []).append((placed.x0, placed.footprint_x1, placed))
    for cluster in packing.clusters:
        rows.setdefault(cluster.row, []).append((cluster.x0, cluster.x1, cluster))
    for boxes in rows.values():
        boxes.sort(key=lambda box: box[0])
        reach = -math.inf
        for x0, x1, _ in boxes:
            assert x0 - reach >= gap - EPS
            reach = max(reach, x1)

    if packing.clusters and max_rows > 1:
        # The badge row is the last one; the events it holds besides badges are points that
        # each had a badge of their own, with room for them whole (rule 5).
        assert {c.row for c in packing.clusters} == {max_rows - 1}
        for placed in packing.items:
            if placed.row == max_rows - 1:
                assert not by_position[placed.position].is_span and not placed.label_cut
        assert packing.rows_used == max_rows
    if packing.clusters and max_rows == 1:
        assert {c.row for c in packing.clusters} == {0}

    if not packing.clusters:
        assert packing.rows_used == max((p.row for p in packing.items), default=-1) + 1
    return len(items) - len(packing.items)


@st.composite
def lane_items(draw, max_size=60):
    """Sorted lane items: points and spans, dense or sparse, with ties in start."""
    spread = draw(st.sampled_from([5.0, 50.0, 500.0, 5000.0]))
    count = draw(st.integers(0, max_size))
    starts = draw(
        st.lists(
            st.one_of(
                st.floats(0, spread, allow_nan=False), st.integers(0, 10).map(float)
            ),  # small integers make exact ties likely
            min_size=count,
            max_size=count,
        )
    )
    items = []
    for position, x0 in enumerate(sorted(starts)):
        is_span = draw(st.booleans())
        length = draw(st.sampled_from([0.0, 0.5, 2.0, 30.0, 300.0]))
        width = draw(st.sampled_from([0.0, 12.0, 80.0, 250.0]))
        items.append(LaneItem(position, x0, x0 + length, is_span, width))
    return items


@settings(max_examples=300, deadline=None)
@given(
    items=lane_items(),
    max_rows=st.integers(1, 6),
    gap=st.sampled_from([0.0, 2.0, 6.0]),
)
def test_packing_invariants(items, max_rows, gap):
    packing = pack_lane(items, max_rows, gap=gap, badge_width=badge)
    check_packing(items, max_rows, gap, packing)


@settings(max_examples=100, deadline=None)
@given(items=lane_items(), max_rows=st.integers(1, 6))
def test_packing_is_deterministic(items, max_rows):
    first = pack_lane(items, max_rows, badge_width=badge)
    again = pack_lane(list(items), max_rows, badge_width=badge)
    assert first == again


@settings(max_examples=100, deadline=None)
@given(items=lane_items(max_size=20))
def test_as_many_rows_as_items_never_clusters(items):
    # One row per item always suffices for first fit: an item only moves down past rows that hold
    # earlier items.
    packing = pack_lane(items, max(1, len(items)), badge_width=badge)
    assert packing.clusters == ()
    assert len(packing.items) == len(items)


def test_sparse_items_share_the_first_row():
    items = [point(i, i * 200.0) for i in range(50)] + [span(50, 10_000.0, 10_100.0)]
    packing = pack_lane(items, 3, badge_width=badge)
    assert packing.clusters == ()
    assert packing.rows_used == 1
    assert [p.row for p in packing.items] == [0] * 51


def test_empty_lane():
    assert pack_lane([], 4, badge_width=badge) == LanePacking(0, (), ())
    assert pack_lane([], 1, badge_width=badge) == LanePacking(0, (), ())


def test_point_geometry():
    (placed,) = pack_lane([point(7, 10.0, width=30.0, x1=20.0)], 2, badge_width=badge).items
    centre = 15.0
    assert placed == PlacedItem(
        7,
        0,
        centre - MARKER_RADIUS,
        centre + MARKER_RADIUS,
        centre + MARKER_RADIUS + LABEL_PAD,
        centre + MARKER_RADIUS + LABEL_PAD + 30.0,
    )
    assert placed.footprint_x1 == placed.label_x1


def test_span_geometry_and_minimum_bar():
    short, long_ = pack_lane(
        [span(0, 10.0, 10.5, width=20.0), span(1, 100.0, 400.0, width=20.0)], 1, badge_width=badge
    ).items
    assert (short.x0, short.x1) == (10.0, 10.0 + MIN_BAR)
    # A short bar's label starts after the bar, so the bar never covers its first letters.
    after_bar = 10.0 + MIN_BAR + LABEL_PAD
    assert (short.label_x0, short.label_x1) == (after_bar, after_bar + 20.0)
    assert short.footprint_x1 == short.label_x1
    assert (long_.x0, long_.x1) == (100.0, 400.0)
    assert long_.footprint_x1 == 400.0  # the label lies inside the long bar


def test_item_without_label_takes_only_its_shape():
    (placed,) = pack_lane([point(0, 50.0, width=0.0)], 1, badge_width=badge).items
    assert placed.label_x1 == placed.label_x0
    assert placed.footprint_x1 == placed.x1


def test_ties_keep_source_order():
    items = [point(i, 100.0) for i in range(3)]
    packing = pack_lane(items, 3, badge_width=badge)
    assert [(p.position, p.row) for p in packing.items] == [(0, 0), (1, 1), (2, 2)]


def test_gap_is_respected_exactly():
    # The second marker's footprint starts exactly gap after the first one's label ends.
    first = point(0, 0.0, width=10.0)
    first_end = item_boxes(first)[3]
    second = point(1, first_end + 6.0 + MARKER_RADIUS, width=10.0)
    assert [p.row for p in pack_lane([first, second], 2, badge_width=badge).items] == [0, 0]
    closer = point(1, first_end + 5.0 + MARKER_RADIUS, width=10.0)
    assert [p.row for p in pack_lane([first, closer], 2, badge_width=badge).items] == [0, 1]


def test_overflow_reserves_the_last_row_for_badges():
    # Four close points in three rows: without clustering they would need four rows, so the
    # third row turns into the badge row and the third and fourth points are clustered.
    items = [point(i, float(i)) for i in range(4)]
    packing = pack_lane(items, 3, badge_width=badge)
    assert [(p.position, p.row) for p in packing.items] == [(0, 0), (1, 1)]
    (cluster,) = packing.clusters
    assert cluster.row == 2
    assert cluster.positions == (2, 3)
    assert cluster.x0 == item_boxes(items[2])[0]  # the badge sits where its first member starts
    assert cluster.x1 == cluster.x0 + badge(2)
    assert (cluster.span_x0, cluster.span_x1) == (2.0, 3.0)
    assert packing.rows_used == 3


def test_a_badge_of_one_point_with_room_gives_way_to_the_point():
    # Rule 5. The first point's long label fills row 0; the next two share row 1 and a "+2",
    # the fourth, alone further on, had a "+1" where there is room for it whole.
    items = [point(0, 0.0, width=300.0), point(1, 5.0), point(2, 8.0), point(3, 100.0)]
    packing = pack_lane(items, 2, badge_width=badge)
    check_packing(items, 2, 6.0, packing)
    assert [(p.position, p.row) for p in packing.items] == [(0, 0), (3, 1)]
    assert [c.positions for c in packing.clusters] == [(1, 2)]
    # A span alone keeps its badge: its bar may reach far.
    items[3] = span(3, 100.0, 130.0)
    packing = pack_lane(items, 2, badge_width=badge)
    assert [c.positions for c in packing.clusters] == [(1, 2), (3,)]


def test_far_apart_overflows_make_separate_badges():
    pile = [point(i, float(i % 3)) for i in range(3)]
    other = [point(3 + i, 1000.0 + i % 3) for i in range(3)]
    packing = pack_lane(pile + other, 2, badge_width=badge)
    assert [c.positions for c in packing.clusters] == [(1, 2), (4, 5)]
    assert [p.position for p in packing.items] == [0, 3]


def test_neighbouring_badges_merge_instead_of_overlapping():
    # Points 10 px apart with wide labels: the first takes row 0, the rest are hidden. A badge
    # (17 px for counts below 10) at each one's start would overlap the previous badge, so a hidden
    # item joins the open cluster while it starts less than gap after that badge's end: members
    # starting at a, a + 10 and a + 20 share a badge ending at a + 17, and a + 30 opens the next.
    items = [point(i, 10.0 * i, width=1000.0) for i in range(31)]
    packing = pack_lane(items, 2, gap=6.0, badge_width=badge)
    check_packing(items, 2, 6.0, packing)
    assert [p.position for p in packing.items] == [0]
    assert [c.positions for c in packing.clusters] == [
        (3 * k + 1, 3 * k + 2, 3 * k + 3) for k in range(10)
    ]
    assert [c.x0 for c in packing.clusters] == [30.0 * k + 5.0 for k in range(10)]


def test_dense_pile_gives_few_clusters():
    rng = random.Random(4)
    items = [point(i, x) for i, x in enumerate(sorted(rng.uniform(0, 20) for _ in range(500)))]
    packing = pack_lane(items, 4, badge_width=badge)
    hidden = check_packing(items, 4, 6.0, packing)
    assert len(packing.items) == 3  # one per item row: labels are wider than the pile
    assert len(packing.clusters) <= 2
    assert sum(c.count for c in packing.clusters) == hidden == 497


def test_single_row_places_badges_between_items():
    a = point(0, 0.0, width=20.0)  # footprint [-5, 29]
    b = point(1, 10.0, width=20.0)  # hidden under a's label
    c = point(2, 12.0, width=20.0)  # joins b's cluster: starts before the badge's end + gap
    d = point(3, 200.0, width=20.0)  # far enough: closes the cluster and is placed
    packing = pack_lane([a, b, c, d], 1, badge_width=badge)
    check_packing([a, b, c, d], 1, 6.0, packing)
    assert [p.position for p in packing.items] == [0, 3]
    (cluster,) = packing.clusters
    assert cluster.positions == (1, 2)
    assert cluster.row == 0
    assert cluster.x0 == 29.0 + 6.0  # right after a's label, gap away
    assert cluster.x1 == cluster.x0 + badge(2)
    assert packing.rows_used == 1


def test_single_row_item_after_badge_must_clear_it():
    a = point(0, 0.0, width=20.0)  # footprint [-5, 29]
    b = point(1, 10.0, width=20.0)  # hidden: badge at [35, 52]
    c = point(2, 60.0, width=20.0)  # footprint starts at 55 < 52 + 6: joins, badge now [35, 52]
    d = point(3, 64.0, width=20.0)  # footprint starts at 59 >= 58: placed after the badge
    packing = pack_lane([a, b, c, d], 1, badge_width=badge)
    check_packing([a, b, c, d], 1, 6.0, packing)
    assert [p.position for p in packing.items] == [0, 3]
    assert [c.positions for c in packing.clusters] == [(1, 2)]


def test_single_row_cuts_a_long_label_to_keep_the_badge_by_its_events():
    a = point(0, 0.0, width=400.0)  # footprint [-5, 409]: a long title
    b = point(1, 30.0, width=20.0)  # hidden under it, from 25
    c = point(2, 40.0, width=20.0)  # joins b's badge
    packing = pack_lane([a, b, c], 1, badge_width=badge)
    check_packing([a, b, c], 1, 6.0, packing)
    (placed,) = packing.items
    (cluster,) = packing.clusters
    assert cluster.positions == (1, 2)
    assert cluster.x0 == 25.0 + BADGE_REACH  # not 409 + 6: off a narrow window's edge
    assert placed.label_cut and placed.label_x1 == cluster.x0 - 6.0

    # A label that pushes the badge less than that far stays whole, the badge after it.
    a = point(0, 0.0, width=60.0)  # footprint [-5, 69]
    packing = pack_lane([a, b, c], 1, badge_width=badge)
    (placed,) = packing.items
    assert not placed.label_cut
    assert packing.clusters[0].x0 == 69.0 + 6.0


def test_single_row_long_bar_joins_the_badge_of_the_events_under_it():
    """From a user test: in a lane of one row, a bar across the view hid the events under it
    and sent their badge to where it ends, off the screen: 6 of 7 events were nowhere."""
    a = point(0, 0.0, width=20.0)  # footprint [-5, 29]
    war = span(1, 100.0, 5000.0)  # a bar far past the events under it
    b = point(2, 300.0, width=20.0)
    c = point(3, 900.0, width=20.0)  # far past the badge: shown, no longer under the bar
    packing = pack_lane([a, war, b, c], 1, badge_width=badge)
    check_packing([a, war, b, c], 1, 6.0, packing)
    assert [p.position for p in packing.items] == [0, 3]
    (cluster,) = packing.clusters
    assert cluster.positions == (1, 2)
    assert cluster.x0 == 100.0  # where the bar began, beside the event it stood over
    assert cluster.span_x1 == 5000.0  # clicking it shows (or lists) both

    # A bar that pushes the badge less than BADGE_REACH past its first member stays.
    short = span(1, 100.0, 300.0 + BADGE_REACH - 20.0)
    packing = pack_lane([a, short, b], 1, badge_width=badge)
    check_packing([a, short, b], 1, 6.0, packing)
    assert [p.position for p in packing.items] == [0, 1]
    assert packing.clusters[0].positions == (2,)


def test_badge_width_is_measured_once_per_count():
    calls: list[int] = []

    def measure(count):
        calls.append(count)
        return badge(count)

    items = [point(i, 0.0) for i in range(100)] + [point(100 + i, 5000.0) for i in range(100)]
    pack_lane(items, 2, badge_width=measure)
    assert len(calls) == len(set(calls))


def test_invalid_arguments():
    with pytest.raises(ValueError, match="max_rows"):
        pack_lane([point(0, 0.0)], 0, badge_width=badge)
    with pytest.raises(ValueError, match="gap"):
        pack_lane([point(0, 0.0)], 2, gap=-1.0, badge_width=badge)
    with pytest.raises(ValueError, match="finite"):
        pack_lane([point(0, math.inf)], 2, badge_width=badge)


@pytest.mark.parametrize("max_rows", [1, 2, 8])
def test_twenty_thousand_items(max_rows):
    # Mixed sparse stretches and dense piles; first fit is O(n * rows), so this stays quick.
    rng = random.Random(20_000)
    xs: list[float] = []
    while len(xs) < 20_000:
        centre = rng.uniform(0, 2_000_000)
        xs += [centre + rng.uniform(0, rng.choice([5.0, 500.0, 50_000.0])) for _ in range(50)]
    items = []
    for position, x in enumerate(sorted(xs[:20_000])):
        is_span = rng.random() < 0.3
        length = rng.choice([0.0, 3.0, 400.0]) if is_span else rng.choice([0.0, 1.0])
        items.append(LaneItem(position, x, x + length, is_span, rng.uniform(20.0, 200.0)))
    packing = pack_lane(items, max_rows, badge_width=badge)
    check_packing(items, max_rows, 6.0, packing)
    assert packing.clusters
    assert isinstance(packing.clusters[0], Cluster)


# --- density bins --------------------------------------------------------------------------------


class CountingSequence(Sequence):
    """A read-only view of a sequence that counts how many elements are read."""

    def __init__(self, data):
        self.data = data
        self.reads = 0

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        if isinstance(index, slice):
            raise AssertionError("density_bins must not copy a window this dense")
        self.reads += 1
        return self.data[index]


def check_bins(starts, t0, t1, spp, bin_px, origin, bins):
    expected = bisect_left(starts, t1) - bisect_left(starts, t0) if t1 > t0 else 0
    assert sum(b.count for b in bins) == expected
    previous_last = bisect_left(starts, t0) - 1
    previous_x1 = -math.inf
    for b in bins:
        assert b.count == b.last - b.first + 1 >= 1  # empty bins are left out
        assert b.first == previous_last + 1  # bins are contiguous runs of positions, in order
        assert b.x0 >= previous_x1 - EPS
        assert b.x1 >= b.x0  # a clipped sliver can round to zero pixels
        assert b.x1 - b.x0 <= bin_px + EPS
        # Every member lies in the bin (up to float noise when converting to pixels).
        for s in (starts[b.first], starts[b.last]):
            x = (s - origin) / spp
            assert b.x0 - 1e-6 * max(1.0, abs(x)) <= x <= b.x1 + 1e-6 * max(1.0, abs(x))
        # The bin lies on the fixed grid of layout space.
        cell = math.floor((b.x0 + b.x1) / 2 / bin_px)
        assert b.x0 >= cell * bin_px - EPS * max(1.0, abs(b.x0))
        assert b.x1 <= (cell + 1) * bin_px + EPS * max(1.0, abs(b.x1))
        previous_last, previous_x1 = b.last, b.x1


@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(
        st.one_of(st.floats(-1000, 1000, allow_nan=False), st.integers(-20, 20).map(float)),
        max_size=200,
    ),
    t0=st.floats(-1200, 1200, allow_nan=False),
    length=st.floats(0, 2500, allow_nan=False),
    spp=st.sampled_from([0.1, 1.0, 3.7, 50.0]),
    bin_px=st.sampled_from([1.0, 4.0, 10.0]),
    origin=st.floats(-500, 500, allow_nan=False),
)
def test_density_bins_count_every_start_in_range_once(starts, t0, length, spp, bin_px, origin):
    starts = sorted(starts)
    t1 = t0 + length
    bins = density_bins(array("d", starts), t0, t1, spp, bin_px, origin)
    check_bins(starts, t0, t1, spp, bin_px, origin, bins)


@settings(max_examples=200, deadline=None)
@given(
    starts=st.lists(st.integers(0, 200).map(lambda i: i / 4), min_size=1, max_size=300),
    t0=st.floats(-10, 50, allow_nan=False),
    length=st.floats(0, 60, allow_nan=False),
    spp=st.sampled_from([0.25, 1.0, 3.7]),
    origin=st.floats(-5, 5, allow_nan=False),
)
def test_density_bins_copied_window_counts_as_the_bisected_starts(starts, t0, length, spp, origin):
    # Starts on a quarter-second grid fall on bin edges often. Whether the window's starts
    # are copied to a list first (few a bin) or bisected where they are, the bins are the same.
    starts = array("d", sorted(starts))
    copied = density_bins(starts, t0, t0 + length, spp, 1.0, origin)
    copy_per_bin = packing_module.WINDOW_COPY_PER_BIN
    try:
        packing_module.WINDOW_COPY_PER_BIN = -1  # never copy
        assert density_bins(starts, t0, t0 + length, spp, 1.0, origin) == copied
    finally:
        packing_module.WINDOW_COPY_PER_BIN = copy_per_bin


def test_density_bins_simple_case():
    # Starts at seconds 0..9, 2 seconds per pixel, 2-pixel bins: 4 seconds per bin.
    starts = array("d", range(10))
    bins = density_bins(starts, 0.0, 10.0, 2.0, 2.0, 0.0)
    assert bins == [
        DensityBin(0.0, 2.0, 4, 0, 3),
        DensityBin(2.0, 4.0, 4, 4, 7),
        DensityBin(4.0, 5.0, 2, 8, 9),  # clipped at t1 = 10 s = 5 px
    ]


def test_density_bins_are_stable_while_panning():
    # A bin well inside the view holds the same events whatever the view's edges are.
    starts = array("d", (i * 0.37 for i in range(10_000)))
    a = {(b.x0, b.x1): (b.first, b.last) for b in density_bins(starts, 100.0, 900.0, 0.5, 8, 0.0)}
    b = {(b.x0, b.x1): (b.first, b.last) for b in density_bins(starts, 137.0, 1000.0, 0.5, 8, 0.0)}
    inner = [key for key in a if key[0] >= 400.0 and key[1] <= 1600.0]
    assert inner
    assert all(a[key] == b[key] for key in inner)


def test_density_bins_skip_empty_stretches_and_bad_ranges():
    starts = array("d", [0.0, 0.5, 1_000_000.0])
    bins = density_bins(starts, 0.0, 2_000_000.0, 1.0, 1.0, 0.0)
    assert [(b.count, b.first, b.last) for b in bins] == [(2, 0, 1), (1, 2, 2)]
    assert density_bins(starts, 5.0, 5.0, 1.0, 1.0, 0.0) == []
    assert density_bins(starts, 5.0, 1.0, 1.0, 1.0, 0.0) == []
    assert density_bins(array("d"), 0.0, 10.0, 1.0, 1.0, 0.0) == []
    with pytest.raises(ValueError):
        density_bins(starts, 0.0, 1.0, 0.0, 1.0, 0.0)
    with pytest.raises(ValueError):
        density_bins(starts, 0.0, 1.0, 1.0, -2.0, 0.0)


def test_density_bins_touch_few_elements_of_a_million():
    n = 1_000_000
    starts = CountingSequence(array("d", range(n)))  # one event per second
    t0, t1 = 123_456.5, 923_456.5  # 800,000 events in view
    spp, bin_px = 500.0, 4.0  # 2,000 s per bin: 400 bins
    bins = density_bins(starts, t0, t1, spp, bin_px, 0.0)
    assert 400 <= len(bins) <= 401
    assert sum(b.count for b in bins) == 800_000
    # One read to find each bin plus one bisect for its right edge, plus the two range bisects.
    per_bisect = math.ceil(math.log2(n)) + 1
    assert starts.reads <= (len(bins) + 2) * (per_bisect + 1)
    assert starts.reads < n // 50


@settings(max_examples=300, deadline=None)
@given(
    starts=st.lists(
        st.one_of(st.floats(-1000, 1000, allow_nan=False), st.integers(-20, 20).map(float)),
        max_size=200,
    ),
    old=st.tuples(st.floats(-1200, 1200, allow_nan=False), st.floats(0, 2500, allow_nan=False)),
    new=st.tuples(st.floats(-1200, 1200, allow_nan=False), st.floats(0, 2500, allow_nan=False)),
    spp=st.sampled_from([0.1, 1.0, 3.7, 50.0]),
    bin_px=st.sampled_from([1.0, 4.0, 10.0]),
    origin=st.floats(-500, 500, allow_nan=False),
)
def test_sliding_density_equals_counting_the_new_window(starts, old, new, spp, bin_px, origin):
    # Keeping the bins both windows share and counting the rest gives exactly the bins of the
    # new window, whichever way the window moved, grew or shrank.
    starts = array("d", sorted(starts))
    window, new_window = (old[0], old[0] + old[1]), (new[0], new[0] + new[1])
    bins = density_bins(starts, *window, spp, bin_px, origin)
    slid = slide_density(starts, bins, window, new_window, spp, bin_px, origin)
    assert slid == density_bins(starts, *new_window, spp, bin_px, origin)


def test_sliding_density_counts_only_what_comes_into_the_window():
    starts = CountingSequence(array("d", (i * 0.25 for i in range(40_000))))
    bins = density_bins(starts, 0.0, 8000.0, 1.0, 4.0, 0.0)  # 2,000 bins of 16 starts
    starts.reads = 0
    slid = slide_density(starts, bins, (0.0, 8000.0), (400.0, 8400.0), 1.0, 4.0, 0.0)
    reads = starts.reads
    assert slid == density_bins(starts, 400.0, 8400.0, 1.0, 4.0, 0.0)
    # The 100 bins that came in are counted (bisects of ~17 reads per edge); the 1,900 kept
    # are not read again. Counting the whole window reads ~16 times as much.
    assert reads < 20 * 100
    starts.reads = 0
    density_bins(starts, 400.0, 8400.0, 1.0, 4.0, 0.0)
    assert starts.reads > 10 * reads
