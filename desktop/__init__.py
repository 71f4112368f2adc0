"""Timeline Viewer: a desktop timeline viewer."""

from __future__ import annotations

from functools import cache


@cache
def version() -> str:
    """The installed version, single-sourced from pyproject.toml through the package metadata.

    Looked up on first use: importlib.metadata costs tens of milliseconds to import, which
    start-up does not need to pay.
    """
    from importlib import metadata

    try:
        return metadata.version("timeline-viewer")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
