"""Files shipped with the application (timelines, schema, icons), wherever it runs from.

Installed (wheel or editable) and frozen (PyInstaller) builds carry them as the
``desktop.resources`` package; a checkout run without installing finds the top-level
``resources/`` folder beside the package.
"""

from __future__ import annotations

import functools
import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

BUNDLED_TIMELINE = "timelines/tusk-macron-warsaw.json"


@functools.cache
def resource_root() -> Traversable:
    try:
        return importlib.resources.files("desktop.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Traversable:
    """A bundled file by its path under resources/, e.g. "timelines/x.json"."""
    found = resource_root().joinpath(*name.split("/"))
    if not found.is_file():
        raise FileNotFoundError(f"bundled file {name!r} is missing from this installation")
    return found


def read_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")
