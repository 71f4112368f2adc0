"""Natural order of names: case ignored, numbers compared by value."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from desktop.model.ordering import natural_keys

# Letters of both cases (one that casefolds to two, two with accents), digits, and characters
# that sort below and above the digits, so numbers meet every kind of neighbour.
names = st.text(alphabet="aAbBßéÉ0129 -._~", max_size=12)


def reference_key(name: str) -> list[tuple[int, ...]]:
    """The order spelled out: each character by its code, each run of digits as one item that
    sorts where a digit would against characters, and by its value against another number."""
    plain = "".join(
        character
        for character in unicodedata.normalize("NFD", name.casefold())
        if unicodedata.category(character) != "Mn"  # accents
    )
    parts = re.split(r"([0-9]+)", plain)
    key: list[tuple[int, ...]] = []
    for index, part in enumerate(parts):
        if index % 2:  # re.split puts the numbers at odd indexes
            key.append((ord("0"), int(part)))
        else:
            key.extend((ord(character),) for character in part)
    return key


def test_numbers_in_names_compare_by_value() -> None:
    titles = ["Day 10", "day 9", "Day 1", "Day 09b", "Day", "Day 100", "Day 9a"]
    keys = natural_keys(titles)
    ordered = [title for _, title in sorted(zip(keys, titles, strict=True))]
    assert ordered == ["Day", "Day 1", "day 9", "Day 9a", "Day 09b", "Day 10", "Day 100"]


def test_names_without_numbers_are_only_folded() -> None:
    assert natural_keys(["Straße", "B"]) == ["strasse", "b"]


def test_accents_are_ignored() -> None:
    titles = ["Zebra", "Émile event", "event 4", "Eagle"]
    keys = natural_keys(titles)
    ordered = [title for _, title in sorted(zip(keys, titles, strict=True))]
    assert ordered == ["Eagle", "Émile event", "event 4", "Zebra"]
    assert natural_keys(["Café", "cafe"]) == ["cafe", "cafe"]


def test_other_scripts_digits_keep_their_plain_order() -> None:
    # Arabic-Indic three and one-zero: compared as characters, not mixed with ASCII numbers.
    assert natural_keys(["x ٣", "x ١٠"]) == ["x ٣", "x ١٠"]


def test_a_number_longer_than_a_machine_word_compares_by_value() -> None:
    small, big = "n " + "9" * 30, "n 1" + "0" * 30
    first, second = natural_keys([small, big])
    assert first < second


@given(names, names)
def test_natural_keys_order_as_the_spelled_out_rule(first: str, second: str) -> None:
    key_first, key_second = natural_keys([first, second])
    expected_first, expected_second = reference_key(first), reference_key(second)
    assert (key_first < key_second) == (expected_first < expected_second)
    assert (key_first == key_second) == (expected_first == expected_second)


@given(st.lists(names, max_size=30))
def test_each_name_gets_the_key_it_gets_alone(titles: list[str]) -> None:
    # The quick path for lists without numbers must not change any key.
    assert natural_keys(titles) == [natural_keys([title])[0] for title in titles]
