"""The Events dock: every event in a sortable, filterable table.

:class:`EventTableModel` adapts a :class:`Timeline` for Qt (row = the event's position in
``timeline.events``), :class:`EventFilterProxy` sorts and filters it, and :class:`EventListPanel`
puts a filter box, the table and a count together.

The panel and the timeline view select events in each other. The panel reports the user's choice
with :attr:`EventListPanel.event_activated`; the window writes the view's choice back with
:meth:`EventListPanel.select_position`, which never re-emits, so the two cannot ping-pong.
"""

from __future__ import annotations

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
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.model import calendar
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import Event, Timeline

ModelIndex = QModelIndex | QPersistentModelIndex

# The value the proxy sorts a column by (start seconds for Date, folded text for the others).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# The event's position in timeline.events, for any cell.
POSITION_ROLE = Qt.ItemDataRole.UserRole + 2


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
    """A date for a table cell: "26 Feb 2024", "Jul 2024 ~", "27–28 Feb 2024", "Sep – Nov 2024 ~".

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
    return f"{_point_short(start)}{_qualifier(start)} – {_point_short(end)}{_qualifier(end)}"


# -- the model ---------------------------------------------------------------------------------
class EventTableModel(QAbstractTableModel):
    """The events of one timeline, one row each, in timeline order (row == position)."""

    DATE, TITLE, LANE = range(3)
    HEADERS: ClassVar[tuple[str, ...]] = ("Date", "Title", "Lane")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._dates: list[str] = []
        self._search: list[str] = []  # folded text the filter looks in, one per event

    # -- our API --------------------------------------------------------------------------
    @property
    def timeline(self) -> Timeline | None:
        return self._timeline

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.beginResetModel()
        self._timeline = timeline
        events = timeline.events if timeline is not None else ()
        # Worked out once per timeline: data() runs for every visible cell on every repaint.
        self._dates = [short_date(event.when) for event in events]
        self._search = [self._search_text(timeline, event) for event in events] if timeline else []
        self.endResetModel()

    def event_at(self, row: int) -> Event:
        if self._timeline is None:
            raise IndexError(row)
        return self._timeline.events[row]

    def search_text(self, row: int) -> str:
        return self._search[row]

    @staticmethod
    def _search_text(timeline: Timeline, event: Event) -> str:
        lane = timeline.lane(event.lane) if event.lane else None
        fields = [event.title, event.summary, event.place, *event.actors, *event.tags]
        if lane is not None:
            fields.append(lane.name)
        return "\n".join(fields).casefold()

    # -- Qt overrides ---------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        if parent.isValid() or self._timeline is None:
            return 0
        return len(self._timeline.events)

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
        row, column = index.row(), index.column()
        event = timeline.events[row]
        if role == POSITION_ROLE:
            return row
        if column == self.DATE:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._dates[row]
            if role == Qt.ItemDataRole.ToolTipRole:
                described = event.when.describe()
                if event.display_date and event.display_date != described:
                    return f"{event.display_date}\n({described})"  # the source's words first
                return described
            if role == SORT_ROLE:
                return timeline.index.starts[row]  # chronological, not "1 Jan" < "26 Feb"
        elif column == self.TITLE:
            if role == Qt.ItemDataRole.DisplayRole:
                return event.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{event.title}\n\n{event.summary}" if event.summary else event.title
            if role == SORT_ROLE:
                return event.title.casefold()
        elif column == self.LANE:
            lane = timeline.lane(event.lane) if event.lane else None
            if role == Qt.ItemDataRole.DisplayRole:
                return lane.name if lane is not None else ""
            if role == Qt.ItemDataRole.DecorationRole and lane is not None:
                return QColor(lane.color)  # the view draws it as a small swatch
            if role == Qt.ItemDataRole.ToolTipRole and lane is not None:
                return lane.description or lane.name
            if role == SORT_ROLE:
                return (lane.name if lane is not None else "").casefold()
        return None


# -- sorting and filtering ---------------------------------------------------------------------
class EventFilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE` and keeps the rows that contain every word of the filter.

    Words are matched case-insensitively anywhere in title, summary, actors, place, lane name
    and tags, so "macron warsaw" finds the events that mention both.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: tuple[str, ...] = ()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def filter_text(self) -> str:
        return " ".join(self._terms)

    def set_filter_text(self, text: str) -> None:
        terms = tuple(text.casefold().split())
        if terms == self._terms:
            return
        self.beginFilterChange()
        self._terms = terms
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self._terms:
            return True
        source = self.sourceModel()
        if not isinstance(source, EventTableModel):
            return True
        haystack = source.search_text(source_row)
        return all(term in haystack for term in self._terms)

    def lessThan(self, source_left: ModelIndex, source_right: ModelIndex) -> bool:
        left = source_left.data(SORT_ROLE)
        right = source_right.data(SORT_ROLE)
        if left != right:
            return bool(left < right)
        # Ties (events on the same day) keep timeline order, reversed when sorting descending,
        # so flipping the sort flips the list exactly.
        return source_left.row() < source_right.row()


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
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter events…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Show events whose title, summary, people, place, lane or tags contain every word"
        )
        self.filter_edit.textChanged.connect(self.proxy.set_filter_text)
        self.filter_edit.installEventFilter(self)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
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
        self.table.verticalHeader().hide()
        # Rows as tall as a line of text, not the style's roomier default.
        row_height = self.table.fontMetrics().height() + 8
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.verticalHeader().setMinimumSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setSectionResizeMode(EventTableModel.DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EventTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # The title is what people scan; the lane keeps a narrow, user-resizable column whose
        # colour swatch still shows when the name is elided.
        header.setSectionResizeMode(EventTableModel.LANE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            EventTableModel.LANE, self.table.fontMetrics().horizontalAdvance("M") * 8
        )
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        # Enter or a double click sends the event again even when it is already selected, to
        # bring the timeline back to it after the user has scrolled away.
        self.table.activated.connect(self._on_activated)

        self.count_label = QLabel(self)
        self.count_label.setContentsMargins(4, 0, 4, 2)

        for signal in (
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._update_count()

    # -- public API ---------------------------------------------------------------------------
    @property
    def timeline(self) -> Timeline | None:
        return self._timeline

    @property
    def current_position(self) -> int | None:
        return self._current

    def set_timeline(self, timeline: Timeline | None) -> None:
        """Show ``timeline``'s events; the filter text is kept, the selection is not."""
        self._timeline = timeline
        self._current = None
        self.model.set_timeline(timeline)
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
            proxy_index = self._proxy_index(position)
            if proxy_index is None:
                selection.clearSelection()
                return
            selection.setCurrentIndex(
                proxy_index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(proxy_index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def visible_positions(self) -> list[int]:
        """Positions of the rows shown, top to bottom (after filtering and sorting)."""
        return [
            int(self.proxy.index(row, 0).data(POSITION_ROLE))
            for row in range(self.proxy.rowCount())
        ]

    def row_rect(self, position: int) -> QRect | None:
        """The viewport rectangle of ``position``'s title cell, or None when not shown."""
        proxy_index = self._proxy_index(position, EventTableModel.TITLE)
        return self.table.visualRect(proxy_index) if proxy_index is not None else None

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
                if not self.table.selectionModel().hasSelection() and self.proxy.rowCount():
                    self.table.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    # -- internals ------------------------------------------------------------------------------
    def _proxy_index(self, position: int | None, column: int = 0) -> QModelIndex | None:
        if position is None or not 0 <= position < self.model.rowCount():
            return None
        proxy_index = self.proxy.mapFromSource(self.model.index(position, column))
        return proxy_index if proxy_index.isValid() else None

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
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        noun = "event" if total == 1 else "events"
        if shown == total:
            self.count_label.setText(f"{total} {noun}")
        else:
            self.count_label.setText(f"{shown} of {total} {noun}")
