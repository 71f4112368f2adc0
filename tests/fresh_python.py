"""Running code in a fresh interpreter, for what only a process's first imports show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def report_of(code: str, *args: str, **environment: str) -> Any:
    """The JSON value on the last line ``code`` prints, run with ``args`` by a new interpreter
    in the repository's root, with ``environment`` added to this one's."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **environment},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])
