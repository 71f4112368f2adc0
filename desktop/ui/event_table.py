"""The Events dock: every event in a sortable, filterable table.

:class:`EventTableModel` adapts a :class:`Timeline` for Qt and sorts and filters it itself (a
row maps to the event's position in ``timeline.events``); :class:`EventListPanel` puts a filter
box, the table and a count together.

The panel and the timeline view select events in each other. The panel reports the user's choice
with :attr:`EventListPanel.event_activated`; the window writes the view's choice back with
:meth:`EventListPanel.select_position`, which never re-emits, so the two cannot ping-pong.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from typing import ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSignalBlocker,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.layout.names import distinguishing_prefixes
from desktop.model import calendar
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.ordering import natural_keys
from desktop.model.timeline import Event, Lane, Timeline
from desktop.ui.renderer import readable

ModelIndex = QModelIndex | QPersistentModelIndex

# Timelines up to this size are filtered as the user types; larger ones when typing pauses.
INSTANT_FILTER_LIMIT = 50_000

# The event's position in timeline.events, for any cell.
POSITION_ROLE = Qt.ItemDataRole.UserRole + 2
# A list narrower than this many average characters of its font (336 px in a 9-pt font) keeps
# only the lane's colour swatch in its lane column (the lane's name is the swatch's tooltip): in
# a 280 px dock, titles had 75 px beside a 6-letter column. In characters, as with large text a
# 380 px list left titles five letters beside the lane's six.
NARROW_LIST_CHARS = 56
# The most of the list's width the date column takes while the user has not set it.
DATE_SHARE = 0.4
# The lane column is at least six letters wide; it shows the lanes' whole names where they fit
# in this share of the list, else as much of each as tells it from the others (from a user
# test: "Uni…" for both United Kingdom and United States).
LANE_LETTERS = 6
LANE_SHARE = 0.3
# How many of a timeline's dates are measured for the date column's width (a million events'
# would take seconds).
DATE_SAMPLES = 500


def _swatch(color: QColor, ring: QColor) -> QIcon:
    """A lane's colour as a small square; in a selected row, ringed in the selection's text
    colour (from a user test: a blue lane's swatch all but vanished into a selected row)."""
    size = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    plain = QPixmap(size, size)
    plain.fill(color)
    ringed = QPixmap(plain)
    painter = QPainter(ringed)
    painter.setPen(QPen(ring, 2))
    painter.drawRect(1, 1, size - 2, size - 2)
    painter.end()
    icon = QIcon(plain)
    icon.addPixmap(ringed, QIcon.Mode.Selected)
    return icon


# -- short dates -------------------------------------------------------------------------------
def _qualifier(point: TimePoint) -> str:
    # The EDTF marks, spelled out for both: "%" means nothing to most readers.
    return {(True, True): " ~?", (True, False): " ~", (False, True): " ?"}.get(
        (point.approximate, point.uncertain), ""
    )


def _point_short(point: TimePoint, *, with_year: bool = True) -> str:
    year = calendar.year_label(point.year)
    month = calendar.MONTH_ABBREVIATIONS[point.month - 1]
    if point.precision == Precision.YEAR:
        text = year
    elif point.precision == Precision.MONTH:
        text = f"{month} {year}" if with_year else month
    else:
        text = f"{point.day} {month} {year}" if with_year else f"{point.day} {month}"
        if point.precision >= Precision.HOUR:
            text += f" {point.hour:02d}:{point.minute:02d}"
    return text


def short_date(span: DateSpan) -> str:
    """A date for a table cell: "26 Feb 2024", "Jul 2024 ~", "27–28 Feb 2024", "Sep – Nov 2024 ~",
    "18 Oct 1969 02:04–04:33".

    Time zones and the words of :meth:`DateSpan.describe` are left to the tooltip.
    """
    start, end = span.start, span.end
    if end is None:
        return _point_short(start) + _qualifier(start)
    same_marks = _qualifier(start) == _qualifier(end)
    dates_only = Precision.MONTH <= start.precision <= Precision.DAY and (
        Precision.MONTH <= end.precision <= Precision.DAY
    )
    if same_marks and dates_only and start.year == end.year:
        if start.precision == end.precision == Precision.DAY and start.month == end.month:
            month = calendar.MONTH_ABBREVIATIONS[start.month - 1]
            text = f"{start.day}–{end.day} {month} {calendar.year_label(start.year)}"
        else:
            text = f"{_point_short(start, with_year=False)} – {_point_short(end)}"
        return text + _qualifier(end)
    same_day = (start.year, start.month, start.day) == (end.year, end.month, end.day)
    if same_marks and same_day and start.precision >= Precision.HOUR <= end.precision:
        return f"{_point_short(start)}–{end.hour:02d}:{end.minute:02d}{_qualifier(end)}"
    return f"{_point_short(start)}{_qualifier(start)} – {_point_short(end)}{_qualifier(end)}"


# -- the model ---------------------------------------------------------------------------------
class EventTableModel(QAbstractTableModel):
    """The events of a timeline as rows, sorted and filtered by the model itself.

    A QSortFilterProxyModel would call back into Python for every comparison and every row:
    tens of seconds for a million events. Here sorting is one ``sorted`` over compact columns
    (the Date order is the timeline's own, so it costs nothing), filtering one pass over
    prepared text, and a row's cells are only worked out when the view shows it.
    """

    DATE, TITLE, LANE = range(3)
    HEADERS: ClassVar[tuple[str, ...]] = ("Date", "Title", "Lane")
    # Beyond this many events the filter looks at titles and lanes only: preparing the other
    # fields would mean building every event of a huge file.
    FULL_SEARCH_LIMIT: ClassVar[int] = 200_000

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._lanes: tuple[Lane, ...] = ()  # by lane slot
        self._swatches: tuple[QIcon, ...] = ()  # by lane slot
        self._order: Sequence[int] = ()  # positions in the current sort order
        self._rows: Sequence[int] = ()  # the order, less what the filter hides
        self._row_of: dict[int, int] | None = None  # position → row, made when first needed
        self._dates: dict[int, str] = {}  # short dates of the rows shown so far
        self._search: list[str] | None = None  # folded text per event, made on first filter
        # Each column's ascending order once sorted by it, for the timeline shown.
        self._ascending: dict[int, Sequence[int]] = {}
        self._terms: tuple[str, ...] = ()
        self._sort = (self.DATE, Qt.SortOrder.AscendingOrder)
        self._lane_names_shown = True

    # -- our API --------------------------------------------------------------------------
    @property
    def timeline(self) -> Timeline | None:
        return self._timeline

    @property
    def total(self) -> int:
        return len(self._timeline.events) if self._timeline is not None else 0

    @property
    def searches_everything(self) -> bool:
        return self.total <= self.FULL_SEARCH_LIMIT

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.beginResetModel()
        self._timeline = timeline
        self._lanes = (
            tuple(timeline.shown_lane(lane_id) for lane_id in timeline.lane_order())
            if timeline
            else ()
        )
        # The colours the canvas draws the lanes in, made readable on the background as there.
        palette = QGuiApplication.palette()
        background = palette.color(QPalette.ColorRole.Base)
        ring = palette.color(QPalette.ColorRole.HighlightedText)
        self._swatches = tuple(
            _swatch(readable(QColor(lane.color), background), ring) for lane in self._lanes
        )
        self._dates = {}
        self._search = None
        self._ascending = {}
        self._order = self._sorted(*self._sort)
        self._rows = self._filtered(self._order)
        self._row_of = None
        self.endResetModel()

    def set_filter_text(self, text: str) -> None:
        terms = tuple(text.casefold().split())
        if terms == self._terms:
            return
        self.beginResetModel()
        self._terms = terms
        self._rows = self._filtered(self._order)
        self._row_of = None
        self.endResetModel()

    def position_at(self, row: int) -> int:
        return self._rows[row]

    def row_of(self, position: int) -> int | None:
        """The row showing ``position``, or None when the filter hides it."""
        rows = self._rows
        if isinstance(rows, range):  # the timeline's order, unfiltered: no table needed
            return rows.index(position) if position in rows else None
        if self._row_of is None:
            self._row_of = {position: row for row, position in enumerate(rows)}
        return self._row_of.get(position)

    def search_text(self, position: int) -> str:
        return self._search_texts()[position]

    # -- sorting and filtering --------------------------------------------------------------
    def _sorted(self, column: int, order: Qt.SortOrder) -> Sequence[int]:
        if self._timeline is None:
            return ()
        ascending = self._ascending.get(column)
        if ascending is None:  # sorting a million titles takes more than half a second
            ascending = self._ascending[column] = self._ascending_order(self._timeline, column)
        # Descending is the exact reverse, ties included, so flipping the sort flips the list.
        return ascending if order == Qt.SortOrder.AscendingOrder else ascending[::-1]

    def _ascending_order(self, timeline: Timeline, column: int) -> Sequence[int]:
        count = len(timeline.events)
        columns = timeline.columns
        if column == self.TITLE:
            keys = natural_keys(columns.titles)
            by_key = sorted(range(count), key=keys.__getitem__)
        elif column == self.LANE:
            names = natural_keys(lane.name if lane else "" for lane in self._lanes)
            slots = columns.lane_slots
            by_key = sorted(range(count), key=lambda position: names[slots[position]])
        else:  # Date: the timeline is kept in start order, ties in source order
            return range(count)
        return array("q", by_key)  # kept: 8 bytes a position, not a list's 36

    def _filtered(self, order: Sequence[int]) -> Sequence[int]:
        terms = self._terms
        if not terms:
            return order
        texts = self._search_texts()
        return [position for position in order if all(term in texts[position] for term in terms)]

    def _search_texts(self) -> list[str]:
        if self._search is None:
            timeline = self._timeline
            if timeline is None:
                self._search = []
            elif self.searches_everything:
                self._search = [
                    self._search_text(event, self._lanes[slot])
                    for event, slot in zip(
                        timeline.events, timeline.columns.lane_slots, strict=True
                    )
                ]
            else:
                names = self.lane_names()
                self._search = [
                    f"{title}\n{names[slot]}".casefold()
                    for title, slot in zip(
                        timeline.columns.titles, timeline.columns.lane_slots, strict=True
                    )
                ]
        return self._search

    @staticmethod
    def _search_text(event: Event, lane: Lane) -> str:
        fields = [event.title, event.summary, event.place, *event.actors, *event.tags, lane.name]
        return "\n".join(fields).casefold()

    # -- Qt overrides ---------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        persistent = self.persistentIndexList()
        moved = [(index, old_rows[index.row()]) for index in persistent]
        self._sort = (column, order)
        self._order = self._sorted(column, order)
        self._rows = self._filtered(self._order)
        self._row_of = None
        for index, position in moved:  # keep the selection on the same events
            row = self.row_of(position)
            self.changePersistentIndex(
                index, self.index(row, index.column()) if row is not None else QModelIndex()
            )
        self.layoutChanged.emit()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Read-only: the table shows the file, editing it is not this dock's job.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        timeline = self._timeline
        if timeline is None or not index.isValid():
            return None
        position = self._rows[index.row()]
        column = index.column()
        if role == POSITION_ROLE:
            return position
        if column == self.DATE:
            if role == Qt.ItemDataRole.DisplayRole:
                text = self._dates.get(position)
                if text is None:
                    text = short_date(timeline.events[position].when)
                    self._dates[position] = text
                return text
            if role == Qt.ItemDataRole.ToolTipRole:
                event = timeline.events[position]
                described = event.when.describe()
                if event.display_date and event.display_date != described:
                    return f"{event.display_date}\n({described})"  # the source's words first
                return described
        elif column == self.TITLE:
            if role == Qt.ItemDataRole.DisplayRole:
                return timeline.columns.titles[position]
            if role == Qt.ItemDataRole.ToolTipRole:
                event = timeline.events[position]
                return f"{event.title}\n\n{event.summary}" if event.summary else event.title
        elif column == self.LANE:
            slot = timeline.columns.lane_slots[position]
            lane = self._lanes[slot]
            if role == Qt.ItemDataRole.DisplayRole:
                return lane.name if self._lane_names_shown else None
            if role == Qt.ItemDataRole.DecorationRole:
                return self._swatches[slot]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{lane.name}\n{lane.description}" if lane.description else lane.name
        return None

    def lane_names(self) -> list[str]:
        """The names of the lanes the list shows, in the timeline's order."""
        return [lane.name for lane in self._lanes]

    def show_lane_names(self, shown: bool) -> None:
        """Lane names beside their swatches, or the swatches alone (a narrow list, whose lane
        column is too narrow for a name: each row showed "…" there)."""
        if shown != self._lane_names_shown:
            self._lane_names_shown = shown
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, self.LANE),
                    self.index(len(self._rows) - 1, self.LANE),
                    [Qt.ItemDataRole.DisplayRole],
                )


# -- the dock's widget -------------------------------------------------------------------------
class EventListPanel(QWidget):
    """A filter box over the events table, with a count underneath."""

    # The position (in timeline.events) of the event the user picked, by click or keyboard.
    event_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._current: int | None = None  # position last selected, by the user or by sync
        self._syncing = False  # True while select_position() writes into the view

        self.model = EventTableModel(self)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter events…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Show events whose title, summary, people, place, lane or tags contain every word"
        )
        # On a huge timeline each filter pass takes a moment: wait for typing to pause.
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.filter_edit.installEventFilter(self)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(EventTableModel.DATE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setCornerButtonEnabled(False)
        # Tab leaves the list, as it leaves every other widget: from a user test, it moved
        # from cell to cell of the selected row and round again, a keyboard trap.
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        # Rows as tall as a line of text, not the style's roomier default.
        row_height = self.table.fontMetrics().height() + 8
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.verticalHeader().setMinimumSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        # Fixed widths: fitting a column to its contents would read every row of a huge file.
        header.setSectionResizeMode(EventTableModel.DATE, QHeaderView.ResizeMode.Interactive)
        self._date_width = self._dates_width(None)
        # Room for the lanes' whole names, and for as much of them as tells them apart.
        self._lane_names_width = self._lane_names_apart_width = 0
        header.resizeSection(EventTableModel.DATE, self._date_width)
        header.setSectionResizeMode(EventTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # The title is what people scan; the lane keeps a narrow, user-resizable column whose
        # colour swatch still shows when the name is elided.
        header.setSectionResizeMode(EventTableModel.LANE, QHeaderView.ResizeMode.Interactive)
        self._lane_width_by_user = False  # once the user sets it, the lane column stays so
        self._date_width_by_user = False  # and the date column
        self._fitting_columns = False
        self._fit_columns()
        header.sectionResized.connect(self._on_section_resized)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # Enter or a double click sends the event again even when it is already selected, to
        # bring the timeline back to it after the user has scrolled away.
        self.table.activated.connect(self._on_activated)

        self.count_label = QLabel(self)
        self.count_label.setContentsMargins(4, 0, 4, 2)

        self.model.modelReset.connect(self._update_count)
        # After a sort, the selected event stays in sight; with none, the list starts at its top.
        self.model.layoutChanged.connect(self._show_current_or_top)
        self.table.installEventFilter(self)  # Home and End: the list's first and last rows

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._update_count()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _dates_width(self, timeline: Timeline | None) -> int:
        """Room for the dates of ``timeline`` as the list writes them, from DATE_SAMPLES of
        them spread over it (from a user test: "1 Jan 58 BC ~ –…" in a column made for
        "27–28 Feb 2024 ~"), and never less than that."""
        metrics = self.table.fontMetrics()
        texts = ["27–28 Feb 2024 ~"]
        if timeline is not None and len(timeline.events):
            events = timeline.events
            step = max(1, len(events) // DATE_SAMPLES)
            texts += [short_date(events[p].when) for p in range(0, len(events), step)]
        return max(metrics.horizontalAdvance(f"{text} ") for text in texts)

    def _fit_columns(self) -> None:
        """Room for the lanes' names (see LANE_SHARE), or only their swatches in a narrow list;
        left as the user set it, with the names. The date column takes at most DATE_SHARE of the
        list (from a user test: with large text it left the titles three letters)."""
        narrow = self.width() < NARROW_LIST_CHARS * self.fontMetrics().averageCharWidth()
        self.model.show_lane_names(self._lane_width_by_user or not narrow)
        if not self._date_width_by_user:
            self._fit_column(
                EventTableModel.DATE, min(self._date_width, round(self.width() * DATE_SHARE))
            )
        if self._lane_width_by_user:
            return
        if narrow:
            # The swatch, or the column's heading if wider ("Lane" cut to "ane" looked broken).
            swatch = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            header = self.table.horizontalHeader()
            heading = self.model.headerData(
                EventTableModel.LANE, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
            )
            width = max(swatch, header.fontMetrics().horizontalAdvance(str(heading))) + 12
        else:
            # The whole names where they fit in LANE_SHARE of the list (from a user test: a
            # 900 px list still cut them), else enough of them to tell them apart.
            margins = self._lane_cell_margins()
            most = round(self.width() * LANE_SHARE)
            whole = self._lane_names_width + margins
            names = whole if whole <= most else min(self._lane_names_apart_width + margins, most)
            letters = self.table.fontMetrics().horizontalAdvance("M") * LANE_LETTERS
            width = max(letters, names)
        self._fit_column(EventTableModel.LANE, width)

    def _lane_cell_margins(self) -> int:
        """How much of a lane cell's width its swatch and margins take, as the style lays out
        a cell of the table: beside the text's area, and within it (Qt's common style draws the
        text a focus frame's margin and a pixel in from each side of that area)."""
        style = self.style()
        option = QStyleOptionViewItem()
        option.initFrom(self.table)
        option.rect = QRect(0, 0, 1000, self.table.verticalHeader().defaultSectionSize())
        option.features = (
            QStyleOptionViewItem.ViewItemFeature.HasDisplay
            | QStyleOptionViewItem.ViewItemFeature.HasDecoration
        )
        icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, option, self.table)
        size = self.table.iconSize()
        option.decorationSize = size if size.isValid() else QSize(icon, icon)
        option.text = "M"
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self.table)
        inside = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, self.table) + 1
        return option.rect.width() - text.width() + 2 * inside

    def _fit_column(self, column: int, width: int) -> None:
        """Size a column for the list, not as the user's choice (see _on_section_resized)."""
        self._fitting_columns = True
        self.table.horizontalHeader().resizeSection(column, width)
        self._fitting_columns = False

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        if self._fitting_columns:
            return
        if index == EventTableModel.LANE:
            self._lane_width_by_user = True
            self.model.show_lane_names(True)
        elif index == EventTableModel.DATE:
            self._date_width_by_user = True

    # -- public API ---------------------------------------------------------------------------
    @property
    def timeline(self) -> Timeline | None:
        return self._timeline

    @property
    def current_position(self) -> int | None:
        return self._current

    def set_timeline(self, timeline: Timeline | None, *, keep_filter: bool = False) -> None:
        """Show ``timeline``'s events, without a selection; the filter text is kept when
        ``keep_filter`` (the same file read again), else cleared: words typed for one
        timeline would hide another's events."""
        self._timeline = timeline
        self._current = None
        if not keep_filter and self.filter_edit.text():
            self._filter_timer.stop()
            with QSignalBlocker(self.filter_edit):
                self.filter_edit.clear()
            self.model.set_filter_text("")
        self.model.set_timeline(timeline)
        self._date_width = self._dates_width(timeline)
        # In fractional pixels, rounded up: "United K…" is 63.06 px, and a 63 px cell cut it to
        # "United …" (from a user test).
        metrics = QFontMetricsF(self.table.font())
        names = self.model.lane_names()
        self._lane_names_width = math.ceil(
            max((metrics.horizontalAdvance(name) for name in names), default=0)
        )
        self._lane_names_apart_width = math.ceil(
            max(
                (
                    metrics.horizontalAdvance(prefix if prefix == name else f"{prefix}…")
                    for name, prefix in zip(names, distinguishing_prefixes(names), strict=True)
                ),
                default=0,
            )
        )
        self._fit_columns()
        self.filter_edit.setToolTip(
            "Show events whose title, summary, people, place, lane or tags contain every word"
            if self.model.searches_everything
            else "Show events whose title or lane contains every word (this timeline is too "
            "large to search every field)"
        )
        self._update_count()

    def select_position(self, position: int | None) -> None:
        """Select and scroll to the event at ``position`` (None: select nothing).

        For syncing from the timeline view: :attr:`event_activated` is not emitted. A guard flag
        is used rather than blocking the selection model's signals, because the view itself
        listens to those to repaint the selection. An event hidden by the filter leaves no row
        selected; the filter is the user's and is not cleared behind their back.
        """
        self._syncing = True
        try:
            self._current = position
            selection = self.table.selectionModel()
            index = self.index_of(position)
            if index is None:
                selection.clearSelection()
                return
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def visible_positions(self) -> list[int]:
        """Positions of the rows shown, top to bottom (after filtering and sorting)."""
        return [self.model.position_at(row) for row in range(self.model.rowCount())]

    def index_of(self, position: int | None, column: int = 0) -> QModelIndex | None:
        """The model index showing ``position`` in ``column``, or None when it is not shown."""
        if position is None or not 0 <= position < self.model.total:
            return None
        row = self.model.row_of(position)
        return self.model.index(row, column) if row is not None else None

    def row_rect(self, position: int) -> QRect | None:
        """The viewport rectangle of ``position``'s title cell, or None when not shown."""
        index = self.index_of(position, EventTableModel.TITLE)
        return self.table.visualRect(index) if index is not None else None

    # -- Qt overrides -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()  # Esc empties the filter before anything else
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # From the filter straight into the results, as in a search field.
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.table.selectionModel().hasSelection() and self.model.rowCount():
                    self.table.selectRow(0)
                return True
        if watched is self.table and event.type() == QEvent.Type.KeyPress and self.model.rowCount():
            assert isinstance(event, QKeyEvent)
            ends = {Qt.Key.Key_Home: 0, Qt.Key.Key_End: self.model.rowCount() - 1}
            row = ends.get(Qt.Key(event.key()))
            if row is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                # A table moves Home and End along the row, which a list of whole rows
                # cannot show; people expect the first and last rows.
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return super().eventFilter(watched, event)

    # -- internals ------------------------------------------------------------------------------
    def _filter_changed(self) -> None:
        if self.model.total > INSTANT_FILTER_LIMIT:
            self._filter_timer.start()
        else:
            self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter_text(self.filter_edit.text())
        if self.index_of(self._current) is not None:  # keep the selected event selected
            self.select_position(self._current)
        else:
            self.table.scrollToTop()

    def _show_current_or_top(self) -> None:
        index = self.index_of(self._current)
        if index is None:
            self.table.scrollToTop()
        else:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return  # deselection (a filter hid the row): keep the timeline's selection as is
        position = int(rows[0].data(POSITION_ROLE))
        if position == self._current:
            return  # the same event again (re-sorting, filtering): nothing new to say
        self._current = position
        self.event_activated.emit(position)

    def _on_activated(self, index: QModelIndex) -> None:
        if self._syncing or not index.isValid():
            return
        position = int(index.data(POSITION_ROLE))
        self._current = position
        self.event_activated.emit(position)

    def _update_count(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        noun = "event" if total == 1 else "events"
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun}")
