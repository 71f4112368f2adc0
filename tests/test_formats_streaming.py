"""Big files parsed as they are read: the same values, timelines and problems as reading them
whole, progress as the bytes go by, and Cancel that stops the parse."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from formats_helpers import NATIVE_LANE_IDS, assert_same_timeline, native_events, timelinejs_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.formats import jsonstream, loader, native, timelinejs
from desktop.formats.errors import FormatError
from desktop.formats.jsonstream import Elements, NotStreamable
from desktop.formats.loader import load_path, read_text_document
from desktop.formats.progress import Cancelled, Progress
from desktop.model import stepwise
from desktop.model.store import CHUNK
from desktop.model.timeline import Timeline

# -- JSON text as files write it ------------------------------------------------------------

# Strings that look like JSON structure, escapes, and text beyond ASCII and the BMP.
tricky_strings = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ['},{', '"},{"', "}\n,{", '{"a": [1, {"b": "]"}]}', "\\", '\\"', "\u2028", "é", "🎉",
         "tab\there", "\x00", "/", "}", "]", ",", ""]
    ),
)  # fmt: skip
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False),
        tricky_strings,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(tricky_strings, inner, max_size=4)
    ),
    max_leaves=12,
)
whitespace = st.text(st.sampled_from(" \t\n\r"), max_size=3)


def _string(draw: st.DrawFn, text: str) -> str:
    """A JSON string for ``text``, some of its characters escaped as \\uXXXX (or \\/)."""
    parts = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\' or code < 0x20:
            parts.append(json.dumps(char)[1:-1])
        elif char == "/" and draw(st.booleans()):
            parts.append("\\/")
        elif draw(st.integers(0, 7)) == 0:
            if code > 0xFFFF:  # a surrogate pair
                code -= 0x10000
                parts.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04X}")
            else:
                parts.append(f"\\u{code:04x}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def render(draw: st.DrawFn, value: Any) -> str:
    """JSON text for ``value`` with whitespace of any kind between the tokens."""
    if isinstance(value, dict):
        members = [
            draw(whitespace) + _string(draw, key) + draw(whitespace) + ":" + draw(whitespace)
            + render(draw, item) + draw(whitespace)
            for key, item in value.items()
        ]  # fmt: skip
        return "{" + (",".join(members) or draw(whitespace)) + "}"
    if isinstance(value, list):
        items = [draw(whitespace) + render(draw, item) + draw(whitespace) for item in value]
        return "[" + (",".join(items) or draw(whitespace)) + "]"
    if isinstance(value, str):
        return _string(draw, value)
    return json.dumps(value)


@st.composite
def json_objects(draw: st.DrawFn) -> str:
    """The text of a JSON object with an "events" member among others (possibly twice)."""
    members: list[tuple[str, Any]] = draw(
        st.lists(st.tuples(st.sampled_from(["title", "x", "{", ""]), json_values), max_size=3)
    )
    events = draw(st.lists(json_values, max_size=8))
    members.insert(draw(st.integers(0, len(members))), ("events", events))
    if draw(st.integers(0, 9)) == 0:
        members.append(("events", draw(json_values)))
    return document(draw, members)


def document(draw: st.DrawFn, members: list[tuple[str, Any]]) -> str:
    """A top-level object of ``members`` in order (a key may repeat), between whitespace."""
    body = ",".join(
        draw(whitespace) + _string(draw, key) + draw(whitespace) + ":" + draw(whitespace)
        + render(draw, value) + draw(whitespace)
        for key, value in members
    )  # fmt: skip
    return draw(whitespace) + "{" + (body or draw(whitespace)) + "}" + draw(whitespace)


@st.composite
def broken(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    """A text with a character deleted, added or replaced, or its end cut off."""
    text = draw(texts)
    structure = [index for index, char in enumerate(text) if char in ',:[]{}"\\']
    if structure and draw(st.booleans()):  # where a mistake changes what the text means
        where = draw(st.sampled_from(structure))
    else:
        where = draw(st.integers(0, len(text)))
    kind = draw(st.sampled_from(["delete", "insert", "replace", "cut"]))
    char = draw(st.sampled_from(list('{}[],:"\\ x0-e.')))
    if kind == "delete":
        return text[:where] + text[where + 1 :]
    if kind == "insert":
        return text[:where] + char + text[where:]
    if kind == "replace":
        return text[:where] + char + text[where + 1 :]
    return text[:where]


# -- reading in small pieces ------------------------------------------------------------------


@contextmanager
def small_steps(draw: st.DrawFn) -> Iterator[int]:
    """Pieces, windows and runs small enough to put their edges all over a small document:
    in the middle of a string, an escape, a number, a UTF-8 character. Gives the piece size."""
    piece = draw(st.sampled_from([1, 2, 5, 64, 2**20]))
    with (
        mock.patch.object(loader, "STREAM_CHUNK", piece),
        mock.patch.object(jsonstream, "_LOOKAHEAD", draw(st.sampled_from([1, 24, 300, 2**16]))),
        mock.patch.object(jsonstream, "_RUN", draw(st.sampled_from([1, 40, 2**13]))),
    ):
        yield piece


def pieces_of(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)]


def streamed_members(text: str, size: int) -> dict[str, Any]:
    """What members() reads: the object as json.loads gives it, "events" as a list."""
    found: dict[str, Any] = {}
    for key, value in jsonstream.members(pieces_of(text, size), "events", 3):
        if isinstance(value, Elements):
            batches = list(value)
            assert all(len(batch) == 3 for batch in batches[:-1])
            found[key] = [element for batch in batches for element in batch]
        else:
            found[key] = value
    return found


def parsed_in_pieces(text: str, size: int) -> dict[str, Any]:
    """What jsonstream.loads reads: the whole document, a piece and a batch at a time."""
    return jsonstream.loads(text, size, 3)


@pytest.mark.parametrize("read", [streamed_members, parsed_in_pieces])
@settings(max_examples=300, deadline=None)
@given(st.data())
def test_members_are_what_json_loads_reads(
    read: Callable[[str, int], dict[str, Any]], data: st.DataObject
) -> None:
    text = data.draw(st.one_of(json_objects(), broken(json_objects())))
    with small_steps(data.draw) as size:
        try:
            expected = json.loads(text)
        except ValueError:
            with pytest.raises(NotStreamable):
                read(text, size)
            return
        if not isinstance(expected, dict):  # a broken object can be a string or a number
            with pytest.raises(NotStreamable):
                read(text, size)
            return
        assert read(text, size) == expected


def test_a_top_level_that_is_not_an_object_is_not_streamed() -> None:
    for text in ('[{"events": []}]', '"events"', "", "  ", '\ufeff{"events": []}', "{} {}"):
        with pytest.raises(NotStreamable):
            list(jsonstream.members([text], "events", CHUNK))


def test_elements_left_unread_are_read_past() -> None:
    text = '{"events": [1, {"a": "],"}, 3], "title": "T"}'
    read = [(key, value) for key, value in jsonstream.members([text], "events", 1)]
    assert [key for key, _ in read] == ["events", "title"]
    assert read[1][1] == "T"


def test_deeply_nested_values_are_left_to_the_whole_document_reader() -> None:
    # json.loads, deeper in the stack, might fail on these where the streamed parser would not
    deep = "[" * 300 + "]" * 300
    for text in (f'{{"events": [{deep}]}}', f'{{"events": [], "x": {deep}}}'):
        with pytest.raises(NotStreamable):
            list(streamed_members(text, 2**20).items())


# -- TimelineJS documents: the streamed reading is the whole one -----------------------------


@st.composite
def timelinejs_documents(draw: st.DrawFn) -> tuple[str, bool]:
    """(the text of a TimelineJS document as files write it, whether it has one events list)."""
    messy = draw(st.integers(0, 3)) == 0
    events = draw(st.lists(timelinejs_events(messy), max_size=CHUNK // 100))
    for event in events:
        if isinstance(event, dict) and draw(st.integers(0, 4)) == 0:  # text that looks like JSON
            event["text"] = {"headline": draw(tricky_strings), "text": draw(tricky_strings)}
        if isinstance(event, dict) and draw(st.integers(0, 9)) == 0:  # what readers ignore
            event["background"] = draw(json_values)
    members: list[tuple[str, Any]] = [("events", events)]
    extras = [
        ("title", {"text": {"headline": "<b>Big</b> file", "text": "<p>About it</p>"}}),
        ("title", {"text": {"headline": ["not text"]}}),
        ("eras", [{"start_date": {"year": "1990"}, "end_date": {"year": "1991"},
                   "text": {"headline": "Era"}}]),
        ("eras", [{"text": {"headline": "no date"}}]),
        ("scale", "human"),
        ("format", "timeline-viewer"),
        ("events", []),
        ("events", {"not": "a list"}),
        ("unknown", {"nested": [{"deep": ["},{"]}]}),
    ]  # fmt: skip
    for member in draw(st.lists(st.sampled_from(extras), max_size=3)):
        members.insert(draw(st.integers(0, len(members))), member)
    one_list = sum(key == "events" for key, _ in members) == 1
    return document(draw, members), one_list


def outcome(read: Any, argument: Any) -> Timeline | list[str]:
    """The timeline read, or its problems as FILE:LINE:COLUMN lines (or any other error)."""
    try:
        return read(argument)
    except FormatError as error:
        return [problem.render("big.json") for problem in error.problems]
    except Exception as error:  # the same whichever way the file is read
        return [f"{type(error).__name__}: {error}"]


def assert_same_outcome(streamed: Timeline | list[str], whole: Timeline | list[str]) -> None:
    if isinstance(whole, Timeline):
        assert isinstance(streamed, Timeline)
        assert_same_timeline(whole, streamed)
    else:
        assert streamed == whole


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_broken_json_gives_the_same_problem_at_the_same_place(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = data.draw(broken(timelinejs_documents().map(lambda made: made[0])))
    path = tmp_path_factory.mktemp("broken") / "big.json"
    path.write_text(text, encoding="utf-8")
    with small_steps(data.draw):
        assert_same_outcome(outcome(load_path, path), outcome(read_text_document, text))


@pytest.mark.parametrize("separator", ["", " ", "x", ";", ":", "}", "]", "{", ",,", "]["])
@pytest.mark.parametrize("piece", [1, 7, 2**20])
def test_a_wrong_separator_between_events_is_placed_as_before(
    tmp_path: Path, separator: str, piece: int
) -> None:
    events = [
        {"start_date": {"year": str(1990 + n)}, "text": {"headline": f"E{n}"}} for n in range(40)
    ]
    text = json.dumps({"events": events}).replace("}}, {", "}}" + separator + "{", 1)
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    whole = outcome(read_text_document, text)
    assert not isinstance(whole, Timeline)
    with mock.patch.object(loader, "STREAM_CHUNK", piece):
        assert outcome(load_path, path) == whole


def test_a_syntax_error_deep_in_a_file_is_placed_as_before(tmp_path: Path) -> None:
    events = [{"start_date": {"year": "2000"}, "text": {"headline": f"E{n}"}} for n in range(3000)]
    text = json.dumps({"events": events}, indent=1).replace('"E2500"', '"E2500",', 1)
    path = tmp_path / "big.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # and a byte order mark
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    error = caught.value
    assert error.lineno > 10_000
    with mock.patch.object(loader, "STREAM_CHUNK", 4096):
        assert outcome(load_path, path) == [f"big.json:{error.lineno}:{error.colno}: {error.msg}"]


def test_a_file_in_the_wild_streams(tmp_path: Path) -> None:
    for name in ("timelinejs-wild.json", "timelinejs-cosmos.json"):
        text = (Path(__file__).parent / "fixtures" / name).read_text(encoding="utf-8")
        streamed = timelinejs.stream_timelinejs(pieces_of(text, 100))
        assert streamed is not None
        assert_same_timeline(read_text_document(text), streamed)  # type: ignore[arg-type]


def test_a_file_that_is_not_utf8_is_reported_as_before(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(
        b'{"events": [\n{"start_date": {"year": "2000"}, "text": {"headline": "\xe9"}}]}'
    )
    with pytest.raises(FormatError) as caught:
        load_path(path)
    assert [problem.render("f") for problem in caught.value.problems] == [
        "f:2:56: the file is not UTF-8 text (byte 0xE9): save it as UTF-8 "
        "(in a spreadsheet, as “CSV UTF-8”)"
    ]


# -- progress and Cancel ----------------------------------------------------------------------


def big_file(tmp_path: Path, count: int = 5000) -> Path:
    events = [
        {"start_date": {"year": str(1900 + n % 120), "month": str(1 + n % 12), "day": "1"},
         "text": {"headline": f"Event {n}", "text": "<p>Body</p>"}, "unique_id": f"e{n}"}
        for n in range(count)
    ]  # fmt: skip
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"title": {"text": {"headline": "Big"}}, "events": events}))
    return path


def load_heard(path: Path) -> tuple[Timeline, list[tuple[float, str]]]:
    """``load_path`` reading 4 kB at a time, and what its progress callback heard."""
    heard: list[tuple[float, str]] = []
    with mock.patch.object(loader, "STREAM_CHUNK", 4096):
        timeline = load_path(path, lambda done, stage: heard.append((done, stage)))
    return timeline, heard


def test_progress_follows_the_bytes_read_then_the_sorting(tmp_path: Path) -> None:
    path = big_file(tmp_path)
    timeline, heard = load_heard(path)
    assert len(timeline.events) == 5000
    stages = [stage for _, stage in heard]
    assert stages == sorted(stages, key=["Reading", "Sorting"].index)  # never "Parsing"
    reading = [done for done, stage in heard if stage == "Reading"]
    assert len(reading) >= path.stat().st_size // 4096
    assert reading == sorted(reading) and reading[-1] == pytest.approx(loader.STREAM_READ_SHARE)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    assert heard[-1][0] <= 1.0


def cancelling(stage: str, reports: int, heard: list[tuple[float, str]]) -> Progress:
    """A progress callback that keeps what it hears in ``heard`` and cancels the load at the
    ``reports``-th report of ``stage``."""

    def progress(done: float, now: str) -> None:
        heard.append((done, now))
        if now == stage and sum(seen == stage for _, seen in heard) == reports:
            raise Cancelled

    return progress


@pytest.mark.parametrize("stage", ["Reading", "Sorting"])
def test_cancel_stops_the_streamed_read(tmp_path: Path, stage: str) -> None:
    path = big_file(tmp_path)
    heard: list[tuple[float, str]] = []
    progress = cancelling(stage, 3, heard)
    with (
        mock.patch.object(loader, "STREAM_CHUNK", 4096),
        mock.patch.object(stepwise, "STEP", 64),  # sorting 5,000 events in many steps
        pytest.raises(Cancelled),
    ):
        load_path(path, progress)
    assert heard[-1][1] == stage
    assert sum(seen == stage for _, seen in heard) == 3  # nothing was heard after Cancel
    if stage == "Reading":
        assert heard[-1][0] < 0.1 * loader.STREAM_READ_SHARE  # a few pieces of the whole file
    else:
        assert heard[-1][0] < 1.0


def big_native_file(tmp_path: Path, count: int = 12_000, streamable: bool = False) -> Path:
    """A native file big enough to be parsed in pieces (with STREAM_CHUNK patched) and read
    into a store; unless ``streamable``, one with "eras" after its events, which makes the
    loader read it whole."""
    events = [{"id": f"e{n}", "title": f"Event {n}", "date": f"{1900 + n % 120}-{1 + n % 12:02d}"}
              for n in range(count)]  # fmt: skip
    after = {} if streamable else {"eras": []}
    document = native.timeline_to_native(Timeline("Big", ())) | {"events": events} | after
    path = tmp_path / "big-native.json"
    path.write_text(json.dumps(document))
    return path


STAGES = ["Reading", "Parsing", "Reading events"]


def test_progress_of_a_file_read_whole_covers_parsing_and_reading_its_events(
    tmp_path: Path,
) -> None:
    path = big_native_file(tmp_path)
    timeline, heard = load_heard(path)
    assert len(timeline.events) == 12_000
    stages = [stage for _, stage in heard]
    assert stages == sorted(stages, key=STAGES.index) and set(stages) == set(STAGES)
    shares = [done for done, _ in heard]
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0, abs=0.01)
    assert stages.count("Parsing") >= path.stat().st_size // 4096  # a report per piece
    assert stages.count("Reading events") >= 12_000 // native._TICK_EVERY


def test_a_timelinejs_document_read_whole_reports_reading_its_events(tmp_path: Path) -> None:
    text = big_file(tmp_path).read_text()
    heard: list[tuple[float, str]] = []
    timeline = read_text_document(text, lambda done, stage: heard.append((done, stage)))
    assert len(timeline.events) == 5000
    reading = [done for done, stage in heard if stage == "Reading events"]
    assert len(reading) >= 5000 // CHUNK
    assert reading == sorted(reading) and reading[-1] == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("stage", ["Parsing", "Reading events"])
def test_cancel_stops_a_file_read_whole(tmp_path: Path, stage: str) -> None:
    path = big_native_file(tmp_path)
    heard: list[tuple[float, str]] = []
    with mock.patch.object(loader, "STREAM_CHUNK", 4096), pytest.raises(Cancelled):
        load_path(path, cancelling(stage, 2, heard))
    assert heard[-1][1] == stage  # nothing was heard after Cancel
    assert sum(seen == stage for _, seen in heard) == 2
    assert heard[-1][0] < 0.9


def test_a_big_native_file_is_read_as_it_is_parsed(tmp_path: Path) -> None:
    path = big_native_file(tmp_path, streamable=True)
    timeline, heard = load_heard(path)
    assert_same_timeline(read_text_document(path.read_text()), timeline)
    stages = [stage for _, stage in heard]
    assert stages == sorted(stages, key=["Reading", "Sorting"].index)  # never "Parsing"
    assert stages.count("Reading") >= path.stat().st_size // 4096


@st.composite
def native_documents(draw: st.DrawFn) -> tuple[str, bool]:
    """(the text of a native document, whether the loader may read it as it is parsed: its
    members but "title" and "summary" all before one "events" list)."""
    events = draw(st.lists(native_events(plain=draw(st.booleans())), max_size=CHUNK // 100))
    lanes = [{"id": lane_id} for lane_id in NATIVE_LANE_IDS]
    members: list[tuple[str, Any]] = [
        ("format", "timeline-viewer"), ("version", 1), ("lanes", lanes), ("events", events),
    ]  # fmt: skip
    extras = [
        ("title", "Big file"),
        ("title", ["not text"]),
        ("summary", "About it"),
        ("eras", [{"name": "Era", "date": "1990/1991"}]),
        ("eras", [{"name": "no date"}]),
        ("view", {"start": "2024-02-26"}),
        ("lanes", [{"id": "politics"}]),
        ("format", "other"),
        ("events", []),
        ("unknown", {"nested": [{"deep": ["},{"]}]}),
    ]  # fmt: skip
    for member in draw(st.lists(st.sampled_from(extras), max_size=3)):
        members.insert(draw(st.integers(0, len(members))), member)
    keys = [key for key, _ in members]
    after = keys[keys.index("events") + 1 :]
    plain = keys.count("events") == 1 and all(key in ("title", "summary") for key in after)
    return document(draw, members), plain


# Per format: documents as (text, whether a plain one that must stream), its streaming reader.
STREAMED = {
    "TimelineJS": (timelinejs_documents, timelinejs.stream_timelinejs),
    "native": (native_documents, native.stream_native),
}


@pytest.mark.parametrize("kind", STREAMED)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_streamed_file_reads_as_the_whole_text(
    kind: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    documents, stream = STREAMED[kind]
    text, plain = data.draw(documents())
    whole = outcome(read_text_document, text)
    path = tmp_path_factory.mktemp("stream") / "big.json"
    path.write_text(text, encoding="utf-8")
    with small_steps(data.draw) as size:
        assert_same_outcome(outcome(load_path, path), whole)
        streamed = stream(pieces_of(text, size))
    if streamed is not None:
        assert_same_timeline(whole, streamed)  # type: ignore[arg-type]
    elif isinstance(whole, Timeline) and plain:
        pytest.fail("a plain document that reads without problems was not streamed")


def test_a_big_native_file_is_parsed_in_pieces_with_problems_placed_as_before() -> None:
    """Any big JSON document (the native format here) is parsed a piece at a time, so the
    reading thread lets the window run; a broken one is read whole and its problem placed as
    before."""
    from desktop.bundled import BUNDLED_TIMELINE, read_text

    text = read_text(BUNDLED_TIMELINE)
    whole = read_text_document(text)  # smaller than STREAM_CHUNK: parsed in one call
    cut = text[: len(text) // 2]
    with pytest.raises(FormatError) as broken_whole:
        read_text_document(cut)
    with (
        mock.patch.object(loader, "STREAM_CHUNK", 256),
        mock.patch.object(jsonstream, "loads", wraps=jsonstream.loads) as in_pieces,
    ):
        assert_same_timeline(whole, read_text_document(text))
        assert in_pieces.call_count == 1
        with pytest.raises(FormatError) as broken_in_pieces:
            read_text_document(cut)
    assert in_pieces.call_count == 2  # tried, then read whole for the problem's place
    assert broken_in_pieces.value.problems == broken_whole.value.problems
