"""Every format the program writes data in, by name and file suffix (the GUI and --export)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.formats.csv_format import write_csv
from desktop.formats.ics import write_ics
from desktop.formats.native import write_native
from desktop.formats.thetimelineproj import write_thetimelineproj
from desktop.formats.timelinejs import write_timelinejs
from desktop.model.timeline import Timeline


@dataclass(frozen=True)
class DataWriter:
    name: str
    suffix: str  # what a file name must end with to pick this writer on the command line
    write: Callable[[Timeline], str]


DATA_WRITERS: tuple[DataWriter, ...] = (
    DataWriter("Timeline Viewer JSON", ".json", write_native),
    # TimelineJS is JSON too: the longer suffix tells the two apart on the command line.
    DataWriter("TimelineJS JSON", ".timelinejs.json", write_timelinejs),
    DataWriter("The Timeline Project", ".timeline", write_thetimelineproj),
    DataWriter("CSV", ".csv", write_csv),
    DataWriter("iCalendar", ".ics", write_ics),
)


def writer_for(file_name: str) -> DataWriter | None:
    """The writer whose suffix ends ``file_name``; the longest suffix wins."""
    lowered = file_name.lower()
    matches = [writer for writer in DATA_WRITERS if lowered.endswith(writer.suffix)]
    return max(matches, key=lambda writer: len(writer.suffix), default=None)
