"""CSV: columns found by name, free-form and EDTF dates, the TimelineJS sheet dialect, rows
reported by line and field, and what CSV holds kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from formats_helpers import FIXTURES, by_id, fixture_text, problems_of, timelines, words
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.app import main
from desktop.formats import csv_format
from desktop.formats.common import (
    OKABE_ITO,
    UNTITLED_EVENT,
    era_color,
    html_to_text,
    palette_color,
)
from desktop.formats.csv_format import parse_date, read_csv, write_csv
from desktop.formats.errors import FormatError, Problem
from desktop.formats.loader import load_path, read_text_document
from desktop.formats.thetimelineproj import read_thetimelineproj
from desktop.formats.timelinejs import read_timelinejs
from desktop.model.dates import DateError, DateSpan, TimePoint
from desktop.model.timeline import Event, Lane, Reference, Timeline

# -- the generic dialect --------------------------------------------------------------------


def test_the_generic_fixture_reads() -> None:
    timeline = read_text_document(fixture_text("events.csv"))  # starts with a BOM
    events = by_id(timeline)
    assert len(events) == 8
    assert [(lane.id, lane.name, lane.color) for lane in timeline.lanes] == [
        ("france", "France", palette_color(0)),
        ("poland", "Poland", palette_color(1)),
    ]
    paris = events["paris"]
    assert paris.when == DateSpan(TimePoint(2024, 2, 26))  # "26 February 2024"
    assert paris.title == "Macron: troops 'cannot be ruled out'"
    assert html_to_text(paris.body) == (
        'After a Paris conference Macron says troops "cannot be ruled out".\n'
        "No consensus among the leaders."
    )  # plain text with its line break
    assert (paris.place, paris.lane) == ("Paris", "france")
    assert paris.references == (Reference(url="https://example.org/paris"),)

    warsaw = events["warsaw"]
    assert warsaw.when.isoformat() == (
        "2024-12-12T13:00+01:00[Europe/Warsaw]/2024-12-12T15:30+01:00[Europe/Warsaw]"
    )
    assert warsaw.body == "<p>Talks on <b>security guarantees</b>.</p>"  # HTML kept
    # Rows without an id are named by their place among the events, skipping used ids.
    assert events["event-3"].when.isoformat() == "2024-07~/2024-09"
    assert events["event-4"].when.isoformat() == "-0043-03-15"
    assert events["event-5"].when.isoformat() == "1850~"  # "c. 1850"
    assert events["event-6"].when.isoformat() == "2024-12-12T13:30"  # "Dec 12, 2024 1:30 PM"
    assert events["event-7"].when.isoformat() == "2024-06-07T09:00+02:00"
    assert events["event-8"].when.isoformat() == "1989?"  # after a blank line


def test_the_timelinejs_sheet_fixture_reads() -> None:
    timeline = read_text_document(fixture_text("timelinejs-sheet.csv"))  # tab-separated
    assert timeline.title == "A spreadsheet timeline"
    assert timeline.summary == "Made in Google Sheets."
    assert [(era.name, era.span.isoformat(), era.color) for era in timeline.eras] == [
        ("War in Ukraine", "2022-02-24/2025", era_color(0))
    ]
    events = {event.title: event for event in timeline.events}
    assert len(events) == 4
    paris = events["Paris conference"]
    assert paris.when.isoformat() == "2024-02-26T19:30"
    assert paris.display_date == "26 February 2024, evening"
    assert paris.body == "<p>Macron speaks.</p>"
    assert paris.references == (
        Reference(url="https://example.org/paris.jpg", title="Press conference", publisher="AP"),
    )
    assert events["Warsaw meeting"].when.isoformat() == "2024-12-12T13:00/2024-12-12T15:30"
    assert events["Ides of March"].when.isoformat() == "-0043-03-15"
    assert events["End of the Cold War"].when.isoformat() == "1989/1991"
    assert [lane.name for lane in timeline.lanes] == ["France", "Poland"]  # order of the rows


@pytest.mark.parametrize(("name", "count"), [("events.csv", 8), ("timelinejs-sheet.csv", 4)])
def test_check_command_counts_the_events(
    name: str, count: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--check", str(FIXTURES / name)]) == 0
    assert f": OK, {count} events, " in capsys.readouterr().out


def test_content_decides_not_the_file_name(tmp_path: Path) -> None:
    target = tmp_path / "events.json"  # a CSV named .json still loads as CSV
    shutil.copy(FIXTURES / "events.csv", target)
    assert len(load_path(target).events) == 8


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Start,Title", True),
        ("start_date;Headline;notes", True),
        ("When\tEvent\tWho", True),
        ("DATE , NAME", True),
        ("Year,Month,Day,Headline", True),
        ("Title,Description", False),  # no date column
        ("Date,Amount", False),  # no title column
        ("Year,Month,Day", False),
        ("just some text", False),
    ],
)
def test_accepts(header: str, expected: bool) -> None:
    assert csv_format.accepts(header + "\n2024,x\n") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", "2024"),
        ("2024-06", "2024-06"),
        ("2024-07~", "2024-07~"),
        ("2024-02-26/2024-03-01", "2024-02-26/2024-03-01"),
        ("27 February 2024", "2024-02-27"),
        ("Dec 12, 2024", "2024-12-12"),
        ("12/12/2024", "2024-12-12"),
        ("03/04/2024", "2024-03-04"),  # month first, dateutil's default
        ("July 2024", "2024-07"),
        ("1 PM 3 Jan 2020", "2020-01-03T13"),
        ("3 January 2020 13:45:10", "2020-01-03T13:45:10"),
        ("3 January 2020 13:45 +02:00", "2020-01-03T13:45+02:00"),
        ("circa 1850", "1850~"),
        ("about March 1850?", "1850-03%"),
    ],
)
def test_dates_are_read_as_precisely_as_they_are_written(text: str, expected: str) -> None:
    assert parse_date(text).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Dec 12", "has no year"),
        ("2024-13", "month 13"),
        ("2023-02-29", "day 29"),
        ("someday", "is not a date"),
        ("12 Dec 2024 13:00 CEST", "is not a date"),  # an unknown zone name is not guessed
        # dateutil reads these as 1999, 2044 and 2001: years this does not guess.
        ("5 May 99", "a year of one or two digits is ambiguous"),
        ("12 December 0044", "a year of one or two digits is ambiguous"),
        ("Dec 12 0001", "a year of one or two digits is ambiguous"),
        # Month first without fail: dateutil read this day first, beside "12/03/2024" as 3 Dec.
        ("13/03/2024", r"month first, and there is no month 13; write it as EDTF \(2024-03-13\)"),
        ("31.12.2024", "no month 31"),
    ],
)
def test_bad_dates(text: str, fragment: str) -> None:
    with pytest.raises(DateError, match=fragment):
        parse_date(text)


BAD = (
    "id,start,end,title\r\n"
    "a,2024-13,,Bad month\r\n"
    'b,2024-01-01,"Dec 12",No end year\r\n'
    'c,"someday\r\nlater",,A date over two lines\r\n'
    "d,2024-05-01,2024-04-01,Ends before it starts\r\n"
    ",,,\r\n"
    "e,,,No date\r\n"
    "f,2024-01-01/2024-02-01,2024-03,Two ends\r\n"
)


def test_bad_rows_are_reported_with_line_and_field() -> None:
    problems = problems_of(read_csv, BAD)
    assert [(problem.line, problem.column) for problem in problems] == [
        (2, 2), (3, 3), (4, 2), (6, 3), (8, 2), (9, 3)
    ]  # fmt: skip
    assert problems[0].message.startswith("'start': ")
    assert "month 13" in problems[0].message
    assert "has no year" in problems[1].message
    assert "before the start" in problems[3].message
    assert "no date" in problems[4].message
    rendered = problems[2].render("events.csv")
    assert rendered.startswith("events.csv:4:2: 'start': ")


def test_timelinejs_sheet_problems() -> None:
    text = (
        "Year,Month,Day,Time,Headline\n"
        "2024,13,,,a\n2024,2,30,,b\n2024,,5,,c\nx,,,,d\n2024,1,1,25:00,e\n"
    )
    problems = problems_of(read_csv, text)
    assert [(problem.line, problem.column) for problem in problems] == [
        (2, 2), (3, 3), (4, 3), (5, 1), (6, 4)
    ]  # fmt: skip
    assert "the day is given without the month" in problems[2].message


def test_delimiters_are_sniffed() -> None:
    for delimiter in (",", ";", "\t"):
        text = delimiter.join(["date", "title", "notes"]) + "\n"
        text += delimiter.join(["2024-01-01", "A, with a comma; and a semicolon", "x"]) + "\n"
        if delimiter != "\t":
            text = text.replace(
                "A, with a comma; and a semicolon", '"A, with a comma; and a semicolon"'
            )
        (event,) = read_csv(text).events
        assert event.title == "A, with a comma; and a semicolon"


def test_an_empty_title_is_untitled_and_empty_rows_are_skipped() -> None:
    (event,) = read_csv("date,title\n\n2024,\n,\n").events
    assert event.title == UNTITLED_EVENT


# -- writing --------------------------------------------------------------------------------


def test_writing() -> None:
    lane = Lane("fr", "France")
    event = Event(
        "a", "Talk, with \"quotes\"", DateSpan.parse("2024-02-26T19:30+01:00/2024-02-27~"),
        summary="Short", body="<p>One</p><p>Two</p>", lane="fr", place="Paris",
        references=(Reference(url=""), Reference(url="https://x.invalid")), display_date="soon",
    )  # fmt: skip
    text = write_csv(Timeline("T", (event,), lanes=(lane,)))
    assert text.split("\r\n")[0] == (
        "id,start,end,display date,title,summary,lane,place,description,url"
    )
    assert text.split("\r\n")[1] == (
        'a,2024-02-26T19:30+01:00,2024-02-27~,soon,"Talk, with ""quotes""",Short,France,Paris,'
        '"One\n\nTwo",https://x.invalid'
    )
    (back,) = read_csv(text).events
    assert back.when == event.when
    assert html_to_text(back.body) == "One\n\nTwo"


# -- what CSV holds, kept (property) --------------------------------------------------------

_cells = words.map(str.strip)


@settings(max_examples=60, deadline=None)
@given(
    timelines(
        bodies=st.lists(_cells, max_size=3).map(lambda ps: "".join(f"<p>{p}</p>" for p in ps))
    )
)
def test_csv_keeps_what_it_can_hold(timeline: Timeline) -> None:
    """Ids, dates with precision, qualifiers and zones (EDTF), display dates, titles, summaries,
    lane names, places, the text of the body and the first URL."""
    back = read_text_document(write_csv(timeline))
    read = by_id(back)
    assert set(read) == {event.id for event in timeline.events}
    names = {lane.id: lane.name for lane in timeline.lanes}
    back_names = {lane.id: lane.name for lane in back.lanes}
    for event in timeline.events:
        got = read[event.id]
        assert got.when == event.when
        assert got.display_date == event.display_date
        assert got.title == (event.title.strip() or UNTITLED_EVENT)
        assert got.summary == event.summary.strip()
        assert got.place == event.place.strip()
        assert back_names.get(got.lane, "") == names.get(event.lane, "")
        assert html_to_text(got.body) == html_to_text(event.body)
        url = next((ref.url for ref in event.references if ref.url), "")
        assert got.references == ((Reference(url=url),) if url else ())


# -- the loader: content decides --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("events.csv", read_csv),
        ("timelinejs-sheet.csv", read_csv),
        ("rome.timeline", read_thetimelineproj),
        ("timelinejs-wild.json", read_timelinejs),
        ("timelinejs-cosmos.json", read_timelinejs),
    ],
)
def test_the_loader_dispatches_each_fixture_by_content(name: str, read: object) -> None:
    text = fixture_text(name)
    assert read_text_document(text) == read(text.removeprefix("\ufeff"))  # type: ignore[operator]


def test_the_loader_names_the_formats_it_knows() -> None:
    (problem,) = problems_of(read_text_document, '{"items": []}')
    assert "Timeline Viewer JSON or TimelineJS JSON" in problem.message
    (problem,) = problems_of(read_text_document, "just some words\n")
    assert "CSV with a header row" in problem.message
    # A line that reads as a CSV header is told what it lacks instead (see below).
    (problem,) = problems_of(read_text_document, "just, some, words\n")
    assert problem.message.startswith("a CSV file without a date column")


@pytest.mark.parametrize("text", ['"a": 1\r}', "start,title\rx"])
def test_a_lone_carriage_return_is_a_line_break_not_a_crash(text: str) -> None:
    with pytest.raises(FormatError):
        read_text_document(text)


def test_a_file_with_old_mac_line_breaks_reads() -> None:
    from desktop.formats.loader import read_text_document

    timeline = read_text_document("start,title\r2020-01-01,New year\r2020-02-01,February\r")
    assert [event.title for event in timeline.events] == ["New year", "February"]


def test_lanes_past_the_palette_s_seventh_get_colours_of_their_own() -> None:
    colours = [palette_color(index) for index in range(28)]
    assert colours[:7] == list(OKABE_ITO)
    assert len(set(colours)) == 28  # an eighth lane once shared the first one's colour
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in colours)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Name,Colour\nA,red\n",
            "a CSV file without a date column (start, startdate, date, begin, from, when); "
            "its columns: Name, Colour",
        ),
        (
            "When;Colour\n2024;red\n",
            "a CSV file without a title column (title, headline, event, name); "
            "its columns: When, Colour",
        ),
        (
            "Colour\tSize\nred\t3\n",
            "a CSV file without a date column (start, startdate, date, begin, from, when) or a "
            "title column (title, headline, event, name); its columns: Colour, Size",
        ),
    ],
)
def test_a_csv_without_the_columns_it_needs_is_told_which(text: str, message: str) -> None:
    """From a user test: a CSV without a date column was "not a timeline file this program reads
    (…, CSV with a header row)": it is a CSV with a header row; the missing column is the news."""
    assert problems_of(read_text_document, text) == [Problem(message, 1, 1)]


def test_prose_with_commas_is_not_taken_for_a_csv_header() -> None:
    assert (
        csv_format.missing_columns("Hello, these are notes, and they go on for a while.\n") is None
    )
    (problem,) = problems_of(read_text_document, "Hello, these are notes, and they go on.\n")
    assert problem.message.startswith("not a timeline file this program reads")


def test_a_csv_saved_in_a_legacy_encoding_is_refused_with_where_and_the_way_out(
    tmp_path: Path,
) -> None:
    """From a user test: a spreadsheet's CSV in Windows-1252 was refused with no way out."""
    path = tmp_path / "legacy.csv"
    path.write_bytes("date,title\n2024-02-26,Paris\n2024-12-12,Caf\u00e9 talks\n".encode("cp1252"))
    with pytest.raises(FormatError) as caught:
        load_path(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 15)  # the "é"
    assert "byte 0xE9" in problem.message and "save it as UTF-8" in problem.message


def test_a_day_its_month_does_not_have_is_named_as_such_in_words_too() -> None:
    """From a user test: "2024-02-30" was "day 30 does not exist", "31 February 2024" only
    "not a date"."""
    with pytest.raises(DateError, match="'31 February 2024': that month has no such day"):
        parse_date("31 February 2024")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('date,title\n2024,ok\n2025,"Cut short\n', "the file ends inside a quoted field"),
        ('date,title\n2024,"Cut\nshort', "the file ends inside a quoted field"),
        ('date,title\n2024,"multi\nline"\n2025,x\n', None),  # quoted line breaks are fine
        ('date,title\n2024,5" screen\n', None),  # so is a quote inside an unquoted field
    ],
)
def test_a_csv_cut_inside_a_quoted_field_is_told_so(text: str, problem: str | None) -> None:
    """From a user test: the csv module reads an unclosed quote to the end of the file, so a
    file cut short there passed --check as whole."""
    if problem is None:
        assert read_csv(text).events
        return
    with pytest.raises(FormatError) as caught:
        read_csv(text)
    (found,) = caught.value.problems
    assert (
        found.message.startswith(problem)
        and found.line == text.count("\n", 0, text.rindex('"')) + 1
    )
