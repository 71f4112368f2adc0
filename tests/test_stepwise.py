"""Work in short steps: the same results as the one-call versions, ticks between the steps, and
a tick that raises stops the work."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.model import stepwise
from desktop.model.index import EventIndex
from desktop.model.store import EventStoreBuilder

# Few distinct values, so that many are equal and the order among equals shows.
keys = st.lists(st.one_of(st.integers(-5, 5).map(float), st.floats(-1e12, 1e12)), max_size=300)


@pytest.fixture(autouse=True)
def small_steps() -> Iterator[None]:
    """Steps of a few values, so that small inputs take many steps and many parts."""
    with mock.patch.object(stepwise, "STEP", 8):
        yield


@given(keys)
def test_stable_order_is_sorted_by_key(values: list[float]) -> None:
    column = array("d", values)
    assert list(stepwise.stable_order(column, stepwise.no_tick)) == sorted(
        range(len(values)), key=values.__getitem__
    )


@given(keys)
def test_sorted_values_are_sorted(values: list[float]) -> None:
    assert list(stepwise.sorted_values(array("d", values), stepwise.no_tick)) == sorted(values)


@given(keys, st.randoms())
def test_picked_and_converted_are_the_one_call_versions(values: list[float], rng) -> None:
    positions = list(range(len(values)))
    rng.shuffle(positions)
    picked = stepwise.picked("d", array("d", values), positions, stepwise.no_tick)
    assert list(picked) == [values[position] for position in positions]
    assert stepwise.converted("d", values, stepwise.no_tick) == array("d", values)


@given(keys)
def test_is_sorted(values: list[float]) -> None:
    assert stepwise.is_sorted(array("d", values)) == (values == sorted(values))


def test_ticks_rise_from_0_to_below_1_and_may_stop_the_work() -> None:
    values = array("d", [float((n * 7919) % 101) for n in range(100)])
    heard: list[float] = []
    stepwise.stable_order(values, heard.append)
    assert len(heard) > 10
    assert heard == sorted(heard) and heard[0] >= 0 and heard[-1] < 1

    class Stop(Exception):
        pass

    def stop_at_the_third(done: float) -> None:
        heard.append(done)
        if len(heard) == 3:
            raise Stop

    heard.clear()
    with pytest.raises(Stop):
        stepwise.stable_order(values, stop_at_the_third)
    assert len(heard) == 3


def test_a_store_and_its_index_built_in_steps_hear_every_share_once() -> None:
    builder = EventStoreBuilder()
    for n in range(100):
        builder.starts.append(float((n * 37) % 50))
        builder.ends.append(float((n * 37) % 50 + n))
        builder.start_period_ends.append(float((n * 37) % 50 + 1))
        builder.end_period_starts.append(float((n * 37) % 50 + n))
        builder.flags.append(1)
        builder.dates.append(2)
        builder.lane_slots.append(EventStoreBuilder.DEFAULT_SLOT)
        for column in (builder.ids, builder.titles, builder.bodies):
            column.append(f"e{n}")
    heard: list[float] = []
    store = builder.build(heard.append)
    assert heard == sorted(heard) and heard[-1] < 1
    assert list(store.starts) == sorted(store.starts)
    assert store.lane_ids == ("",)
    assert list(store.ids) == [f"e{n}" for n in sorted(range(100), key=lambda n: (n * 37) % 50)]
    index = EventIndex(store.starts, store.ends)
    assert index.count_overlapping(10.0, 20.0) == len(index.overlapping(10.0, 20.0))


@given(st.lists(st.text(max_size=8)), st.lists(st.text(max_size=8)))
def test_a_sharded_set_is_a_set(added: list[str], asked: list[str]) -> None:
    sharded = stepwise.ShardedSet()
    for text in added:
        sharded.add(text)
    assert len(sharded) == len(set(added))
    assert [text in sharded for text in asked + added] == [
        text in set(added) for text in asked + added
    ]
    sharded.release()
    assert len(sharded) == 0 and not any(text in sharded for text in added)


def test_a_sharded_set_keeps_its_sets_small() -> None:
    sharded = stepwise.ShardedSet()
    for number in range(64_000):
        sharded.add(f"event-{number}")
    assert max(map(len, sharded._sets)) < 64_000 // 32  # spread, not one big set
