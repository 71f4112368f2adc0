"""Files shipped with the application (timelines, schema, icons), wherever it runs from.

Installed (wheel or editable) and frozen (PyInstaller) builds carry them as the
``desktop.resources`` package; a checkout run without installing finds the top-level
``resources/`` folder beside the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

BUNDLED_TIMELINE = "timelines/tusk-macron-warsaw.json"


def resource_root() -> Traversable:
    try:
        import desktop.resources as package
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"
    # A package in a folder (a wheel, an editable install, a PyInstaller bundle) is read from
    # that folder directly: importlib.resources finds the same one, but importing it costs
    # start-up a few milliseconds.
    if package.__file__ is not None and (folder := Path(package.__file__).parent).is_dir():
        return folder
    import importlib.resources  # anything else, such as a package inside a zip file

    return importlib.resources.files(package)


def resource(name: str) -> Traversable:
    """A bundled file by its path under resources/, e.g. "timelines/x.json"."""
    found = resource_root().joinpath(*name.split("/"))
    if not found.is_file():
        raise FileNotFoundError(f"bundled file {name!r} is missing from this installation")
    return found


def read_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")
