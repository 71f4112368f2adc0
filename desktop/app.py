"""The command line and the application's start: ``timeline-viewer [FILE]``, ``--check``,
``--export``.

``--check``, ``--help`` and data exports never import Qt, so scripts validating files stay fast
and headless.
No traceback reaches the user from here: expected failures print one line per problem, and
anything unexpected is reported in one line with the log path.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import heap, version
from desktop.formats.errors import FormatError

# The loader and the model are imported where they are used: the window's start imports them
# with the cycle collector paused (see _open_window).
if TYPE_CHECKING:
    from desktop.formats.writers import DataWriter
    from desktop.model.timeline import Timeline

log = logging.getLogger("timeline.app")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

# Data formats are written without Qt; images need the renderer.
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
# The suffixes of desktop.formats.writers.DATA_WRITERS, spelled out (a test keeps them equal):
# importing the writers (dateutil, XML, CSV) for the help text would slow every start, the
# window's included.
DATA_SUFFIXES = (".json", ".timelinejs.json", ".timeline", ".csv", ".ics")
EXPORT_SUFFIXES = (*IMAGE_SUFFIXES, *DATA_SUFFIXES)


def _print(text: str, stream_name: str = "stdout") -> None:
    # A frozen windowed app has no console: sys.stdout and sys.stderr are None there.
    stream = getattr(sys, stream_name)
    if stream is None:
        return
    try:
        print(text, file=stream)
    except UnicodeEncodeError:  # e.g. "→" into a cp1252 pipe on Windows
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(text.encode(encoding, "replace").decode(encoding), file=stream)


class _VersionAction(argparse.Action):
    """--version, looking the version up only when asked (it costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        _print(f"{parser.prog} {version()}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline-viewer",
        description=(
            "A desktop timeline viewer. Opens FILE (or the bundled Tusk–Macron timeline) in a "
            "zoomable window."
        ),
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="timeline file(s) to open")
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the files (the bundled timeline when none is given) without a window; "
        "exit 0 when all are valid, 1 when any is invalid",
    )
    parser.add_argument(
        "--export",
        metavar="OUT",
        help="write the timeline (FILE, or the bundled one) to OUT without a window; the format "
        f"follows OUT's suffix: {', '.join(EXPORT_SUFFIXES)}",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        default="1600x1000",
        help="image size in pixels for PNG, SVG and PDF exports (default 1600x1000); taller "
        "if the lanes need it",
    )
    parser.add_argument(
        "--range",
        nargs=2,
        metavar=("START", "END"),
        help="the dates an image shows, e.g. 2024-11 2024-12-12 (default: the opening view)",
    )
    parser.add_argument("--version", action=_VersionAction)
    return parser


def _parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise ValueError(f"--size takes WIDTHxHEIGHT in pixels, e.g. 1600x1000, not {text!r}")
    size = (int(width), int(height))
    if not (16 <= size[0] <= 20_000 and 16 <= size[1] <= 20_000):
        raise ValueError("sizes run from 16 to 20000 pixels")
    return size


def _data_writer_for(file_name: str) -> DataWriter | None:
    from desktop.formats.writers import writer_for  # imported by data exports only

    return writer_for(file_name)


def export(out: str, file: str | None, size_text: str, range_texts: list[str] | None) -> int:
    """``--export``: write OUT in the format its suffix names. The exit status."""
    from desktop.formats.loader import BUNDLED_NAME, load_bundled, load_path
    from desktop.model.dates import DateError, DateSpan

    target = Path(out)
    suffix = target.suffix.lower()
    writer = None if suffix in IMAGE_SUFFIXES else _data_writer_for(target.name)
    if writer is None and suffix not in IMAGE_SUFFIXES:
        _print(
            f"timeline-viewer: error: cannot export {out!r}: use one of "
            + ", ".join(EXPORT_SUFFIXES),
            "stderr",
        )
        return EXIT_USAGE
    try:
        size = _parse_size(size_text)
        time_range = None
        if range_texts is not None:
            start, end = (DateSpan.parse(text) for text in range_texts)
            time_range = (start.start_seconds(), end.end_seconds())
            if time_range[1] <= time_range[0]:
                raise ValueError("the range ends before it starts")
    except (ValueError, DateError) as error:
        _print(f"timeline-viewer: error: {error}", "stderr")
        return EXIT_USAGE
    shown = file if file is not None else BUNDLED_NAME
    try:
        timeline = load_bundled() if file is None else load_path(Path(file))
    except FormatError as error:
        for problem in error.problems:
            _print(problem.render(shown), "stderr")
        return EXIT_INVALID
    except OSError as error:
        _print(f"{shown}: cannot read: {error.strerror or error}", "stderr")
        return EXIT_INVALID
    total = len(timeline.events)
    written, note = total, ""
    try:
        if writer is not None:
            written, note = writer.save(timeline, target)
        else:
            from desktop.ui.export import export_image, headless_application

            headless_application()
            written, height = export_image(timeline, target, size, time_range)
            if height != size[1]:
                note = f"{height} px tall, not {size[1]}, to hold every lane"
    except OSError as error:
        _print(f"timeline-viewer: cannot write {out}: {error.strerror or error}", "stderr")
        return EXIT_INVALID
    if writer is None:  # an image holds the events of its range
        line = f"{out}: wrote {written} of {total} event{'s' if total != 1 else ''}"
    else:
        line = f"{out}: wrote {written} event{'s' if written != 1 else ''}"
    _print(f"{line}; {note}" if note else line)
    return EXIT_OK


def summary_line(name: str, timeline: Timeline) -> str:
    count = len(timeline.events)
    if not count:
        return f"{name}: OK, 0 events"
    first = timeline.events[0].when.start.isoformat()
    # The event that ends last, found in the index: reading every event of a big file would
    # build each one.
    ends = timeline.index.ends
    last_event = timeline.events[ends.index(timeline.index.max_end)]
    last = (last_event.end or last_event.start).isoformat()
    return f"{name}: OK, {count} event{'s' if count != 1 else ''}, {first} → {last}"


def check(files: Sequence[str]) -> int:
    """Validate each file; print one summary or one line per problem. The exit status."""
    from desktop.formats.loader import BUNDLED_NAME, load_bundled, load_path

    status = EXIT_OK
    targets: Sequence[str | None] = files or [None]
    for name in targets:
        shown = name if name is not None else BUNDLED_NAME
        try:
            timeline = load_bundled() if name is None else load_path(Path(name))
        except FormatError as error:
            status = EXIT_INVALID
            for problem in error.problems:
                _print(problem.render(shown))
            continue
        except OSError as error:
            status = EXIT_INVALID
            _print(f"{shown}: cannot read: {error.strerror or error}")
            continue
        _print(summary_line(shown, timeline))
    return status


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:
        # A launch from the desktop's menu: nothing to parse. Building the parser (and the
        # gettext and locale look-ups argparse makes for its messages) would cost the window's
        # start-up a few milliseconds.
        return _guarded(lambda: _open_window(None))
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_request:  # --help, --version and usage errors
        return int(exit_request.code or 0)
    return _guarded(lambda: _run(parser, args))


def _guarded(command: Callable[[], int]) -> int:
    """``command``'s exit status; anything unexpected is reported in one line."""
    try:
        return command()
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last guard: one line, not a traceback
        if log.hasHandlers():  # unconfigured logging (--check) would print the traceback
            log.exception("unexpected error")
        _print(f"timeline-viewer: unexpected error: {error}", "stderr")
        return EXIT_INVALID


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """What the parsed command line asks for; the exit status."""
    if args.check and args.export:
        parser.print_usage(sys.stderr)
        _print("timeline-viewer: error: --check and --export do not go together", "stderr")
        return EXIT_USAGE
    if args.check:
        return check(args.files)
    if args.export:
        if len(args.files) > 1:
            parser.print_usage(sys.stderr)
            _print("timeline-viewer: error: export one FILE at a time", "stderr")
            return EXIT_USAGE
        return export(args.export, args.files[0] if args.files else None, args.size, args.range)
    if len(args.files) > 1:
        parser.print_usage(sys.stderr)
        _print("timeline-viewer: error: open one FILE at a time", "stderr")
        return EXIT_USAGE
    return _open_window(args.files[0] if args.files else None)


def _open_window(file: str | None) -> int:
    # Until the window's first frame, the program makes tens of thousands of objects that live
    # as long as it does (modules, classes, Qt's wrappers) and next to no garbage: the cycle
    # collector would walk them again and again (~5 ms). The window resumes it once it has
    # painted (desktop.ui.application.run).
    heap.pause()
    # Find the bundled files before Qt is imported: PySide6 reads the source of each module
    # imported after it (looking for `from __feature__ import`), and finding them imports
    # importlib's readers.
    from desktop.bundled import resource_root

    resource_root()
    # Qt is imported only when a window is wanted, and first by import_qt(), which spares the
    # rest of start-up PySide's reading of every module's source.
    from desktop.ui.qt_import import import_qt

    import_qt()
    from desktop.ui.application import run

    return run(file)
