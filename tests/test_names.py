"""desktop.layout.names: the beginnings that tell names apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.layout.names import distinguishing_prefixes


def test_the_bundled_lanes() -> None:
    names = [
        "France",
        "Germany",
        "Poland",
        "United Kingdom",
        "United States",
        "EU and multilateral",
        "Ukraine and Russia",
    ]
    assert distinguishing_prefixes(names) == ["F", "G", "P", "United K", "United S", "E", "Uk"]


def test_a_name_that_begins_another_is_shown_whole() -> None:
    assert distinguishing_prefixes(["Poland", "Poland's allies", "Portugal"]) == [
        "Poland",
        "Poland'",
        "Por",
    ]


def test_repeated_and_empty_names() -> None:
    assert distinguishing_prefixes(["Army", "Army", "Navy"]) == ["A", "A", "N"]
    assert distinguishing_prefixes(["", "A"]) == ["", "A"]
    assert distinguishing_prefixes([]) == []


@given(st.lists(st.text(alphabet="ab c", max_size=6), max_size=8))
def test_each_prefix_is_the_shortest_that_tells_its_name_apart(names: list[str]) -> None:
    prefixes = distinguishing_prefixes(names)
    assert len(prefixes) == len(names)
    for name, prefix in zip(names, prefixes, strict=True):
        others = [other for other in names if other != name]
        assert name.startswith(prefix)
        # Told apart: no other name begins with it, unless the prefix is the whole name.
        assert prefix == name or not any(other.startswith(prefix) for other in others)
        # And no shorter beginning would do, but the first letter is always shown.
        if len(prefix) > 1:
            shorter = prefix[:-1]
            assert any(other.startswith(shorter) for other in others)
