"""What the format readers and writers share: HTML ↔ text, ids, lanes and their colours, dates
given as separate parts.

Foreign formats disagree on how rich their text is (TimelineJS carries HTML, CSV and The Timeline
Project plain text, iCalendar plain text with its own escapes), so the conversions between the
two live here once, as do the rules that turn a file's group names into lanes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser

from desktop.model import calendar
from desktop.model.dates import Precision, TimePoint
from desktop.model.timeline import Lane

UNTITLED_EVENT = "Untitled event"
UNTITLED_TIMELINE = "Untitled timeline"

# Okabe & Ito's colour-blind-safe palette, in their order. Their eighth colour, black, is left
# out: a black lane would hide its own black labels.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
# Eras are wide background bands behind the events, so they get the same hues washed out to a
# quarter of their strength: the events and their labels stay readable on top.
_ERA_STRENGTH = 0.25


# Past the seventh lane the hues come round again, darker, then lighter, then darker still: an
# eighth lane shared the first one's colour. (Shades of one hue are told apart less surely by
# colour-blind readers than the palette's own hues; the lanes' names say which is which.)
_ROUND_SHADES = (1.0, 0.6, -0.45, 0.35)  # < 1: a share of the colour; < 0: mixed with white


def palette_color(index: int) -> str:
    """The colour of the ``index``-th lane (0-based): :data:`OKABE_ITO` in order, then its hues
    in other shades, so the first 28 lanes all differ."""
    base = OKABE_ITO[index % len(OKABE_ITO)]
    shade = _ROUND_SHADES[index // len(OKABE_ITO) % len(_ROUND_SHADES)]
    if shade == 1.0:
        return base
    channels = [int(base[i : i + 2], 16) for i in (1, 3, 5)]
    if shade > 0:
        mixed = [round(value * shade) for value in channels]
    else:
        mixed = [round(value + (255 - value) * -shade) for value in channels]
    return "#" + "".join(f"{value:02X}" for value in mixed)


def era_color(index: int) -> str:
    """A light background colour for the ``index``-th era."""
    base = palette_color(index)
    channels = (int(base[i : i + 2], 16) for i in (1, 3, 5))
    light = (round(255 - (255 - value) * _ERA_STRENGTH) for value in channels)
    return "#" + "".join(f"{value:02X}" for value in light)


# -- HTML and text --------------------------------------------------------------------------

# Tags that start a new block of text; everything else flows inline.
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "header", "footer", "aside", "blockquote", "pre", "ul",
    "ol", "li", "dl", "dt", "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "figure", "figcaption", "address",
))  # fmt: skip
_SKIPPED_TAGS = frozenset(("script", "style", "template"))
# The marks a browser draws around <q> text, and around a <q> within it.
_QUOTE_MARKS = (("\u201c", "\u201d"), ("\u2018", "\u2019"))
# Tags people put in spreadsheet cells; "<text>" or "<5 km" in plain text is not HTML.
_TAG_RE = re.compile(
    r"</?(?:p|br|a|b|i|u|em|strong|span|div|ul|ol|li|h[1-6]|blockquote|img|sup|sub|hr|q)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment: "\n" marks a line break, "\n\n" a new block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skipping = 0
        self.quoting = 0  # <q> elements open: a browser draws their quotation marks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "q":  # double marks, single ones within (as browsers draw English quotes)
            self.pieces.append(_QUOTE_MARKS[self.quoting % 2][0])
            self.quoting += 1
        elif tag == "br":
            self.pieces.append("\n")
        elif tag in _BLOCK_TAGS:
            self.pieces.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.pieces.append("\n")
        elif tag in _BLOCK_TAGS:
            self.pieces.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "q":
            if self.quoting:
                self.quoting -= 1
                self.pieces.append(_QUOTE_MARKS[self.quoting % 2][1])
        elif tag in _BLOCK_TAGS:
            self.pieces.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # In HTML a line break in the source is only a space; breaks come from tags.
            self.pieces.append(re.sub(r"\s+", " ", data))


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment: paragraphs apart by a blank line, ``<br>`` as a line break,
    spaces collapsed, entities decoded, scripts and styles dropped."""
    if "<" not in fragment and "&" not in fragment:  # no markup: only white space to tidy
        return " ".join(fragment.split())
    # A "<" that no ">" follows starts no tag: it is text. Said so here, because the standard
    # parser looks for the end of a tag from each of them again, in quadratic time.
    last_close = fragment.rfind(">")
    if "<" in fragment[last_close + 1 :]:
        fragment = fragment[: last_close + 1] + fragment[last_close + 1 :].replace("<", "&lt;")
    extractor = _TextExtractor()
    try:
        extractor.feed(fragment)
        extractor.close()
    except AssertionError:  # what the parser raises for a marked section it cannot read ("<![ ")
        extractor = _TextExtractor()
        extractor.feed(fragment.replace("<![", "&lt;!["))
        extractor.close()
    return _normalize_lines("".join(extractor.pieces).split("\n"))


def normalize_text(text: str) -> str:
    """Plain text tidied as :func:`html_to_text` tidies it: lines stripped, spaces collapsed,
    one blank line between paragraphs."""
    if "\n" not in text and "\r" not in text:
        return " ".join(text.split())
    return _normalize_lines(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _normalize_lines(lines: Sequence[str]) -> str:
    """Lines stripped; runs of empty lines become one blank line between paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        line = " ".join(line.split())
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


def html_to_line(fragment: str) -> str:
    """An HTML fragment as one line of text, for titles and captions."""
    return " ".join(html_to_text(fragment).split())


def text_to_html(text: str) -> str:
    """Plain text as HTML: blank-line-separated paragraphs in ``<p>``, line breaks as ``<br>``.

    :func:`html_to_text` reads the result back to the same text, once spaces are normalised.
    """
    paragraphs = normalize_text(text).split("\n\n")
    return "".join(
        "<p>"
        + "<br>".join(html.escape(line, quote=False) for line in paragraph.split("\n"))
        + "</p>"
        for paragraph in paragraphs
        if paragraph
    )


def as_html(text: str) -> str:
    """A text field that may hold HTML or plain text: kept when it has tags, else converted.

    Spreadsheets hold both; plain text would lose its line breaks if taken for HTML.
    """
    return text.strip() if _TAG_RE.search(text) else text_to_html(text)


# -- ids and lanes --------------------------------------------------------------------------


def slugify(name: str, fallback: str) -> str:
    """An id from a name: lower case, words joined by "-" ("Rue de Rivoli" → "rue-de-rivoli")."""
    slug = re.sub(r"[\W_]+", "-", name.casefold()).strip("-")
    return slug or fallback


class IdAllocator:
    """Hands out unique ids: the wanted one, or ``prefix-N`` when none; "-2", "-3"… on repeats.

    Foreign formats have optional or repeated ids, while the model needs unique ones. Ids made
    from positions stay the same each time the same file is read, and never take an id that a
    later event asks for (``explicit``), so the ids a file gives survive.
    """

    def __init__(self, prefix: str, explicit: Iterable[str] = ()) -> None:
        self.prefix = prefix
        self._used: set[str] = set()
        self._explicit = {wanted for wanted in explicit if wanted.strip()}
        # Per repeated id (and whether it was made), the suffix to try next: every one below it
        # is taken, and stays so. Trying from "-2" each time made 11,000 repeats of one id take
        # 8 s.
        self._next_suffix: dict[tuple[str, bool], int] = {}

    def take(self, wanted: str, position: int) -> str:
        base, made = wanted, not wanted.strip()
        if made:
            base = f"{self.prefix}-{position}"
        used, explicit = self._used, self._explicit
        # Not the union of the two sets: copying them for every event is quadratic.
        candidate = base
        if candidate in used or (made and candidate in explicit):
            suffix = self._next_suffix.get((base, made), 2)
            candidate = f"{base}-{suffix}"
            while candidate in used or (made and candidate in explicit):
                suffix += 1
                candidate = f"{base}-{suffix}"
            self._next_suffix[base, made] = suffix + 1
        used.add(candidate)
        return candidate

    def forget(self) -> None:
        """Drop the ids seen, one at a time: a set of a million strings freed at once is one
        long call into C, which keeps other threads (the GUI's) waiting."""
        for ids in (self._used, self._explicit):
            while ids:
                ids.pop()
        while self._next_suffix:
            self._next_suffix.popitem()


class LaneRegistry:
    """Lanes made from the group names a file uses, in order of first appearance."""

    def __init__(self) -> None:
        self._ids = IdAllocator("lane")
        self._by_name: dict[str, Lane] = {}

    def lane_id(self, name: str, color: str | None = None) -> str:
        """The id of the lane named ``name`` (made on first use); "" for no name."""
        name = name.strip()
        if not name:
            return ""
        lane = self._by_name.get(name)
        if lane is None:
            lane_id = self._ids.take(slugify(name, "lane"), len(self._by_name) + 1)
            lane = Lane(lane_id, name, color or palette_color(len(self._by_name)))
            self._by_name[name] = lane
        return lane.id

    def lanes(self) -> tuple[Lane, ...]:
        return tuple(self._by_name.values())


def lane_names(lanes: Sequence[Lane]) -> dict[str, str]:
    """Lane id → name, for writers that name a lane where the model holds its id."""
    return {lane.id: lane.name for lane in lanes}


# -- dates given as separate parts ----------------------------------------------------------

PART_NAMES = ("year", "month", "day", "hour", "minute", "second")


class PartError(ValueError):
    """A bad date part; ``part`` is its index in :data:`PART_NAMES`."""

    def __init__(self, message: str, part: int) -> None:
        super().__init__(message)
        self.part = part


# More digits than any year (or part) a date may have, with room for "+", zeros and ".0".
_LONGEST_PART = calendar.MAX_YEAR_DIGITS + 10


def whole_number(value: object) -> int | None:
    """A date part as written in JSON or a spreadsheet: 7, 7.0, "7", " -44 "; None when empty.

    ValueError for anything else.
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if len(text) > _LONGEST_PART:  # and int() refuses over 4,300 digits
            raise ValueError(f"{text[:20]!r}… is too long for a date part")
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if re.fullmatch(r"[+-]?\d+\.0*", text):  # spreadsheets write numbers as "2024.0"
            return int(text.split(".")[0])
    raise ValueError(f"{value!r} is not a whole number")


def from_timelinejs_year(year: int) -> int:
    """The astronomical year (0 is 1 BC) of a TimelineJS year.

    TimelineJS shows a negative year -N as "N BCE": its Language.js writes the year's absolute
    value and an era label (https://github.com/NUKnightLab/TimelineJS3, src/js/language/). So
    that is what its authors mean: -500 is 500 BC, astronomically -499. Read astronomically,
    every BC date of a TimelineJS file was a year early.
    """
    return year + 1 if year < 0 else year


def to_timelinejs_year(year: int) -> int:
    """The TimelineJS year that TimelineJS shows as the astronomical ``year``."""
    return year - 1 if year <= 0 else year


def point_from_timelinejs_parts(parts: Sequence[int | None]) -> TimePoint:
    """:func:`point_from_parts` of TimelineJS's parts, its year read as TimelineJS shows it
    (see :func:`from_timelinejs_year`)."""
    year = parts[0] if parts else None
    if year is None:
        return point_from_parts(parts)
    return point_from_parts([from_timelinejs_year(year), *parts[1:]])


def point_from_parts(parts: Sequence[int | None]) -> TimePoint:
    """A floating TimePoint from (year, month, day, hour, minute, second), each None when absent.

    The finest part given is the precision. A part given below a missing one (a day without its
    month) or out of range raises :class:`PartError` naming that part.
    """
    parts = list(parts) + [None] * (len(PART_NAMES) - len(parts))
    if parts[0] is None:
        raise PartError("the year is missing", 0)
    given = [index for index, part in enumerate(parts) if part is not None]
    precision = given[-1]
    for index in range(precision):
        if parts[index] is None:
            raise PartError(
                f"the {PART_NAMES[precision]} is given without the {PART_NAMES[index]}", precision
            )
    year = parts[0]
    if not -calendar.MAX_YEAR <= year <= calendar.MAX_YEAR:
        raise PartError(f"the year is out of range (at most {calendar.MAX_YEAR:,} from year 1)", 0)
    month = parts[1] if parts[1] is not None else 1
    limits = {
        1: (1, 12),
        2: (1, calendar.days_in_month(year, month) if 1 <= month <= 12 else 31),
        3: (0, 23),
        4: (0, 59),
        5: (0, 59),
    }
    for index in range(1, precision + 1):
        low, high = limits[index]
        value = parts[index]
        if not low <= value <= high:  # type: ignore[operator]
            where = ""
            if index == 2:
                where = f" in {calendar.MONTH_NAMES[month - 1]} {calendar.year_label(year)}"
            raise PartError(
                f"{PART_NAMES[index]} {value} does not exist{where} ({low}–{high})", index
            )
    return TimePoint.from_parts(
        tuple(part if part is not None else 0 for part in parts), Precision(precision)
    )


def point_parts(point: TimePoint) -> tuple[int, ...]:
    """(year, month, …) down to the point's precision: the parts a parts-based format writes."""
    every = (point.year, point.month, point.day, point.hour, point.minute, point.second)
    return every[: point.precision + 1]
