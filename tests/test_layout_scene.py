"""The scene builder without a screen: what a frame shows while packings catch up with the view.

Text is "measured" at 7 px a character, so these tests need no fonts and no Qt.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect_left
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.layout.packing import LaneColumns, LaneItem, PlacedItem, pack_columns, pack_lane
from desktop.layout.scale import TimeScale, fit, widened_for_labels
from desktop.layout.scene import (
    BADGE_GAP,
    BLOCKY_BUDGET,
    LABEL_PAD,
    LADDER_RATIO,
    MIN_VISIBLE_LABEL,
    Hit,
    LaneBand,
    Scene,
    SceneBuilder,
    SceneMetrics,
)
from desktop.model.dates import DateSpan
from desktop.model.timeline import Era, Event, Lane, Timeline

WIDTH = 1200.0
HEIGHT = 700.0
DAY = 86_400.0


def measure(text: str) -> float:
    return 7.0 * len(text)


def busy_timeline(lanes: int = 6, per_lane: int = 300, seed: int = 5) -> Timeline:
    """Events in clusters over ten years, a fifth of them spans."""
    rng = random.Random(seed)
    events = []
    for lane in range(lanes):
        for n in range(per_lane):
            year = 2000 + rng.randrange(10)
            month = 1 + rng.randrange(12)
            day = 1 + rng.randrange(28)
            when = f"{year}-{month:02d}-{day:02d}"
            if n % 5 == 0:
                when += f"/{year + 1}-{month:02d}-{day:02d}"
            events.append(
                Event(
                    id=f"l{lane}e{n}",
                    title=f"Event {n} of lane {lane}" + " with more words" * (n % 3),
                    when=DateSpan.parse(when),
                    lane=f"lane{lane}",
                )
            )
    return Timeline(
        title="busy",
        events=tuple(events),
        lanes=tuple(Lane(id=f"lane{n}", name=f"Lane {n}") for n in range(lanes)),
    )


def middle_of(timeline: Timeline) -> float:
    extent = timeline.extent()
    assert extent is not None
    return (extent[0] + extent[1]) / 2


def view(centre: float, span: float) -> TimeScale:
    return TimeScale(centre - span / 2, centre + span / 2, WIDTH)


def assert_no_overlaps(scene: Scene) -> None:
    """Within each row of each lane, shapes, labels and badges keep apart."""
    for band in scene.lanes:
        if band.packing is None:
            continue
        rows: dict[int, list[tuple[float, float]]] = {}
        for item in band.packing.items:
            rows.setdefault(item.row, []).append((item.x0, item.footprint_x1))
        for cluster in band.packing.clusters:
            rows.setdefault(cluster.row, []).append((cluster.x0, cluster.x1))
        for boxes in rows.values():
            boxes.sort()
            for (_, end), (start, _) in pairwise(boxes):
                assert start >= end, f"{band.lane_id}: {start} < {end}"


def assert_everything_on_screen_is_shown(timeline: Timeline, scene: Scene) -> None:
    """Every event whose date is on screen is drawn in its packed lane or counted in a badge."""
    scale = scene.scale
    for band in scene.lanes:
        if band.packing is None:
            continue
        shown = {item.position for item in band.packing.items}
        for cluster in band.packing.clusters:
            shown.update(cluster.positions)
        for position, event in enumerate(timeline.events):
            start, end = event.when.start_seconds(), event.when.end_seconds()
            middle = (start + end) / 2
            anchor = start if event.is_span else middle
            if event.lane == band.lane_id and 0 <= scale.x(anchor) <= scale.width:
                assert position in shown, f"{event.id} is on screen but not shown"


def assert_bins_on_screen_count_their_events(
    band: LaneBand, scale: TimeScale, lane_starts: list[float]
) -> None:
    """The bins wholly on screen hold exactly the lane's events that start over them."""
    on_screen = [b for b in band.bins if band.bin_x(b.x0) >= 0 and band.bin_x(b.x1) <= WIDTH]
    t0, t1 = scale.t(band.bin_x(on_screen[0].x0)), scale.t(band.bin_x(on_screen[-1].x1))
    expected = bisect_left(lane_starts, t1) - bisect_left(lane_starts, t0)
    assert sum(b.count for b in on_screen) == expected


def in_view(timeline: Timeline, band_lane: str, scale: TimeScale) -> int:
    return sum(
        1
        for event in timeline.events
        if event.lane == band_lane and scale.t0 <= event.when.start_seconds() < scale.t1
    )


def one_event_builder(title: str, when: DateSpan) -> SceneBuilder:
    """A scene builder over one event, in one lane."""
    timeline = Timeline(
        title="one",
        events=(Event(id="only", title=title, when=when, lane="a"),),
        lanes=(Lane(id="a", name="A"),),
    )
    return SceneBuilder(timeline, measure, SceneMetrics())


def the_item(builder: SceneBuilder, scale: TimeScale) -> tuple[Scene, LaneBand, PlacedItem]:
    """The scene for ``scale`` (packed for it), its one lane and that lane's one item."""
    builder.relayout(scale, HEIGHT)
    scene = builder.build(scale, HEIGHT)
    band = scene.lanes[0]
    assert band.packing is not None
    (item,) = band.packing.items
    return scene, band, item


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return busy_timeline()


def test_zooming_out_repacks_within_the_budget_and_never_overlaps(timeline: Timeline) -> None:
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    centre = middle_of(timeline)
    span = 20 * DAY
    builder.relayout(view(centre, span), HEIGHT)
    builder.frame_budget = 150  # about one lane's worth of events per frame
    waiting_seen = 0
    for _ in range(25):
        span *= 1.25
        scale = view(centre, span)
        scene = builder.build(scale, HEIGHT)
        assert_no_overlaps(scene)
        assert_everything_on_screen_is_shown(timeline, scene)
        for band in scene.lanes:
            if band.packing is None and band.bin_stretch == 1.0 and band.bin_offset == 0.0:
                # Waiting for its repack: density counted for this very view.
                waiting_seen += 1
                assert sum(b.count for b in band.bins) == in_view(timeline, band.lane_id, scale)
    assert waiting_seen, "a budget this small should leave some lanes waiting"
    # When input pauses, every lane gets an exact packing again.
    builder.relayout(scale, HEIGHT)
    scene = builder.build(scale, HEIGHT)
    assert not builder.needs_relayout(scale, HEIGHT)
    assert_no_overlaps(scene)


def test_a_starved_budget_repacks_one_lane_a_frame_and_enough_repacks_all(
    timeline: Timeline,
) -> None:
    centre = middle_of(timeline)
    start, zoomed_out = view(centre, 30 * DAY), view(centre, 30 * DAY * LADDER_RATIO**2)
    starved = SceneBuilder(timeline, measure, SceneMetrics())
    starved.relayout(start, HEIGHT)
    starved.frame_budget = 1  # every lane costs more: one goes per frame, alone
    for frame in range(1, len(timeline.lanes) + 1):
        scene = starved.build(zoomed_out, HEIGHT)
        assert sum(band.packing is not None for band in scene.lanes) == frame
        assert_no_overlaps(scene)
    fed = SceneBuilder(timeline, measure, SceneMetrics())
    fed.relayout(start, HEIGHT)
    fed.frame_budget = 10**9
    scene = fed.build(zoomed_out, HEIGHT)
    assert all(band.packing is not None for band in scene.lanes)
    assert_no_overlaps(scene)


def test_panning_repacks_lanes_before_they_run_out(timeline: Timeline) -> None:
    """Lanes near the edge of their window are repacked ahead, so a steady pan never finds a
    lane waiting, and its items stay where their dates are."""
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scale = view(middle_of(timeline), 60 * DAY)
    builder.relayout(scale, HEIGHT)
    builder.frame_budget = 40  # two or three lanes' worth of events per frame
    for _ in range(60):
        scale = scale.panned(-WIDTH / 10)
        scene = builder.build(scale, HEIGHT)
        assert all(band.packing is not None for band in scene.lanes)
        assert_no_overlaps(scene)
        assert_everything_on_screen_is_shown(timeline, scene)
        for band in scene.lanes:
            assert band.packing is not None
            for item in band.packing.items[:5]:
                event = timeline.events[item.position]
                if not event.is_span:
                    middle = (event.when.start_seconds() + event.when.end_seconds()) / 2
                    assert (item.x0 + item.x1) / 2 == pytest.approx(scale.x(middle))


def test_packing_columns_measures_only_the_items_given_a_row() -> None:
    rng = random.Random(2)
    items = [
        LaneItem(n, x, x + rng.choice((0.0, 30.0, 300.0)), n % 4 == 0, 40.0 + n % 50)
        for n, x in enumerate(sorted(rng.uniform(0, 3000) for _ in range(400)))
    ]
    asked: list[int] = []

    def label_width(i: int) -> float:
        asked.append(i)
        return items[i].label_width

    columns = LaneColumns(
        [item.position for item in items],
        [item.x0 for item in items],
        [item.x1 for item in items],
        [item.is_span for item in items],
        label_width,
    )
    packing = pack_columns(columns, 3, badge_width=lambda count: 20.0)
    assert packing == pack_lane(items, 3, badge_width=lambda count: 20.0)
    hidden = sum(cluster.count for cluster in packing.clusters)
    assert hidden > 200  # a busy lane: most of it in badges ...
    assert len(set(asked)) < len(items) - hidden + 50  # ... whose labels were never measured


def dense_builder(lanes: int, span: float) -> tuple[Timeline, SceneBuilder, float]:
    """A timeline of ``lanes`` lanes too dense to label, a builder laid out for a view ``span``
    seconds wide at its middle, and that middle."""
    dense = busy_timeline(lanes=lanes, per_lane=6000, seed=9)
    builder = SceneBuilder(dense, measure, SceneMetrics())
    centre = middle_of(dense)
    builder.relayout(view(centre, span), HEIGHT)
    return dense, builder, centre


def counting_density(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    """Records each density count the builder makes, as (seconds counted, seconds a pixel)."""
    import desktop.layout.packing as packing_module
    import desktop.layout.scene as scene_module

    density_bins = packing_module.density_bins
    counted: list[tuple[float, float]] = []

    def counting(starts, t0, t1, spp, bin_px, origin):  # type: ignore[no-untyped-def]
        counted.append((max(0.0, t1 - t0), spp))
        return density_bins(starts, t0, t1, spp, bin_px, origin)

    monkeypatch.setattr(packing_module, "density_bins", counting)
    monkeypatch.setattr(scene_module, "density_bins", counting)
    return counted


def test_panning_over_dense_lanes_slides_their_bins_a_little_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Density lanes move their bins early while the view pans, a few lanes a frame, and count
    only the bins that come into their window; what is on screen stays counted exactly."""
    dense = busy_timeline(lanes=3, per_lane=6000, seed=9)
    starts = {
        lane.id: sorted(e.when.start_seconds() for e in dense.events if e.lane == lane.id)
        for lane in dense.lanes
    }
    builder = SceneBuilder(dense, measure, SceneMetrics())
    scale = view(middle_of(dense), 200 * DAY)
    builder.relayout(scale, HEIGHT)
    assert all(band.packing is None for band in builder.build(scale, HEIGHT).lanes)
    # About one lane's slide (a screen of bins, 300 or so, at two bins a unit) per frame.
    builder.prefetch_budget = 100

    counted = counting_density(monkeypatch)  # in this frame
    bin_px = SceneMetrics().bin_px
    per_frame = []  # bins counted
    for _ in range(80):
        scale = scale.panned(-WIDTH / 10)
        counted.clear()
        scene = builder.build(scale, HEIGHT)
        per_frame.append(sum(seconds / (spp * bin_px) for seconds, spp in counted))
        for band in scene.lanes:
            assert band.packing is None and band.bin_stretch == 1.0  # no lane ever waits
            assert_bins_on_screen_count_their_events(band, scale, starts[band.lane_id])
    # The view moved 8 screens. Recounting a lane's seven-view window whenever it came near
    # its edge would count some 2,100 bins each time; sliding counts what came in (a little
    # over a screen's 300 bins), one lane a frame here, and no lane ever had to wait.
    bins_per_view = WIDTH / bin_px
    assert sum(per_frame) < 3 * 10 * bins_per_view
    assert max(per_frame) < 1.5 * bins_per_view


def test_zooming_in_fast_counts_density_lanes_again_so_bars_stay_narrow() -> None:
    """Frames of a zoom in reuse the density counted for a zoom further out, its bars drawn
    wider; once a lane's bars are a ladder step too wide, a frame counts it again, so a fast
    zoom does not show blocks until input pauses, and what is on screen stays counted."""
    span = 8 * 365 * DAY
    dense, builder, centre = dense_builder(3, span)
    starts = {
        lane.id: sorted(e.when.start_seconds() for e in dense.events if e.lane == lane.id)
        for lane in dense.lanes
    }
    widest = 1.0
    for _ in range(20):  # a wheel notch a frame, 38 times closer in all, with no pause
        span /= 1.2
        scale = view(centre, span)
        scene = builder.build(scale, HEIGHT)
        for band in scene.lanes:
            if band.packing is not None:  # counted again, the lane was few enough to pack
                continue
            widest = max(widest, band.bin_stretch)
            assert_bins_on_screen_count_their_events(band, scale, starts[band.lane_id])
    assert 1.2 < widest < LADDER_RATIO * 1.2


def test_a_zoom_in_counts_density_for_the_view_alone_and_fetches_nothing_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Zooming in never leaves the view, so a lane counted again mid-zoom takes the view's
    bins alone (it took two views, and lanes near their window's edge were widened too, for a
    pan that a zoom does not make). A pan afterwards widens them a little at a time."""
    span = 8 * 365 * DAY
    _, builder, centre = dense_builder(3, span)
    counted = counting_density(monkeypatch)
    # (seconds counted, the view's seconds)
    against_view: list[tuple[float, float]] = []
    for _ in range(20):
        span /= 1.2
        counted.clear()
        builder.build(view(centre, span), HEIGHT)
        against_view += [(seconds, span) for seconds, _ in counted]
    assert len(against_view) >= 6  # each lane counted again, twice or more
    assert all(seconds <= 1.03 * view_seconds for seconds, view_seconds in against_view)
    counted.clear()
    scale = view(centre, span)
    for _ in range(10):
        scale = scale.panned(-WIDTH / 10)
        builder.build(scale, HEIGHT)
    assert any(seconds > span for seconds, _ in counted)  # panning, windows widen again


def test_a_zoom_in_passing_a_ladder_step_counts_a_few_lanes_a_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A zoom in passes a ladder step for every density lane in the same frame. The lanes are
    still right there, their bars two bins wide, so that frame counts a few of them, within
    BLOCKY_BUDGET, and the frames after it the rest (it counted all six: the slowest frames
    of a zoom)."""
    span = 8 * 365 * DAY
    _, builder, centre = dense_builder(6, span)
    counted = counting_density(monkeypatch)
    bin_px = SceneMetrics().bin_px
    per_frame = []  # bins counted
    lanes_per_frame = []
    stretches = []
    for _ in range(12):  # a wheel notch a frame
        span /= 1.2
        counted.clear()
        scene = builder.build(view(centre, span), HEIGHT)
        per_frame.append(sum(seconds / (spp * bin_px) for seconds, spp in counted))
        lanes_per_frame.append(len(counted))
        stretches.append(max(band.bin_stretch for band in scene.lanes if band.packing is None))
    # Counting two bins costs the budget about what packing one event does.
    assert max(per_frame) <= 2 * BLOCKY_BUDGET + 2
    assert max(lanes_per_frame) < 6
    assert sum(lanes_per_frame) >= 12  # every lane was counted again, twice in all
    # Counting a few a frame keeps up: no lane's bars get wider than two ladder steps' worth.
    assert max(stretches) < LADDER_RATIO**2
    assert all(seconds / spp <= WIDTH * 1.02 for seconds, spp in counted)  # each the view alone


def test_a_zoom_out_does_not_count_lanes_counted_further_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Zooming out, a lane is counted a ladder step further out than the view needs, for the
    frames to come. Its bars are then wider than the view's bins, which a zoom in counts again
    for; a zoom out must not (it counted such a lane at the view's step, then, squeezed the
    frame after, a step out again: a count or two a lane for every step passed)."""
    span = 30 * DAY
    _, builder, centre = dense_builder(3, span)
    counted = counting_density(monkeypatch)
    for _ in range(20):  # a wheel notch a frame, 38 times further out in all
        span *= 1.2
        builder.build(view(centre, span), HEIGHT)
    steps_passed = math.log(1.2**20, LADDER_RATIO)  # 5.3
    # Each lane is counted once for each ladder step (or two) that the zoom passes.
    assert 3 <= len(counted) <= 3 * math.ceil(steps_passed)


@given(
    st.tuples(st.floats(-1e3, 1e3), st.floats(0, 1e3)),
    st.tuples(st.floats(-1e3, 1e3), st.floats(0, 1e3)),
    st.floats(0, 2e3),
)
def test_a_window_widens_towards_its_target_by_at_most_what_is_allowed(
    window_start_and_size: tuple[float, float],
    target_start_and_size: tuple[float, float],
    most: float,
) -> None:
    from desktop.layout.scene import _widened_within

    start, size = window_start_and_size
    window = (start, start + size)
    target_start, target_size = target_start_and_size
    target = (min(target_start, start), max(target_start + target_size, start + size))
    scale = TimeScale(start + size * 0.4, start + size * 0.6 + 1e-3, WIDTH)
    widened = _widened_within(window, target, scale, most)
    assert target[0] <= widened[0] <= window[0] and window[1] <= widened[1] <= target[1]
    added = (window[0] - widened[0]) + (widened[1] - window[1])
    assert added <= most + 1e-6
    needed = (window[0] - target[0]) + (target[1] - window[1])
    if needed <= most:
        assert widened == pytest.approx(target)


@pytest.mark.parametrize("title", ["Y2K", "Abc", "Only", "A much longer title than those"])
def test_a_title_that_fits_is_drawn_whole_however_short(title: str) -> None:
    """Short titles once fell under the stub rule meant for labels cut by the right edge."""
    when = DateSpan.parse("1990")
    builder = one_event_builder(title, when)
    scale = view((when.start_seconds() + when.end_seconds()) / 2, 2 * 365 * DAY)
    scene, band, item = the_item(builder, scale)
    drawn = scene.drawn_label(band, item)
    assert drawn is not None
    assert drawn[2] - drawn[0] == pytest.approx(measure(title))


def test_a_label_cut_by_the_right_edge_is_shortened_or_hidden_when_a_stub() -> None:
    day = DateSpan.parse("2000-06-01")
    title = "A title long enough to be cut"
    builder = one_event_builder(title, day)
    middle = (day.start_seconds() + day.end_seconds()) / 2
    for room, shown in ((100.0, True), (20.0, False)):
        # The marker sits ``room`` px before the right edge.
        span = 400 * DAY
        scale = TimeScale(
            middle - span * (WIDTH - room) / WIDTH, middle + span * room / WIDTH, WIDTH
        )
        scene, band, item = the_item(builder, scale)
        drawn = scene.drawn_label(band, item)
        assert (drawn is not None) is shown
        if drawn is not None:
            assert drawn[2] <= WIDTH
            assert drawn[2] - drawn[0] < measure(title)


def test_a_day_seen_at_minutes_is_on_screen_as_its_band_and_can_be_hit() -> None:
    day = DateSpan.parse("2024-12-12")
    builder = one_event_builder("Talks in Warsaw", day)
    noon = (day.start_seconds() + day.end_seconds()) / 2
    starts, ends = builder.timeline.index.starts, builder.timeline.index.ends
    # Minutes before noon, then after it: the marker (at noon) is off screen either way.
    for t0 in (noon - 4 * 60, noon + 60):
        scene, band, item = the_item(builder, TimeScale(t0, t0 + 180, WIDTH))
        assert scene.visible_count == 1
        x0, y0, x1, y1 = scene.item_box(band, item)
        assert x1 < 0 or x0 > WIDTH
        middle = (y0 + y1) / 2
        assert scene.hit(WIDTH / 2, middle, (starts, ends)) == Hit("event", 0)
        assert scene.hit(WIDTH / 2, middle) is None  # without the periods, only shapes count
        assert scene.hit(WIDTH / 2, y1 + 30, (starts, ends)) is None  # below its row


def test_a_bar_s_label_longer_than_the_bar_s_part_on_screen_is_shortened_not_cut() -> None:
    span = DateSpan.parse("2000-01-01/2000-01-31")  # 310 px at 10 px a day
    title = "A title that the whole bar can carry...."
    assert measure(title) == 280
    builder = one_event_builder(title, span)
    day = span.start_seconds()
    # The bar starts 3 days before the view: 30 px off screen.
    scene, band, item = the_item(
        builder, TimeScale(day + 3 * DAY, day + 3 * DAY + WIDTH / 10 * DAY, WIDTH)
    )
    assert item.x0 < item.label_x0 < 0 < item.label_x1 <= item.x1  # inside, its start off screen
    drawn = scene.drawn_label(band, item)
    assert drawn is not None
    left, _, right, _ = drawn
    assert left >= 0  # its first letters are on screen
    assert right <= item.footprint_x1  # within its footprint
    assert right - left < measure(title)  # so shortened (the painter elides the end)


def test_a_bar_s_title_longer_than_the_bar_follows_it_whole() -> None:
    """From a user test: a title longer than its bar ran across the bar's end ("Ukraine's
    talks wit|h Baltic and Nordic states"); it now starts after the bar, as a point's does."""
    span = DateSpan.parse("2000-01-01/2000-01-31")  # 310 px at 10 px a day
    title = "A title much longer than the bar that carries it"
    assert measure(title) > 310
    day = span.start_seconds()
    scene, band, item = the_item(
        one_event_builder(title, span), TimeScale(day - 10 * DAY, day + 110 * DAY, WIDTH)
    )
    assert item.label_x0 > item.x1  # after the bar
    drawn = scene.drawn_label(band, item)
    assert drawn is not None and drawn[2] - drawn[0] == pytest.approx(measure(title))  # whole


def test_spans_that_overflow_their_rows_keep_a_badge_on_screen_however_close_the_zoom() -> None:
    """Sixty spans, started two days apart and all ending at the year's end, more than their
    lane's rows: zoomed into July, the badge of the hidden ones sat at their starts, off to the
    left, and they were nowhere on screen."""
    first = dt.date(2020, 1, 1)
    starts = [first + dt.timedelta(days=2 * n) for n in range(60)]
    events = tuple(
        Event(
            id=f"s{n}",
            title=f"Inquiry {n}",
            when=DateSpan.parse(f"{start.isoformat()}/2020-12-31"),
            lane="a",
        )
        for n, start in enumerate(starts)
    )
    timeline = Timeline(title="spans", events=events, lanes=(Lane(id="a", name="A"),))
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    middle = DateSpan.parse("2020-07-01").start_seconds()
    for span in (30 * DAY, DAY, 3600.0, 120.0):
        scale = view(middle, span)
        builder.relayout(scale, HEIGHT)
        scene = builder.build(scale, HEIGHT)
        (band,) = scene.lanes
        assert band.packing is not None
        assert band.packing.clusters, "more spans than rows"
        on_screen = [c for c in band.packing.clusters if c.x1 > 0 and c.x0 < WIDTH]
        shown = len(band.packing.items) + sum(cluster.count for cluster in on_screen)
        assert shown == scene.visible_count == 60, span


@pytest.mark.parametrize("extra", [0, 1])
def test_a_lane_alone_in_view_gets_its_most_rows(extra: int) -> None:
    """most_rows_of_a_lane is what a lane with events at one moment gets zoomed in to it:
    as many such events show, one more leaves a badge."""
    probe = SceneBuilder(busy_timeline(lanes=3, per_lane=2), measure, SceneMetrics())
    most = probe.build(view(0.0, DAY), HEIGHT).most_rows_of_a_lane()
    moment = DateSpan.parse("2030-06-01T12:00")
    crowd = tuple(
        Event(id=f"m{n}", title=f"M{n}", when=moment, lane="lane0") for n in range(most + extra)
    )
    base = busy_timeline(lanes=3, per_lane=2)
    timeline = Timeline(title="t", events=base.events + crowd, lanes=base.lanes)
    scene = SceneBuilder(timeline, measure, SceneMetrics()).build(
        view(moment.start_seconds(), 60.0), HEIGHT
    )
    assert scene.most_rows_of_a_lane() == most
    band = scene.lanes[0]
    assert band.packing is not None
    shown = {timeline.events[item.position].id for item in band.packing.items}
    assert (len(shown), bool(band.packing.clusters)) == (
        (most, False) if extra == 0 else (most - 1, True)
    )


def test_one_badge_at_the_left_edge_stands_for_the_events_reaching_into_the_view() -> None:
    """Badges off-screen left whose events reach into the view (long spans seen close up) are
    shown by one badge at the left edge, for those events only: a badge for each had made a
    row of them there, listing events long over before the view begins."""
    timeline = busy_timeline()
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    ends = timeline.index.ends
    start = DateSpan.parse("2000-01-01").start_seconds()
    seen = 0
    for day in range(0, 3650, 61):
        scale = view(start + day * DAY, 20 * DAY)
        scene = builder.build(scale, HEIGHT)
        for band in scene.lanes:
            if band.packing is None:
                continue
            at_edge = [
                cluster
                for cluster in band.packing.clusters
                if cluster.x0 == LABEL_PAD and cluster.span_x0 < 0
            ]
            assert len({cluster.row for cluster in at_edge}) == len(at_edge)
            for cluster in at_edge:
                seen += 1
                assert cluster.count == len(cluster.positions)
                assert all(ends[position] > scale.t0 for position in cluster.positions)
                assert list(cluster.positions) == sorted(cluster.positions)
    assert seen > 10


def test_badges_on_screen_are_whole_and_by_events_in_view_while_panning() -> None:
    """From a user test: panning brought into the view badges of spans clamped to where the
    packing's window began, far from them, and badges at the edges were cut in half."""
    timeline = busy_timeline()
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    starts = timeline.index.starts
    scale = view(middle_of(timeline), 20 * DAY)
    builder.relayout(scale, HEIGHT)
    badges = 0
    for _ in range(40):
        scale = scale.panned(-WIDTH / 7)  # on the packing made before, as frames are
        scene = builder.build(scale, HEIGHT)
        assert_no_overlaps(scene)
        for band in scene.lanes:
            leftmost: dict[int, float] = {}
            for cluster in band.packing.clusters if band.packing is not None else ():
                leftmost[cluster.row] = min(leftmost.get(cluster.row, WIDTH), cluster.x0)
            for cluster in band.packing.clusters if band.packing is not None else ():
                if cluster.x0 >= WIDTH:
                    continue  # beyond the right edge, ready to come in
                badges += 1
                assert cluster.x0 >= 0 and cluster.x1 <= WIDTH
                # Only the row's first badge, the edge's (which boxes before it may push
                # right), stands for events that all began before the view.
                began_in_view = starts[cluster.positions[-1]] >= scale.t0
                assert began_in_view or cluster.x0 == leftmost[cluster.row]
    assert badges > 50


def test_a_bar_across_a_one_row_lane_joins_the_edge_s_badge_rather_than_push_it_off() -> None:
    """From a user test: in a small window (one row a lane), a span across the view took the
    row, and the edge's badge for other spans begun before the view was pushed past the
    bar's end, off the screen: the lane showed one event of the several in view."""
    metrics = SceneMetrics()
    events = tuple(
        Event(id=f"s{n}", title=f"Long span {n}", when=DateSpan.parse(when), lane="only")
        for n, when in enumerate(["1990-01-01/2000-01-01", "1991-03-01/1999-01-01",
                                  "1992-06-01/1998-01-01", "1995-02-01"])
    )  # fmt: skip
    timeline = Timeline(title="t", events=events, lanes=(Lane(id="only", name="Only"),))
    builder = SceneBuilder(timeline, measure, metrics)
    one_row = metrics.axis_height + metrics.era_height + metrics.lane_header + 30.0
    scale = TimeScale(
        DateSpan.parse("1995-01-01").start_seconds(),
        DateSpan.parse("1995-03-01").start_seconds(),
        WIDTH,
    )
    builder.relayout(scale, one_row)
    (band,) = builder.build(scale, one_row).lanes
    assert band.rows == 1 and band.packing is not None
    shown = {item.position for item in band.packing.items}
    for cluster in band.packing.clusters:
        assert cluster.x0 >= 0 and cluster.x1 <= WIDTH  # on screen, where it can be clicked
        shown.update(cluster.positions)
    assert shown == {0, 1, 2, 3}


def test_labels_are_made_room_for_only_in_lanes_that_draw_them() -> None:
    """Fitting a range widens it for the titles of its last events, but not for those of a
    lane that shows its density there: no title of it would fill the room."""
    timeline = busy_timeline(lanes=2, per_lane=300)
    t0, t1 = timeline.extent()
    roomy = SceneBuilder(timeline, measure, SceneMetrics(density_threshold=10_000))
    dense = SceneBuilder(timeline, measure, SceneMetrics(density_threshold=100))
    assert roomy.label_extents(fit(t0, t1, WIDTH), HEIGHT)
    assert dense.label_extents(fit(t0, t1, WIDTH), HEIGHT) == []


def test_titles_that_end_in_a_badge_are_not_made_room_for() -> None:
    """From a user test: Fit All on 100,000 events widened the view by half for the titles
    of a sparse lane's last events, which were all in "+N" badges. Only titles the fitted
    view draws are made room for."""
    day = dt.date(2000, 1, 1)

    def timeline_of(days: list[int], title: str) -> Timeline:
        events = tuple(
            Event(
                id=f"e{n}",
                title=f"{title} {n}",
                when=DateSpan.parse((day + dt.timedelta(days=n)).isoformat()),
                lane="only",
            )
            for n in days
        )
        return Timeline(title="t", events=events, lanes=(Lane(id="only", name="Only"),))

    def fitted(timeline: Timeline, labels: list[tuple[float, float]]) -> TimeScale:
        return widened_for_labels(fit(*timeline.extent(), WIDTH), labels)

    # Four hundred daily events with long titles, three pixels apart: a row holds three or
    # four titles across the window, and most, the last ones too, go into badges.
    crowded = timeline_of(list(range(400)), "A title much too long to sit beside its neighbours")
    builder = SceneBuilder(crowded, measure, SceneMetrics())
    t0, t1 = crowded.extent()
    drawn = builder.label_extents(fit(t0, t1, WIDTH), HEIGHT)
    last = builder.label_extent(len(crowded.events) - 1)
    assert drawn and last[0] not in {anchor for anchor, _ in drawn}
    assert fitted(crowded, drawn).t1 < fitted(crowded, [last]).t1
    # Two events far apart: the last one's title is drawn, so the fit makes room for it.
    apart = timeline_of([0, 399], "A long last title")
    builder = SceneBuilder(apart, measure, SceneMetrics())
    t0, t1 = apart.extent()
    labels = builder.label_extents(fit(t0, t1, WIDTH), HEIGHT)
    assert fitted(apart, labels).t1 > fit(t0, t1, WIDTH).t1 + (t1 - t0) * 0.05


def test_a_title_the_widening_brings_into_view_gets_room_too() -> None:
    """Seen on first start: the Warsaw timeline opens on 26 Feb – 13 Dec 2024, widened for
    the titles of December; that brought "Poland takes the EU Council presidency" (1 January
    2025) into view, its title cut by the right edge. The fit widens again for what it
    brought in."""
    day = dt.date(2000, 1, 1)
    events = tuple(
        Event(
            id=f"e{n}",
            title=title,
            when=DateSpan.parse((day + dt.timedelta(days=n)).isoformat()),
            lane="only",
        )
        for n, title in [
            (0, "First"),
            (100, "A title of some length at the end of the range"),
            (104, "A later title, just past the range, also long"),
        ]
    )
    timeline = Timeline(title="t", events=events, lanes=(Lane(id="only", name="Only"),))
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    t0 = DateSpan.parse(day.isoformat()).start_seconds()
    t1 = t0 + 100 * DAY  # the range asked for ends with the second event
    scale = builder.fit_with_titles(t0, t1, WIDTH, HEIGHT)
    plain = fit(t0, t1, WIDTH)
    once = widened_for_labels(plain, builder.label_extents(plain, HEIGHT))
    late = builder.label_extent(2)
    assert once.t0 <= late[0] <= once.t1  # the first widening brought it in
    assert once.x(late[0]) + late[1] > WIDTH  # with its title cut
    assert scale.x(late[0]) + late[1] <= WIDTH + 1e-6  # the fit has room for it


def test_a_fit_widened_for_titles_stays_within_half_again_its_range() -> None:
    """From a user test: in a window 800 px wide, Fit All on the bundled timeline (three years)
    showed six years and a half to keep its last titles whole, half the canvas empty."""
    from desktop.formats.loader import load_bundled
    from desktop.layout.scene import FIT_WIDENED_AT_MOST

    timeline = load_bundled()
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    t0, t1 = timeline.extent()
    for width in (480.0, 700.0, 1200.0):
        plain = fit(t0, t1, width)
        scale = builder.fit_with_titles(t0, t1, width, HEIGHT)
        assert scale.t0 == plain.t0
        assert scale.span <= plain.span * FIT_WIDENED_AT_MOST * (1 + 1e-9), width
    # Where the room fits in, the titles get it whole (the test before this one).
    assert builder.fit_with_titles(t0, t1, 4000.0, HEIGHT).span < plain.span * FIT_WIDENED_AT_MOST


def test_labels_kept_on_a_band_stay_clear_of_the_badges_where_they_end_up() -> None:
    """From a user test: in lanes of one row, a year's event seen at day zoom had its label
    kept at the left edge of its band, placed before the badges there were; the edge's badge,
    pushed right, was then drawn over it. Whatever is drawn in a row keeps apart."""
    rng = random.Random(3)
    events = []
    for lane in range(3):
        for n in range(150):
            day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(366))
            when = day.isoformat()
            if n % 10 == 0:
                when = "2000"  # a year's event: at day zoom, a band across the view
            elif n % 7 == 0:
                when += "/" + (day + dt.timedelta(days=40)).isoformat()
            title = f"Event {n} of lane {lane}"
            events.append(
                Event(id=f"{lane}-{n}", title=title, when=DateSpan.parse(when), lane=f"{lane}")
            )
    lanes = tuple(Lane(id=f"{n}", name=f"Lane {n}") for n in range(3))
    timeline = Timeline(title="t", events=tuple(events), lanes=lanes)
    metrics = SceneMetrics()
    builder = SceneBuilder(timeline, measure, metrics)
    one_row_each = (
        metrics.axis_height
        + metrics.era_height
        + 3 * (metrics.lane_header + metrics.lane_gap + metrics.row_height)
    )
    kept = 0
    for first_day in range(0, 340, 9):
        start = DateSpan.parse((dt.date(2000, 1, 1) + dt.timedelta(days=first_day)).isoformat())
        scale = TimeScale(start.start_seconds(), start.start_seconds() + 20 * DAY, WIDTH)
        builder.relayout(scale, one_row_each)
        scene = builder.build(scale, one_row_each)
        for band in scene.lanes:
            assert band.rows == 1 and band.packing is not None
            boxes = [(cluster.x0, cluster.x1) for cluster in band.packing.clusters]
            for item in band.packing.items:
                drawn = scene.drawn_label(band, item)
                on_screen = item.x1 >= 0 and item.x0 <= WIDTH
                if drawn is not None and on_screen:
                    boxes.append((min(item.x0, drawn[0]), max(item.x1, drawn[2])))
                elif drawn is not None:
                    kept += item.label_pinned
                    boxes.append((drawn[0], drawn[2]))
                elif on_screen:
                    boxes.append((item.x0, item.x1))
            boxes.sort()
            for (_, end), (begin, _) in pairwise(boxes):
                assert begin >= end, (band.lane_id, first_day, boxes)
    assert kept > 10


def test_a_band_on_screen_without_its_marker_keeps_its_label() -> None:
    """From user tests: zoomed into a day, a day's event showed as a stripe across the view,
    its marker (at noon) and label off-screen, with nothing to say whose stripe it was."""
    events = (
        Event(id="day", title="Talks in Warsaw", when=DateSpan.parse("2024-12-12"), lane="a"),
        Event(id="late", title="Statement", when=DateSpan.parse("2024-12-12T10:01"), lane="a"),
    )
    timeline = Timeline(title="t", events=events, lanes=(Lane(id="a", name="A"),))
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scale = view(DateSpan.parse("2024-12-12T10:00").start_seconds(), 300.0)  # 09:57:30-10:02:30
    builder.relayout(scale, HEIGHT)
    scene = builder.build(scale, HEIGHT)
    (band,) = scene.lanes
    assert band.packing is not None
    items = {timeline.events[item.position].id: item for item in band.packing.items}
    day, late = items["day"], items["late"]
    assert day.x0 > WIDTH  # its marker, at noon, is off-screen
    drawn = scene.drawn_label(band, day)
    assert drawn is not None and drawn[0] == LABEL_PAD
    assert day.row == late.row and drawn[2] <= late.x0  # clear of the other's marker
    assert_no_overlaps(scene)
    # Clicking its label selects it.
    assert scene.hit((drawn[0] + drawn[2]) / 2, (drawn[1] + drawn[3]) / 2) == Hit(
        "event", items["day"].position
    )


def test_a_band_whose_marker_is_at_the_right_edge_keeps_its_label() -> None:
    """From a user test: the morning of 12 December, 09:00 to 12:00, showed the day's events
    as stripes with no title: each marker (at noon) sat on the view's right edge, so it counted
    as on screen, and its label, right of it, was off-screen."""
    events = tuple(
        Event(id=f"e{n}", title=title, when=DateSpan.parse("2024-12-12"), lane="a")
        for n, title in enumerate(("Foreign ministers meet in Berlin", "Weimar ministers meet"))
    )
    timeline = Timeline(title="t", events=events, lanes=(Lane(id="a", name="A"),))
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    noon = DateSpan.parse("2024-12-12T12:00").start_seconds()
    scale = TimeScale(noon - 3 * 3600, noon, WIDTH)  # 09:00 to 12:00
    builder.relayout(scale, HEIGHT)
    scene = builder.build(scale, HEIGHT)
    (band,) = scene.lanes
    assert band.packing is not None
    assert len(band.packing.items) == 2
    for item in band.packing.items:
        assert item.x0 < WIDTH < item.x1  # the marker straddles the right edge
        drawn = scene.drawn_label(band, item)
        assert drawn is not None and drawn[0] == LABEL_PAD, timeline.events[item.position].id
        assert drawn[2] < item.x0  # the title ends before its marker
    assert_no_overlaps(scene)


# -- lanes taller than the canvas -------------------------------------------------------------
# From a user test: in a window under ~450 px tall the last lanes were cut off, out of reach.
SHORT = 300.0  # six lanes of one row each need 62 + 6 × 44 = 326 px


def test_lanes_taller_than_the_canvas_overflow_it_by_what_they_need(timeline: Timeline) -> None:
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scale = view(middle_of(timeline), 400 * DAY)
    scene = builder.build(scale, SHORT)
    metrics = scene.metrics
    assert all(band.rows == metrics.min_rows for band in scene.lanes)
    bottom = scene.lanes[-1].y1 + metrics.lane_gap
    assert scene.overflow == pytest.approx(bottom - SHORT) and scene.overflow > 0
    assert scene.scroll == 0 and scene.lanes[0].y0 == scene.lanes_top
    assert builder.build(scale, HEIGHT).overflow == 0  # they fit a taller canvas


@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_scrolled_lanes_move_up_by_the_scroll_kept_within_the_overflow(scroll: float) -> None:
    timeline = busy_timeline(per_lane=20)
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scale = view(middle_of(timeline), 400 * DAY)
    still = builder.build(scale, SHORT)
    scene = builder.build(scale, SHORT, scroll)
    assert scene.scroll == min(max(scroll, 0.0), still.overflow)
    for moved, band in zip(scene.lanes, still.lanes, strict=True):
        assert moved.y0 == pytest.approx(band.y0 - scene.scroll)
        assert moved.y1 == pytest.approx(band.y1 - scene.scroll)
    on_screen = scene.lanes_on_screen()
    assert on_screen == tuple(
        band for band in scene.lanes if band.y1 > scene.lanes_top and band.y0 < SHORT
    )
    if scene.scroll == still.overflow:  # scrolled to the end: the last lane is whole
        assert scene.lanes[-1].y1 <= SHORT and on_screen[-1] is scene.lanes[-1]


def test_the_axis_strip_hides_and_shields_a_lane_scrolled_under_it() -> None:
    timeline = busy_timeline(lanes=12, per_lane=5)
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scale = view(middle_of(timeline), 4000 * DAY)
    still = builder.build(scale, SHORT)
    band = next(band for band in still.lanes if band.packing is not None and band.packing.items)
    assert band.packing is not None
    item = band.packing.items[0]
    x0, y0, x1, y1 = still.item_box(band, item)
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    assert still.hit(x, y) == Hit("event", item.position)
    # Scrolled so that the event lies 2 px under the era strip's bottom edge: not hit there.
    scrolled = builder.build(scale, SHORT, y - still.lanes_top + 2)
    assert scrolled.scroll == pytest.approx(y - still.lanes_top + 2)
    assert scrolled.hit(x, scrolled.lanes_top - 2) is None
    # Scrolled back by a pixel more than that, it is hit where it now is.
    back = builder.build(scale, SHORT, scrolled.scroll - 4)
    assert back.hit(x, back.lanes_top + 2) == Hit("event", item.position)


@given(st.floats(0, 400), st.floats(-200, 600), st.floats(1, 300))
def test_revealing_rows_brings_them_on_screen_with_the_least_scroll(
    scroll: float, y0: float, height: float
) -> None:
    timeline = busy_timeline(lanes=12, per_lane=5)
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scene = builder.build(view(middle_of(timeline), 400 * DAY), SHORT, scroll)
    y1 = y0 + height
    revealed = scene.scroll_revealing(y0, y1)
    assert 0 <= revealed <= scene.overflow
    move = revealed - scene.scroll
    top, bottom = y0 - move, y1 - move  # where the rows are once scrolled
    room = SHORT - scene.lanes_top
    if scene.lanes_top <= y0 and y1 <= SHORT:
        assert revealed == scene.scroll  # on screen already: no move
    elif scene.scroll + (y0 - scene.lanes_top) >= 0 and (
        scene.scroll + (y1 - SHORT) <= scene.overflow
    ):  # the scroll can reach them: their top shows, and their bottom if they fit
        assert top >= scene.lanes_top - 1e-6
        if height <= room:
            assert bottom <= SHORT + 1e-6
        assert (top == pytest.approx(scene.lanes_top)) or (bottom == pytest.approx(SHORT))


@pytest.mark.parametrize("first_day", [1050, 1160])
def test_a_badge_its_title_pushes_past_the_right_edge_comes_back_to_it(first_day: int) -> None:
    """From a user test: near the right edge of a one-row lane, an event's title pushed the
    badge of the event after it off the screen, and that event was nowhere to be seen. The
    badge stands at the edge, the title before it cut short for it (left out, when too little
    of it would show)."""
    start = dt.date(2000, 1, 1)

    def on_day(day: int) -> DateSpan:
        return DateSpan.parse((start + dt.timedelta(days=day)).isoformat())

    timeline = Timeline(
        title="edge",
        events=(
            Event(id="a", title="A long title that runs past the edge", when=on_day(first_day)),
            Event(id="b", title="Hidden", when=on_day(1175)),
        ),
    )
    metrics = SceneMetrics()
    one_row = metrics.axis_height + metrics.era_height + metrics.lane_header + metrics.lane_gap
    height = one_row + metrics.row_height
    builder = SceneBuilder(timeline, measure, metrics)
    origin = on_day(0).start_seconds()
    scale = TimeScale(origin, origin + WIDTH * DAY, WIDTH)  # a day a pixel
    builder.relayout(scale, height)
    scene = builder.build(scale, height)
    (band,) = scene.lanes
    assert band.rows == 1 and band.packing is not None
    (item,) = band.packing.items
    (badge,) = band.packing.clusters
    assert timeline.events[item.position].id == "a" and badge.count == 1
    assert badge.x1 <= WIDTH  # whole on screen
    assert item.label_cut and item.footprint_x1 <= badge.x0 - BADGE_GAP
    drawn = scene.drawn_label(band, item)
    if first_day == 1050:  # room for part of the title
        assert drawn is not None and drawn[2] - drawn[0] >= MIN_VISIBLE_LABEL
    else:  # none: the marker alone
        assert drawn is None
    assert_no_overlaps(scene)


def test_the_eras_under_a_point_of_the_era_strip_are_found() -> None:
    """Hovering the era strip names the eras there, whose names are often cut short."""
    winter = Era("Winter talks", DateSpan.parse("2024-11/2025-02"))
    december = Era("December", DateSpan.parse("2024-12"))
    timeline = Timeline(
        title="eras",
        events=(Event(id="e", title="Talks", when=DateSpan.parse("2024-12-12")),),
        eras=(winter, december),
    )
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    scale = fit(
        DateSpan.parse("2024-10").start_seconds(), DateSpan.parse("2025-03").end_seconds(), WIDTH
    )
    builder.relayout(scale, HEIGHT)
    scene = builder.build(scale, HEIGHT)
    strip = scene.metrics.axis_height + scene.metrics.era_height / 2
    at = scale.x
    assert scene.eras_at(at(DateSpan.parse("2024-12-12").start_seconds()), strip) == [
        winter,
        december,
    ]
    assert scene.eras_at(at(DateSpan.parse("2025-01-12").start_seconds()), strip) == [winter]
    assert scene.eras_at(at(DateSpan.parse("2024-10-12").start_seconds()), strip) == []
    december_x = at(DateSpan.parse("2024-12-12").start_seconds())
    assert scene.eras_at(december_x, scene.metrics.axis_height - 1) == []  # the axis
    assert scene.eras_at(december_x, scene.lanes_top) == []  # the lanes


# -- lanes keep their rows -------------------------------------------------------------------
# From user tests: lanes grew and shrank at every pause of a zoom, moving every lane below them.


def test_a_zoom_in_with_rows_to_spare_moves_no_lane() -> None:
    """Zooming into the bundled timeline from the whole of it down to an hour, relaid out at
    every step as when input pauses: each lane needs fewer rows as its events move apart, and
    keeps the rows it had. (In a canvas too short for every lane's rows, a lane whose events
    were hidden under a badge may need more as they move apart, and take them.)"""
    from desktop.formats.loader import load_bundled

    timeline = load_bundled()
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    extent = timeline.extent()
    assert extent is not None
    scale, height = fit(*extent, WIDTH), 900.0
    step = (scale.span / 3600.0) ** (1 / 60)
    bands = None
    for _ in range(61):
        builder.relayout(scale, height)
        scene = builder.build(scale, height)
        assert scene.overflow == 0
        now = [(band.lane_id, band.y0, band.y1) for band in scene.lanes]
        assert bands is None or now == bands, scale
        bands = now
        scale = scale.zoomed(step, WIDTH * 0.62)
    fresh = SceneBuilder(timeline, measure, SceneMetrics())
    fresh.relayout(scale, height)
    assert [band.rows for band in fresh.build(scale, height).lanes] != [
        band.rows for band in scene.lanes
    ], "zoomed in, the lanes need fewer rows than they keep"


@given(
    views=st.lists(st.tuples(st.floats(0.0, 1.0), st.floats(-1.0, 3.5)), min_size=1, max_size=6),
    height=st.sampled_from([300.0, 450.0, 700.0]),
)
def test_rows_kept_never_take_what_a_lane_needs_now(
    views: list[tuple[float, float]], height: float
) -> None:
    """After any zooms and pans, each lane has at least the rows, and shows at least the
    events, that a builder new to the timeline gives it for the same view; the rows kept are
    only rows the canvas has left over."""
    timeline = busy_timeline(lanes=4, per_lane=40, seed=11)
    extent = timeline.extent()
    assert extent is not None
    builder = SceneBuilder(timeline, measure, SceneMetrics())
    for where, days in views:
        span = DAY * 10**days
        scale = view(extent[0] + where * (extent[1] - extent[0]), span)
        builder.relayout(scale, height)
        kept = builder.build(scale, height)
        fresh_builder = SceneBuilder(timeline, measure, SceneMetrics())
        fresh_builder.relayout(scale, height)
        fresh = fresh_builder.build(scale, height)
        assert kept.overflow == fresh.overflow
        for band, fresh_band in zip(kept.lanes, fresh.lanes, strict=True):
            assert band.rows >= fresh_band.rows
            assert (band.packing is None) == (fresh_band.packing is None)
            if band.packing is not None and fresh_band.packing is not None:
                assert len(band.packing.items) >= len(fresh_band.packing.items)


@given(
    st.lists(
        st.tuples(st.floats(-500, 1500), st.floats(0, 900)).map(lambda e: (e[0], e[0] + e[1])),
        max_size=6,
    ),
    st.lists(st.floats(0, 1000, exclude_max=True), min_size=1, max_size=20),
)
def test_era_columns_tile_the_width_and_list_the_eras_over_each_point(
    edges: list[tuple[float, float]], points: list[float]
) -> None:
    builder = one_event_builder("x", DateSpan.parse("2024-03-01"))
    start = DateSpan.parse("2024-03-01").start_seconds()
    scale = TimeScale(start, start + 86400 * 30, 1000)
    era = Era("era", DateSpan.parse("2024"))
    scene = builder.build(scale, HEIGHT)._replace(eras=tuple((era, x0, x1) for x0, x1 in edges))
    columns = scene.era_columns()
    assert columns[0][0] == 0.0 and columns[-1][1] == 1000.0
    for (_, right, over), (left, _, next_over) in pairwise(columns):
        assert right == left and over != next_over  # touching; alike neighbours are one column
    for x0, x1, _ in columns:
        assert x0 < x1
    for x in points:
        (over,) = [over for x0, x1, over in columns if x0 <= x < x1]
        assert over == tuple(n for n, (_, x0, x1) in enumerate(scene.eras) if x0 <= x < x1)
