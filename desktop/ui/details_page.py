"""The Details panel's page: the HTML for one event, and the browser that shows it.

Every plain-text field is escaped; the one HTML field, ``Event.body``, comes from files anyone
may write, so it passes through :func:`sanitize_html` (an allow-list of tags and attributes, no
scripts, styles, event handlers or non-web links) and :class:`DetailsBrowser` is refused every
resource except the lane swatches it draws, so a file can neither run anything nor make the
program read local files or fetch from the net.

The panel imports this module when it first shows an event: the HTML parser and the text
browser's Qt classes are not needed before then.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser

from desktop.model.timeline import Confidence, Event, Lane, Reference, Timeline
from desktop.ui.renderer import readable

SWATCH_SCHEME = "swatch"  # swatch:RRGGBB, drawn by DetailsBrowser.loadResource
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


class DetailsBrowser(QTextBrowser):
    """A text browser that draws lane swatches and loads nothing else at all."""

    def loadResource(self, type: int, name: QUrl) -> object:
        if type == QTextDocument.ResourceType.ImageResource and name.scheme() == SWATCH_SCHEME:
            color = QColor(f"#{name.path()}")
            if color.isValid():  # the colour the canvas draws the lane in, readable on the page
                color = readable(color, self.palette().color(QPalette.ColorRole.Base))
            return self._swatch(color)
        # Anything else (an <img> that slipped through, a stylesheet) would be read from disk or
        # the network by the default implementation: refuse it.
        return None

    # The swatches' outline; the panel sets it from its palette (a mid tone keeps a black lane
    # visible on a dark page and a pale one on a light page).
    outline = QColor("#808080")

    # Framed in the highlight colour while it has the keyboard, as the timeline is: it has no
    # frame of its own, and from a user test, Tab into it left no sign of where the focus went.
    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.viewport().rect().adjusted(0, 0, -1, -1))
            painter.end()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self.hasFocus():  # scrolling moves the pixels, the frame with them: paint it anew
            self.viewport().update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

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


def page_html(timeline: Timeline, event: Event) -> str:
    """The page for ``event``: every plain-text field escaped, the body sanitised."""
    parts = [f"<h2>{_text(event.title)}</h2>"]

    date = f"<b>{_text(event.date_text())}</b>"
    if event.display_date:
        # The source's own wording first; the exact date it stands for underneath.
        date += f'<br><span class="muted">On the timeline: {_text(event.when.describe())}</span>'
    parts.append(f'<p class="date">{date}</p>')

    facts: list[tuple[str, str]] = []
    facts.append(("Lane", _lane_html(timeline.shown_lane(event.lane))))
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
        parts.extend(_quote_html(reference) for reference in quoted)
    if others:
        parts.append("<h4>References</h4>")
        items = "".join(
            f"<li>{_link(reference.url, _reference_label(reference))}</li>" for reference in others
        )
        parts.append(f"<ul>{items}</ul>")
    return "".join(parts)


def _lane_html(lane: Lane) -> str:
    swatch = (
        f'<img src="{SWATCH_SCHEME}:{lane.color[1:]}" width="{SWATCH_SIZE}"'
        f' height="{SWATCH_SIZE}" style="vertical-align: middle">'
    )
    return f"{swatch}&nbsp;{_text(lane.name)}"


def _quote_html(reference: Reference) -> str:
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
