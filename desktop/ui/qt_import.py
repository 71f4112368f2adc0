"""Importing PySide6 for the window without PySide's source check of every module.

Once imported, PySide6 replaces ``__import__``. After each import statement it asks whether the
module named there uses PySide, so that ``from __feature__ import snake_case`` can later switch
only such modules; the first time a module is named, that means reading its whole source
(``inspect.getsource``) and looking for "PySide6". The window's start names about 45 modules,
the standard library's and ours: ~5 ms of reading files before the first frame. The same cost
is described in napari's start-up investigation (https://github.com/napari/napari/issues/8584).

This program never imports ``__feature__``, so no module's answer changes how PySide behaves
for it: every one sees PySide's default names. :func:`import_qt` records the answers before
they are asked: every module already loaded, and every module of this package, is entered as
not using PySide (-1), except ``desktop.ui``'s modules, which do use it (0). Answers PySide has
already recorded are kept. If PySide ever keeps its answers elsewhere, nothing is recorded and
it reads the sources as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

USES_PYSIDE, NO_PYSIDE = 0, -1  # the values PySide's check records


def import_qt() -> None:
    """Import PySide6's QtCore, then answer PySide's per-module check in advance."""
    import PySide6.QtCore  # noqa: F401  (installs PySide's import hook)

    feature = sys.modules.get("shibokensupport.feature")
    answers = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(answers, dict):
        return
    ui = f"{__package__}."  # the window's modules, this one's neighbours, use PySide
    for name in [*sys.modules, *package_modules()]:
        answers.setdefault(name, USES_PYSIDE if name.startswith(ui) else NO_PYSIDE)


def package_modules() -> list[str]:
    """The dotted names of this package's modules, found from their source files (none in a
    frozen bundle without sources, where PySide's check finds no source to read either)."""
    package = __name__.split(".", 1)[0]
    root = Path(__file__).resolve().parent.parent
    try:
        folders = [(root, package)] + [
            (folder, f"{package}.{folder.name}")
            for folder in root.iterdir()
            if (folder / "__init__.py").is_file()
        ]
        return [
            name
            for folder, dotted in folders
            for name in (
                dotted,
                *(
                    f"{dotted}.{path.stem}"
                    for path in folder.iterdir()
                    if path.suffix == ".py" and path.stem != "__init__"
                ),
            )
        ]
    except OSError:  # no such folder: a frozen bundle keeps its modules in an archive
        return []
