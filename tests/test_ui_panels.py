"""The Details and Events docks, and the message bridge, driven through pytest-qt."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desktop.bundled import read_text
from desktop.formats.native import read_native
from desktop.model.dates import DateSpan
from desktop.model.ordering import natural_keys
from desktop.model.timeline import Timeline
from desktop.ui import messages
from desktop.ui.details_page import sanitize_html
from desktop.ui.details_panel import EMPTY_TEXT, DetailsPanel
from desktop.ui.event_table import (
    DATE_SHARE,
    POSITION_ROLE,
    EventListPanel,
    EventTableModel,
    short_date,
)

# The offscreen platform says this whenever a shown top-level window has a size constraint; it is
# about the test platform, not the code (xcb and the real platforms support it).
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return read_native(read_text("timelines/tusk-macron-warsaw.json"))


@pytest.fixture
def details(qtbot) -> DetailsPanel:
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 700)
    return panel


@pytest.fixture
def events_panel(qtbot, timeline) -> EventListPanel:
    panel = EventListPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 600)
    panel.set_timeline(timeline)
    return panel


def ids(timeline: Timeline, positions: list[int]) -> list[str]:
    return [timeline.events[position].id for position in positions]


# -- details ----------------------------------------------------------------------------------
def test_details_show_the_event_with_date_quote_and_links(details, timeline):
    details.show_event(timeline, timeline.event("paris-conference"))

    text = details.document_text()
    assert details.current_event_id == "paris-conference"
    assert "Macron: troops “cannot be ruled out”" in text
    assert "26 February 2024, evening" in text
    # display_date is set, so the date the EDTF field stands for is given as well
    assert "On the timeline: 26 February 2024" in text
    assert "Macron first raised the idea in February, but it was rejected by Germany." in text
    assert "France" in text and "Paris" in text and "Emmanuel Macron" in text
    assert "Stated in the source article" in text
    assert "High" in text
    # the reference without a quote is a link, and Qt's own document keeps it one
    url = "https://politico.eu/article/emmanuel-macron-doesnt-rule-out-sending-troops-to-ukraine-ammo/"
    assert f'href="{url}"' in details.browser.toHtml()
    assert "Politico Europe — Macron doesn't rule out sending troops to Ukraine" in text
    assert details.browser.isReadOnly()


@pytest.mark.parametrize("started", [True, False])
def test_a_link_opens_in_the_browser_or_says_why_not(
    details, timeline, monkeypatch, recorded_messages, started
):
    """From a user test: with no browser to start, a click on a link did nothing, and only the
    terminal said why. The address is then copied and the user told."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    from desktop.ui.messages import Level

    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toString())
        return started

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    QGuiApplication.clipboard().setText("before")
    details.show_event(timeline, timeline.event("paris-conference"))
    url = "https://politico.eu/article/emmanuel-macron-doesnt-rule-out-sending-troops-to-ukraine-ammo/"
    details.browser.anchorClicked.emit(QUrl(url))
    assert opened == [url]
    assert details.current_event_id == "paris-conference"  # the page stays
    if started:
        assert recorded_messages == []
        assert QGuiApplication.clipboard().text() == "before"
    else:
        assert [(m.level, m.text) for m in recorded_messages] == [
            (
                Level.WARNING,
                f"No web browser could be started for {url}: the address is copied, to paste "
                "into one.",
            )
        ]
        assert QGuiApplication.clipboard().text() == url


def test_details_say_where_the_event_comes_from(details, timeline):
    details.show_event(timeline, timeline.event("russia-invasion"))
    assert "From other reporting (not in the source article)" in details.document_text()


def test_an_event_without_a_lane_is_in_other_events_in_both_docks(qtbot, details):
    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane

    lanes = (Lane(id="a", name="Alpha"),)
    events = (
        Event(id="in", title="In Alpha", when=DateSpan.parse("2024"), lane="a"),
        Event(id="out", title="Nowhere", when=DateSpan.parse("2025")),
    )
    timeline = Timeline(title="t", events=events, lanes=lanes)
    details.show_event(timeline, timeline.event("out"))
    assert "Lane\n\ufffc Other events\n" in details.document_text()  # the swatch, the name
    panel = EventListPanel()
    qtbot.addWidget(panel)
    panel.set_timeline(timeline)
    model = panel.model
    lanes_shown = {
        model.data(model.index(row, model.TITLE)): model.data(model.index(row, model.LANE))
        for row in range(model.rowCount())
    }
    assert lanes_shown == {"In Alpha": "Alpha", "Nowhere": "Other events"}


def test_details_empty_state(details, timeline):
    details.show_event(timeline, timeline.event("warsaw-talks"))
    details.show_event(timeline, None)
    assert details.current_event_id is None
    assert details.document_text() == EMPTY_TEXT == "Click an event to see its details"


def test_details_body_is_sanitised(details, timeline):
    body = (
        '<p onclick="steal()" style="color: red">Safe <b>bold</b> text'
        "<script>alert('owned')</script><style>p { display: none }</style>"
        '<a href="javascript:alert(1)">bad link</a> <a href="https://ok.example/">good link</a>'
        '<img src="file:///etc/passwd"></p>'
    )
    event = timeline.event("warsaw-talks")._replace(body=body)
    details.show_event(timeline, event)

    page = details.document_html()
    text = details.document_text()
    assert "alert" not in page and "alert" not in text
    assert "display: none" not in page
    assert "onclick" not in page and "steal" not in page
    assert "javascript" not in page
    assert "passwd" not in page
    assert "Safe bold text" in text and "bad link" in text
    assert 'href="https://ok.example/"' in details.browser.toHtml()


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>a &amp; b</p>", "<p>a &amp; b</p>"),
        ("<b>open", "<b>open</b>"),
        ("</p></table>text", "text"),
        ("<h1>big</h1>", "<h4>big</h4>"),
        ("<SCRIPT>x()</SCRIPT>kept", "kept"),
        ('<a href="  JAVASCRIPT:x()" onmouseover="y()">t</a>', "<a>t</a>"),
        ('<a href="mailto:a@example.org">m</a>', '<a href="mailto:a@example.org">m</a>'),
        ('<a href="/etc/passwd">rel</a>', "<a>rel</a>"),
        ("<p>&lt;script&gt;</p>", "<p>&lt;script&gt;</p>"),
    ],
)
def test_sanitize_html(fragment, expected):
    assert sanitize_html(fragment) == expected


def test_details_follow_a_palette_change(details, timeline):
    details.show_event(timeline, timeline.event("warsaw-talks"))
    palette = QPalette(details.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#101010"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    palette.setColor(QPalette.ColorRole.Link, QColor("#66bbff"))
    details.setPalette(palette)
    assert "#66bbff" in details.browser.document().defaultStyleSheet()
    assert details.current_event_id == "warsaw-talks"


# -- the events table -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        ("2024-02-26", "26 Feb 2024"),
        ("2024-07~", "Jul 2024 ~"),
        ("2024?", "2024 ?"),
        ("2024-02-27/2024-02-28", "27–28 Feb 2024"),
        ("2024-09~/2024-11~", "Sep – Nov 2024 ~"),
        ("2024-06-07/2024-07~", "7 Jun 2024 – Jul 2024 ~"),
        ("2023-12-30/2024-01-02", "30 Dec 2023 – 2 Jan 2024"),
        ("2024-12-12T13:00+01:00", "12 Dec 2024 13:00"),
        ("1969-10-18T02:04/1969-10-18T04:33", "18 Oct 1969 02:04–04:33"),
        ("1969-10-18T22:04/1969-10-19T01:33", "18 Oct 1969 22:04 – 19 Oct 1969 01:33"),
        ("-0043-03-15", "15 Mar 44 BC"),
    ],
)
def test_short_date(edtf, expected):
    assert short_date(DateSpan.parse(edtf)) == expected


def test_table_shows_short_dates_and_full_tooltips(timeline):
    model = EventTableModel()
    model.set_timeline(timeline)
    row = timeline.index.position("paris-conference")
    date = model.index(row, EventTableModel.DATE)
    assert date.data(Qt.ItemDataRole.DisplayRole) == "26 Feb 2024"
    assert "26 February 2024" in date.data(Qt.ItemDataRole.ToolTipRole)
    lane = model.index(row, EventTableModel.LANE)
    assert lane.data(Qt.ItemDataRole.DisplayRole) == "France"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Date"
    assert model.rowCount() == len(timeline.events)
    model.set_timeline(None)
    assert model.rowCount() == 0


def test_table_sorts_chronologically_both_ways(events_panel, timeline):
    ascending = ids(timeline, events_panel.visible_positions())
    assert ascending[0] == "russia-invasion"
    assert ascending[-1] == "trump-inauguration"
    assert events_panel.visible_positions() == list(range(len(timeline.events)))

    events_panel.table.sortByColumn(EventTableModel.DATE, Qt.SortOrder.DescendingOrder)
    descending = ids(timeline, events_panel.visible_positions())
    assert descending[0] == "trump-inauguration"
    assert descending[-1] == "russia-invasion"
    assert descending == ascending[::-1]  # same-day events flip too

    events_panel.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.AscendingOrder)
    keys = natural_keys(timeline.events[p].title for p in events_panel.visible_positions())
    assert keys == sorted(keys)
    assert keys.index("sejourne: non-combat roles instead") < keys.index(
        "starmer and macron meet on armistice day"
    )

    events_panel.table.sortByColumn(EventTableModel.DATE, Qt.SortOrder.AscendingOrder)
    assert ids(timeline, events_panel.visible_positions()) == ascending


def test_table_sorts_titles_and_lanes_with_numbers_by_value(qtbot):
    from desktop.model.timeline import Event, Lane

    lanes = (Lane(id="a", name="Unit 10"), Lane(id="b", name="unit 9"))
    titles = ["Day 10", "Day 9", "day 1", "Day 100"]
    events = tuple(
        Event(id=f"e{n}", title=title, when=DateSpan.parse(f"202{n}"), lane="ab"[n % 2])
        for n, title in enumerate(titles)
    )
    panel = EventListPanel()
    qtbot.addWidget(panel)
    panel.set_timeline(Timeline(title="t", events=events, lanes=lanes))
    model = panel.model

    def column(which: int) -> list[str]:
        return [model.data(model.index(row, which)) for row in range(model.rowCount())]

    panel.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.AscendingOrder)
    assert column(EventTableModel.TITLE) == ["day 1", "Day 9", "Day 10", "Day 100"]
    panel.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert column(EventTableModel.TITLE) == ["Day 100", "Day 10", "Day 9", "day 1"]
    panel.table.sortByColumn(EventTableModel.LANE, Qt.SortOrder.AscendingOrder)
    assert column(EventTableModel.LANE) == ["unit 9", "unit 9", "Unit 10", "Unit 10"]
    # Each order is kept for sorting again, and only for the timeline it was made for.
    panel.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.AscendingOrder)
    panel.set_timeline(Timeline(title="t", events=events[:2], lanes=lanes))
    assert column(EventTableModel.TITLE) == ["Day 9", "Day 10"]


@pytest.fixture
def long_list(qtbot) -> EventListPanel:
    """The Events list of 300 events ("Day 0" to "Day 299", one a day), 300 px tall, shown."""
    from desktop.model.timeline import Event, Lane

    events = tuple(
        Event(
            id=f"d{n}",
            title=f"Day {n}",
            when=DateSpan.parse(f"{2000 + n // 28}-01-{1 + n % 28:02d}"),
            lane="a",
        )
        for n in range(300)
    )
    panel = EventListPanel()
    qtbot.addWidget(panel)
    panel.resize(400, 300)
    panel.set_timeline(Timeline(title="t", events=events, lanes=(Lane(id="a", name="A"),)))
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def row_in_sight(panel: EventListPanel, position: int) -> bool:
    rect = panel.row_rect(position)
    return rect is not None and panel.table.viewport().rect().contains(rect.center())


def test_sorting_keeps_the_selected_event_in_sight(long_list):
    long_list.select_position(250)
    assert row_in_sight(long_list, 250)
    long_list.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert row_in_sight(long_list, 250)  # "Day 250" is now row 49, far from row 250


def test_sorting_or_filtering_with_nothing_selected_starts_at_the_top(long_list, qtbot):
    scroll = long_list.table.verticalScrollBar()
    scroll.setValue(scroll.maximum() // 2)
    long_list.table.sortByColumn(EventTableModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert scroll.value() == 0
    scroll.setValue(scroll.maximum() // 2)
    long_list.filter_edit.setText("day 1")
    assert 0 < long_list.model.rowCount() < 300 and scroll.value() == 0


def test_home_and_end_go_to_the_first_and_last_rows(long_list, qtbot):
    events = []
    long_list.event_activated.connect(events.append)
    long_list.table.setFocus()
    qtbot.keyClick(long_list.table, Qt.Key.Key_End)
    assert events == [299] and row_in_sight(long_list, 299)
    qtbot.keyClick(long_list.table, Qt.Key.Key_Home)
    assert events == [299, 0] and row_in_sight(long_list, 0)


def test_filter_keeps_matching_events(events_panel, timeline, qtbot):
    total = len(timeline.events)
    assert events_panel.count_label.text() == f"{total} events"

    qtbot.keyClicks(events_panel.filter_edit, "WarSaw")
    shown = ids(timeline, events_panel.visible_positions())
    assert {"warsaw-talks", "warsaw-finance-ministers"} <= set(shown)
    assert "trump-inauguration" not in shown
    for position in events_panel.visible_positions():
        assert "warsaw" in events_panel.model.search_text(position)
    assert events_panel.count_label.text() == f"{len(shown)} of {total} events"
    assert ids(timeline, events_panel.visible_positions()) == sorted(
        shown, key=lambda event_id: timeline.index.position(event_id)
    )

    events_panel.filter_edit.setText("macron warsaw")  # every word must match
    assert "warsaw-talks" in ids(timeline, events_panel.visible_positions())
    assert "warsaw-finance-ministers" not in ids(timeline, events_panel.visible_positions())

    events_panel.filter_edit.setText("poland")  # lane name
    assert "poland-eu-presidency" in ids(timeline, events_panel.visible_positions())

    events_panel.filter_edit.clear()
    assert len(events_panel.visible_positions()) == total


def test_select_position_does_not_emit_but_a_click_does(events_panel, timeline, qtbot):
    with qtbot.waitExposed(events_panel):
        events_panel.show()
    last = timeline.index.position("trump-inauguration")

    with qtbot.assertNotEmitted(events_panel.event_activated, wait=50):
        events_panel.select_position(last)
    selected = events_panel.table.selectionModel().selectedRows()
    assert [index.data(POSITION_ROLE) for index in selected] == [last]
    assert events_panel.current_position == last

    target = timeline.index.position("warsaw-talks")
    rect = events_panel.row_rect(target)
    assert rect is not None
    emitted: list[int] = []
    events_panel.event_activated.connect(emitted.append)
    with qtbot.waitSignal(events_panel.event_activated, timeout=1000) as blocker:
        qtbot.mouseClick(
            events_panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert blocker.args == [target]
    assert emitted and set(emitted) == {target}

    # the keyboard selects too
    emitted.clear()
    qtbot.keyClick(events_panel.table, Qt.Key.Key_Down)
    assert emitted == [target + 1]

    with qtbot.assertNotEmitted(events_panel.event_activated, wait=50):
        events_panel.select_position(None)
    assert not events_panel.table.selectionModel().hasSelection()


def test_select_position_of_a_filtered_out_event_selects_nothing(events_panel, timeline):
    events_panel.filter_edit.setText("warsaw")
    events_panel.select_position(timeline.index.position("russia-invasion"))
    assert not events_panel.table.selectionModel().hasSelection()
    assert events_panel.filter_edit.text() == "warsaw"  # the user's filter stays


def test_focus_filter_and_escape(events_panel, qtbot):
    with qtbot.waitActive(events_panel):
        events_panel.show()
        events_panel.activateWindow()
    events_panel.filter_edit.setText("warsaw")
    events_panel.focus_filter()
    assert events_panel.filter_edit.hasFocus()
    assert events_panel.filter_edit.selectedText() == "warsaw"
    qtbot.keyClick(events_panel.filter_edit, Qt.Key.Key_Escape)
    assert events_panel.filter_edit.text() == ""


# -- messages -----------------------------------------------------------------------------------
@pytest.fixture
def bridge():
    """The module's bridge, with no window, no queue and dialogs replaced by a recorder."""
    messages.detach()
    messages.bridge.discard_pending()
    shown: list[tuple[QMainWindow, messages.Message]] = []
    previous = messages.bridge.set_presenter(
        lambda window, message: shown.append((window, message))
    )
    yield shown
    messages.bridge.set_presenter(previous)
    messages.detach()
    messages.bridge.discard_pending()


def test_error_before_attach_is_queued_then_shown(bridge, qtbot, caplog):
    window = QMainWindow()
    qtbot.addWidget(window)
    with caplog.at_level(logging.INFO, logger="timeline.messages"):
        messages.error("Could not open the file", detail="line 3: bad date")
        messages.warning("Some events have no date")
        messages.info("Loaded")
    assert bridge == []
    assert [m.level for m in messages.bridge.pending] == [
        messages.Level.ERROR,
        messages.Level.WARNING,
        messages.Level.INFO,
    ]
    assert "Could not open the file\nline 3: bad date" in caplog.text  # logged straight away

    messages.attach(window)
    qtbot.waitUntil(lambda: len(bridge) == 3)
    assert bridge[0] == (
        window,
        messages.Message(messages.Level.ERROR, "Could not open the file", "line 3: bad date"),
    )
    assert messages.bridge.pending == ()

    messages.info("Now shown at once")
    assert bridge[-1][1].text == "Now shown at once"


def test_error_dialog_opens_without_blocking(qtbot):
    messages.detach()
    messages.bridge.discard_pending()
    window = QMainWindow()
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    messages.attach(window)
    try:
        messages.error("Something failed", detail="the details")
        messages.error("Something failed", detail="the details")  # the same again: one box
        boxes = messages.bridge.open_boxes
        assert len(boxes) == 1
        box = boxes[0]
        assert isinstance(box, QMessageBox)
        assert box.parent() is window
        assert box.text() == "Something failed"
        assert box.detailedText() == "the details"
        assert box.icon() == QMessageBox.Icon.Critical
        box.done(QMessageBox.StandardButton.Ok)  # closes; never exec()
        assert messages.bridge.open_boxes == ()

        messages.warning("Careful")
        assert window.statusBar().currentMessage() == "Warning: Careful"
        messages.info("Done")
        assert window.statusBar().currentMessage() == "Done"

        # Done, but to be read (what an export left out): a dialog too, with a warning's icon.
        # From a user test: in the status bar it was cut at the window's width and soon gone.
        long_note = "Exported 28 events.\n\nCSV has no place for " + ", ".join(["quotes"] * 40)
        messages.notice(long_note)
        (box,) = messages.bridge.open_boxes
        assert box.text() == long_note
        assert box.icon() == QMessageBox.Icon.Warning
        assert window.statusBar().currentMessage() == "Done"  # not there
        box.done(QMessageBox.StandardButton.Ok)
    finally:
        messages.detach()


def test_recording_takes_messages_without_a_window():
    messages.detach()
    messages.bridge.discard_pending()
    messages.warning("queued first")
    with messages.recording() as recorded:
        messages.error("then this")
    assert [m.text for m in recorded] == ["queued first", "then this"]
    assert messages.bridge.pending == ()


def test_excepthook_routes_exceptions_to_error(qtbot, caplog):
    original = sys.excepthook
    messages.install_excepthook()
    try:
        assert sys.excepthook is not original
        try:
            raise ValueError("boom")
        except ValueError:
            exc_info = sys.exc_info()
        with messages.recording() as recorded, caplog.at_level(logging.ERROR):
            sys.excepthook(*exc_info)
            sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)  # not a bug report
    finally:
        messages.uninstall_excepthook()
    assert sys.excepthook is original
    assert len(recorded) == 1
    message = recorded[0]
    assert message.level is messages.Level.ERROR
    assert message.text.startswith("An unexpected error occurred: ValueError: boom")
    assert "Traceback" in message.detail and "boom" in message.detail
    assert "ValueError: boom" in caplog.text


def test_thread_excepthook_reaches_the_gui_thread(qtbot):
    original = threading.excepthook
    messages.install_excepthook()
    try:
        with messages.recording() as recorded:

            def fail() -> None:
                raise RuntimeError("worker failed")

            worker = threading.Thread(target=fail, name="loader")
            worker.start()
            worker.join()
            qtbot.waitUntil(lambda: len(recorded) == 1)  # queued into the GUI thread
    finally:
        messages.uninstall_excepthook()
    assert threading.excepthook is original
    assert "in thread 'loader'" in recorded[0].text
    assert "RuntimeError: worker failed" in recorded[0].text


def test_excepthook_never_raises_without_stderr(monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError("no display for you")

    monkeypatch.setattr(messages, "error", broken)
    monkeypatch.setattr(sys, "stderr", None)
    messages.report_exception(ValueError, ValueError("x"), None)  # must not raise


def test_a_point_in_the_table_is_not_a_click_outside(events_panel, qtbot):
    # Clicking below the last row selects nothing and says nothing.
    events_panel.filter_edit.setText("inauguration")
    with qtbot.waitExposed(events_panel):
        events_panel.show()
    viewport = events_panel.table.viewport()
    with qtbot.assertNotEmitted(events_panel.event_activated, wait=50):
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(10, viewport.height() - 5))


def test_a_narrow_list_keeps_the_lane_s_swatch_and_gives_titles_the_room(events_panel, qtbot):
    """From a user test: in a 280 px dock, titles had 75 px beside a six-letter lane column. A
    narrow list keeps only the lane's swatch there (its name is the swatch's tooltip); a wide
    one shows the name again; a width the user gives the column stays."""
    from desktop.ui.event_table import NARROW_LIST_CHARS

    panel = events_panel
    panel.show()
    header = panel.table.horizontalHeader()
    wide_lane = header.sectionSize(EventTableModel.LANE)
    panel.resize(280, 600)
    qtbot.waitUntil(lambda: header.sectionSize(EventTableModel.LANE) < wide_lane)
    assert panel.width() < NARROW_LIST_CHARS * panel.fontMetrics().averageCharWidth()
    narrow_lane = header.sectionSize(EventTableModel.LANE)
    swatch = panel.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    heading = header.fontMetrics().horizontalAdvance("Lane")
    assert narrow_lane == max(swatch, heading) + 12  # the heading whole, not cut
    qtbot.waitUntil(lambda: header.sectionSize(EventTableModel.TITLE) >= 100)
    row = panel.model.index(0, EventTableModel.LANE)
    lane = panel.timeline.lane(panel.timeline.events[panel.model.position_at(0)].lane)
    assert lane is not None
    # The swatch alone (a user test saw "…" after every swatch), the lane named on hover.
    assert panel.model.data(row, Qt.ItemDataRole.DisplayRole) is None
    assert lane.name in panel.model.data(row, Qt.ItemDataRole.ToolTipRole)
    panel.resize(500, 600)
    qtbot.waitUntil(lambda: header.sectionSize(EventTableModel.LANE) == wide_lane)
    assert panel.model.data(row, Qt.ItemDataRole.DisplayRole) == lane.name
    header.resizeSection(EventTableModel.LANE, 90)  # as a user's drag does
    panel.resize(280, 600)
    qtbot.wait(20)
    assert header.sectionSize(EventTableModel.LANE) == 90
    assert panel.model.data(row, Qt.ItemDataRole.DisplayRole) == lane.name  # room the user made


def painted_lane_options(panel: EventListPanel) -> dict[str, QStyleOptionViewItem]:
    """The first lane cell of each lane, as the table lays it out for painting."""
    options: dict[str, QStyleOptionViewItem] = {}

    class Spy(QStyledItemDelegate):
        def paint(self, painter, option, index) -> None:
            name = index.data(Qt.ItemDataRole.DisplayRole)
            if name not in options:
                options[name] = QStyleOptionViewItem(option)
                self.initStyleOption(options[name], index)  # its text, swatch and their places
            super().paint(painter, option, index)

    spy = Spy(panel.table)
    panel.table.setItemDelegateForColumn(EventTableModel.LANE, spy)
    try:
        panel.table.viewport().repaint()
    finally:
        panel.table.setItemDelegateForColumn(EventTableModel.LANE, None)
    return options


def lane_cell_texts(panel: EventListPanel, wider_by: int = 0) -> dict[str, bytes]:
    """Each lane's cell as the table paints it, right of its swatch, on a plain background:
    the pixels of what it shows of the lane's name. Painted ``wider_by`` pixels wider and cut
    back to the cell's width, a name the cell shows whole gives the same pixels."""
    from PySide6.QtGui import QImage, QPainter

    texts = {}
    for name, laid_out in painted_lane_options(panel).items():
        option = QStyleOptionViewItem(laid_out)
        width = option.rect.width()
        option.rect = option.rect.translated(-option.rect.topLeft()).adjusted(0, 0, wider_by, 0)
        option.state &= ~(QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.Alternate
        image = QImage(option.rect.size(), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        panel.table.style().drawControl(
            QStyle.ControlElement.CE_ItemViewItem, option, painter, panel.table
        )
        painter.end()
        swatch = panel.table.style().subElementRect(
            QStyle.SubElement.SE_ItemViewItemDecoration, option, panel.table
        )
        text = image.copy(swatch.right() + 1, 0, width - swatch.right() - 1, image.height())
        texts[name] = bytes(text.constBits())
    return texts


def lane_cell_words(panel: EventListPanel) -> dict[str, str]:
    """What each lane's cell shows of its name: elided, as Qt's common style does, to the
    cell's text area less a focus frame's margin and a pixel on each side."""
    style = panel.table.style()
    words = {}
    for name, option in painted_lane_options(panel).items():
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, panel.table)
        inside = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, panel.table)
        width = area.width() - 2 * (inside + 1)
        words[name] = option.fontMetrics.elidedText(name, Qt.TextElideMode.ElideRight, width)
    return words


def test_the_lane_column_tells_the_lanes_apart(events_panel, qtbot):
    """From user tests: "Uni…" for both United Kingdom and United States, then "United …" for
    the one whose "K" did not quite fit; and a 900 px list still cut the names. The column
    shows the whole names where they fit in LANE_SHARE of the list, else enough of each to
    tell it from the others: no two lanes' cells read alike."""
    from desktop.layout.names import distinguishing_prefixes
    from desktop.ui.event_table import LANE_SHARE

    panel = events_panel
    with qtbot.waitExposed(panel):
        panel.show()
    header = panel.table.horizontalHeader()
    for width in (372, 420):  # the window's Events dock at first start, and a little more
        panel.resize(width, 600)
        qtbot.waitUntil(lambda width=width: panel.width() == width)
        texts = lane_cell_texts(panel)
        assert {"United Kingdom", "United States", "France"} <= set(texts)
        lanes_by_look: dict[bytes, list[str]] = {}
        for name, pixels in texts.items():
            lanes_by_look.setdefault(pixels, []).append(name)
        assert [names for names in lanes_by_look.values() if len(names) > 1] == [], width
        # Each shows at least the beginning that tells it apart ("United K…", not "United …").
        words = lane_cell_words(panel)
        for name, prefix in zip(texts, distinguishing_prefixes(list(texts)), strict=True):
            assert words[name].startswith(prefix), (width, words[name])
        assert header.sectionSize(EventTableModel.LANE) <= round(width * LANE_SHARE)
        assert header.sectionSize(EventTableModel.TITLE) > header.sectionSize(EventTableModel.LANE)
        assert lane_cell_texts(panel, wider_by=300) != texts  # some names are cut here

    panel.resize(600, 600)
    qtbot.waitUntil(lambda: panel.width() == 600)
    assert lane_cell_texts(panel, wider_by=300) == lane_cell_texts(panel)  # none cut


def test_the_list_s_lane_swatches_are_the_colours_the_canvas_draws(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QIcon, QPalette

    from desktop.model.dates import DateSpan
    from desktop.model.timeline import Event, Lane
    from desktop.ui.renderer import SceneRenderer

    # A pale yellow lane is darkened on the canvas to stand out on white; the list showed it
    # as declared.
    lanes = (Lane(id="y", name="Yellow", color="#F0E442"),)
    events = (Event(id="e", title="E", when=DateSpan.parse("2024"), lane="y"),)
    timeline = Timeline(title="t", events=events, lanes=lanes)
    panel = EventListPanel()
    qtbot.addWidget(panel)
    panel.set_timeline(timeline)
    model = panel.model
    icon = model.data(model.index(0, model.LANE), Qt.ItemDataRole.DecorationRole)
    size = panel.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    plain = icon.pixmap(size, QIcon.Mode.Normal).toImage()
    swatch = plain.pixelColor(size // 2, size // 2)
    canvas = SceneRenderer(QGuiApplication.palette(), QGuiApplication.font()).lane_color("#F0E442")
    assert swatch.rgb() == canvas.rgb()  # (in the pixmap's eight bits a channel)
    assert swatch.name().upper() != "#F0E442"
    assert plain.pixelColor(0, 0).rgb() == canvas.rgb()  # all of it
    # Selected, ringed in the selection's text colour (from a user test: a blue lane's swatch
    # all but vanished into a selected row), its colour within.
    ringed = icon.pixmap(size, QIcon.Mode.Selected).toImage()
    ring = QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText)
    assert ringed.pixelColor(1, size // 2).rgb() == ring.rgb()
    assert ringed.pixelColor(size // 2, size // 2).rgb() == canvas.rgb()

    # And the Details panel's swatch, drawn from the lane's colour in the page.
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from desktop.ui.details_page import SWATCH_SCHEME, DetailsBrowser

    browser = DetailsBrowser()
    qtbot.addWidget(browser)
    image = browser.loadResource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"{SWATCH_SCHEME}:F0E442")
    )
    middle = image.pixelColor(image.width() // 2, image.height() // 2)
    assert middle.name() == canvas.name()


def test_tab_leaves_the_events_list_rather_than_walk_its_cells(qtbot, events_panel):
    """From a user test: Tab moved Date → Title → Lane within the row and round again, and
    nothing led out of the list."""
    events_panel.show()
    qtbot.waitExposed(events_panel)
    events_panel.activateWindow()
    table = events_panel.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Backtab)
    assert events_panel.filter_edit.hasFocus()  # the one before it
    assert table.selectionModel().selectedRows()[0].row() == 0  # Tab changed no selection


def test_the_date_column_leaves_the_titles_most_of_a_narrow_list(qtbot, events_panel):
    """From a user test: with large text, the date column kept most of the width and the
    titles showed three letters."""
    events_panel.show()  # a hidden widget hears of its resizes only when shown
    qtbot.waitExposed(events_panel)
    header = events_panel.table.horizontalHeader()
    natural = header.sectionSize(EventTableModel.DATE)
    events_panel.resize(natural * 2, 600)  # too narrow for the natural width
    assert header.sectionSize(EventTableModel.DATE) == round(natural * 2 * DATE_SHARE)
    events_panel.resize(natural * 4, 600)
    assert header.sectionSize(EventTableModel.DATE) == natural
    header.resizeSection(EventTableModel.DATE, natural + 30)  # as the user drags it
    events_panel.resize(natural * 2, 600)
    assert header.sectionSize(EventTableModel.DATE) == natural + 30  # the user's stays


def test_the_details_page_shows_when_it_has_the_keyboard(qtbot, details, timeline):
    """From a user test: Tab into the Details text left no sign of where the focus went."""
    details.show_event(timeline, timeline.event("warsaw-talks"))
    details.show()
    qtbot.waitExposed(details)
    details.activateWindow()
    browser = details.browser
    viewport = browser.viewport()
    highlight = browser.palette().color(QPalette.ColorRole.Highlight).rgb()

    def left_edge() -> int:
        return viewport.grab().toImage().pixelColor(0, viewport.height() // 2).rgb()

    assert left_edge() != highlight
    browser.setFocus()
    qtbot.waitUntil(browser.hasFocus)
    qtbot.waitUntil(lambda: left_edge() == highlight)
    # Scrolled, the frame stays at the edges: from a user test, its lines moved with the text.
    details.resize(420, 200)  # short enough to scroll
    qtbot.waitUntil(lambda: browser.verticalScrollBar().maximum() > 60)
    for step in (20, 40, 60):
        browser.verticalScrollBar().setValue(step)
        qtbot.wait(20)
        # As on screen (a widget's grab() paints it afresh, and would not show a smear).
        image = details.screen().grabWindow(details.winId()).toImage()
        image = image.copy(QRect(viewport.mapTo(details, QPoint(0, 0)), viewport.size()))
        middle = image.width() // 2
        lines = [y for y in range(image.height()) if image.pixelColor(middle, y).rgb() == highlight]
        assert lines == [0, image.height() - 1], lines
    browser.clearFocus()
    qtbot.waitUntil(lambda: left_edge() != highlight)


def test_the_date_column_is_as_wide_as_the_timeline_s_dates(events_panel, qtbot):
    """From a user test: the Rome file's dates were cut ("1 Jan 58 BC ~ –…") in a column made
    for "27–28 Feb 2024 ~". The column fits the dates of the timeline shown, within its share
    of the list; a timeline of short dates keeps the usual width."""
    from desktop.formats.loader import load_path
    from desktop.ui.event_table import DATE_SHARE, short_date

    panel = events_panel
    panel.show()
    panel.resize(900, 600)
    header = panel.table.horizontalHeader()
    usual = header.sectionSize(EventTableModel.DATE)
    rome = load_path(Path(__file__).parent / "fixtures" / "rome.timeline")
    panel.set_timeline(rome)
    metrics = panel.table.fontMetrics()
    longest = max(metrics.horizontalAdvance(short_date(event.when)) for event in rome.events)
    qtbot.waitUntil(lambda: header.sectionSize(EventTableModel.DATE) > usual)
    assert header.sectionSize(EventTableModel.DATE) >= longest
    panel.resize(300, 600)
    qtbot.waitUntil(lambda: header.sectionSize(EventTableModel.DATE) <= round(300 * DATE_SHARE))
