"""Qt stays in desktop/ui: the model, the formats and the layout are plain Python.

That keeps them testable without a screen, and keeps ``--check`` fast and headless.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fresh_python import report_of

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop"
QT_FREE = ("model", "formats", "layout")
BANNED = ("PySide6", "shiboken6", "desktop.ui")


def modules_in(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


QT_FREE_FILES = [path for folder in QT_FREE for path in modules_in(folder)]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module an import statement (anywhere in the file) names, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def is_banned(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in BANNED)


def test_the_qt_free_packages_exist() -> None:
    for folder in QT_FREE:
        assert (PACKAGE / folder / "__init__.py").is_file(), folder
    names = {path.name for path in QT_FREE_FILES}
    assert {"calendar.py", "dates.py", "loader.py", "native.py", "scene.py"} <= names


@pytest.mark.parametrize("path", QT_FREE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_qt_imports(path: Path) -> None:
    offending = [(line, name) for line, name in imported_names(path) if is_banned(name)]
    assert not offending, f"{path.relative_to(ROOT)} imports Qt: {offending}"


def test_the_import_scanner_sees_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "desktop" / "layout" / "sample.py"
    sample.parent.mkdir(parents=True)
    sample.write_text(
        "import os, PySide6.QtGui as gui\n"
        "from PySide6 import QtCore\n"
        "from ..ui import renderer\n"
        "def later():\n"
        "    import shiboken6\n"
        "    importlib.import_module('PySide6.QtWidgets')\n"
        "    __import__('PySide6')\n",
        encoding="utf-8",
    )
    names = [name for _, name in imported_names(sample, tmp_path)]
    assert [name for name in names if is_banned(name)] == [
        "PySide6.QtGui",
        "PySide6",
        "PySide6.QtCore",
        "desktop.ui",
        "desktop.ui.renderer",
        "shiboken6",
        "PySide6.QtWidgets",
        "PySide6",
    ]


def all_qt_free_modules() -> list[str]:
    return [module_name(path) for path in QT_FREE_FILES]


def test_importing_the_qt_free_code_loads_no_qt() -> None:
    modules = [
        "desktop.model",
        "desktop.formats.loader",
        "desktop.layout.scene",
        *all_qt_free_modules(),
        "desktop.bundled",
        "desktop.app",
    ]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "ui = sorted(m for m in sys.modules if m.startswith('desktop.ui'))\n"
        "print(json.dumps({'qt': qt, 'ui': ui, 'n': len(sys.modules)}))\n"
    )
    report = report_of(code, PYTHONIOENCODING="utf-8")
    assert report["qt"] == []
    assert report["ui"] == []
