"""Generate realistic large timelines for the benchmarks, as TimelineJS3 JSON.

Realistic means what slows timeline tools down in practice: dates clustered around a few busy
periods over several decades, a mix of points and spans of very different lengths, a dozen
lanes, headlines of varying length and HTML bodies, written the way TimelineJS files are found
in the wild (date parts as strings). The output is deterministic for a given count and seed.

    python benchmarks/generate.py 1000000 benchmarks/data/events-1000000.json
    python benchmarks/generate.py 1000000 benchmarks/data/events-1000000.native.json --native
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from desktop.model.calendar import SECONDS_PER_DAY, from_seconds, to_seconds

LANES = (
    "Government", "Parliament", "Military", "Diplomacy", "Economy", "Courts",
    "Protests", "Media", "Health", "Science", "Culture", "Sport",
)  # fmt: skip
WORDS = (
    "minister", "talks", "summit", "vote", "budget", "troops", "border", "treaty", "court",
    "ruling", "strike", "protest", "election", "coalition", "sanctions", "reform", "inquiry",
    "report", "launch", "crisis", "deal", "agreement", "leader", "council", "envoy", "ceasefire",
    "aid", "loan", "market", "rates", "vaccine", "study", "award", "final", "record", "league",
    "festival", "premiere", "merger", "layoffs", "storm", "flood", "drought", "quake", "rescue",
    "appeal", "verdict",
)  # fmt: skip
FIRST = to_seconds(1960, 1, 1)
LAST = to_seconds(2024, 12, 31)


def _date_object(seconds: float, precision: int) -> dict[str, str]:
    year, month, day, hour, minute, _ = from_seconds(seconds)
    parts = {"year": str(year)}
    if precision >= 1:
        parts["month"] = str(month)
    if precision >= 2:
        parts["day"] = str(day)
    if precision >= 3:
        parts["hour"] = str(hour)
        parts["minute"] = str(minute)
    return parts


def generate_events(count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    # Busy periods: a few hundred centres, each with its own spread (days to a couple of years).
    centres = [
        (rng.uniform(FIRST, LAST), math.exp(rng.uniform(math.log(3), math.log(700))))
        for _ in range(max(4, count // 2000))
    ]
    events = []
    for number in range(count):
        centre, spread_days = centres[rng.randrange(len(centres))]
        start = min(LAST, max(FIRST, rng.gauss(centre, spread_days * SECONDS_PER_DAY)))
        precision = rng.choices((0, 1, 2, 3), weights=(2, 8, 75, 15))[0]
        event: dict = {"start_date": _date_object(start, precision)}
        if rng.random() < 0.2:  # a span: hours to years, log-uniform
            length = math.exp(rng.uniform(math.log(3600), math.log(3 * 365 * SECONDS_PER_DAY)))
            event["end_date"] = _date_object(min(LAST + 3e8, start + length), max(precision, 2))
        words = rng.sample(WORDS, rng.randint(3, 7))
        headline = " ".join(words).capitalize()
        body_words = " ".join(rng.choices(WORDS, k=rng.randint(4, 10)))
        event["text"] = {
            "headline": headline,
            "text": f"<p>{body_words.capitalize()}. <em>{rng.choice(WORDS)}</em></p>",
        }
        event["group"] = LANES[min(len(LANES) - 1, int(rng.paretovariate(1.2)) - 1)]
        event["unique_id"] = f"e{number}"
        events.append(event)
    return events


def write_timelinejs(count: int, path: Path, seed: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"title": {"text": {"headline": "Generated timeline", "text": ""}},\n')
        out.write(' "events": [\n')
        for index, event in enumerate(generate_events(count, seed)):
            out.write(("," if index else "") + json.dumps(event, separators=(",", ":")) + "\n")
        out.write("]}\n")


def data_file(count: int, folder: Path | None = None, kind: str = "timelinejs") -> Path:
    """The generated file for ``count`` events, made on first use: TimelineJS, or the same
    timeline in the app's own format (``kind="native"``).

    It is made by a child process: making a big one takes gigabytes, and a process's peak
    memory is handed down to the processes it starts, which would then report it as theirs
    (benchmarks/probes.py measures the peak of each load).
    """
    folder = folder or Path(__file__).resolve().parent / "data"
    path = folder / (f"events-{count}.native.json" if kind == "native" else f"events-{count}.json")
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        native = ["--native"] if kind == "native" else []
        subprocess.run([sys.executable, __file__, str(count), str(path), *native], check=True)
    return path


def write_native_copy(source: Path, out: Path) -> None:
    """The timeline of ``source`` in the app's own format, as File ▸ Save As writes it."""
    from desktop.formats.loader import load_path
    from desktop.formats.native import write_native

    out.write_text(write_native(load_path(source)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--native", action="store_true", help="the same timeline, in the app's own format"
    )
    args = parser.parse_args()
    if args.native:
        with tempfile.TemporaryDirectory() as folder:
            timelinejs = Path(folder) / "events.json"
            write_timelinejs(args.count, timelinejs, args.seed)
            write_native_copy(timelinejs, args.out)
    else:
        write_timelinejs(args.count, args.out, args.seed)
    print(f"{args.out}: {args.count} events, {args.out.stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
