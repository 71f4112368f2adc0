"""Guard against the PySide6 6.12.0 reference-count defect on Python 3.11.

PySide6 6.12.0 drops one reference to ``None`` on every call of many void QPainter methods
(drawLine, fillRect, setPen, ...). On Python 3.11 ``None`` is an ordinary refcounted object, so
after some tens of thousands of paint calls its count reaches zero and the interpreter aborts
with "Fatal Python error: none_dealloc". From 3.12 on ``None`` is immortal (PEP 683) and the leak
is harmless. pyproject.toml therefore keeps Python 3.11 below 6.12; run this file on 3.11 against
any new release before widening that range.
"""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

import PySide6
import pytest
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

PRIMITIVES = 1_000_000
CHECK_EVERY = 100  # loop rounds between refcount checks: stop well before None could die
CALLS_PER_ROUND = 10
ALLOWED_LOSS = 100


def test_a_million_paint_calls_keep_none_alive(qapp: QtWidgets.QApplication) -> None:
    image = QtGui.QImage(64, 48, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("#FFFFFF"))
    pens = [QtGui.QPen(QtGui.QColor(c), 1.5) for c in ("#0072B2", "#D55E00", "#009E73")]
    brushes = [QtGui.QBrush(QtGui.QColor(c)) for c in ("#FCE9D2", "#DDEFFA", "#D9F2EA")]
    fill = QtGui.QColor("#56B4E9")
    rect_f = QtCore.QRectF(2.5, 3.5, 20.0, 8.0)
    line_f = QtCore.QLineF(0.0, 0.0, 63.0, 47.0)
    font = QtGui.QFont()
    font.setPixelSize(9)

    painter = QtGui.QPainter(image)
    painter.setFont(font)
    calls = 0
    before = sys.getrefcount(None)
    lowest = before
    started = time.perf_counter()
    try:
        rounds = PRIMITIVES // CALLS_PER_ROUND
        for i in range(rounds):
            x = i % 60
            y = i % 44
            painter.setPen(pens[i % 3])
            painter.setBrush(brushes[i % 3])
            painter.drawLine(0, y, 63, 47 - y)
            painter.drawLine(line_f)
            painter.drawRect(x, y, 4, 3)
            painter.drawRect(rect_f)
            painter.fillRect(x, 0, 3, 3, fill)
            painter.fillRect(rect_f, fill)
            painter.setPen(pens[(i + 1) % 3])
            if i % 1000 == 0:
                painter.drawText(2, 12, "Warsaw 12 Dec 2024")
            else:
                painter.drawPoint(x, y)
            calls += CALLS_PER_ROUND
            if i % CHECK_EVERY == 0:
                now = sys.getrefcount(None)
                lowest = min(lowest, now)
                if now < before - ALLOWED_LOSS:
                    pytest.fail(
                        f"PySide6 {PySide6.__version__} lost {before - now} references to None "
                        f"in {calls} QPainter calls: this binding would crash Python "
                        f"{sys.version_info.major}.{sys.version_info.minor} "
                        "(Fatal Python error: none_dealloc)"
                    )
    finally:
        painter.end()
    elapsed = time.perf_counter() - started
    after = sys.getrefcount(None)

    assert calls == PRIMITIVES
    assert after >= before - ALLOWED_LOSS, (before, after)
    assert lowest >= before - ALLOWED_LOSS, (before, lowest)
    blank = QtGui.QImage(image.size(), image.format())
    blank.fill(QtGui.QColor("#FFFFFF"))
    assert image != blank  # the painting really happened
    assert elapsed < 120, f"{PRIMITIVES} paint calls took {elapsed:.1f} s"


def test_the_installed_binding_cannot_abort_on_none() -> None:
    """PySide6 6.12.0 leaks references to None from void QPainter calls.

    On Python 3.11 that is a crash after enough painting (None's refcount reaches zero:
    "Fatal Python error: none_dealloc"), so 3.11 must not have 6.12.0; on 3.12+ None is
    immortal (PEP 683), its refcount pinned at a huge constant, so the leak is harmless. This
    checks whichever of the two this interpreter relies on.
    """
    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0"
        assert shiboken6.__version__ != "6.12.0"
        assert tuple(int(part) for part in PySide6.__version__.split(".")[:2]) < (6, 12)
    else:
        assert sys.getrefcount(None) >= 2**31  # immortal: the leak cannot bring it to zero


def test_the_dependency_markers_keep_python_311_off_6_12_0() -> None:
    """Whatever Python runs the tests, pyproject.toml must not let 3.11 install 6.12.0."""
    from packaging.requirements import Requirement

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    bindings = [
        Requirement(text)
        for text in project["project"]["dependencies"]
        if text.lower().startswith("pyside6")
    ]
    assert bindings
    for python, allowed in (("3.11", False), ("3.12", True), ("3.13", True)):
        environment = {"python_version": python, "python_full_version": f"{python}.0"}
        applying = [
            req for req in bindings if req.marker is None or req.marker.evaluate(environment)
        ]
        assert applying, f"no PySide6 requirement applies to Python {python}"
        assert all(req.specifier.contains("6.12.0") == allowed for req in applying), python
        assert all(req.specifier.contains("6.11.3") for req in applying), python
