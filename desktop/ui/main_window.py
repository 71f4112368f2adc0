"""The main window: the canvas, the Details and Events docks, menus, toolbar and status bar.

It wires widgets together and keeps user state in QSettings; it holds no date arithmetic or
layout of its own.

The window is built in two steps so that the timeline is on screen as early as possible. The
constructor builds everything that gives the window its shape: the canvas, the two docks as
empty frames (so that :meth:`MainWindow.restore_state` can place them and the canvas has its final
size in its first frame), the menus and toolbar with every action and shortcut, and the status
bar. What only fills space that is already laid out—the Details panel and the Events list, with
the modules and Qt classes behind them—is built by :meth:`MainWindow.finish_building` right after
the canvas's first paint, or at once by anything that asks for it earlier (the ``details`` and
``events_panel`` properties). :attr:`MainWindow.built` says when that has happened.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QWidget,
)

from desktop import version
from desktop.bundled import resource
from desktop.formats.errors import FormatError, excerpt, source_lines
from desktop.formats.loader import BUNDLED_NAME, load_bundled, load_path
from desktop.layout.scale import TimeScale
from desktop.model.calendar import (
    MONTH_ABBREVIATIONS,
    SECONDS_PER_MEAN_YEAR,
    from_seconds,
    year_label,
)
from desktop.model.dates import DateError, DateSpan
from desktop.model.timeline import Event, Timeline
from desktop.ui import messages
from desktop.ui.timeline_view import KEY_ZOOM_FACTOR, TimelineView

# The panels, the background loader and the dialogs are imported where they are first used: none
# of them is needed for the first frame, and importing them (and initialising the Qt classes they
# use) is a good part of what start-up would otherwise spend before the timeline is on screen.
if TYPE_CHECKING:
    from PySide6.QtCore import QFileSystemWatcher
    from PySide6.QtWidgets import QFileDialog

    from desktop.formats.progress import Progress
    from desktop.formats.writers import DataWriter
    from desktop.ui.background import BackgroundTask, TaskStatus
    from desktop.ui.details_panel import DetailsPanel
    from desktop.ui.event_table import EventListPanel

log = logging.getLogger("timeline.window")

APP_NAME = "Timeline Viewer"
MAX_RECENT = 10
# The docks' column at first start (afterwards it is as the user left it): a share of the
# window, from 47 to 62 average characters of its font wide (282–372 px in a 9-pt font).
# Counted in characters, as a user test found a 380 px column cramped with large text.
DOCK_SHARE = 0.28
DOCK_MIN_CHARS = 47
DOCK_MAX_CHARS = 62
# Made narrower, the window keeps at least the rest for the timeline: Qt shrinks the central
# widget alone, and a user test found a 380 px column taking half of a window made narrow.
# Made wider again, it gives the docks back the width they had (a later user test found them
# left narrow for good, even after a restart).
DOCK_MOST_SHARE = 0.4
# A dock is never narrower than this many average characters (180 px in a 9-pt font): a user
# test dragged the docks down to 90 px, where the Details broke words in the middle ("invas/ion")
# and the Events list showed "24 …" and "R…".
DOCK_LEAST_CHARS = 30
# Files at least this big are read in a worker thread, with progress and Cancel.
BACKGROUND_LOAD_BYTES = 4 * 2**20
# Timelines with at least this many events are exported as data in a worker thread, with
# progress and Cancel (10,000 events take a writer 0.2–0.4 s).
BACKGROUND_EXPORT_EVENTS = 10_000
# The format is found from the content; the filters only help people find their files.
OPEN_FILTERS = ";;".join(
    (
        "Timelines (*.json *.timeline *.csv *.tsv *.txt)",
        "Timeline Viewer or TimelineJS JSON (*.json)",
        "The Timeline Project (*.timeline)",
        "CSV with a header row (*.csv *.tsv *.txt)",
        "All files (*)",
    )
)
# Qt's own file dialog (where the desktop offers none) opens at 632×408, its size and date
# columns cut short ("663....tes", "28 11 2...6"): first it opens this many average characters
# wide and lines tall (900×588 in a 9-pt font), afterwards as the user left it.
FILE_DIALOG_CHARS, FILE_DIALOG_LINES = 150, 42
# What its Size, Type and Date Modified columns must hold.
FILE_DIALOG_SAMPLES = ("1,023.9 KiB", "plain text document", "28/11/2026 04:38")


def _typed_key(shortcut: str) -> bool:
    """Whether a shortcut is typed on any keyboard ("Ctrl+O", "F5"), not one of the special
    keys some have ("Open", "Zoom In") that Qt's standard bindings include."""
    return "+" in shortcut or (shortcut[:1] == "F" and shortcut[1:].isdigit())


# The canvas's own keys and mouse gestures; the menu commands' shortcuts are listed from the
# actions themselves (see shortcuts_help), so the two cannot drift apart.
CANVAS_HELP = (
    ("<b>Wheel</b>, pinch", "Zoom around the pointer (around an event, over one)"),
    ("<b>Shift+wheel</b>, horizontal wheel, drag", "Pan"),
    ("<b>Shift+drag</b>", "Zoom to the dragged range"),
    ("<b>Click</b> an event", "Show its details"),
    ("<b>Double-click</b> an event", "Zoom to it"),
    ('<b>Click</b> a "+N" badge', "Zoom in to spread its events, or list them when it cannot"),
    ("<b>←</b> <b>→</b>", "Pan"),
    ("<b>+</b> / <b>−</b>", "Zoom in / out around the selected event, or the centre"),
    ("<b>Tab</b>, <b>↓</b> / <b>Shift+Tab</b>, <b>↑</b>", "Next / previous event"),
    ("<b>Home</b> / <b>End</b>", "First / last event"),
    ("<b>Enter</b>", "Zoom to the selected event"),
    ("<b>Esc</b>", "Clear the selection"),
    ("<b>Page Up</b> / <b>Page Down</b>, drag", "Scroll lanes taller than the window"),
)


class ExportTarget(NamedTuple):
    """One choice in File → Export…: an image kind, or a data format."""

    name: str
    suffix: str
    writer: DataWriter | None = None  # None: an image

    @property
    def is_image(self) -> bool:
        return self.writer is None


@functools.cache
def export_targets() -> tuple[ExportTarget, ...]:
    """The choices of File → Export…; the data writers are imported the first time."""
    from desktop.formats.writers import DATA_WRITERS

    return (
        ExportTarget("PNG image", ".png"),
        ExportTarget("SVG image", ".svg"),
        ExportTarget("PDF document", ".pdf"),
        *(ExportTarget(writer.name, writer.suffix, writer) for writer in DATA_WRITERS),
    )


def scale_text(seconds_per_pixel: float) -> str:
    """ "1 day ≈ 42 px": the calendar unit that spans a readable number of pixels."""
    units = (
        ("minute", 60.0),
        ("hour", 3600.0),
        ("day", 86_400.0),
        ("month", 2_629_746.0),
        ("year", 31_556_952.0),
        ("century", 3_155_695_200.0),
        ("millennium", 31_556_952_000.0),
        ("million years", 31_556_952e6),
        ("billion years", 31_556_952e9),
    )
    for name, seconds in units:
        pixels = seconds / seconds_per_pixel
        if pixels >= 8:
            return (
                f"1 {name} ≈ {pixels:,.0f} px"
                if pixels < 100_000
                else f"1 {name} ≈ {pixels:.2g} px"
            )
    name, seconds = units[-1]
    return f"1 {name} ≈ {seconds / seconds_per_pixel:.2g} px"


def moment_text(seconds: float, seconds_per_pixel: float, *, mark_ad: bool = False) -> str:
    """A point on the axis written as finely as the zoom makes meaningful; with ``mark_ad``, a
    year after Christ is marked AD (the end of a range that starts BC, as in "44 BC – AD 14":
    from a user test, "14.21 billion BC – 1.72 billion" read as if both were BC)."""
    year, month, day, hour, minute, second = from_seconds(seconds)
    ad = "AD " if mark_ad and year >= 1 else ""
    exact = ad + year_label(year, 1)  # a day in 2,500,000 BC, not in "2.5 million BC"
    date = f"{day} {MONTH_ABBREVIATIONS[month - 1]} {exact}"
    if seconds_per_pixel < 1:  # a view of minutes: its ends are seconds apart from the minute
        return f"{date} {hour:02d}:{minute:02d}:{int(second):02d}"
    if seconds_per_pixel < 3600:
        return f"{date} {hour:02d}:{minute:02d}"
    if seconds_per_pixel < 86_400 * 20:
        return date
    if seconds_per_pixel < 86_400 * 365:
        return f"{MONTH_ABBREVIATIONS[month - 1]} {exact}"
    return ad + year_label(year, seconds_per_pixel / SECONDS_PER_MEAN_YEAR)


class _DockWidths(QObject):
    """The width each dock had before the window's latest resize. By the time the window's
    resizeEvent comes, Qt's layout may have narrowed a dock already: made 640 px wide, the
    window first takes the timeline down to its 320 px minimum, then the docks."""

    def __init__(self, window: QMainWindow, docks: Sequence[QDockWidget]) -> None:
        super().__init__(window)
        self._window = window
        self.window_width = 0  # the window's width when it last finished a resize
        self.before: dict[QObject, int] = {}
        for dock in docks:
            dock.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A dock resized while the window keeps its width: by the user, or by resizeDocks().
        if event.type() == QEvent.Type.Resize and self._window.width() == self.window_width:
            self.before[watched] = event.size().width()  # type: ignore[attr-defined]
        return False


class _FirstPaintWatch(QObject):
    """Calls ``then`` on the next turn of the event loop after ``widget`` has painted on screen
    once (an offscreen grab() of a hidden widget does not count).

    An event filter sees the paint event before the widget handles it; the zero timer fires after
    the whole frame (the canvas and the rest of the window) has been painted and flushed.
    """

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._widget.isVisible():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
            self.deleteLater()
        return False


def _fit_file_dialog_columns(dialog: QFileDialog) -> None:
    """Give the columns of Qt's own file dialog the room their texts need and the name the
    rest. A desktop's own dialog has no such view."""
    from PySide6.QtWidgets import QTreeView

    view = dialog.findChild(QTreeView, "treeView")
    if view is None:
        return
    metrics = view.fontMetrics()
    padding = 3 * metrics.averageCharWidth()
    header = view.header()
    widths = [metrics.horizontalAdvance(sample) + padding for sample in FILE_DIALOG_SAMPLES]
    for column, width in enumerate(widths, start=1):
        header.resizeSection(column, width)
    # Less the side bar (Qt's own makes it about 100 px), the margins and the scroll bar.
    name_width = dialog.width() - sum(widths) - 22 * metrics.averageCharWidth()
    header.resizeSection(0, max(header.sectionSize(0), name_width))


def _same_event(timeline: Timeline, old: Event) -> int | None:
    """Where ``old`` is in a new reading of its file: the event with its id, if that one kept
    its title or its dates (an edit changes one of them); else the first with its title and
    dates, since a file without ids numbers its events and a row inserted above renumbers
    them; else the one with its id, changed as it may be."""
    try:
        by_id: int | None = timeline.index.position(old.id)
    except KeyError:
        by_id = None
    if by_id is not None:
        event = timeline.events[by_id]
        if event.title == old.title or event.when == old.when:
            return by_id
    starts, start = timeline.index.starts, old.when.start_seconds()
    for position in range(bisect_left(starts, start), bisect_right(starts, start)):
        event = timeline.events[position]
        if event.title == old.title and event.when == old.when:
            return position
    return by_id


GO_TO_DATE_PROMPT = "Date (e.g. 12 Dec 2024, December 2024, 2024-12-12, 44 BC):"
GO_TO_DATE_LINE = len(GO_TO_DATE_PROMPT)  # characters: why a date was not read, as wide
# Go to Date shows a date's period among this many times its length: a day in a month.
GO_TO_CONTEXT = 30


def _report_export(path: Path, total: int, written: int, note: str, *, image: bool) -> None:
    """Say what an export wrote (and left out, and why)."""
    if image:  # an image holds the events of its range
        done = f"Exported {written:,} of {total:,} event{'s' if total != 1 else ''} to “{path}”."
    else:
        done = f"Exported {written:,} event{'s' if written != 1 else ''} to “{path}”."
    if note:  # what the format had no place for: to be read, not to pass by in the status bar
        messages.notice(f"{done}\n\n{note}.")
    else:
        messages.info(done)


def _report_export_error(path: Path, error: OSError) -> None:
    if path.parent.is_dir():
        reason = f"Could not export to “{path.name}” in “{path.parent}”: {error.strerror or error}."
    else:
        reason = f"Could not export to “{path.name}”: there is no folder “{path.parent}”."
    messages.error(reason)


def _problems_text(
    file_name: str, error: FormatError, source: Sequence[str] = (), shown: int = 20
) -> tuple[str, str]:
    """A file's problems for a message: the first in words (with how many more), for a sentence
    naming the file, and the first ``shown`` of them for its details, each
    ``FILE:LINE:COLUMN: message`` and, where ``source`` (the file's lines) has its line, the
    text there quoted under it."""
    problems = error.problems
    first = problems[0].in_words()
    if len(problems) > 1:
        first += f" (and {len(problems) - 1:,} more)"
    details = []
    for problem in problems[:shown]:
        details.append(problem.render(file_name))
        if problem.line is not None and 0 < problem.line <= len(source):
            details.append(f"    {excerpt(source[problem.line - 1], problem.column)}")
    more = f"\n… and {len(problems) - shown:,} more" if len(problems) > shown else ""
    return first, "\n".join(details) + more


class MainWindow(QMainWindow):
    # Emitted once, when finish_building() has built the docks' contents.
    built = Signal()
    # Emitted when the last export running in the background has finished.
    exports_finished = Signal()

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.timeline: Timeline | None = None
        self.path: Path | None = None  # None: the bundled timeline
        self.setAcceptDrops(True)

        self.view = TimelineView(self)
        self.setCentralWidget(self.view)
        # Empty frames until finish_building() fills them: restoreState() needs the docks, and the
        # canvas must have its final width in its first frame.
        self._details: DetailsPanel | None = None
        self._events_panel: EventListPanel | None = None
        self.details_dock = self._dock("Details", "details", Qt.DockWidgetArea.RightDockWidgetArea)
        self.events_dock = self._dock("Events", "events", Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.details_dock, self.events_dock, Qt.Orientation.Vertical)
        # Each dock the window narrowed, with the width it had before (see resizeEvent).
        self._squeezed_docks: dict[QDockWidget, int] = {}
        self._dock_widths = _DockWidths(self, (self.details_dock, self.events_dock))
        # Their width is set with the window's size (restore_state).
        # The details of an event need more room than the list does.
        self.resizeDocks([self.details_dock, self.events_dock], [560, 400], Qt.Orientation.Vertical)

        self.range_label = QLabel()
        self.scale_label = QLabel()
        self.count_label = QLabel()
        self._loading: BackgroundTask | None = None
        self._exports: dict[BackgroundTask, str] = {}  # each running export's file
        # The progress and Cancel of each task running in the background, right of the readings:
        # at the window's edge they stay put while the readings change width as the view moves.
        self.task_statuses: dict[BackgroundTask, TaskStatus] = {}
        for label in (self.range_label, self.scale_label, self.count_label):
            label.setFrameShape(QFrame.Shape.StyledPanel)  # separate the three readings
            label.setContentsMargins(6, 0, 6, 0)
            self.statusBar().addPermanentWidget(label)

        self._selection_message: str | None = None  # what the status bar says of the selection
        self._reload_timer = QTimer(self, singleShot=True, interval=300)
        self._reload_timer.timeout.connect(self.reload)

        # Menus, toolbar and shortcuts are built now, not later: they are cheap, the menu bar and
        # toolbar take room the canvas would otherwise have to give up after its first frame,
        # and restoreState() places the toolbar.
        self._create_actions()
        self._create_menus()
        self._create_toolbar()

        self.view.selection_changed.connect(self._selection_from_view)
        self.view.view_changed.connect(self._update_status)
        self.view.lane_revealed.connect(self._lane_revealed)
        messages.attach(self)
        self._first_paint_watch = _FirstPaintWatch(self.view, self._build_after_first_paint)

    @functools.cached_property
    def _watcher(self) -> QFileSystemWatcher:
        """Watches the open file and its folder. Made for the first file opened from disk: the
        bundled timeline is not watched, and the start-up showing it spares the 0.6 ms PySide
        takes to wrap the watcher's class (imported here for that reason)."""
        from PySide6.QtCore import QFileSystemWatcher

        watcher = QFileSystemWatcher(self)
        watcher.fileChanged.connect(self._file_changed)
        watcher.directoryChanged.connect(self._directory_changed)
        return watcher

    def _step_selection(self, step: int) -> None:
        """Go → Previous Event (-1) or Next Event (1); at either end, the status bar says so
        (from a user test: the button did nothing there, without a word)."""
        if not self.view.step_selection(step) and self.view.selected is not None:
            messages.info("No earlier event." if step < 0 else "No later event.")

    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}-dock")  # saveState() needs object names
        dock.setMinimumWidth(DOCK_LEAST_CHARS * self.fontMetrics().averageCharWidth())
        self.addDockWidget(area, dock)
        return dock

    # -- the second step of building ------------------------------------------------------------
    @property
    def is_built(self) -> bool:
        """Whether finish_building() has run: the docks have their contents."""
        return self._details is not None

    def _build_after_first_paint(self) -> None:
        if self.isVisible():
            self.finish_building()
        else:  # closed as soon as it painted (quitting at once): build when it is next shown
            self._first_paint_watch = _FirstPaintWatch(self.view, self._build_after_first_paint)

    def finish_building(self) -> None:
        """Fill the docks: the Details panel and the Events list, showing the current timeline
        and selection. Runs after the canvas's first paint; calling it again does nothing."""
        if self._details is not None:
            return
        from desktop.ui.details_panel import DetailsPanel
        from desktop.ui.event_table import EventListPanel

        details = DetailsPanel(self)
        events_panel = EventListPanel(self)
        self._details, self._events_panel = details, events_panel
        self.details_dock.setWidget(details)
        self.events_dock.setWidget(events_panel)
        events_panel.event_activated.connect(self._selection_from_list)
        events_panel.set_timeline(self.timeline)
        # The list's order as the user left it (from a user test: it came back sorted by date).
        with contextlib.suppress(TypeError, ValueError):
            column, order = (int(part) for part in self.settings.value("events/sort"))  # type: ignore[union-attr]
            if 0 <= column < events_panel.model.columnCount() and order in (0, 1):
                events_panel.table.sortByColumn(column, Qt.SortOrder(order))
        self._show_selection_in_panels(self.view.selected)
        # The icon is an SVG: rendering it loads Qt's SVG plugin, which the first frame can do
        # without. Set on the application, it is also the icon of every dialog.
        QApplication.setWindowIcon(QIcon(str(resource("icons/timeline-viewer.svg"))))
        self.built.emit()

    @property
    def details(self) -> DetailsPanel:
        """The Details panel (built now if the window has not painted yet)."""
        self.finish_building()
        assert self._details is not None
        return self._details

    @property
    def events_panel(self) -> EventListPanel:
        """The Events list (built now if the window has not painted yet)."""
        self.finish_building()
        assert self._events_panel is not None
        return self._events_panel

    # -- actions -----------------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: object,
        shortcuts: QKeySequence.StandardKey | list[QKeySequence] | str | None = None,
        icon: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(QIcon.fromTheme(icon))
        if isinstance(shortcuts, QKeySequence.StandardKey | list):
            action.setShortcuts(shortcuts)
        elif isinstance(shortcuts, str):
            action.setShortcut(QKeySequence(shortcuts))
        if tip:
            action.setStatusTip(tip)
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            name = text.replace("&", "").rstrip("…")
            action.setToolTip(f"{name} ({key})" if key else name)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        view = self.view
        self.open_action = self._action(
            "&Open…",
            self.open_dialog,
            QKeySequence.StandardKey.Open,
            "document-open",
            "Open a timeline file",
        )
        self.open_bundled_action = self._action(
            "Open the &Bundled Timeline",
            self.open_bundled,
            None,
            None,
            "The Tusk–Macron timeline shipped with the app",
        )
        self.reload_action = self._action(
            "&Reload",
            self.reload,
            QKeySequence.StandardKey.Refresh,
            "view-refresh",
            "Read the open file again",
        )
        self.export_action = self._action(
            "&Export…", self.export_dialog, "Ctrl+E", "document-save-as",
            "Save the view or the whole timeline as an image, or the events as data",
        )  # fmt: skip
        self.quit_action = self._action(
            "&Quit",
            self.close,
            QKeySequence.StandardKey.Quit,
            "application-exit",
            "Quit the application",
        )
        self.zoom_in_action = self._action(
            "Zoom &In", lambda: view.zoom(KEY_ZOOM_FACTOR),
            [QKeySequence("Ctrl+="), *QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn)],
            "zoom-in", "Zoom in around the centre",
        )  # fmt: skip
        self.zoom_out_action = self._action(
            "Zoom &Out", lambda: view.zoom(1 / KEY_ZOOM_FACTOR), QKeySequence.StandardKey.ZoomOut,
            "zoom-out", "Zoom out around the centre",
        )  # fmt: skip
        self.fit_action = self._action(
            "&Fit All", view.fit_all, "Ctrl+0", "zoom-fit-best", "Show the whole timeline"
        )
        self.opening_view_action = self._action(
            "&Opening View",
            self.opening_view,
            "Ctrl+Shift+0",
            "zoom-original",
            "Show the range the timeline opens on",
        )
        self.first_action = self._action(
            "&First Event",
            lambda: view.select_edge(last=False),
            "Ctrl+Home",
            "go-first",
            "Select the first event",
        )
        self.previous_action = self._action(
            "&Previous Event",
            lambda: self._step_selection(-1),
            "Ctrl+[",
            "go-previous",
            "Select the previous event",
        )
        self.next_action = self._action(
            "&Next Event",
            lambda: self._step_selection(1),
            "Ctrl+]",
            "go-next",
            "Select the next event",
        )
        self.last_action = self._action(
            "&Last Event",
            lambda: view.select_edge(last=True),
            "Ctrl+End",
            "go-last",
            "Select the last event",
        )
        self.goto_action = self._action(
            "&Go to Date…", self.go_to_date_dialog, "Ctrl+G", "go-jump", "Centre the view on a date"
        )
        self.filter_action = self._action(
            "&Filter Events…",
            self._focus_filter,
            QKeySequence.StandardKey.Find,
            "edit-find",
            "Filter the event list",
        )
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
            "help-contents",
            "Keys and mouse gestures",
        )
        self.about_action = self._action(
            "&About Timeline Viewer", self.show_about, None, "help-about", "Version and licence"
        )

    def _create_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.open_bundled_action)
        file_menu.addAction(self.reload_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = menu_bar.addMenu("&View")
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
            self.opening_view_action,
        ):
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.lanes_menu = view_menu.addMenu("&Lanes")
        self.lanes_menu.aboutToShow.connect(self._fill_lanes_menu)
        view_menu.addSeparator()
        view_menu.addAction(self.details_dock.toggleViewAction())
        view_menu.addAction(self.events_dock.toggleViewAction())
        self.toolbar_toggle_menu = view_menu

        go_menu = menu_bar.addMenu("&Go")
        for action in (self.first_action, self.previous_action, self.next_action, self.last_action):
            go_menu.addAction(action)
        go_menu.addSeparator()
        go_menu.addAction(self.goto_action)
        go_menu.addAction(self.filter_action)

        help_menu = menu_bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _create_toolbar(self) -> None:
        toolbar = self.addToolBar("Main toolbar")
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonFollowStyle)
        for action in (
            self.open_action, None, self.zoom_in_action, self.zoom_out_action, self.fit_action,
            None, self.previous_action, self.next_action, self.goto_action,
        ):  # fmt: skip
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        self.toolbar_toggle_menu.addAction(toolbar.toggleViewAction())

    # -- opening -----------------------------------------------------------------------------------
    def open_bundled(self) -> bool:
        return self._show(load_bundled(), None)

    def open_path(self, path: Path, view_range: tuple[float, float] | None = None) -> bool:
        """Open a file; on failure say why and keep what was shown before.

        A big file is read in a worker thread, with progress and Cancel in the status bar,
        and replaces the current timeline when it is ready; the return value then says that
        the reading has started.
        """
        try:
            size = path.stat().st_size
        except OSError as error:
            messages.error(f"“{path.name}” could not be read: {error.strerror or error}.")
            return False
        if size >= BACKGROUND_LOAD_BYTES and path.is_file():
            self._load_in_background(path, view_range)
            return True
        try:
            timeline = load_path(path)
        except (FormatError, OSError) as error:
            self._report_load_error(path, error)
            return False
        shown = self._show(timeline, path.resolve(), view_range)
        messages.info(f"Opened “{path.name}”: {len(timeline.events):,} events.")
        return shown

    def _report_load_error(self, path: Path, error: Exception) -> None:
        if isinstance(error, FormatError):
            first, detail = _problems_text(path.name, error, source_lines(path))
            messages.error(f"“{path.name}” could not be opened: {first}", detail=detail)
        else:
            reason = getattr(error, "strerror", None) or error
            messages.error(f"“{path.name}” could not be read: {reason}.")

    def _load_in_background(
        self,
        path: Path,
        view_range: tuple[float, float] | None,
        keep_selection: Event | None = None,
    ) -> None:
        from desktop.ui.background import load_ready

        if self._loading is not None:
            self._loading.wait()  # one file at a time: the newer choice wins
        load = self._start_task(
            functools.partial(load_ready, path),
            (FormatError, OSError),
            path.name,
            "Opening",
            "Stop opening the file",
        )
        self._loading = load

        def loaded(timeline: Timeline) -> None:
            self._show(timeline, path.resolve(), view_range, keep_selection=keep_selection)
            messages.info(f"Opened “{path.name}”: {len(timeline.events):,} events.")

        def failed(error: Exception) -> None:
            self._report_load_error(path, error)
            if self.timeline is None:
                self.open_bundled()

        def cancelled() -> None:
            messages.info(f"Opening “{path.name}” was cancelled.")
            if self.timeline is None:
                self.open_bundled()

        def finished() -> None:
            if self._loading is load:
                self._loading = None

        load.done.connect(loaded)
        load.failed.connect(failed)
        load.cancelled.connect(cancelled)
        load.finished.connect(finished)
        load.start()

    def _start_task(
        self,
        work: Callable[[Progress], object],
        expected: tuple[type[Exception], ...],
        file_name: str,
        first_stage: str,
        cancel_tip: str,
    ) -> BackgroundTask:
        """A task for ``work`` in a worker thread, its progress and Cancel in the status bar
        until it finishes; the caller connects its outcomes and starts it."""
        from desktop.ui.background import BackgroundTask, TaskStatus

        task = BackgroundTask(work, expected, self)
        status = TaskStatus(task, file_name, first_stage, cancel_tip)
        self.task_statuses[task] = status
        self.statusBar().addPermanentWidget(status)
        # A message left from before ("Opened …", "Exported …") would sit beside the progress of
        # something else; the progress says what is happening now.
        self.statusBar().clearMessage()

        def finished() -> None:
            del self.task_statuses[task]
            self.statusBar().removeWidget(status)
            status.deleteLater()
            task.deleteLater()

        task.finished.connect(finished)
        return task

    def _show(
        self,
        timeline: Timeline,
        path: Path | None,
        view_range: tuple[float, float] | None = None,
        keep_selection: Event | None = None,
    ) -> bool:
        if self.path is not None and self.path != path:
            self._watcher.removePath(str(self.path))
            self._watcher.removePath(str(self.path.parent))
        same_file = path is not None and path == self.path
        self.statusBar().clearMessage()  # what it said of the timeline shown before
        self.timeline = timeline
        self.path = path
        self.view.set_timeline(timeline, view_range, keep_hidden_lanes=same_file)
        if self._events_panel is not None and self._details is not None:
            self._events_panel.set_timeline(timeline, keep_filter=same_file)
            self._details.show_event(timeline, None)
        if keep_selection is not None:
            position = _same_event(timeline, keep_selection)
            if position is not None:  # else the event is gone from the new version
                self.view.select(position, reveal=False)
        self._update_title()
        self.setWindowFilePath(str(path) if path is not None else "")
        if path is not None:
            self._watcher.addPath(str(path))
            self._watcher.addPath(str(path.parent))  # see _directory_changed
            self._remember_recent(path)
        self._update_status()
        return True

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = str(self.path.parent) if self.path is not None else str(Path.home())
        dialog = QFileDialog(self, "Open Timeline", start, OPEN_FILTERS)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if self._exec_file_dialog(dialog):
            self.open_path(Path(dialog.selectedFiles()[0]))

    def _exec_file_dialog(self, dialog: QFileDialog) -> bool:
        """Run ``dialog`` at the size and with the layout (view, columns) the user last left a
        file dialog; whether a file was chosen. A desktop's own dialog keeps its own size."""
        size = self.settings.value("dialogs/file-size")
        if isinstance(size, QSize) and size.isValid():
            dialog.resize(size)
        else:
            screen = self.screen().availableGeometry()
            metrics = dialog.fontMetrics()
            dialog.resize(
                min(FILE_DIALOG_CHARS * metrics.averageCharWidth(), round(0.9 * screen.width())),
                min(FILE_DIALOG_LINES * metrics.height(), round(0.9 * screen.height())),
            )
        state = self.settings.value("dialogs/file-state")
        if isinstance(state, QByteArray):
            dialog.restoreState(state)
        else:
            _fit_file_dialog_columns(dialog)
        chosen = dialog.exec() == dialog.DialogCode.Accepted and bool(dialog.selectedFiles())
        self.settings.setValue("dialogs/file-size", dialog.size())
        self.settings.setValue("dialogs/file-state", dialog.saveState())
        return chosen

    def reload(self) -> None:
        """Read the open file again, keeping the view and the selection."""
        if self.path is None or self.view.scale is None:
            return
        scale = self.view.scale
        selected = self.view.selected
        selected_event = (
            self.timeline.events[selected]
            if self.timeline is not None and selected is not None
            else None
        )
        view_range = (scale.t0, scale.t1)
        with contextlib.suppress(OSError):  # a vanished file is reported by load_path below
            if self.path.stat().st_size >= BACKGROUND_LOAD_BYTES:
                self._load_in_background(self.path, view_range, keep_selection=selected_event)
                return
        try:
            timeline = load_path(self.path)
        except FormatError as error:
            first, detail = _problems_text(self.path.name, error)
            messages.warning(
                f"“{self.path.name}” changed on disk but could not be read again: {first}",
                detail=detail,
            )
            return
        except OSError as error:
            reason = error.strerror or error
            messages.warning(
                f"“{self.path.name}” changed on disk but could not be read again: {reason}."
            )
            return
        self._show(timeline, self.path, view_range, keep_selection=selected_event)
        messages.info(f"Reloaded “{self.path.name}”.")

    def _file_changed(self, name: str) -> None:
        # Editors often replace the file (delete + create), which drops the watch: re-add it.
        if self.path is not None and Path(name) == self.path and self.path.exists():
            if str(self.path) not in self._watcher.files():
                self._watcher.addPath(str(self.path))
            self._reload_timer.start()

    def _directory_changed(self, _name: str) -> None:
        # A file deleted and then written anew (not replaced in one step) has lost its watch by
        # the time it is back; the folder's watch sees it return.
        if (
            self.path is not None
            and str(self.path) not in self._watcher.files()
            and self.path.is_file()
        ):
            self._watcher.addPath(str(self.path))
            self._reload_timer.start()

    def export_dialog(self) -> None:
        """File → Export…: an image of the view or the whole timeline, or the data."""
        from PySide6.QtWidgets import QFileDialog

        if self.timeline is None:
            return
        targets = export_targets()
        filters = {f"{writer.name} (*{writer.suffix})": writer for writer in targets}
        # The last export's folder and format, if that folder is still there; else the open
        # file's folder (home for the bundled timeline) and the first format.
        folder = Path(str(self.settings.value("export/folder", "")))
        if not (folder.is_absolute() and folder.is_dir()):
            folder = self.path.parent if self.path is not None else Path.home()
        last = str(self.settings.value("export/format", ""))
        last_target = next((target for target in targets if target.name == last), targets[0])
        stem = self.path.stem if self.path is not None else "tusk-macron-warsaw"
        dialog = QFileDialog(
            self, "Export Timeline", str(folder / f"{stem}{last_target.suffix}"), ";;".join(filters)
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)  # asks before replacing a file
        dialog.selectNameFilter(next(text for text, t in filters.items() if t is last_target))
        if not self._exec_file_dialog(dialog):
            return
        name, chosen = dialog.selectedFiles()[0], dialog.selectedNameFilter()
        # A suffix typed in the name says which format more surely than the filter, which the
        # user may not have touched ("out.ics" under the PNG filter is iCalendar); the longest
        # that matches, so ".timelinejs.json" is not taken for ".json".
        typed = max(
            (writer for writer in targets if name.lower().endswith(writer.suffix)),
            key=lambda writer: len(writer.suffix),
            default=None,
        )
        target = typed or filters.get(chosen) or targets[0]
        path = Path(name)
        if not path.name.lower().endswith(target.suffix):
            path = path.with_name(path.name + target.suffix)
        self.settings.setValue("export/folder", str(path.parent))
        self.settings.setValue("export/format", target.name)
        time_range = None
        whole = False
        if target.is_image:
            scale = self.view.scale
            answer = messages.ask(
                self,
                "Export Image",
                "Export the range on screen now, or the whole timeline?",
                ("Current View", "Whole Timeline"),
                default="Current View",
            )
            if answer is None:
                return
            if answer == "Current View" and scale is not None:
                time_range = (scale.t0, scale.t1)
            else:
                whole = True
        self.export_to(path, target, time_range, whole=whole)

    def export_to(
        self,
        path: Path,
        target: ExportTarget,
        time_range: tuple[float, float] | None = None,
        *,
        whole: bool = False,
    ) -> bool:
        """Write the open timeline to ``path``; errors are reported, never raised."""
        from desktop.ui import export  # the writers load when first needed

        if self.timeline is None:
            return False
        timeline, writer = self.timeline, target.writer
        total = len(timeline.events)
        file = os.path.realpath(path)
        if file in self._exports.values():
            messages.warning(
                f"“{path.name}” is being exported already: let that export finish, or cancel it "
                "first."
            )
            return False
        if writer is not None and total >= BACKGROUND_EXPORT_EVENTS:
            # The timeline is never changed once made, so the worker may read it while the
            # window goes on (and even opens another file).
            task = self._start_task(
                functools.partial(writer.save, timeline, path),
                (OSError,),
                path.name,
                "Exporting",
                "Stop exporting; the file is left as it was",
            )
            self._exports[task] = file
            task.done.connect(lambda report: _report_export(path, total, *report, image=False))
            task.failed.connect(lambda error: _report_export_error(path, error))
            task.cancelled.connect(
                lambda: messages.info(f"Exporting to “{path.name}” was cancelled.")
            )
            task.finished.connect(lambda: self._export_finished(task))
            task.start()
            return True
        try:
            if writer is None:
                # The canvas's size; taller, with every lane, if they scroll in it.
                size = (max(320, self.view.width()), max(240, self.view.height()))
                written, _ = export.export_image(timeline, path, size, time_range, whole=whole)
                note = ""
            else:
                written, note = writer.save(timeline, path)
        except OSError as error:
            _report_export_error(path, error)
            return False
        _report_export(path, total, written, note, image=writer is None)
        return True

    def opening_view(self) -> None:
        if self.timeline is not None:
            initial = self.timeline.initial_range()
            if initial is not None:
                self.view.set_range(*initial)

    # -- recent files, lanes --------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(item) for item in value or []]

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [item for item in self.recent_files() if item != str(path)]
        self.settings.setValue("recentFiles", recent[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        names = [Path(name).name for name in recent]
        for number, name in enumerate(recent, start=1):
            shown = Path(name).name
            if names.count(shown) > 1:  # two "data.csv": which folder each is in
                shown += f" ({Path(name).parent})"
            action = self.recent_menu.addAction(f"&{number % 10} {shown}")
            action.setStatusTip(name)  # the whole path, in the status bar while pointed at
            action.triggered.connect(lambda _checked=False, name=name: self._open_recent(name))
        if not recent:
            self.recent_menu.addAction("No recent files").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(
                "Clear Recent Files", lambda: self.settings.setValue("recentFiles", [])
            )

    def _lane_revealed(self, lane_id: str) -> None:
        # From a user test: choosing an event of a hidden lane showed the lane without a word.
        lane = self.timeline.lane(lane_id) if self.timeline is not None else None
        if lane is not None:
            messages.info(f"Showing the lane “{lane.name}” again, for the event chosen in it.")

    def _forget_recent(self, name: str) -> None:
        self.settings.setValue(
            "recentFiles", [item for item in self.recent_files() if item != name]
        )

    def _open_recent(self, name: str) -> None:
        path = Path(name)
        if not self.open_path(path) and not path.exists():
            # From a user test: a file deleted since stayed in the menu, failing each time.
            self._forget_recent(name)

    def _fill_lanes_menu(self) -> None:
        self.lanes_menu.clear()
        if self.timeline is None:
            return
        hidden = self.view.hidden_lanes
        for lane in self.timeline.lanes:
            action = self.lanes_menu.addAction(lane.name)
            action.setCheckable(True)
            action.setChecked(lane.id not in hidden)
            action.toggled.connect(
                lambda shown, lane_id=lane.id: self.view.set_lane_shown(lane_id, shown)
            )
        self.lanes_menu.addSeparator()
        self.lanes_menu.addAction("Show All Lanes", self.view.show_all_lanes)

    # -- selection sync ----------------------------------------------------------------------------
    def _update_title(self) -> None:
        """ "[selected event — ]file — Timeline Viewer": the selection is named where window
        lists, screen readers and scripts can see it."""
        name = self.path.name if self.path is not None else "Tusk and Macron in Warsaw (bundled)"
        parts = [name, APP_NAME]
        selected = self.view.selected
        if self.timeline is not None and selected is not None:
            parts.insert(0, self.timeline.events[selected].title)
        self.setWindowTitle(" — ".join(parts))

    def _selection_from_view(self, position: int | None) -> None:
        timeline = self.timeline
        event = timeline.events[position] if timeline is not None and position is not None else None
        self._update_title()
        self._show_selection_in_panels(position)
        status = self.statusBar()
        if event is not None:
            status.showMessage(f"{event.title} — {event.date_text()}", 5000)
        elif status.currentMessage() == self._selection_message:
            # From a user test: Esc emptied the Details, but the status bar still named the event.
            status.clearMessage()  # (another message, a warning say, stays)
        self._selection_message = status.currentMessage() if event is not None else None

    def _show_selection_in_panels(self, position: int | None) -> None:
        if self._details is None or self._events_panel is None:
            return  # finish_building() shows the selection when it builds them
        timeline = self.timeline
        event = timeline.events[position] if timeline is not None and position is not None else None
        self._details.show_event(timeline, event)
        self._events_panel.select_position(position)

    def _selection_from_list(self, position: int) -> None:
        self.view.select(position)

    def _focus_filter(self) -> None:
        self.events_dock.show()
        self.events_dock.raise_()
        self.events_panel.focus_filter()

    # -- status ------------------------------------------------------------------------------------
    def _update_status(self, _scale: TimeScale | None = None) -> None:
        if not self.isVisible():
            # Counting the events in view lays the canvas out, and before the window is shown
            # the canvas does not have its size yet: showEvent() counts them once it has.
            return
        scale = self.view.scale
        scene = self.view.scene()
        if scale is None or scene is None:
            for label in (self.range_label, self.scale_label, self.count_label):
                label.clear()
            return
        spp = scale.seconds_per_pixel
        starts_bc = from_seconds(scale.t0)[0] < 1
        end = moment_text(scale.t1, spp, mark_ad=starts_bc)
        self.range_label.setText(f"{moment_text(scale.t0, spp)} – {end}")
        self.scale_label.setText(scale_text(spp))
        counted = f"{scene.visible_count:,} of {scene.total_count:,} events in view"
        hidden = len(self.view.hidden_lanes)
        if hidden:  # from a user test: nothing said a lane was hidden
            counted += f", {hidden} lane{'s' if hidden != 1 else ''} hidden"
        self.count_label.setText(counted)

    # -- dialogs -----------------------------------------------------------------------------------
    def go_to_date_dialog(self) -> None:
        """Ask for a date and go there; a date this does not read is asked for again, with the
        reason and the text as typed."""
        import textwrap

        from PySide6.QtWidgets import QInputDialog

        from desktop.model.written_dates import read_date

        prompt, text = GO_TO_DATE_PROMPT, ""
        while True:
            text, accepted = QInputDialog.getText(self, "Go to Date", prompt, text=text)
            text = text.strip()
            if not accepted or not text:
                return
            try:
                span = read_date(text)
            except DateError as error:
                # Wrapped: on one line, the dialog grew 1,100 px wide (from a user test).
                reason = textwrap.fill(str(error), GO_TO_DATE_LINE)
                prompt = f"That date could not be read:\n{reason}\n\n{GO_TO_DATE_PROMPT}"
                continue
            self._go_to(span)
            return

    def go_to_date(self, text: str) -> bool:
        from desktop.model.written_dates import read_date

        try:
            span = read_date(text)
        except DateError as error:
            messages.warning(f"“{text}” is not a date this understands: {error}")
            return False
        self._go_to(span)
        return True

    def _go_to(self, span: DateSpan) -> None:
        """Show ``span`` among its surroundings (a day in about a month, a year in decades),
        marked for a moment. A view between the two (wider than the date, narrower than its
        surroundings) keeps its zoom and is centred on it."""
        scale = self.view.scale
        t0, t1 = span.start_seconds(), span.end_seconds()
        length = max(t1 - t0, 60.0)
        middle, half = (t0 + t1) / 2, length * GO_TO_CONTEXT / 2
        if scale is not None and length <= scale.span <= 2 * half:
            half = scale.span / 2
        self.view.set_range(middle - half, middle + half, margin=False)
        self.view.mark((t0, t1))
        # Also replaces a warning about an earlier date that could not be read.
        messages.info(f"Went to {span.describe()}.")

    def shortcuts_help(self) -> str:
        """The Keyboard Shortcuts text: the canvas's keys, then every command with a shortcut
        (all its keys), in the order of the menus."""
        import html

        rows = [f"<tr><td>{keys}</td><td>{what}</td></tr>" for keys, what in CANVAS_HELP]
        for action in self.actions():
            native = (
                key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
            )
            keys = [key for key in native if _typed_key(key)]
            if keys:
                name = html.escape(action.text().replace("&", "").rstrip("…"))
                shown = ", ".join(f"<b>{html.escape(key)}</b>" for key in dict.fromkeys(keys))
                rows.append(f"<tr><td>{shown}</td><td>{name}</td></tr>")
        return f'<h3>Keyboard and mouse</h3><table cellspacing="6">{"".join(rows)}</table>'

    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.NoIcon, "Keyboard Shortcuts", self.shortcuts_help(), parent=self
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.open()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {version()}</h3>"
            "<p>A desktop timeline viewer: zoom from millennia to minutes, and trace every event "
            "back to its source.</p><p>Bundled timeline: “Tusk and Macron Discuss Ukraine, "
            "Focusing on Troop Security Guarantee” (CNews Live, after a Reuters preview of "
            "12 December 2024), with dated events from other reporting.</p>",
        )

    # -- drag and drop -----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [url for url in event.mimeData().urls() if url.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            self.open_path(Path(urls[0].toLocalFile()))

    # -- state -------------------------------------------------------------------------------------
    def restore_state(self, file_argument: str | None) -> None:
        """Geometry and docks from the last session; then the file to show, and its last view."""
        geometry = self.settings.value("window/geometry")
        # Qt refuses a saved geometry that no longer fits the screen (larger text, a smaller
        # screen): from a user test, the window then came up at 821×441. The default size then.
        if not (
            isinstance(geometry, QByteArray)
            and not geometry.isEmpty()
            and self.restoreGeometry(geometry)
        ):
            # 1600×1000, or less on a smaller screen.
            available = self.screen().availableGeometry()
            self.resize(
                min(1600, int(available.width() * 0.95)), min(1000, int(available.height() * 0.9))
            )
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
            squeezed = self.settings.value("window/squeezed-docks")
            for dock in (self.details_dock, self.events_dock):
                with contextlib.suppress(KeyError, TypeError, ValueError):  # absent or not ours
                    self._squeezed_docks[dock] = int(squeezed[dock.objectName()])  # type: ignore[index]
        else:
            # The timeline is what the window is for: the docks take a share of a small window
            # (a 380 px column was 38% of a 1000 px one), and no more than 62 characters of a
            # big one; never more than DOCK_MOST_SHARE of it, even for large text.
            character = self.fontMetrics().averageCharWidth()
            share = round(self.width() * DOCK_SHARE)
            wanted = max(DOCK_MIN_CHARS * character, min(DOCK_MAX_CHARS * character, share))
            self.resizeDocks(
                [self.details_dock],
                [min(wanted, round(self.width() * DOCK_MOST_SHARE))],
                Qt.Orientation.Horizontal,
            )
        last_file = self.settings.value("session/file", "")
        last_range = self._saved_range()
        if file_argument is not None:
            path = Path(file_argument)
            same = last_file and Path(str(last_file)) == path.resolve()
            if not self.open_path(path, last_range if same else None):
                self.open_bundled()
        elif last_file and Path(str(last_file)).is_file():
            if not self.open_path(Path(str(last_file)), last_range):
                self.open_bundled()
        else:
            self._show(load_bundled(), None, last_range if last_file == BUNDLED_NAME else None)
            if last_file and last_file != BUNDLED_NAME:
                # From user tests: the bundled timeline came up in its place without a word, then
                # with a word in the status bar only, easily missed; the file stayed in Open
                # Recent, failing when chosen; and after a kill rather than a quit the box came
                # back at every start. It is said once, in a box: the file leaves the menu, and
                # the session is the bundled timeline's before the program saves its state.
                self._forget_recent(str(last_file))
                self.settings.setValue("session/file", BUNDLED_NAME)
                self.settings.remove("session/range")
                gone = Path(str(last_file))
                # The folder on a line of its own: wrapped in the sentence, the box broke the
                # path after its first "/".
                messages.notice(
                    f"“{gone.name}”, open when the program last closed, is no longer in its "
                    f"folder:\n{gone.parent}\n\nThe bundled timeline is shown instead, and "
                    "File\u00a0→\u00a0Open\u00a0Recent no longer lists the file."
                )

    def _saved_range(self) -> tuple[float, float] | None:
        value = self.settings.value("session/range")
        try:
            t0, t1 = (float(part) for part in value)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return None
        return (t0, t1) if t1 > t0 else None

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue(
            "window/squeezed-docks",
            {dock.objectName(): width for dock, width in self._squeezed_docks.items()},
        )
        if self._events_panel is not None:
            header = self._events_panel.table.horizontalHeader()
            self.settings.setValue(
                "events/sort", [header.sortIndicatorSection(), header.sortIndicatorOrder().value]
            )
        self.settings.setValue(
            "session/file", str(self.path) if self.path is not None else BUNDLED_NAME
        )
        scale = self.view.scale
        if scale is not None:
            self.settings.setValue("session/range", [scale.t0, scale.t1])
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_status()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width, old_width = event.size().width(), event.oldSize().width()
        self._dock_widths.window_width = width
        if width <= 0 or old_width <= 0 or width == old_width:
            return
        most = round(width * DOCK_MOST_SHARE)
        side = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
        beside = [
            dock
            for dock in (self.details_dock, self.events_dock)
            if dock.isVisible() and not dock.isFloating() and self.dockWidgetArea(dock) in side
        ]
        if width < old_width:
            sizes = {dock: most for dock in beside if dock.width() > most}
            for dock in beside:
                before = self._dock_widths.before.get(dock, dock.width())
                if before > min(dock.width(), most):
                    self._squeezed_docks.setdefault(dock, before)
        else:  # back towards the width each had, as far as the share allows
            sizes = {}
            for dock in beside:
                before = self._squeezed_docks.get(dock)
                if before is None:
                    continue
                if dock.width() < before:
                    sizes[dock] = min(before, most)
                if sizes.get(dock, dock.width()) >= before:  # whole again, or widened by the user
                    del self._squeezed_docks[dock]
        if sizes:
            self.resizeDocks(list(sizes), list(sizes.values()), Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._exports and not self._stop_exports():
            event.ignore()
            return
        if self._loading is not None:
            self._loading.wait()
        self.save_state()
        super().closeEvent(event)

    def _export_finished(self, task: BackgroundTask) -> None:
        del self._exports[task]
        if not self._exports:
            self.exports_finished.emit()

    def _stop_exports(self) -> bool:
        """Ask whether to stop the exports still running, to close the window; True when they
        have been stopped (their files left as they were)."""
        names = ", ".join(f"“{Path(file).name}”" for file in self._exports.values())
        if len(self._exports) == 1:
            text = f"Exporting to {names} is not finished. Stop it and quit? The file is left as"
            text += " it was."
        else:
            text = f"Exporting to {names} is not finished. Stop them and quit? The files are"
            text += " left as they were."
        answer = messages.ask(
            self,
            "Export Not Finished",
            f"{text} Cancel goes on exporting.",
            ("Stop and Quit",),
            default=None,  # Enter keeps exporting
            moot=(self.exports_finished, "Stop and Quit"),  # nothing left to stop: quit
        )
        if answer is None:
            return False
        for task in self._exports:
            task.wait()
        return True
