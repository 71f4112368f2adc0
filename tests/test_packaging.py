"""Packaging: the desktop integration files are valid and agree with the code and pyproject.toml,
the PyInstaller spec bundles the resources folder, and a wheel carries the bundled data.

The validators (desktop-file-validate, appstreamcli) and the wheel's build backend come from
outside the test environment: when one is missing the test is skipped locally, but fails when
the CI environment variable is set, so CI cannot pass by skipping.
"""

from __future__ import annotations

import ast
import configparser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ci_policy import missing

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LINUX = ROOT / "packaging" / "linux"
SPEC = ROOT / "packaging" / "pyinstaller" / "timeline-viewer.spec"
INSTALL_SCRIPT = LINUX / "install-desktop-integration.sh"
BUNDLED_FILES = (
    "timelines/tusk-macron-warsaw.json",
    "schema/timeline.schema.json",
    "icons/timeline-viewer.svg",
)


def _require_tool(tool: str, debian_package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} is not on PATH (Debian/Ubuntu: apt-get install {debian_package})")
    return path


def _assigns(node: ast.stmt, name: str) -> bool:
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == name for target in node.targets
    )


def _module_constant(path: Path, name: str) -> str:
    """The string a module assigns to NAME at top level, read without importing the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if (
            _assigns(node, name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise AssertionError(f"{path.relative_to(ROOT)} assigns no string to {name}")


APP_ID = _module_constant(ROOT / "desktop" / "ui" / "application.py", "DESKTOP_FILE")
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def _desktop_entry(path: Path = DESKTOP) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def _metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


# -- the validators ------------------------------------------------------------------------------
def test_desktop_file_is_valid():
    tool = _require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Hints are advice; errors and warnings are not accepted.
    assert not re.search(r"\b(error|warning):", output), output


def test_metainfo_is_valid():
    tool = _require_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    # appstreamcli exits non-zero for errors and warnings, zero for info and pedantic notes.
    assert result.returncode == 0, result.stdout + result.stderr


# -- agreement with the code and pyproject.toml --------------------------------------------------
def test_desktop_file_is_named_as_the_application_says():
    # Qt tells the desktop (Wayland app_id, _GTK_APPLICATION_ID) the desktop file's name.
    assert DESKTOP.is_file(), f"packaging/linux/ has no {APP_ID}.desktop"
    assert sorted(path.name for path in LINUX.glob("*.desktop")) == [DESKTOP.name]
    assert _desktop_entry()["Icon"] == APP_ID


def test_metainfo_names_the_same_application():
    root = _metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("project_license") == PYPROJECT["project"]["license"]


def test_launcher_and_metainfo_run_the_installed_command():
    (command,) = PYPROJECT["project"]["gui-scripts"]
    assert _desktop_entry()["Exec"].split()[0] == command
    assert _desktop_entry()["TryExec"] == command
    assert [binary.text for binary in _metainfo().iter("binary")] == [command]


def test_newest_release_is_the_project_version():
    releases = _metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == PYPROJECT["project"]["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))


def test_packaging_files_use_the_same_id():
    assert _module_constant(SPEC, "APP_ID") == APP_ID
    script = INSTALL_SCRIPT.read_text(encoding="utf-8")
    assert re.search(rf"^APP_ID={re.escape(APP_ID)}$", script, re.MULTILINE)


def test_readme_images_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", readme)
    local = [image for image in images if "://" not in image]
    assert [image for image in local if not (ROOT / image).is_file()] == []


# -- the PyInstaller spec -----------------------------------------------------------------------
def _spec_resource_files() -> tuple[Path, list[tuple[str, str]]]:
    """The spec's RESOURCES and resource_files(), run on this checkout without PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    wanted = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name == "resource_files")
        or _assigns(node, "RESOURCES")
    ]
    assert len(wanted) == 2, "the spec should define RESOURCES and resource_files()"
    namespace: dict[str, object] = {"ROOT": ROOT, "Path": Path}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace["RESOURCES"], namespace["resource_files"]()


def test_spec_bundles_the_resources_folder_as_the_package():
    resources, files = _spec_resource_files()
    # The same folder setuptools installs as desktop.resources.
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]["desktop.resources"]
    assert resources == ROOT / mapped
    assert (resources / "__init__.py").is_file()
    for source, _ in files:
        assert Path(source).is_file(), source
    bundled = {f"{folder}/{Path(source).name}" for source, folder in files}
    for name in BUNDLED_FILES:
        assert f"desktop/resources/{name}" in bundled
    assert not any("__pycache__" in source or source.endswith(".pyc") for source, _ in files)
    # desktop.resources has no folder in the checkout: the spec adds its module by hand.
    assert '("desktop.resources", str(RESOURCES / "__init__.py"), "PYMODULE")' in SPEC.read_text(
        encoding="utf-8"
    )


# -- the desktop integration installer ----------------------------------------------------------
def test_install_script_installs_and_removes_the_integration(tmp_path):
    bash = _require_tool("bash", "bash")
    data = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data)}
    env.pop("DESTDIR", None)
    installed = [
        data / "applications" / DESKTOP.name,
        data / "metainfo" / METAINFO.name,
        data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
    ]

    def run(*arguments: str) -> None:
        result = subprocess.run(
            [bash, str(INSTALL_SCRIPT), *arguments],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    for _ in range(2):  # a second run changes nothing
        run()
        assert [path.read_bytes() for path in installed] == [
            DESKTOP.read_bytes(),
            METAINFO.read_bytes(),
            (ROOT / "resources" / "icons" / "timeline-viewer.svg").read_bytes(),
        ]

    program = tmp_path / "bundle dir" / "timeline-viewer"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    run("--exec", str(program))
    entry = _desktop_entry(installed[0])
    assert entry["Exec"] == f'"{program}" %f'
    assert entry["TryExec"] == str(program)

    run("--uninstall")
    assert not any(path.exists() for path in installed)


# -- the wheel ----------------------------------------------------------------------------------
def _missing_build_requirements() -> list[str]:
    from packaging.requirements import Requirement

    missing = []
    for text in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            version = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(text)
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            missing.append(f"{text} (found {version})")
    return missing


def test_wheel_carries_the_bundled_data(tmp_path):
    # Built offline: no build isolation, so the backend must be in this environment already.
    missing = _missing_build_requirements()
    if missing:
        missing(
            "building the wheel offline needs the build requirements in this environment: "
            + ", ".join(missing)
        )
    # Build from a copy: setuptools writes build/ and *.egg-info into the source tree, and a
    # stale build/lib there could slip files into the wheel that the checkout no longer has.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for path in ROOT.glob("LICEN[CS]E*"):
        shutil.copy2(path, source / path.name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("desktop", "resources"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    out = tmp_path / "wheel"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
        version = re.search(r"^Version: (.+)$", archive.read(metadata).decode(), re.MULTILINE)
    for name in (*BUNDLED_FILES, "__init__.py"):
        assert f"desktop/resources/{name}" in names
    assert "desktop/app.py" in names
    assert not any(name.startswith(("tests/", "resources/")) for name in names)
    assert version is not None
    assert version.group(1) == PYPROJECT["project"]["version"]
