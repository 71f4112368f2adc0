"""Exports: images (PNG, SVG with text kept as text, PDF) and data (native JSON, TimelineJS,
The Timeline Project, CSV, iCalendar), from the command line (``--export``) and from File →
Export…, with the failures a user can cause reported in one line, never as a traceback.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from desktop.formats.ics import ics_skipped
from desktop.formats.loader import load_bundled, load_path
from desktop.model.calendar import to_seconds

REPO = Path(__file__).resolve().parents[1]
SVG_NS = "{http://www.w3.org/2000/svg}"
SIZE = (900, 600)  # not the default, so the checks show --size is honoured
TALKS = "Macron–Tusk talks in Warsaw"  # the last event: an en dash, kept as text in SVG
POLAND = (0xD5, 0x5E, 0x00)  # the Poland lane's colour
# What Qt itself says when an SVG or PDF file cannot be opened (the program says it once more in
# its own words): expected in the tests that write to a folder that does not exist.
QT_OPEN_FAILURES = pytest.mark.qt_log_ignore(
    r"QSvgPaintEngine::begin\(\), could not open output device",
    r"QPainter::begin\(\): Returned false",
)

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
DATA_SUFFIXES = (".json", ".timelinejs.json", ".timeline", ".csv", ".ics")
ALL_SUFFIXES = IMAGE_SUFFIXES + DATA_SUFFIXES

BC_TIMELINE = {
    "format": "timeline-viewer",
    "version": 1,
    "title": "Old and new",
    "events": [
        {"id": "ides", "title": "Ides of March", "date": "-0043-03-15"},
        {"id": "talks", "title": "Warsaw talks", "date": "2024-12-12"},
    ],
}


@pytest.fixture(autouse=True)
def _qt_application(qapp):
    """A QApplication before any in-process export: ``--export`` would otherwise make a bare
    QGuiApplication, and the widget tests after it could not run."""
    return qapp


def size_args(size: tuple[int, int] = SIZE) -> list[str]:
    return ["--size", f"{size[0]}x{size[1]}"]


def export(capsys, out: Path, *args: str) -> tuple[int, list[str], list[str]]:
    """``main(["--export", out, *args])``: (status, stdout lines, stderr lines)."""
    status = main(["--export", str(out), *args])
    captured = capsys.readouterr()
    return status, captured.out.splitlines(), captured.err.splitlines()


# -- what a valid export holds -------------------------------------------------------------------


@dataclass(frozen=True)
class Pixels:
    size: tuple[int, int]
    data: bytes  # 0xFFRRGGBB words, row after row
    colors: Counter[int]  # how many pixels have each colour


def image_pixels(path: Path) -> Pixels:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path.name} does not load as an image"
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # 32-bit rows: no padding
    data = bytes(image.constBits())
    return Pixels((image.width(), image.height()), data, Counter(memoryview(data).cast("I")))


def near(pixel: int, color: tuple[int, int, int], tolerance: int = 24) -> bool:
    rgb = (pixel >> 16 & 0xFF, pixel >> 8 & 0xFF, pixel & 0xFF)
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, color, strict=True))


def check_png(path: Path, size: tuple[int, int]) -> Pixels:
    pixels = image_pixels(path)
    assert pixels.size == size  # exactly the size asked for
    assert len(pixels.colors) > 50, "the image is (nearly) blank"
    poland = sum(count for color, count in pixels.colors.items() if near(color, POLAND))
    assert poland > 50, "no Poland-coloured marks"
    return pixels


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [" ".join("".join(element.itertext()).split()) for element in root.iter(f"{SVG_NS}text")]


def check_svg(path: Path, size: tuple[int, int], titles: list[str]) -> None:
    root = ET.parse(path).getroot()  # well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    view_box = [float(number) for number in root.get("viewBox", "").split()]
    assert view_box == [0, 0, size[0], size[1]]
    texts = svg_texts(path)
    assert texts, "no <text> elements: the text was drawn as paths"
    # Qt may split a label into several <text> elements: look in each and in all together.
    joined = " ".join(texts)
    for title in titles:
        assert any(title in text for text in texts) or title in joined, title


def check_pdf(path: Path, size: tuple[int, int]) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data)
    assert boxes, "no page size"
    expected = [0, 0, size[0] * 72 / 96, size[1] * 72 / 96]  # points, at 96 pixels per inch
    for box in boxes:
        assert [float(n) for n in box.split()] == pytest.approx(expected, abs=0.5)


def ics_summaries(text: str) -> list[str]:
    unfolded = text.replace("\r\n ", "")
    return [
        line[len("SUMMARY:") :] for line in unfolded.split("\r\n") if line.startswith("SUMMARY:")
    ]


def check_data(path: Path, suffix: str, expected_events: int) -> None:
    if suffix == ".ics":
        text = path.read_bytes().decode("utf-8")
        assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
        assert text.count("BEGIN:VEVENT") == expected_events
        return
    again = load_path(path)
    assert len(again.events) == expected_events
    if suffix == ".json":
        assert again == load_bundled()  # lossless
        assert again.events == load_bundled().events


def check_export(
    path: Path, suffix: str, size: tuple[int, int], titles: tuple[str, ...] = (TALKS,)
) -> None:
    """``path`` is a valid export of the bundled timeline in the format ``suffix`` names; an
    SVG holds ``titles`` as text."""
    assert path.is_file()
    bundled = load_bundled()
    if suffix == ".png":
        check_png(path, size)
    elif suffix == ".svg":
        check_svg(path, size, list(titles))
    elif suffix == ".pdf":
        check_pdf(path, size)
    else:
        expected = len(bundled.events)
        if suffix == ".ics":
            expected -= len(ics_skipped(bundled))
        check_data(path, suffix, expected)


# -- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ALL_SUFFIXES)
def test_the_cli_exports_the_bundled_timeline(capsys, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    status, stdout, stderr = export(capsys, out, *size_args())
    assert status == EXIT_OK, stderr
    assert stderr == []
    total = len(load_bundled().events)
    if suffix in IMAGE_SUFFIXES:  # the events of the opening view
        in_view = opening_view_count()
        assert 0 < in_view < total
        assert stdout == [f"{out}: wrote {in_view} of {total} events"]
    elif suffix == ".json":  # the program's own format keeps everything
        assert stdout == [f"{out}: wrote {total} events"]
    else:  # the others have no place for some of what the bundled timeline holds
        (line,) = stdout
        assert line.startswith(f"{out}: wrote {total} events; "), line
        assert "has no place for the" in line and "confidence" in line
    check_export(out, suffix, SIZE)


def opening_view_count() -> int:
    """How many of the bundled timeline's events overlap the range of its opening image (its
    view's dates, with the room the image leaves for titles), counted one by one."""
    from PySide6.QtGui import QFont, QGuiApplication

    from desktop.ui.export import export_scale, scene_builder

    timeline = load_bundled()
    builder = scene_builder(timeline, QFont(QGuiApplication.font()))
    scale = export_scale(builder, SIZE[0], SIZE[1], None)
    return sum(
        1
        for event in timeline.events
        if event.when.end_seconds() > scale.t0 and event.when.start_seconds() < scale.t1
    )


@pytest.mark.parametrize("suffix", (".json", ".png"))
def test_the_cli_exports_a_file(capsys, tmp_path, suffix):
    source = tmp_path / "copy.json"
    assert main(["--export", str(source)]) == EXIT_OK
    out = tmp_path / f"again{suffix}"
    status, _, stderr = export(capsys, out, str(source), *size_args())
    assert status == EXIT_OK, stderr
    check_export(out, suffix, SIZE)


def test_a_range_changes_the_image(capsys, tmp_path):
    opening, ranged = tmp_path / "opening.png", tmp_path / "ranged.png"
    assert export(capsys, opening, *size_args())[0] == EXIT_OK
    status, stdout, stderr = export(
        capsys, ranged, *size_args(), "--range", "2024-12-01", "2024-12-13"
    )
    assert status == EXIT_OK, stderr
    december = [
        event
        for event in load_bundled().events
        if event.when.end_seconds() > to_seconds(2024, 12, 1)
        and event.when.start_seconds() < to_seconds(2024, 12, 14)
    ]
    total = len(load_bundled().events)
    assert stdout == [f"{ranged}: wrote {len(december)} of {total} events"]
    check_png(ranged, SIZE)  # December holds Polish events too
    assert image_pixels(ranged).data != image_pixels(opening).data


def test_a_range_changes_the_svg(capsys, tmp_path):
    opening, ranged = tmp_path / "opening.svg", tmp_path / "ranged.svg"
    assert export(capsys, opening, *size_args())[0] == EXIT_OK
    status, _, _ = export(capsys, ranged, *size_args(), "--range", "2024-12-01", "2024-12-13")
    assert status == EXIT_OK
    check_svg(ranged, SIZE, ["Trump, Macron and Zelensky at the Élysée", "December 2024"])
    # February's events are outside the range: the opening view shows them, the range does not.
    assert any("cannot be ruled out" in text for text in svg_texts(opening))
    assert not any("cannot be ruled out" in text for text in svg_texts(ranged))


@pytest.mark.parametrize("size", ("10x10", "abc", "100", "0x500", "900x"))
def test_a_bad_size_is_a_usage_error(capsys, tmp_path, size):
    out = tmp_path / "out.png"
    status, stdout, stderr = export(capsys, out, "--size", size)
    assert status == EXIT_USAGE
    assert stdout == []
    assert len(stderr) == 1 and stderr[0].startswith("timeline-viewer: error:"), stderr
    assert "Traceback" not in stderr[0]
    assert not out.exists()


@pytest.mark.parametrize(
    "dates", (("2024-12-13", "2024-12-01"), ("2024-13-01", "2024-12-01"), ("soon", "later"))
)
def test_a_bad_range_is_a_usage_error(capsys, tmp_path, dates):
    out = tmp_path / "out.png"
    status, _, stderr = export(capsys, out, "--range", *dates)
    assert status == EXIT_USAGE
    assert len(stderr) == 1 and stderr[0].startswith("timeline-viewer: error:"), stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ("out.txt", "out", "out.jpeg", "out.ical"))
def test_an_unknown_suffix_is_a_usage_error(capsys, tmp_path, name):
    out = tmp_path / name
    status, stdout, stderr = export(capsys, out)
    assert status == EXIT_USAGE
    assert stdout == []
    assert len(stderr) == 1 and ".png" in stderr[0] and ".ics" in stderr[0], stderr
    assert not out.exists()


def test_a_missing_file_is_invalid_without_a_traceback(capsys, tmp_path):
    out = tmp_path / "out.json"
    status, stdout, stderr = export(capsys, out, str(tmp_path / "missing.json"))
    assert status == EXIT_INVALID
    assert stdout == []
    assert len(stderr) == 1 and "missing.json" in stderr[0], stderr
    assert "Traceback" not in "\n".join(stderr)
    assert not out.exists()


def test_an_invalid_file_is_reported_not_exported(capsys, tmp_path):
    source = tmp_path / "broken.json"
    source.write_text('{"format": "timeline-viewer", "version": 1, "events": [', encoding="utf-8")
    out = tmp_path / "out.png"
    status, _, stderr = export(capsys, out, str(source))
    assert status == EXIT_INVALID
    assert stderr and all(line.startswith(str(source)) for line in stderr), stderr
    assert not out.exists()


def test_check_and_export_do_not_go_together(capsys, tmp_path):
    out = tmp_path / "out.png"
    status = main(["--check", "--export", str(out)])
    captured = capsys.readouterr()
    assert status == EXIT_USAGE
    assert "--check and --export do not go together" in captured.err
    assert not out.exists()


def test_two_files_are_a_usage_error(capsys, tmp_path):
    out = tmp_path / "out.json"
    status = main(["--export", str(out), "a.json", "b.json"])
    assert status == EXIT_USAGE
    assert "one FILE at a time" in capsys.readouterr().err
    assert not out.exists()


@QT_OPEN_FAILURES
@pytest.mark.parametrize("suffix", ALL_SUFFIXES)
def test_an_unwritable_path_is_one_error_line(capsys, tmp_path, suffix):
    out = tmp_path / "no such folder" / f"out{suffix}"
    status, stdout, stderr = export(capsys, out, *size_args())
    assert status == EXIT_INVALID
    assert stdout == []
    assert len(stderr) == 1, stderr
    assert stderr[0].startswith(f"timeline-viewer: cannot write {out}"), stderr
    assert not out.parent.exists()


# -- the installed script, in its own process ----------------------------------------------------


def script() -> Path:
    folder = Path(sys.executable).parent
    for name in ("timeline-viewer", "timeline-viewer.exe"):
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"no timeline-viewer script beside {sys.executable}: is the project installed?")


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script()), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=REPO,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},  # QT_QPA_PLATFORM from conftest
        timeout=120,
        check=False,
    )


def test_the_script_exports_a_png(tmp_path):
    out = tmp_path / "script.png"
    result = run_script("--export", str(out), *size_args())
    assert result.returncode == EXIT_OK, result.stderr
    total = len(load_bundled().events)
    assert result.stdout.splitlines() == [f"{out}: wrote {opening_view_count()} of {total} events"]
    check_export(out, ".png", SIZE)


@pytest.mark.parametrize("suffix", (".png", ".json"))
def test_the_script_reports_an_unwritable_path_in_one_line(tmp_path, suffix):
    out = tmp_path / "no such folder" / f"out{suffix}"
    result = run_script("--export", str(out))
    assert result.returncode == EXIT_INVALID
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("suffix", (".svg", ".pdf"))
def test_the_script_reports_an_unwritable_vector_path_in_one_line(tmp_path, suffix):
    out = tmp_path / "no such folder" / f"out{suffix}"
    result = run_script("--export", str(out))
    assert result.returncode == EXIT_INVALID
    assert len(result.stderr.splitlines()) == 1, result.stderr


# -- iCalendar and years it cannot hold ----------------------------------------------------------


@pytest.fixture
def bc_file(tmp_path) -> Path:
    path = tmp_path / "old-and-new.json"
    path.write_text(json.dumps(BC_TIMELINE), encoding="utf-8")
    return path


def test_ics_leaves_out_bc_events_and_says_so(capsys, tmp_path, bc_file):
    out = tmp_path / "old-and-new.ics"
    status, stdout, stderr = export(capsys, out, str(bc_file))
    assert status == EXIT_OK, stderr
    text = out.read_bytes().decode("utf-8")
    assert ics_summaries(text) == ["Warsaw talks"]
    assert "Ides" not in text
    assert "DTSTART;VALUE=DATE:20241212" in text
    assert len(stdout) == 1, stdout
    assert stdout[0].startswith(f"{out}: wrote 1 event;"), stdout
    assert "1 event left out: iCalendar cannot hold years outside 1–9999" in stdout[0]
    assert "iCalendar" in stdout[0]


def test_other_formats_keep_bc_events(capsys, tmp_path, bc_file):
    out = tmp_path / "old-and-new.csv"
    status, stdout, _ = export(capsys, out, str(bc_file))
    assert status == EXIT_OK
    # CSV has no place for a timeline's title: it says so.
    assert stdout == [f"{out}: wrote 2 events; CSV has no place for the timeline's title"]
    assert [event.id for event in load_path(out).events] == ["ides", "talks"]


# -- the window: File → Export… ------------------------------------------------------------------


def view_size(window) -> tuple[int, int]:
    return max(320, window.view.width()), max(240, window.view.height())


def levels(recorded) -> list[str]:
    return [message.level.value for message in recorded]


@pytest.mark.parametrize("target_index", range(8))
def test_export_to_writes_every_target(main_window, recorded_messages, tmp_path, target_index):
    from desktop.ui.main_window import export_targets

    EXPORT_TARGETS = export_targets()

    assert len(EXPORT_TARGETS) == 8
    target = EXPORT_TARGETS[target_index]
    path = tmp_path / f"exported{target.suffix}"
    recorded_messages.clear()
    assert main_window.export_to(path, target, None) is True
    check_export(path, target.suffix, view_size(main_window))
    # The formats that have no place for some of the bundled timeline (its sources' quotes
    # and confidence, say) say what in a dialog; images and the program's own format inform.
    lossy = not target.is_image and target.suffix != ".json"
    assert levels(recorded_messages) == ["notice" if lossy else "info"]
    assert str(path) in recorded_messages[0].text
    assert ("has no place for the" in recorded_messages[0].text) == lossy


def test_every_target_has_its_own_suffix():
    from desktop.ui.main_window import export_targets

    EXPORT_TARGETS = export_targets()

    suffixes = [target.suffix for target in EXPORT_TARGETS]
    assert sorted(suffixes) == sorted(ALL_SUFFIXES)
    assert [target.is_image for target in EXPORT_TARGETS] == [
        suffix in IMAGE_SUFFIXES for suffix in suffixes
    ]


@QT_OPEN_FAILURES
@pytest.mark.parametrize("target_index", range(8))
def test_export_to_an_unwritable_path_is_one_error(
    main_window, recorded_messages, tmp_path, target_index
):
    from desktop.ui.main_window import export_targets

    EXPORT_TARGETS = export_targets()

    target = EXPORT_TARGETS[target_index]
    path = tmp_path / "no such folder" / f"exported{target.suffix}"
    recorded_messages.clear()
    assert main_window.export_to(path, target, None) is False
    assert levels(recorded_messages) == ["error"]
    assert path.name in recorded_messages[0].text
    assert not path.parent.exists()


def test_export_to_ics_warns_about_bc_events(make_window, recorded_messages, tmp_path, bc_file):
    from desktop.ui.main_window import export_targets

    EXPORT_TARGETS = export_targets()

    window = make_window(str(bc_file))
    assert [event.id for event in window.timeline.events] == ["ides", "talks"]
    target = next(target for target in EXPORT_TARGETS if target.suffix == ".ics")
    path = tmp_path / "calendar.ics"
    recorded_messages.clear()
    assert window.export_to(path, target) is True
    assert ics_summaries(path.read_bytes().decode("utf-8")) == ["Warsaw talks"]
    assert levels(recorded_messages) == ["notice"], recorded_messages
    text = recorded_messages[0].text
    assert "1 event" in text and "left out" in text and "iCalendar" in text


VIEW, WHOLE, CANCEL = "Current View", "Whole Timeline", "Cancel"  # the image question's buttons


class FakeDialogs:
    """Stands in for the file dialog (choosing ``name`` under ``chosen_filter``, or cancelled
    when ``name`` is empty) and the image question's QMessageBox (clicking the button whose text
    is ``answer``, else Cancel); records the calls."""

    def __init__(self, monkeypatch, name: str, chosen_filter: str, answer=None):
        # The window imports its dialogs when it opens them: patch the Qt classes themselves.
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        self.name, self.chosen_filter, self.answer = name, chosen_filter, answer
        self.filters: list[str] = []
        self.questions = 0
        self.ranges: list[tuple[float, float] | str | None] = []
        from desktop.ui import export

        real_export_image = export.export_image

        def exec_file_dialog(dialog):
            assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
            self.filters = dialog.nameFilters()
            self.start, self.selected = dialog.selectedFiles()[0], dialog.selectedNameFilter()
            if not self.name:
                return QFileDialog.DialogCode.Rejected
            # As a user does: the filter first, then the name (choosing a filter in Qt's own
            # save dialog gives the name typed before it that filter's suffix).
            dialog.selectNameFilter(self.chosen_filter)
            dialog.selectFile(self.name)
            return QFileDialog.DialogCode.Accepted

        def exec_box(box):
            self.questions += 1
            self.buttons = [button.text() for button in box.buttons()]
            self.default = box.defaultButton().text()
            wanted = [button for button in box.buttons() if button.text() == self.answer]
            (wanted or [box.button(CANCEL)])[0].click()
            return 0

        def export_image(timeline, path, size, time_range=None, *, whole=False):
            self.ranges.append("whole" if whole else time_range)
            return real_export_image(timeline, path, size, time_range, whole=whole)

        monkeypatch.setattr(QFileDialog, "exec", exec_file_dialog)
        monkeypatch.setattr(QMessageBox, "exec", exec_box)
        monkeypatch.setattr(export, "export_image", export_image)


def filter_for(suffix: str) -> str:
    from desktop.ui.main_window import export_targets

    EXPORT_TARGETS = export_targets()

    target = next(target for target in EXPORT_TARGETS if target.suffix == suffix)
    return f"{target.name} (*{target.suffix})"


def test_export_dialog_offers_every_target(monkeypatch, main_window, tmp_path):
    dialogs = FakeDialogs(monkeypatch, "", "")
    main_window.export_dialog()  # cancelled: nothing written, nothing asked
    assert dialogs.filters == [filter_for(suffix) for suffix in ALL_SUFFIXES]
    assert dialogs.questions == 0
    assert list(tmp_path.iterdir()) == []


def test_export_dialog_asks_for_the_current_view_or_the_whole_timeline(
    monkeypatch, main_window, recorded_messages, tmp_path
):

    from desktop.model.calendar import to_seconds

    window = main_window
    window.view.set_range(to_seconds(2024, 11, 1), to_seconds(2024, 12, 15), margin=False)
    scale = window.view.scale
    view_path, whole_path = tmp_path / "view.png", tmp_path / "whole.png"

    dialogs = FakeDialogs(monkeypatch, str(view_path), filter_for(".png"), VIEW)
    window.export_dialog()
    dialogs.name, dialogs.answer = str(whole_path), WHOLE
    window.export_dialog()

    assert dialogs.questions == 2
    assert sorted(dialogs.buttons) == sorted([VIEW, WHOLE, CANCEL])
    assert dialogs.default == VIEW  # Enter exports what is on screen
    assert dialogs.ranges == [(scale.t0, scale.t1), "whole"]
    view_pixels = check_png(view_path, view_size(window))
    whole_pixels = check_png(whole_path, view_size(window))
    assert view_pixels.data != whole_pixels.data
    assert levels(recorded_messages)[-2:] == ["info", "info"]
    total = len(window.timeline.events)
    in_view = window.timeline.index.count_overlapping(scale.t0, scale.t1)
    assert 0 < in_view < total
    assert [message.text for message in recorded_messages[-2:]] == [
        f"Exported {in_view} of {total} events to “{view_path}”.",
        f"Exported {total} of {total} events to “{whole_path}”.",
    ]


def test_export_dialog_current_view_matches_a_direct_export_of_it(
    monkeypatch, main_window, tmp_path
):

    from desktop.ui.export import export_image

    window = main_window
    scale = window.view.scale
    through_dialog, direct = tmp_path / "dialog.png", tmp_path / "direct.png"
    FakeDialogs(monkeypatch, str(through_dialog), filter_for(".png"), VIEW)
    window.export_dialog()
    export_image(window.timeline, direct, view_size(window), (scale.t0, scale.t1))
    assert image_pixels(through_dialog).data == image_pixels(direct).data


def test_export_dialog_cancel_at_the_question_writes_nothing(monkeypatch, main_window, tmp_path):

    path = tmp_path / "view.svg"
    dialogs = FakeDialogs(monkeypatch, str(path), filter_for(".svg"), CANCEL)
    main_window.export_dialog()
    assert dialogs.questions == 1
    assert not path.exists()


@pytest.mark.parametrize("suffix", ALL_SUFFIXES)
def test_the_chosen_filter_decides_the_format(
    monkeypatch, main_window, recorded_messages, tmp_path, suffix
):

    dialogs = FakeDialogs(monkeypatch, str(tmp_path / "typed"), filter_for(suffix), WHOLE)
    main_window.export_dialog()
    written = tmp_path / f"typed{suffix}"  # the suffix appended
    assert sorted(tmp_path.iterdir()) == [written]
    assert dialogs.questions == (1 if suffix in IMAGE_SUFFIXES else 0)  # data: no question
    # "No": the whole timeline, from 2022 on, where the last title has no room (see below).
    check_export(written, suffix, view_size(main_window), titles=("Russia's full-scale invasion",))
    lossy = suffix not in (*IMAGE_SUFFIXES, ".json")  # see test_export_to_writes_every_target
    assert levels(recorded_messages)[-1] == ("notice" if lossy else "info")


def test_a_typed_suffix_wins_over_the_filter(monkeypatch, main_window, tmp_path):
    # The PNG filter is the first, so the one a user who typed "out.ics" has left selected.
    FakeDialogs(monkeypatch, str(tmp_path / "out.ics"), filter_for(".png"), WHOLE)
    main_window.export_dialog()
    assert sorted(tmp_path.iterdir()) == [tmp_path / "out.ics"]
    check_export(tmp_path / "out.ics", ".ics", view_size(main_window))
    FakeDialogs(monkeypatch, str(tmp_path / "tl.timelinejs.json"), filter_for(".csv"))
    main_window.export_dialog()
    check_export(tmp_path / "tl.timelinejs.json", ".timelinejs.json", view_size(main_window))


@pytest.mark.parametrize(
    "suffix",
    (
        ".timelinejs.json",
        ".pdf",
        ".ics",
    ),
)
def test_a_typed_name_with_the_filters_suffix_is_kept(monkeypatch, main_window, tmp_path, suffix):

    path = tmp_path / f"named{suffix}"
    FakeDialogs(monkeypatch, str(path), filter_for(suffix), WHOLE)
    main_window.export_dialog()
    assert sorted(tmp_path.iterdir()) == [path]


def test_without_a_filter_the_typed_suffix_decides(monkeypatch, main_window, tmp_path):
    path = tmp_path / "typed.timeline"
    FakeDialogs(monkeypatch, str(path), "")
    main_window.export_dialog()
    assert sorted(tmp_path.iterdir()) == [path]
    check_export(path, ".timeline", view_size(main_window))


def test_the_whole_timeline_keeps_the_last_title(monkeypatch, main_window, tmp_path):

    path = tmp_path / "whole.svg"
    FakeDialogs(monkeypatch, str(path), filter_for(".svg"), WHOLE)
    main_window.export_dialog()
    check_svg(path, view_size(main_window), [TALKS])


def test_the_export_dialog_starts_where_and_as_the_last_export_went(
    monkeypatch, main_window, tmp_path
):
    folder = tmp_path / "exports"
    folder.mkdir()
    dialogs = FakeDialogs(monkeypatch, str(folder / "first.csv"), filter_for(".csv"))
    main_window.export_dialog()  # nothing exported before: home, and the first format
    assert dialogs.start == str(Path.home() / "tusk-macron-warsaw.png")
    assert dialogs.selected == filter_for(".png")
    assert (folder / "first.csv").exists()
    dialogs.name = ""  # the next dialog is cancelled: only what it offers is looked at
    main_window.export_dialog()
    assert dialogs.start == str(folder / "tusk-macron-warsaw.csv")
    assert dialogs.selected == filter_for(".csv")
    (folder / "first.csv").unlink()
    folder.rmdir()
    main_window.export_dialog()  # the folder has gone: home again, the format kept
    assert dialogs.start == str(Path.home() / "tusk-macron-warsaw.csv")


def test_an_image_too_short_for_the_lanes_is_made_taller_to_hold_every_lane(capsys, tmp_path):
    """The window scrolls lanes taller than its canvas; an image cut short would lose some."""
    short, tall = tmp_path / "short.png", tmp_path / "tall.png"
    status, stdout, _ = export(capsys, short, "--size", "900x200")
    assert status == EXIT_OK
    pixels = image_pixels(short)
    width, height = pixels.size
    assert width == 900 and height > 200
    (line,) = stdout
    assert line.endswith(f"; {height} px tall, not 200, to hold every lane"), line
    # Just what asking for that height draws: every lane, nothing squeezed.
    status, stdout, _ = export(capsys, tall, "--size", f"900x{height}")
    assert status == EXIT_OK and "px tall" not in stdout[0]
    assert image_pixels(tall).data == pixels.data


def test_an_svg_names_its_fonts_as_drawn_with_a_generic_family_after(capsys, tmp_path):
    """From a user test: every text said font-family="Sans Serif", a fontconfig alias no
    browser knows, which would fall back to a serif."""
    from PySide6.QtGui import QFontDatabase

    out = tmp_path / "out.svg"
    status, _, _ = export(capsys, out, *size_args())
    assert status == EXIT_OK
    families = set(re.findall(r'font-family="([^"]*)"', out.read_text(encoding="utf-8")))
    assert families
    installed = set(QFontDatabase.families())
    for family in families:
        drawn, generic = family.rsplit(", ", 1)
        assert drawn in installed, family
        assert generic in ("sans-serif", "serif", "monospace"), family


def test_an_svg_keeps_each_era_one_see_through_rectangle(capsys, tmp_path):
    """On screen eras are blended into the grounds beneath them, a column at a time; an SVG
    keeps each era one see-through shape over them, as an editor of the file would expect
    (and a third smaller than the columns made it)."""
    out = tmp_path / "out.svg"
    assert export(capsys, out, *size_args())[0] == EXIT_OK
    root = ET.parse(out).getroot()
    see_through = [
        group.get("fill")
        for group in root.iter(f"{SVG_NS}g")
        if group.get("fill", "").startswith("#") and float(group.get("fill-opacity", 1)) < 1
    ]
    eras = [era.color.lower() for era in load_bundled().eras]
    assert sorted(fill for fill in see_through if fill in eras) == sorted(eras)  # all in view
