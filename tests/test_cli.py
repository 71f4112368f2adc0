"""The command line: ``--check`` validates files headlessly, one line per problem, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import desktop
from desktop.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main, summary_line
from desktop.formats.loader import BUNDLED_NAME, load_bundled
from desktop.model.dates import DateSpan
from desktop.model.timeline import Event, Timeline

REPO = Path(__file__).resolve().parents[1]
SUMMARY_RE = re.compile(
    r"^(?P<name>.+): OK, (?P<count>\d+) events?, (?P<first>\S+) → (?P<last>\S+)$"
)
PROBLEM_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.+)$")

VALID = {
    "format": "timeline-viewer",
    "version": 1,
    "title": "Two events",
    "events": [
        {"id": "a", "title": "A", "date": "-0043-03-15"},
        {"id": "b", "title": "B", "date": "2024-06-07/2024-07~"},
    ],
}
INVALID_TEXT = """{
  "format": "timeline-viewer",
  "version": 1,
  "events": [
    {"id": "a", "title": "A", "date": "2024-13-01"},
    {"id": "b", "date": "2024"}
  ]
}
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        timeout=120,
        check=False,
    )


def lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "valid": tmp_path / "valid.json",
        "invalid": tmp_path / "invalid.json",
        "empty": tmp_path / "empty.json",
        "blank": tmp_path / "blank.json",
        "binary": tmp_path / "binary.json",
        "array": tmp_path / "array.json",
        "other": tmp_path / "other.json",
        "text": tmp_path / "notes.txt",
        "broken": tmp_path / "broken.json",
        "deep": tmp_path / "deep.json",
    }
    paths["valid"].write_text(json.dumps(VALID), encoding="utf-8")
    paths["invalid"].write_text(INVALID_TEXT, encoding="utf-8")
    paths["empty"].write_bytes(b"")
    paths["blank"].write_text(" \n\t\n", encoding="utf-8")
    paths["binary"].write_bytes(b'{"title": "ok"}\n\x89PNG\r\n\x1a\n\x00\xff\xfe')
    paths["array"].write_text("[1, 2, 3]\n", encoding="utf-8")
    paths["other"].write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    paths["text"].write_text("Just some notes.\n", encoding="utf-8")
    paths["broken"].write_text('{"format": "timeline-viewer",\n "version": 1,,}', encoding="utf-8")
    paths["deep"].write_text("[" * 100_000, encoding="utf-8")
    return paths


# -- the bundled timeline -----------------------------------------------------------------


def check_bundled_summary(line: str) -> None:
    timeline = load_bundled()
    match = SUMMARY_RE.match(line)
    assert match is not None, line
    assert match["name"] == BUNDLED_NAME == "<bundled tusk-macron-warsaw.json>"
    assert int(match["count"]) == len(timeline.events) == 28
    assert match["first"] == timeline.events[0].start.isoformat() == "2022-02-24"
    assert match["last"] == "2025-01-20"


def test_check_without_files_checks_the_bundled_timeline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--check"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    (line,) = lines(out)
    check_bundled_summary(line)


def test_check_as_a_real_process() -> None:
    result = run("-m", "desktop", "--check")
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stderr == ""
    (line,) = lines(result.stdout)
    check_bundled_summary(line)


def test_check_survives_an_ascii_only_console() -> None:
    result = run("-m", "desktop", "--check", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == EXIT_OK, result.stderr
    assert "Traceback" not in result.stderr
    assert re.fullmatch(
        r"<bundled tusk-macron-warsaw\.json>: OK, 28 events, \S+ \? \S+\n", result.stdout
    )


def test_check_does_not_import_qt() -> None:
    code = (
        "import sys\n"
        "from desktop.app import main\n"
        "status = main(['--check'])\n"
        "print('PySide6' in sys.modules, status)\n"
    )
    result = run("-c", code)
    assert result.returncode == 0, result.stderr
    assert lines(result.stdout)[-1] == "False 0"


def test_no_arguments_open_the_window_without_building_the_parser(monkeypatch) -> None:
    import desktop.app

    opened: list[str | None] = []

    def no_parser():
        raise AssertionError("a launch without arguments has nothing to parse")

    monkeypatch.setattr(desktop.app, "build_parser", no_parser)
    monkeypatch.setattr(desktop.app, "_open_window", lambda file: opened.append(file) or 0)
    assert main([]) == EXIT_OK
    assert opened == [None]


def test_the_export_suffixes_are_the_writers_suffixes() -> None:
    from desktop.app import DATA_SUFFIXES
    from desktop.formats.writers import DATA_WRITERS

    assert tuple(writer.suffix for writer in DATA_WRITERS) == DATA_SUFFIXES


@pytest.mark.parametrize("args", [[], ["--export", "{out}.png"]])
def test_the_window_and_image_exports_do_not_import_the_data_writers(args, tmp_path) -> None:
    # The writers bring dateutil and the XML and CSV modules: start-up does without them.
    args = [arg.format(out=tmp_path / "out") for arg in args]
    code = (
        "import sys\n"
        "import desktop.app\n"
        "from desktop.app import main\n"
        f"status = main({args!r}) if {bool(args)!r} else 0\n"
        "print('desktop.formats.writers' in sys.modules, status)\n"
    )
    result = run("-c", code)
    assert result.returncode == 0, result.stderr
    assert lines(result.stdout)[-1] == "False 0"


def test_check_does_not_import_qt_by_importtime() -> None:
    result = run("-X", "importtime", "-m", "desktop", "--check")
    assert result.returncode == EXIT_OK
    imported = [line.rsplit("|", 1)[-1].strip() for line in lines(result.stderr)]
    assert "desktop.app" in imported
    assert not [name for name in imported if name.split(".")[0] in ("PySide6", "shiboken6")]


# -- files --------------------------------------------------------------------------------


def test_valid_and_invalid_files(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--check", str(files["valid"]), str(files["invalid"])])
    assert status == EXIT_INVALID
    out, err = capsys.readouterr()
    assert err == ""
    first, *problems = lines(out)
    assert first == f"{files['valid']}: OK, 2 events, -0043-03-15 → 2024-07~"
    assert len(problems) == 2
    parsed = [PROBLEM_RE.match(line) for line in problems]
    assert all(parsed), problems
    assert [(m["file"], int(m["line"]), int(m["column"])) for m in parsed] == [
        (str(files["invalid"]), 5, 45),  # the "13" of "2024-13-01"
        (str(files["invalid"]), 6, 5),  # the event without a title
    ]
    assert parsed[0]["message"] == "events/0/date: '2024-13-01': month 13 does not exist (1–12)"
    assert parsed[1]["message"] == 'events/1: an event needs a "title"'
    assert INVALID_TEXT.splitlines()[4][44:46] == "13"


def test_valid_files_only(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", str(files["valid"]), str(files["valid"])]) == EXIT_OK
    assert len(lines(capsys.readouterr().out)) == 2


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.json"
    assert main(["--check", str(missing)]) == EXIT_INVALID
    out, err = capsys.readouterr()
    assert lines(out) == [f"{missing}: cannot read: No such file or directory"]
    assert err == ""


def test_a_directory_is_not_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check", str(tmp_path)]) == EXIT_INVALID
    (line,) = lines(capsys.readouterr().out)
    assert line.startswith(f"{tmp_path}: cannot read: ")


# Messages as patterns: the list of known formats grows as readers are added.
NOT_A_TIMELINE_JSON = (
    r"a JSON file, but not a known timeline format \(expected .*Timeline Viewer JSON.*\)"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty", r"{file}: the file is empty"),
        ("blank", r"{file}: the file is empty"),
        ("binary", r"{file}: the file is not text"),  # it has NUL bytes
        ("array", r"{file}:1:1: " + NOT_A_TIMELINE_JSON),
        ("other", r"{file}:1:1: " + NOT_A_TIMELINE_JSON),
        (
            "text",
            r"{file}:1:1: not a timeline file this program reads \(.*Timeline Viewer JSON.*\)",
        ),
        ("broken", r"{file}:2:15: Expecting property name enclosed in double quotes"),
        ("deep", r"{file}: the JSON is nested too deeply to read"),
    ],
)
def test_unreadable_files_give_one_clear_line(
    files: dict[str, Path], name: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--check", str(files[name])]) == EXIT_INVALID
    out, err = capsys.readouterr()
    (line,) = lines(out)
    assert re.fullmatch(expected.replace("{file}", re.escape(str(files[name]))), line), line
    assert err == ""


def test_bad_files_in_a_real_process(files: dict[str, Path]) -> None:
    names = ["valid", "missing", "empty", "binary", "array", "other", "deep", "invalid"]
    paths = [str(files.get(name, files["valid"].parent / "missing.json")) for name in names]
    result = run("-m", "desktop", "--check", *paths)
    assert result.returncode == EXIT_INVALID
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    out = lines(result.stdout)
    assert len(out) == 9  # one per file, two for the invalid one
    assert out[0].startswith(f"{paths[0]}: OK, 2 events")
    for path, line in zip(paths[1:], out[1:], strict=False):
        assert line.startswith(f"{path}:"), line


def test_unexpected_errors_are_one_line_without_traceback() -> None:
    code = (
        "import desktop.app as app\n"
        "def boom(files):\n"
        "    raise RuntimeError('something broke')\n"
        "app.check = boom\n"
        "raise SystemExit(app.main(['--check']))\n"
    )
    result = run("-c", code)
    assert result.returncode == EXIT_INVALID
    assert "Traceback" not in result.stderr
    assert lines(result.stderr) == ["timeline-viewer: unexpected error: something broke"]


# -- options ------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out == f"timeline-viewer {desktop.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*|0\+unknown", desktop.__version__)


def test_version_in_a_real_process() -> None:
    result = run("-m", "desktop", "--version")
    assert result.returncode == EXIT_OK
    assert result.stdout.strip() == f"timeline-viewer {desktop.__version__}"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("usage: timeline-viewer")
    assert "--check" in out
    assert "--version" in out


def test_unknown_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--frobnicate"]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    assert "unrecognized arguments: --frobnicate" in err


def test_unknown_option_in_a_real_process() -> None:
    result = run("-m", "desktop", "--frobnicate")
    assert result.returncode == EXIT_USAGE
    assert "unrecognized arguments" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_file_at_a_time_without_qt(capsys: pytest.CaptureFixture[str]) -> None:
    modules_before = "PySide6" in sys.modules
    assert main(["a.json", "b.json"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "open one FILE at a time" in err
    assert ("PySide6" in sys.modules) == modules_before


def test_summary_line_forms() -> None:
    empty = Timeline(title="t", events=())
    assert summary_line("x", empty) == "x: OK, 0 events"
    one = Timeline(title="t", events=(Event("a", "A", DateSpan.parse("2024-07~")),))
    assert summary_line("x", one) == "x: OK, 1 event, 2024-07~ → 2024-07~"
    # The last date is the latest end, not the last start.
    long_first = Timeline(
        title="t",
        events=(
            Event("a", "A", DateSpan.parse("2020/2030")),
            Event("b", "B", DateSpan.parse("2024-12-12")),
        ),
    )
    assert summary_line("x", long_first) == "x: OK, 2 events, 2020 → 2030"
