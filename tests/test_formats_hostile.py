"""Files made to break the readers: each is a clear problem (or reads), never another exception.

The cases are the ones a fuzzing run found crashing or hanging the readers (huge years and
numbers, odd time-zone names, markup the standard HTML parser asserts on, CR-only XML, oversized
CSV headers, more lanes than the model holds); each was an "unexpected error" in --check.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest

from desktop.formats.common import IdAllocator, html_to_text
from desktop.formats.errors import FormatError
from desktop.formats.loader import read_text_document
from desktop.model.dates import DateError, DateSpan, TimePoint


def native_event_dated(date: str) -> str:
    return json.dumps(
        {
            "format": "timeline-viewer",
            "version": 1,
            "events": [{"id": "a", "title": "t", "date": date}],
        }
    )


def timelinejs_with_year(year: object, headline: str = "x") -> str:
    return json.dumps({"events": [{"start_date": {"year": year}, "text": {"headline": headline}}]})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (native_event_dated("Y" + "9" * 309), "the year is out of range"),
        (native_event_dated("Y-" + "9" * 5000), "the year is out of range"),
        (native_event_dated("2024/Y" + "9" * 20), "the year is out of range"),
        (timelinejs_with_year("9" * 309), "too long for a date part"),
        (timelinejs_with_year(10**20), "the year is out of range"),
        ("start,title\nY" + "9" * 309 + ",x\n", "the year is out of range"),
        ("Year,Headline\n" + "9" * 309 + ",x\n", "too long for a date part"),
        (native_event_dated("2024-01-01T12:00[" + "a" * 256 + "]"), "unknown time zone"),
        (native_event_dated("2024-01-01T12:00[" + "a/" * 600 + "a]"), "unknown time zone"),
        ("start,title\nDec 12 2024 13:30 +2400,x\n", "the UTC offset is out of range"),
        ("start,title\n" + "9" * 29 + "h,x\n", "is not a date"),
        ('{"events": [], "x": ' + "1" * 4301 + "}", "a number in the file has over 4,300 digits"),
        ("start,title," + "a" * 140_000 + "\n2024,x\n", "not a timeline file this program reads"),
        (
            "<timeline>\r<events><event><start>x</start>"
            "<end>2024-01-01 00:00:00</end></event></events></timeline>",
            "<start> 'x' is not YYYY-MM-DD HH:MM:SS",
        ),
    ],
)
def test_a_hostile_file_is_a_clear_problem(text: str, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_text_document(text)
    assert any(message in problem.message for problem in caught.value.problems), (
        caught.value.problems
    )


def test_a_line_ended_by_a_lone_carriage_return_counts_as_xml_counts_it() -> None:
    text = (
        "<timeline>\r<events><event><start>x</start>"
        "<end>2024-01-01 00:00:00</end></event></events></timeline>"
    )
    with pytest.raises(FormatError) as caught:
        read_text_document(text)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, len("<events><event><start>") + 1)


def test_more_lanes_than_the_model_holds_is_a_problem_of_the_file() -> None:
    rows = "".join(f"2024,event {n},lane {n}\n" for n in range(65_600))
    with pytest.raises(FormatError) as caught:
        read_text_document("start,title,lane\n" + rows)
    assert [problem.message for problem in caught.value.problems] == ["more than 65535 lanes"]


@pytest.mark.parametrize("headline", ["<![ ", "<![x]>", "a <![ b"])
def test_markup_the_html_parser_refuses_is_read_as_text(headline: str) -> None:
    timeline = read_text_document(timelinejs_with_year(2024, headline))
    assert timeline.events[0].title == headline.strip()


def test_unclosed_tags_are_text_and_read_in_linear_time() -> None:
    # 16,000 "<x " took 20 s in the standard parser, which looks for each tag's end anew.
    assert html_to_text("<x " * 3) == "<x <x <x"
    assert html_to_text("<b>bold</b> and a < b, then <x") == "bold and a < b, then <x"
    assert html_to_text("<x " * 16_000) == " ".join(["<x"] * 16_000)


@pytest.mark.parametrize(
    "text", ["Y" + "9" * 12, "Y-" + "9" * 12, "2024/Y" + "9" * 309, "Y" + "9" * 5000]
)
def test_years_past_the_limit_are_date_errors(text: str) -> None:
    with pytest.raises(DateError):
        DateSpan.parse(text)


def test_the_limit_itself_is_a_year() -> None:
    assert DateSpan.parse("Y-100000000000").start == TimePoint(
        -100_000_000_000, precision=TimePoint.parse("Y2024").precision
    )
    with pytest.raises(DateError):
        TimePoint(100_000_000_001)


def test_ids_repeated_thousands_of_times_get_their_suffixes_in_order() -> None:
    ids = IdAllocator("event", explicit=["x-3"])
    taken = [ids.take("x", n) for n in range(20_000)]
    assert taken[:4] == ["x", "x-2", "x-3", "x-4"]  # "x-3" is free for a wanted id…
    assert len(set(taken)) == len(taken)
    made = IdAllocator("event", explicit=["event-0-2"])
    assert [made.take("", 0) for _ in range(3)] == ["event-0", "event-0-3", "event-0-4"]


def test_elements_the_timeline_reader_has_no_use_for_take_no_memory() -> None:
    # A fuzzed .timeline of 10 MB of empty unknown elements took 810 MB: every element was
    # kept in the parsed tree. Here 200,000 of them (0.8 MB), around a real event.
    event = "<event><start>2024-12-12 00:00:00</start><end>2024-12-12 00:00:00</end>"
    filler = "<x><y/></x>" * 100_000
    text = f"<timeline>{filler}<events>{event}{filler}<text>Talks</text></event></events>"
    text += "</timeline>"
    tracemalloc.start()
    try:
        timeline = read_text_document(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [event.title for event in timeline.events] == ["Talks"]
    assert peak < 8 * len(text)  # kept, the elements alone took about 60 times the text


# From a user test: a PNG renamed .json was told to be saved as "CSV UTF-8".
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is not text: it looks like a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "the file is not text: it looks like a PDF document"),
        (
            b"PK\x03\x04\x14\x00\x06\x00",  # every .xlsx (and .docx) starts so
            "the file is not text: it looks like a ZIP archive, such as an Excel workbook: "
            "save the sheet as CSV",
        ),
        ("date,title\n2024,x\n".encode("utf-16"), "the file is UTF-16 text: save it as UTF-8"),
        # Without a byte order mark too, either way round.
        ("date,title\n2024,x\n".encode("utf-16-le"), "the file is UTF-16 text: save it as UTF-8"),
        ("date,title\n2024,x\n".encode("utf-16-be"), "the file is UTF-16 text: save it as UTF-8"),
        # UTF-32's little-endian mark starts as UTF-16's does (a user test was told "UTF-16").
        ("date,title\n2024,x\n".encode("utf-32"), "the file is UTF-32 text: save it as UTF-8"),
        ("date,title\n".encode("utf-32-be"), "the file is not text"),  # no mark: NULs
        # A saved web page (from a user test: it was told about .timeline files and DOCTYPEs).
        (
            b"\n<!DOCTYPE html>\n<html><body>x</body></html>",
            "the file is a web page (HTML), not a timeline",
        ),
        (b"<HTML lang=en><p>x</p></HTML>", "the file is a web page (HTML), not a timeline"),
        (b'{"title": "a"}\x00\x00', "the file is not text"),
    ],
)
def test_a_file_that_is_not_utf8_text_is_told_what_it_looks_like(
    tmp_path, content: bytes, message: str
) -> None:
    from desktop.formats.loader import load_path

    path = tmp_path / "renamed.json"
    path.write_bytes(content)
    with pytest.raises(FormatError) as caught:
        load_path(path)
    assert [problem.message for problem in caught.value.problems] == [message]
