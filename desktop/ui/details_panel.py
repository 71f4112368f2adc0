"""The Details dock: everything known about the selected event, with its sources.

The panel is rich text in a read-only text browser (see :mod:`desktop.ui.details_page` for the
page and why a file's HTML cannot do harm there). Until the first event is shown it is only a
label saying what to do: the browser and the page's code are built then, so the window's start
does not wait for them.

Colours come from the palette and the page is rebuilt when the palette changes, so the panel
reads well in light and dark themes alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QStackedLayout, QVBoxLayout, QWidget

from desktop.ui import messages
from desktop.ui.renderer import blend

if TYPE_CHECKING:
    from desktop.model.timeline import Event, Timeline
    from desktop.ui.details_page import DetailsBrowser

EMPTY_TEXT = "Click an event to see its details"


def _open_in_browser(url: QUrl) -> None:
    if not QDesktopServices.openUrl(url):
        QGuiApplication.clipboard().setText(url.toString())
        messages.warning(
            f"No web browser could be started for {url.toString()}: the address is copied, "
            "to paste into one."
        )


class DetailsPanel(QWidget):
    """Shows one event: title, date, lane, people, place, text, quotes, references, provenance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._event: Event | None = None
        self._html = ""
        self._browser: DetailsBrowser | None = None  # built when the first event is shown

        self._empty = QLabel(EMPTY_TEXT, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._empty.setMargin(24)

        self._stack = QStackedLayout()
        self._stack.addWidget(self._empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._stack)
        self._stack.setCurrentWidget(self._empty)

    # -- public API ---------------------------------------------------------------------------
    @property
    def current_event_id(self) -> str | None:
        return self._event.id if self._event is not None else None

    @property
    def browser(self) -> DetailsBrowser:
        """The text browser the page is shown in (built now if no event has been shown yet)."""
        if self._browser is None:
            from desktop.ui.details_page import DetailsBrowser

            browser = DetailsBrowser(self)
            # Links open in the system browser, and the user is told when none could be started
            # (from a user test: a click did nothing, and only the terminal said why).
            browser.setOpenLinks(False)
            browser.anchorClicked.connect(_open_in_browser)
            browser.setFrameShape(QFrame.Shape.NoFrame)
            browser.document().setDocumentMargin(14)
            self._stack.addWidget(browser)
            self._browser = browser
        return self._browser

    def show_event(self, timeline: Timeline | None, event: Event | None) -> None:
        """Show ``event`` of ``timeline``; None shows the empty state."""
        self._timeline = timeline
        self._event = event if timeline is not None else None
        self._render()

    def clear(self) -> None:
        self.show_event(None, None)

    def document_text(self) -> str:
        """What the panel says, as plain text (for tests and accessibility checks)."""
        if self._event is None:
            return self._empty.text()
        return self.browser.toPlainText()

    def document_html(self) -> str:
        """The HTML given to the browser (before Qt normalises it)."""
        return self._html

    # -- Qt overrides -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        # Colours are written into the page, so a theme switch has to rebuild it.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and hasattr(
            self, "_stack"
        ):  # (Qt may send these while the constructor is still building the children)
            self._render()
        super().changeEvent(event)

    # -- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        if self._timeline is None or self._event is None:
            self._html = ""
            if self._browser is not None:
                self._browser.clear()
            self._stack.setCurrentWidget(self._empty)
            return
        from desktop.ui.details_page import page_html

        browser = self.browser
        browser.document().setDefaultStyleSheet(self._style_sheet(browser))
        self._html = page_html(self._timeline, self._event)
        browser.setHtml(self._html)
        self._stack.setCurrentWidget(browser)

    def _style_sheet(self, browser: DetailsBrowser) -> str:
        # The panel's palette, not the browser's: on a palette change the panel hears of it
        # before its children have taken the new palette on.
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        browser.outline = blend(base, text, 0.45)
        muted = blend(base, text, 0.65).name()
        rule = blend(base, text, 0.25).name()
        quote_bg = blend(base, text, 0.06).name()
        link = palette.color(QPalette.ColorRole.Link).name()
        return (
            f"a {{ color: {link}; }}"
            "h2 { margin-top: 0; margin-bottom: 4px; }"
            ".date { margin-bottom: 8px; }"
            "h4 { margin-top: 16px; margin-bottom: 4px; }"
            f".muted {{ color: {muted}; }}"
            f".key {{ color: {muted}; padding-right: 12px; }}"
            ".summary { margin-top: 10px; }"
            f".quote {{ background-color: {quote_bg}; }}"
            f".bar {{ background-color: {rule}; }}"
            f".cite {{ color: {muted}; }}"
        )
