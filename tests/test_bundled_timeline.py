"""The bundled Tusk–Macron timeline: it loads as installed, and it says what the research says.

The research (shared/research/seed-events.md) and the article it is built from
(shared/seed/tusk-macron-article.txt) live in the shared folder beside the repository clone. A
missing shared folder skips the checks that need it on a developer's machine (a fresh clone has
no shared/), and fails them in CI, where it is always laid beside the clone.
"""

from __future__ import annotations

import collections
import importlib.resources
import json
import re
from pathlib import Path

import pytest
from ci_policy import missing

from desktop.bundled import BUNDLED_TIMELINE, read_text, resource
from desktop.formats.loader import load_bundled, read_text_document
from desktop.model.dates import DateSpan, Precision, TimePoint
from desktop.model.timeline import Event, Provenance, Timeline

SHARED = Path(__file__).resolve().parents[2] / "shared"
ARTICLE = SHARED / "seed" / "tusk-macron-article.txt"
RESEARCH = SHARED / "research" / "seed-events.md"
ARTICLE_PUBLISHER = "CNews Live"


def shared_text(path: Path) -> str:
    if not path.is_file():
        missing(
            f"{path} is missing: the bundled timeline is checked against the shared research "
            f"and article, expected in shared/ beside the repository clone (looked in {SHARED})"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return load_bundled()


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(read_text(BUNDLED_TIMELINE))


@pytest.fixture(scope="module")
def article() -> str:
    return shared_text(ARTICLE)


@pytest.fixture(scope="module")
def research() -> str:
    return shared_text(RESEARCH)


def day(text: str) -> float:
    return TimePoint.parse(text).start_seconds()


# -- loading ------------------------------------------------------------------------------


def test_bundled_file_is_found_through_importlib_resources() -> None:
    found = importlib.resources.files("desktop.resources").joinpath(*BUNDLED_TIMELINE.split("/"))
    assert found.is_file()
    text = found.read_text(encoding="utf-8")
    assert text == read_text(BUNDLED_TIMELINE)
    assert resource(BUNDLED_TIMELINE).read_text(encoding="utf-8") == text
    assert read_text_document(text) == load_bundled()


def test_missing_bundled_file_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match="missing from this installation"):
        resource("timelines/no-such-file.json")


def test_bundled_timeline_loads(timeline: Timeline) -> None:
    assert timeline.title.startswith("Tusk and Macron in Warsaw")
    assert len(timeline.events) == 28
    assert timeline.source is not None
    assert timeline.source.publisher == ARTICLE_PUBLISHER
    assert timeline.source.date == TimePoint(2024, 12, 12)


# -- the events the research names --------------------------------------------------------

# id → (date as the research gives it, provenance, place). "article": the article states it.
EXPECTED = {
    "russia-invasion": ("2022-02-24", "other-reporting", "Ukraine"),
    "trump-rally-nato": ("2024-02-10", "other-reporting", None),
    "paris-conference": ("2024-02-26", "article", "Paris"),
    "scholz-rejects": ("2024-02-27", "article", None),
    "tusk-prague": ("2024-02-27", "other-reporting", "Prague"),
    "sejourne-non-combat": ("2024-02-27/2024-02-28", "article", None),
    "trainer-coalition": ("2024-06-07", "article", None),
    "trainer-opposition": ("2024-06-09", "other-reporting", None),
    "trainer-plan-stalls": ("2024-07~", "article", None),
    "us-election": ("2024-11-05", "article", None),
    "starmer-armistice-paris": ("2024-11-11", "other-reporting", "Paris"),
    "weimar-foreign-ministers-nov": ("2024-11-19", "other-reporting", "Warsaw"),
    "lemonde-france-uk": ("2024-11-25", "article", None),
    "nb8-harpsund": ("2024-11-27", "other-reporting", None),
    "kallas-troops": ("2024-12-01", "other-reporting", None),
    "france-uk-ceasefire-monitoring": ("2024-12-03", "article", None),
    "baerbock-troops": ("2024-12-03", "other-reporting", None),
    "elysee-trilateral": ("2024-12-07", "other-reporting", "Paris"),
    "trump-ceasefire-call": ("2024-12-08", "article", None),
    "zelensky-open": ("2024-12-09", "other-reporting", None),
    "tusk-winter-talks": ("2024-12-10", "other-reporting", None),
    "politico-peacekeeping-agenda": ("2024-12-11", "other-reporting", None),
    "warsaw-talks": ("2024-12-12", "article", "Warsaw"),
    "berlin-foreign-ministers": ("2024-12-12", "article", "Berlin"),
    "warsaw-finance-ministers": ("2024-12-12", "article", "Warsaw"),
    "poland-eu-presidency": ("2025-01-01", "other-reporting", None),
    "trump-inauguration": ("2025-01-20", "other-reporting", None),
}


@pytest.mark.parametrize("event_id", sorted(EXPECTED))
def test_research_event_is_present_with_its_date(timeline: Timeline, event_id: str) -> None:
    date, provenance, place = EXPECTED[event_id]
    item = timeline.event(event_id)
    assert item.when == DateSpan.parse(date)
    assert item.provenance is Provenance(provenance)
    if place is not None:
        assert item.place == place


def test_macrons_proposal(timeline: Timeline, article: str) -> None:
    proposal = timeline.event("paris-conference")
    assert proposal.when == DateSpan(TimePoint(2024, 2, 26))
    assert proposal.start.precision is Precision.DAY
    assert not proposal.start.approximate
    assert not proposal.start.uncertain
    assert proposal.provenance is Provenance.ARTICLE
    first = proposal.references[0]
    assert (
        first.quote == "Macron first raised the idea in February, but it was rejected by Germany."
    )
    assert first.quote in article
    assert first.publisher == ARTICLE_PUBLISHER


def test_germany_rejects_the_next_day(timeline: Timeline) -> None:
    rejection = timeline.event("scholz-rejects")
    assert rejection.when == DateSpan.parse("2024-02-27")
    assert "Olaf Scholz" in rejection.actors
    assert rejection.lane == "germany"


def test_the_trainer_plan(timeline: Timeline) -> None:
    coalition = timeline.event("trainer-coalition")
    assert coalition.when == DateSpan.parse("2024-06-07")
    assert coalition.start.precision is Precision.DAY
    stalls = timeline.event("trainer-plan-stalls")
    assert stalls.start.precision is Precision.MONTH
    assert stalls.start.approximate
    assert (stalls.start.year, stalls.start.month) == (2024, 7)
    assert stalls.when.start_seconds() == day("2024-07-01")
    assert stalls.when.end_seconds() == day("2024-08-01")
    assert stalls.date_text().startswith("July 2024")


def test_us_election_and_transition(timeline: Timeline) -> None:
    election = timeline.event("us-election")
    assert election.when == DateSpan.parse("2024-11-05")
    call = timeline.event("trump-ceasefire-call")
    assert call.when == DateSpan.parse("2024-12-08")
    assert call.lane == "united-states"
    assert timeline.event("trump-inauguration").when == DateSpan.parse("2025-01-20")


def test_france_uk_talks(timeline: Timeline) -> None:
    talks = timeline.event("lemonde-france-uk")
    assert talks.when == DateSpan.parse("2024-11-25")
    assert any("lemonde.fr" in ref.url for ref in talks.references)


def test_three_separate_meetings_on_thursday_12_december(timeline: Timeline) -> None:
    thursday = DateSpan.parse("2024-12-12")
    on_the_day = [item for item in timeline.events if item.when == thursday]
    assert [(item.id, item.place) for item in on_the_day] == [
        ("warsaw-talks", "Warsaw"),
        ("berlin-foreign-ministers", "Berlin"),
        ("warsaw-finance-ministers", "Warsaw"),
    ]
    assert len({item.title for item in on_the_day}) == 3
    talks = timeline.event("warsaw-talks")
    assert {"Emmanuel Macron", "Donald Tusk"} <= set(talks.actors)
    finance = timeline.event("warsaw-finance-ministers")
    assert {"Jörg Kukies", "Antoine Armand", "Andrzej Domański"} <= set(finance.actors)


def test_context_before_and_after(timeline: Timeline) -> None:
    assert timeline.events[0].id == "russia-invasion"
    assert timeline.events[0].when == DateSpan.parse("2022-02-24")
    assert timeline.events[-1].id == "trump-inauguration"
    assert timeline.extent() == (day("2022-02-24"), TimePoint.parse("2025-01-20").end_seconds())


def test_every_research_date_has_its_events(timeline: Timeline, research: str) -> None:
    """Each dated row of the research tables is an event on that date (as many as rows)."""
    rows = collections.Counter()
    for line in research.splitlines():
        match = re.match(r"^\| \**(\d{4}-\d{2}(?:-\d{2})?)(/\d{2})?", line)
        if match is None:
            continue
        date, second_day = match.groups()
        if second_day:  # "2024-02-27/28": one of two days, shown as a span
            date = f"{date}/{date[:8]}{second_day[1:]}"
        elif "approx" in line.split("|")[2]:
            date += "~"
        rows[date] += 1
    assert sum(rows.values()) >= 20  # the tables were read (27 dated rows when written)
    events = collections.Counter(item.when.isoformat() for item in timeline.events)
    for date, count in rows.items():
        assert events[date] >= count, f"the research has {count} event(s) on {date}"


def test_every_research_source_is_cited(timeline: Timeline, research: str) -> None:
    cited = [ref.url for item in timeline.events for ref in item.references if ref.url]
    addresses = re.findall(r"[a-z0-9.-]+\.[a-z]{2,}/[^\s;|)]*", research)
    assert len(addresses) >= 20
    for address in addresses:
        assert any(address.rstrip("/") in url for url in cited), address


# -- honesty about sources and precision --------------------------------------------------


def test_article_events_quote_the_article_verbatim(timeline: Timeline, article: str) -> None:
    article_events = [e for e in timeline.events if e.provenance is Provenance.ARTICLE]
    assert len(article_events) >= 10
    for item in article_events:
        quotes = [ref.quote for ref in item.references if ref.quote]
        assert quotes, f"{item.id} is marked as stated in the article but quotes nothing"
        assert any(quote in article for quote in quotes), item.id


def test_every_quote_of_the_article_is_verbatim(timeline: Timeline, article: str) -> None:
    for item in timeline.events:
        for ref in item.references:
            if ref.quote:
                assert ref.publisher == ARTICLE_PUBLISHER, item.id
                assert ref.quote in article, f"{item.id}: {ref.quote!r} is not in the article"


def test_other_reporting_events_cite_a_link(timeline: Timeline) -> None:
    for item in timeline.events:
        if item.provenance is Provenance.OTHER_REPORTING:
            assert any(ref.url for ref in item.references), item.id


def test_no_event_is_more_precise_than_the_research(timeline: Timeline) -> None:
    points = [p for item in timeline.events for p in (item.start, item.end) if p is not None]
    points += [p for era in timeline.eras for p in (era.span.start, era.span.end) if p]
    for point in points:
        assert point.precision <= Precision.DAY, point.isoformat()
        assert point.zone is None


def test_undated_article_claims_are_approximate_or_uncertain(timeline: Timeline) -> None:
    vague = [
        item
        for item in timeline.events
        if item.start.precision < Precision.DAY
        or (item.end is not None and item.end.precision < Precision.DAY)
        or re.search(r"undated|approximate", item.display_date)
    ]
    assert {"trainer-plan-stalls", "ukraine-nordic-baltic-talks"} <= {e.id for e in vague}
    for item in vague:
        for point in (item.start, item.end):
            if point is not None:
                assert point.approximate or point.uncertain, item.id
    baltic = timeline.event("ukraine-nordic-baltic-talks")
    assert baltic.provenance is Provenance.ARTICLE
    assert baltic.confidence.value == "low"
    assert baltic.date_text() == "autumn 2024 (undated in the article)"


def test_default_view_is_proposal_to_warsaw(timeline: Timeline) -> None:
    assert timeline.view == DateSpan.parse("2024-02-26/2024-12-12")
    start, end = timeline.initial_range()
    assert start == day("2024-02-26")
    assert end == TimePoint.parse("2024-12-12").end_seconds()
    assert end == day("2024-12-13")


def test_lanes_are_declared_and_used(timeline: Timeline, raw: dict) -> None:
    declared = [lane["id"] for lane in raw["lanes"]]
    assert len(declared) == len(set(declared))
    used = {event.get("lane", "") for event in raw["events"]}
    assert used <= set(declared)
    assert set(declared) <= used, "a declared lane has no events"
    assert all(item.lane for item in timeline.events)
    assert timeline.lane_order() == tuple(declared)


def test_ids_are_unique(raw: dict) -> None:
    ids = [event["id"] for event in raw["events"]]
    assert len(ids) == len(set(ids))
    era_ids = [era["id"] for era in raw["eras"]]
    assert len(era_ids) == len(set(era_ids))


def test_reference_urls_are_https_or_empty(timeline: Timeline) -> None:
    urls = [ref.url for item in timeline.events for ref in item.references]
    assert urls
    for url in urls:
        assert url == "" or re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?", url), url
    if timeline.source is not None:
        assert timeline.source.url == "" or timeline.source.url.startswith("https://")


def test_events_have_the_fields_the_viewer_shows(timeline: Timeline) -> None:
    for item in timeline.events:
        assert item.title and item.summary and item.body, item.id
        assert item.body.startswith("<p>"), item.id
        assert item.actors, item.id
        assert item.references, item.id
        assert item.confidence.value != "unknown", item.id


def test_eras_cover_the_story(timeline: Timeline) -> None:
    eras = {era.id: era for era in timeline.eras}
    assert eras["proposal"].span == DateSpan.parse("2024-02-26/2024-02-28")
    assert eras["election-to-warsaw"].span == DateSpan.parse("2024-11-05/2024-12-12")
    starts = [era.span.start_seconds() for era in timeline.eras]
    assert starts == sorted(starts)
    for before, after in zip(timeline.eras, timeline.eras[1:], strict=False):
        assert before.span.end_seconds() <= after.span.start_seconds(), (before.id, after.id)


def _event_ids(events: tuple[Event, ...]) -> list[str]:
    return [item.id for item in events]


def test_file_order_is_chronological(raw: dict, timeline: Timeline) -> None:
    assert [event["id"] for event in raw["events"]] == _event_ids(timeline.events)


def test_missing_shared_files_fail_in_ci_and_skip_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    absent = tmp_path / "shared" / "seed" / "tusk-macron-article.txt"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        shared_text(absent)
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        shared_text(absent)


def test_a_day_the_research_narrows_to_two_says_either_not_both(timeline: Timeline) -> None:
    """The research dates Séjourné's remarks to one of two days ("2024-02-27/28"); "27–28
    February" read as an event lasting both (from a user test)."""
    sejourne = timeline.event("sejourne-non-combat")
    assert sejourne.when.isoformat() == "2024-02-27/2024-02-28"
    assert sejourne.date_text() == "27 or 28 February 2024"


def test_quotations_take_the_marks_the_texts_take(timeline: Timeline) -> None:
    """A quotation in a title or summary is marked “like this”, as the texts mark theirs
    (&ldquo;…&rdquo;) and as a <q> is shown; from a user test: the titles quoted with single
    straight marks and the texts with double curly ones. Apostrophes are not quotations."""
    straight = re.compile(r"""(?:^|[\s(:“])'[^']*'(?=[\s.,;:!?)”]|$)|\"""")
    for item in timeline.events:
        for field in (item.title, item.summary):
            assert not straight.search(field), f"{item.id}: {field!r}"
