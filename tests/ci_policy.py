"""What a test does when something it needs is missing: skip on a developer's machine, fail in CI.

CI (CI=true) installs everything the suite needs, so a missing tool or file there is a broken
CI, and must not pass as a quiet skip.
"""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(message: str) -> None:
    """Skip with ``message``, or fail with it when running in CI. Never returns."""
    if in_ci():
        pytest.fail(f"{message}; CI is set, so this fails instead of skipping", pytrace=False)
    pytest.skip(message)
