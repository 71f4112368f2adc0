"""desktop.ui.qt_import: the window's start does not pay PySide's reading of module sources.

PySide's check runs in the process that imports PySide first, so each case starts a fresh
interpreter. The check is watched by wrapping PySide's own function for it: if a PySide release
renames it, these tests fail and say so, rather than pass while start-up pays the cost again.
"""

from __future__ import annotations

from pathlib import Path

from fresh_python import report_of

from desktop.ui.qt_import import NO_PYSIDE, USES_PYSIDE, package_modules

ROOT = Path(__file__).resolve().parents[1]

# The window's start as desktop.app runs it: the command line and loader first, then Qt, then the
# window's modules (the panels' too, which it imports right after the first frame).
START = """
import json, sys
import desktop.app
import PySide6.QtCore
feature = sys.modules["shibokensupport.feature"]
read = []
check = feature._mod_uses_pyside
def reading(module):
    read.append(module.__name__)
    return check(module)
feature._mod_uses_pyside = reading
loaded_before = sorted(sys.modules)
if sys.argv[1] == "import_qt":
    from desktop.ui.qt_import import import_qt
    import_qt()
read.clear()
import desktop.ui.application, desktop.ui.event_table, desktop.ui.details_panel
answers = {name: feature.pyside_feature_dict.get(name) for name in sys.modules}
print(json.dumps({"read": read, "loaded_before": loaded_before, "answers": answers}))
"""


def start(mode: str) -> dict:
    return report_of(START, mode, QT_QPA_PLATFORM="offscreen")


def test_the_windows_modules_are_not_read_after_import_qt() -> None:
    ours = set(package_modules())
    without = start("plain")
    # What the check costs without import_qt: our modules and the standard library's are read.
    assert {"desktop.ui.main_window", "desktop.model.dates", "typing", "logging"} <= set(
        without["read"]
    )
    with_answers = start("import_qt")
    read = set(with_answers["read"])
    assert not read & ours, "modules of this package were read"
    assert not read & set(with_answers["loaded_before"]), "modules loaded before Qt were read"
    # PySide's own answers for the window's modules are the ones recorded in advance.
    answers = with_answers["answers"]
    assert answers["desktop.ui.main_window"] == USES_PYSIDE
    assert answers["desktop.ui.renderer"] == USES_PYSIDE
    assert answers["desktop.layout.scene"] == NO_PYSIDE
    assert answers["typing"] == NO_PYSIDE


def test_every_module_of_the_package_is_listed() -> None:
    on_disk = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "desktop").rglob("*.py")
    }
    assert set(package_modules()) == on_disk
