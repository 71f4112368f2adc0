"""Timeline Viewer: a desktop timeline viewer."""

from importlib import metadata

try:
    __version__ = metadata.version("timeline-viewer")
except metadata.PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
