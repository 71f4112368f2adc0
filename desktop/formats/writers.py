"""Every format the program writes data in, by name and file suffix (the GUI and --export)."""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.formats.common import UNTITLED_TIMELINE, palette_color
from desktop.formats.csv_format import csv_pieces
from desktop.formats.ics import ics_pieces, ics_skipped
from desktop.formats.native import native_pieces
from desktop.formats.progress import Progress, no_progress
from desktop.formats.thetimelineproj import thetimelineproj_pieces
from desktop.formats.timelinejs import timelinejs_pieces
from desktop.model.dates import Precision
from desktop.model.store import EventStore
from desktop.model.timeline import Confidence, Event, Provenance, Timeline

# Text is handed to the file this much at a time. Each write lets the interpreter lock go and
# takes it straight back, and a thread waiting for the lock (the window's) only asks for it
# after a whole switch interval without such a hand-over: with the default 8 KiB the writers
# handed it over every 0.6 ms, and the window waited 30-100 ms at a time, often.
WRITE_BUFFER_BYTES = 1 << 20
# Numbers the part files of this process's saves, so that two saves of one file at once (two
# exports to the same name) never write into the same part file.
_part_numbers = itertools.count()


@dataclass(frozen=True)
class DataWriter:
    name: str
    suffix: str  # what a file name must end with to pick this writer on the command line
    # The file's text in pieces, made as they are wanted; reports to Progress as it goes.
    pieces: Callable[[Timeline, Progress], Iterable[str]]
    # The events the format cannot hold (and the writer leaves out), with the reason to give.
    left_out: Callable[[Timeline], int] = lambda _timeline: 0
    left_out_reason: str = ""
    # What of a timeline the format has no place for (names from FACETS), said when a timeline
    # has any of it: from a user test, a CSV export dropped the article's quotes, the sources
    # after the first and the confidence of every event, and said only "Exported 28 events".
    drops: tuple[str, ...] = ()
    # Whether the program reads the format back. Then lane colours and event ids are named only
    # when a reading would not give the same: from a user test, a CSV read and exported again
    # was said to lose the lane colours the CSV reader had given it, and would give again.
    read_back: bool = True

    def save(
        self, timeline: Timeline, path: Path, progress: Progress = no_progress
    ) -> tuple[int, str]:
        """Write ``timeline`` to ``path``; what :meth:`report` says of it.

        The text is written a piece at a time, never held whole (joining a million events' text
        would keep the interpreter lock for seconds), to a file beside ``path`` that replaces it
        only when complete: an error, a full disk or Cancel (at any report to ``progress``, the
        last one just before the file is replaced) leaves whatever was there. A file replaced
        keeps its permissions; a symbolic link is followed, and the file it names replaced.
        """
        path = Path(os.path.realpath(path))
        part = path.with_name(f".{path.name}.{os.getpid()}-{next(_part_numbers)}.part")
        try:
            with part.open(
                "x", encoding="utf-8", newline="", buffering=WRITE_BUFFER_BYTES
            ) as stream:
                stream.writelines(self.pieces(timeline, progress))
            progress(1.0, "Writing")
            with contextlib.suppress(FileNotFoundError):  # new: the part's mode, from the umask
                part.chmod(stat.S_IMODE(path.stat().st_mode))
            part.replace(path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return self.report(timeline)

    def report(self, timeline: Timeline) -> tuple[int, str]:
        """(events written, a note on what was left out and why, or "")."""
        missing = self.left_out(timeline)
        written = len(timeline.events) - missing
        notes = []
        if missing:
            noun = "event" if missing == 1 else "events"
            notes.append(f"{missing} {noun} left out: {self.left_out_reason}")
        dropped = facets_of(timeline, self.drops, read_back=self.read_back)
        if dropped:
            notes.append(f"{self.name} has no place for {', '.join(dropped)}")
        return written, "; ".join(notes)


# What a timeline may hold that not every format can, by the words the user is told: first what
# the timeline has as a whole, then what its events may have (each with whether an event has it),
# then what is checked over all the events at once.
_TIMELINE_FACETS: dict[str, Callable[[Timeline], bool]] = {
    "the timeline's title": lambda timeline: timeline.title not in ("", UNTITLED_TIMELINE),
    "the timeline's summary": lambda timeline: bool(timeline.summary),
    "the source document": lambda timeline: timeline.source is not None,
    "the opening view": lambda timeline: timeline.view is not None,
    "lane colours": lambda timeline: bool(timeline.lanes),
    "lane descriptions": lambda timeline: any(lane.description for lane in timeline.lanes),
    "eras": lambda timeline: bool(timeline.eras),
    "eras' approximate or uncertain dates": lambda timeline: any(
        point.qualifier
        for era in timeline.eras
        for point in (era.span.start, era.span.end)
        if point
    ),
    "event ids": lambda timeline: bool(timeline.events),
}
_EVENT_FACETS: dict[str, Callable[[Event], bool]] = {
    "actors": lambda event: bool(event.actors),
    "places": lambda event: bool(event.place),
    "tags": lambda event: bool(event.tags),
    "quotes from sources": lambda event: any(reference.quote for reference in event.references),
    "sources after the first": lambda event: len(event.references) > 1,
    "sources' titles and publishers": lambda event: any(
        reference.title or reference.publisher for reference in event.references
    ),
    "provenance": lambda event: event.provenance is not Provenance.UNKNOWN,
    "confidence": lambda event: event.confidence is not Confidence.UNKNOWN,
    "display dates": lambda event: bool(event.display_date),
}
_ALL_EVENTS_FACETS = ("time zones", "month and year precision (written as the days they cover)")
FACETS = (*_TIMELINE_FACETS, *_EVENT_FACETS, *_ALL_EVENTS_FACETS)


def _lanes_by_first_use(timeline: Timeline) -> list[str]:
    """The ids of the lanes the events are in, "" for none, in the order of each one's first
    event: the order in which the readers that make lanes from names (LaneRegistry) make them."""
    events = timeline.events
    if isinstance(events, EventStore):  # a million events' lanes: a column of slots, read in C
        return [events.lane_ids[slot] for slot in dict.fromkeys(events.lane_slots)]
    return list(dict.fromkeys(event.lane for event in events))


def _colours_come_back(timeline: Timeline) -> bool:
    """Whether a reading of a file without lane colours gives each lane its colour again: those
    readers colour lanes from the palette in the order the lanes are first used."""
    colour = {lane.id: lane.color.upper() for lane in timeline.lanes}
    used = [lane_id for lane_id in _lanes_by_first_use(timeline) if lane_id]
    return all(colour[lane_id] == palette_color(n) for n, lane_id in enumerate(used))


def _ids_come_back(timeline: Timeline) -> bool:
    """Whether a reading of a file without ids gives each event its id again: The Timeline
    Project's reader names events by their place in the file ("event-1"…), which is their place
    in the timeline when written."""
    events = timeline.events
    ids = events.ids if isinstance(events, EventStore) else (event.id for event in events)
    return all(event_id == f"event-{n}" for n, event_id in enumerate(ids, start=1))


# What a reading of the file gives again, though the format has no place for it.
_READ_AGAIN: dict[str, Callable[[Timeline], bool]] = {
    "lane colours": _colours_come_back,
    "event ids": _ids_come_back,
}


def facets_of(timeline: Timeline, wanted: Sequence[str], *, read_back: bool = False) -> list[str]:
    """Those of ``wanted`` (names from FACETS) that the timeline has, in FACETS' order; with
    ``read_back``, less what a reading of the file would give again (see _READ_AGAIN).

    A big timeline keeps the fields most events leave empty apart (see EventStore), so only
    the events that have any are read.
    """
    found = {
        name
        for name, has in _TIMELINE_FACETS.items()
        if name in wanted
        and has(timeline)
        and not (read_back and name in _READ_AGAIN and _READ_AGAIN[name](timeline))
    }
    events = timeline.events
    store = events if isinstance(events, EventStore) else None
    points = (
        [point for event in events for point in (event.start, event.end) if point]
        if (store is None and any(name in wanted for name in _ALL_EVENTS_FACETS))
        else []
    )
    zones, coarse = _ALL_EVENTS_FACETS
    if zones in wanted and (
        store.has_zones() if store is not None else any(point.zone for point in points)
    ):
        found.add(zones)
    day = Precision.DAY
    if coarse in wanted and (
        store.has_coarse_dates()
        if store is not None
        else any(point.precision < day for point in points)
    ):
        found.add(coarse)
    checks = {name: _EVENT_FACETS[name] for name in wanted if name in _EVENT_FACETS}
    if checks:
        read = store.events_with_extras() if store is not None else events
        for event in read:
            for name, has in list(checks.items()):
                if has(event):
                    found.add(name)
                    del checks[name]
            if not checks:
                break
    return [name for name in FACETS if name in found]


# What each format has no place for (names from FACETS). Only the program's own keeps it all.
_NOT_IN_TIMELINEJS = (
    "the source document", "the opening view", "lane colours", "lane descriptions", "actors",
    "places", "tags", "quotes from sources", "sources after the first", "provenance",
    "confidence", "time zones",
)  # fmt: skip
_NOT_IN_THETIMELINEPROJ = (
    "the timeline's title", "the timeline's summary", "the source document", "lane descriptions",
    "eras' approximate or uncertain dates", "event ids", "actors", "places", "tags",
    "quotes from sources", "sources' titles and publishers", "provenance", "confidence",
    "display dates", "time zones", "month and year precision (written as the days they cover)",
)  # fmt: skip
_NOT_IN_CSV = (
    "the timeline's title", "the timeline's summary", "the source document", "the opening view",
    "lane colours", "lane descriptions", "eras", "actors", "tags", "quotes from sources",
    "sources after the first", "sources' titles and publishers", "provenance", "confidence",
)  # fmt: skip
_NOT_IN_ICALENDAR = (
    "the timeline's summary", "the source document", "the opening view", "lane colours",
    "lane descriptions", "eras", "actors", "provenance", "confidence",
)  # fmt: skip
DATA_WRITERS: tuple[DataWriter, ...] = (
    DataWriter("Timeline Viewer JSON", ".json", native_pieces),
    # TimelineJS is JSON too: the longer suffix tells the two apart on the command line.
    DataWriter("TimelineJS JSON", ".timelinejs.json", timelinejs_pieces, drops=_NOT_IN_TIMELINEJS),
    DataWriter(
        "The Timeline Project", ".timeline", thetimelineproj_pieces, drops=_NOT_IN_THETIMELINEPROJ
    ),
    DataWriter("CSV", ".csv", csv_pieces, drops=_NOT_IN_CSV),
    DataWriter(
        "iCalendar",
        ".ics",
        ics_pieces,
        left_out=lambda timeline: len(ics_skipped(timeline)),
        left_out_reason="iCalendar cannot hold years outside 1–9999",
        drops=_NOT_IN_ICALENDAR,
        read_back=False,  # calendars read it
    ),
)


def writer_for(file_name: str) -> DataWriter | None:
    """The writer whose suffix ends ``file_name``; the longest suffix wins."""
    lowered = file_name.lower()
    matches = [writer for writer in DATA_WRITERS if lowered.endswith(writer.suffix)]
    return max(matches, key=lambda writer: len(writer.suffix), default=None)
