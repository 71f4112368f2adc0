"""The Details dock: everything known about the selected event, with its sources.

The panel is rich text in a read-only :class:`QTextBrowser`. Every plain-text field is escaped;
the one HTML field, ``Event.body``, comes from files anyone may write, so it passes through
:func:`sanitize_html` (an allow-list of tags and attributes, no scripts, styles, event handlers
or non-web links) and the browser is refused every resource except the lane swatches drawn here,
so a file can neither run anything nor make the program read local files or fetch from the net.

Colours come from the palette and the page is rebuilt when the palette changes, so the panel
reads well in light and dark themes alike.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QStackedLayout, QTextBrowser, QVBoxLayout, QWidget

from desktop.model.timeline import Confidence, Event, Lane, Reference, Timeline
from desktop.ui.renderer import blend

EMPTY_TEXT = "Click an event to see its details"
SWATCH_SCHEME = "swatch"  # swatch:RRGGBB, drawn by _Browser.loadResource
SWATCH_SIZE = 12

# -- sanitising the HTML body ------------------------------------------------------------------
_ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "b", "strong", "i", "em", "u", "s", "sub", "sup", "small",
        "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "cite", "code", "pre",
        "h4", "h5", "h6", "span", "abbr",
    }
)  # fmt: skip
# Headings bigger than the panel's own title, and blocks Qt renders oddly, are mapped down.
_RENAMED_TAGS = {"h1": "h4", "h2": "h4", "h3": "h4", "div": "p", "section": "p", "article": "p"}
# Dropped together with everything inside them, not just the tags.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "head", "title", "iframe", "object", "embed", "template", "noscript",
     "svg", "math", "textarea", "select", "button"}
)  # fmt: skip
_VOID_TAGS = frozenset({"br", "hr"})
_ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"}), "abbr": frozenset({"title"})}
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def is_safe_url(url: str) -> bool:
    """A web or mail link; never javascript:, file:, data: or a relative path the browser
    would try to open itself."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in _SAFE_SCHEMES and bool(parts.netloc or parts.path)


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._open: list[str] = []  # allowed tags opened and not yet closed
        self._skipping: str | None = None  # inside <script> etc.: drop everything until its end

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping is not None:
            return
        if tag in _DROPPED_WITH_CONTENT:
            self._skipping = tag
            return
        tag = _RENAMED_TAGS.get(tag, tag)
        if tag not in _ALLOWED_TAGS:
            return  # unknown tags go, their text stays
        allowed = _ALLOWED_ATTRIBUTES.get(tag, frozenset())
        kept = []
        for name, value in attrs:
            # on* handlers and style never pass: only the attributes listed are kept at all.
            if name not in allowed or value is None:
                continue
            if name == "href" and not is_safe_url(value):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID_TAGS:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            return  # <script/> has no content to skip
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and self._open and self._open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping is not None:
            if tag == self._skipping:
                self._skipping = None
            return
        tag = _RENAMED_TAGS.get(tag, tag)
        if tag not in self._open:
            return  # a stray end tag must not close the panel's own markup
        while self._open:
            opened = self._open.pop()
            self.out.append(f"</{opened}>")
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skipping is None:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        # An unclosed <b> would otherwise run on into the references below the body.
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self._open))


def sanitize_html(fragment: str) -> str:
    """``fragment`` reduced to a small, inert subset of HTML (see the allow-lists above)."""
    sanitizer = _Sanitizer()
    sanitizer.feed(fragment)
    sanitizer.close()
    return sanitizer.result()


# -- rendering -------------------------------------------------------------------------------------
def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _link(url: str, label: str) -> str:
    """A link when the URL is safe to open, else the label alone."""
    if url and is_safe_url(url):
        escaped = html.escape(url, quote=True)
        return f'<a href="{escaped}" title="{escaped}">{_text(label)}</a>'
    return _text(label)


def _reference_label(reference: Reference) -> str:
    parts = [part for part in (reference.publisher, reference.title) if part]
    if parts:
        return " — ".join(parts)
    return urlsplit(reference.url).netloc or reference.url or "Unnamed source"


_CONFIDENCE_TEXT = {
    Confidence.HIGH: "High",
    Confidence.MEDIUM: "Medium",
    Confidence.LOW: "Low",
    Confidence.UNKNOWN: "Not recorded",
}


class _Browser(QTextBrowser):
    """A text browser that draws lane swatches and loads nothing else at all."""

    def loadResource(self, type: int, name: QUrl) -> object:
        if type == QTextDocument.ResourceType.ImageResource and name.scheme() == SWATCH_SCHEME:
            return self._swatch(QColor(f"#{name.path()}"))
        # Anything else (an <img> that slipped through, a stylesheet) would be read from disk or
        # the network by the default implementation: refuse it.
        return None

    # The swatches' outline; the panel sets it from its palette (a mid tone keeps a black lane
    # visible on a dark page and a pale one on a light page).
    outline = QColor("#808080")

    def _swatch(self, color: QColor) -> QImage:
        ratio = self.devicePixelRatioF()
        side = round(SWATCH_SIZE * ratio)
        image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.outline)
        painter.setBrush(color if color.isValid() else self.outline)
        inset = 0.5 * ratio
        painter.drawRoundedRect(
            inset, inset, side - 2 * inset, side - 2 * inset, 2.5 * ratio, 2.5 * ratio
        )
        painter.end()
        image.setDevicePixelRatio(ratio)
        return image


class DetailsPanel(QWidget):
    """Shows one event: title, date, lane, people, place, text, quotes, references, provenance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timeline: Timeline | None = None
        self._event: Event | None = None
        self._html = ""

        self._browser = _Browser(self)
        self._browser.setOpenExternalLinks(True)  # links open in the system browser
        self._browser.setFrameShape(QFrame.Shape.NoFrame)
        self._browser.document().setDocumentMargin(14)

        self._empty = QLabel(EMPTY_TEXT, self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._empty.setMargin(24)

        self._stack = QStackedLayout()
        self._stack.addWidget(self._empty)
        self._stack.addWidget(self._browser)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._stack)
        self._stack.setCurrentWidget(self._empty)

    # -- public API ---------------------------------------------------------------------------
    @property
    def current_event_id(self) -> str | None:
        return self._event.id if self._event is not None else None

    @property
    def browser(self) -> QTextBrowser:
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
        return self._browser.toPlainText()

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
            self._browser.clear()
            self._stack.setCurrentWidget(self._empty)
            return
        self._browser.document().setDefaultStyleSheet(self._style_sheet())
        self._html = self._page(self._timeline, self._event)
        self._browser.setHtml(self._html)
        self._stack.setCurrentWidget(self._browser)

    def _style_sheet(self) -> str:
        # The panel's palette, not the browser's: on a palette change the panel hears of it
        # before its children have taken the new palette on.
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self._browser.outline = blend(base, text, 0.45)
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

    def _page(self, timeline: Timeline, event: Event) -> str:
        parts = [f"<h2>{_text(event.title)}</h2>"]

        date = f"<b>{_text(event.date_text())}</b>"
        if event.display_date:
            # The source's own wording first; the exact date it stands for underneath.
            date += (
                f'<br><span class="muted">On the timeline: {_text(event.when.describe())}</span>'
            )
        parts.append(f'<p class="date">{date}</p>')

        facts: list[tuple[str, str]] = []
        lane = timeline.lane(event.lane) if event.lane else None
        if lane is not None:
            facts.append(("Lane", self._lane_html(lane)))
        if event.actors:
            facts.append(("Who", _text(", ".join(event.actors))))
        if event.place:
            facts.append(("Where", _text(event.place)))
        facts.append(("Source", _text(event.provenance.label)))
        facts.append(("Confidence", _text(_CONFIDENCE_TEXT[event.confidence])))
        if event.tags:
            facts.append(("Tags", _text(", ".join(event.tags))))
        rows = "".join(
            f'<tr><td class="key" valign="middle">{key}</td><td valign="middle">{value}</td></tr>'
            for key, value in facts
        )
        parts.append(f'<table cellspacing="0" cellpadding="2">{rows}</table>')

        if event.summary:
            parts.append(f'<p class="summary"><b>{_text(event.summary)}</b></p>')
        if event.body:
            parts.append(sanitize_html(event.body))

        quoted = [reference for reference in event.references if reference.quote]
        others = [reference for reference in event.references if not reference.quote]
        if quoted:
            parts.append("<h4>In the source’s words</h4>")
            parts.extend(self._quote_html(reference) for reference in quoted)
        if others:
            parts.append("<h4>References</h4>")
            items = "".join(
                f"<li>{_link(reference.url, _reference_label(reference))}</li>"
                for reference in others
            )
            parts.append(f"<ul>{items}</ul>")
        return "".join(parts)

    def _lane_html(self, lane: Lane) -> str:
        swatch = (
            f'<img src="{SWATCH_SCHEME}:{lane.color[1:]}" width="{SWATCH_SIZE}"'
            f' height="{SWATCH_SIZE}" style="vertical-align: middle">'
        )
        return f"{swatch}&nbsp;{_text(lane.name)}"

    def _quote_html(self, reference: Reference) -> str:
        # Qt's rich text draws no border on <blockquote>, so a two-cell table gives the quote a
        # bar down its left side and a tinted background.
        cite = _link(reference.url, _reference_label(reference))
        return (
            '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 6px;'
            ' margin-bottom: 6px"><tr>'
            '<td class="bar" width="3"></td>'
            '<td class="quote" style="padding: 6px 10px 6px 10px">'
            f"“{_text(reference.quote)}”"
            f'<br><span class="cite">— {cite}</span>'
            "</td></tr></table>"
        )
