"""Every format the program writes data in, by name and file suffix (the GUI and --export)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop import heap
from desktop.formats.csv_format import write_csv
from desktop.formats.ics import ics_skipped, write_ics
from desktop.formats.native import write_native
from desktop.formats.progress import Progress, no_progress
from desktop.formats.thetimelineproj import write_thetimelineproj
from desktop.formats.timelinejs import write_timelinejs
from desktop.model.timeline import Timeline


@dataclass(frozen=True)
class DataWriter:
    name: str
    suffix: str  # what a file name must end with to pick this writer on the command line
    write: Callable[[Timeline, Progress], str]
    # The events the format cannot hold (and the writer leaves out), with the reason to give.
    left_out: Callable[[Timeline], int] = lambda _timeline: 0
    left_out_reason: str = ""

    def save(
        self, timeline: Timeline, path: Path, progress: Progress = no_progress
    ) -> tuple[int, str]:
        """Write ``timeline`` to ``path``; what :meth:`report` says of it.

        The text goes to a file beside ``path`` first and replaces it only when complete: an
        error, a full disk or Cancel (at any report to ``progress``) leaves whatever was there.
        """
        # Writing makes millions of small dicts, lists and strings and none of them garbage in a
        # cycle: the collector's passes over them would hold the interpreter lock for up to
        # ~0.1 s at a time, while the window waits for it.
        with heap.paused():
            text = self.write(timeline, progress)
        progress(1.0, "Saving")
        part = path.with_name(f".{path.name}.part")
        try:
            part.write_text(text, encoding="utf-8", newline="")
            part.replace(path)
        except OSError:
            part.unlink(missing_ok=True)
            raise
        return self.report(timeline)

    def report(self, timeline: Timeline) -> tuple[int, str]:
        """(events written, a note on what was left out and why, or "")."""
        missing = self.left_out(timeline)
        written = len(timeline.events) - missing
        if not missing:
            return written, ""
        noun = "event" if missing == 1 else "events"
        return written, f"{missing} {noun} left out: {self.left_out_reason}"


DATA_WRITERS: tuple[DataWriter, ...] = (
    DataWriter("Timeline Viewer JSON", ".json", write_native),
    # TimelineJS is JSON too: the longer suffix tells the two apart on the command line.
    DataWriter("TimelineJS JSON", ".timelinejs.json", write_timelinejs),
    DataWriter("The Timeline Project", ".timeline", write_thetimelineproj),
    DataWriter("CSV", ".csv", write_csv),
    DataWriter(
        "iCalendar",
        ".ics",
        write_ics,
        left_out=lambda timeline: len(ics_skipped(timeline)),
        left_out_reason="iCalendar cannot hold years outside 1–9999",
    ),
)


def writer_for(file_name: str) -> DataWriter | None:
    """The writer whose suffix ends ``file_name``; the longest suffix wins."""
    lowered = file_name.lower()
    matches = [writer for writer in DATA_WRITERS if lowered.endswith(writer.suffix)]
    return max(matches, key=lambda writer: len(writer.suffix), default=None)
