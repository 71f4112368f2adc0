"""Quoting the place a problem names, for the error's details."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.formats import errors
from desktop.formats.errors import Problem, excerpt, source_lines


def test_a_short_line_is_quoted_whole_with_the_place_marked() -> None:
    assert excerpt('  "title": "Cut sh', 12) == '  "title": ▶"Cut sh'
    assert excerpt("date,title", None) == "date,title"


def test_a_long_line_is_cut_around_the_place() -> None:
    line = "x" * 100 + "HERE" + "y" * 100
    quoted = excerpt(line, 101, width=20)
    assert quoted == "…" + "x" * 10 + "▶HERE" + "y" * 6 + "…"


@given(st.text(alphabet='ab{}" \t', max_size=200), st.integers(1, 220), st.integers(4, 80))
def test_the_mark_stands_before_the_named_character(line: str, column: int, width: int) -> None:
    quoted = excerpt(line, column, width)
    before, mark, after = quoted.partition("▶")
    assert mark == "▶"
    text = line.rstrip()
    at = min(column - 1, len(text))
    assert after.removesuffix("…") == text[at : at + len(after.removesuffix("…"))]
    assert before.removeprefix("…") == text[at - len(before.removeprefix("…")) : at]
    assert len(quoted) <= width + 3  # the text, the mark and the two ellipses


def test_only_the_head_of_a_big_file_is_read_and_its_cut_line_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(errors, "EXCERPT_SOURCE_BYTES", 10)
    path = tmp_path / "f.csv"
    path.write_text("abc\ndefgh\nijklmnop\n", encoding="utf-8")
    assert source_lines(path) == ["abc", "defgh"]  # the limit falls at the end of a line
    path.write_text("abc\ndefghijklmnop\n", encoding="utf-8")
    assert source_lines(path) == ["abc"]  # "defghi" was cut by the limit
    assert source_lines(tmp_path / "missing.csv") == []


def test_a_problem_in_words_leaves_the_file_name_to_the_sentence() -> None:
    """From a user test: "“fake.json” could not be opened: fake.json: the file is not text"."""
    assert Problem("the file is not text").in_words() == "the file is not text"
    assert Problem("bad date", 2, 11).in_words() == "line 2, column 11: bad date"
    assert Problem("bad row", 4).in_words() == "line 4: bad row"
    assert Problem("bad date", 2, 11).render("a.csv") == "a.csv:2:11: bad date"
