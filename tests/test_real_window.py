"""The installed app in a real X11 window, driven like a user: Xvfb, xdotool and screenshots.

The test starts the ``timeline-viewer`` console script on its own Xvfb display with an empty
settings folder, then uses only what a user has: the keyboard (Ctrl+G, Escape, Ctrl+Q), real
wheel notches and a real click. It finds things on screen by looking at screenshots, never by
asking the app: the canvas by the Poland lane's colour key (drawn 6 px from the canvas's left
edge) and the dock splitter right of the canvas, and the "Macron–Tusk talks in Warsaw" marker as
the Poland-coloured diamond at the centre of the canvas after "Go to Date" has centred the view
on 12 December 2024.

Screenshots go to ``tests/artifacts/`` (gitignored) as well as the test's tmp_path:
01-opening.png, 02-zoomed.png, 03-clicked.png.

Missing tools skip the test locally, but fail it when the CI environment variable is set, so a
CI image without Xvfb cannot pass by silently skipping.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.xvfb

TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "import": "imagemagick"}
ARTIFACTS = Path(__file__).parent / "artifacts"
APP_SCRIPT = Path(sys.executable).parent / "timeline-viewer"

APP_NAME = "Timeline Viewer"
EVENT_TITLE = "Macron–Tusk talks in Warsaw"  # id warsaw-talks, 12 Dec 2024, lane Poland
POLAND = (0xD5, 0x5E, 0x00)  # the Poland lane's colour in the bundled timeline
COLOUR_TOLERANCE = 8
WINDOW_SIZE = (1600, 1000)
WHEEL_NOTCHES = 4
NOTCH_FACTOR = 1.0015**120  # one notch of 120 units, as in desktop/ui/timeline_view.py
TIMEOUT = 15.0  # seconds for any one wait
XVFB_COMMAND = ("Xvfb", "-screen", "0", "1920x1200x24", "-nolisten", "tcp")


def _require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    packages = " ".join(sorted({TOOLS[tool] for tool in missing}))
    message = (
        f"real-window test needs {', '.join(missing)} on PATH "
        f"(Debian/Ubuntu: apt-get install {packages})"
    )
    missing(message)


# -- screenshots --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Blob:
    x0: int
    y0: int
    x1: int
    y1: int
    count: int

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    @property
    def width(self) -> int:
        return self.x1 - self.x0 + 1

    @property
    def height(self) -> int:
        return self.y1 - self.y0 + 1


class Shot:
    """A screenshot as RGB bytes; QImage only reads the PNG, so no display is needed."""

    def __init__(self, path: Path) -> None:
        image = QImage(str(path))
        assert not image.isNull(), f"could not read screenshot {path}"
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        self.path = path
        self.width = image.width()
        self.height = image.height()
        self.stride = image.bytesPerLine()
        self.data = bytes(image.constBits())

    def rgb(self, x: int, y: int) -> tuple[int, int, int]:
        offset = y * self.stride + x * 3
        return self.data[offset], self.data[offset + 1], self.data[offset + 2]

    def row(self, y: int, x0: int, x1: int) -> bytes:
        return self.data[y * self.stride + x0 * 3 : y * self.stride + x1 * 3]

    def same_pixels(self, other: Shot) -> bool:
        return self.data == other.data

    def changed(self, other: Shot, x0: int, y0: int, x1: int, y1: int) -> int:
        """How many pixels in [x0, x1) x [y0, y1) differ between the two shots."""
        count = 0
        for y in range(y0, y1):
            mine, theirs = self.row(y, x0, x1), other.row(y, x0, x1)
            if mine != theirs:
                count += sum(mine[i : i + 3] != theirs[i : i + 3] for i in range(0, len(mine), 3))
        return count

    def blobs(self, colour: tuple[int, int, int], x0: int, y0: int, x1: int, y1: int) -> list[Blob]:
        """Connected areas of ``colour`` (± COLOUR_TOLERANCE per channel) in the rectangle."""
        low = [max(0, c - COLOUR_TOLERANCE) for c in colour]
        high = [min(255, c + COLOUR_TOLERANCE) for c in colour]
        hits: set[tuple[int, int]] = set()
        for y in range(max(0, y0), min(self.height, y1)):
            row = self.row(y, max(0, x0), min(self.width, x1))
            for i in range(0, len(row), 3):
                if (
                    low[0] <= row[i] <= high[0]
                    and low[1] <= row[i + 1] <= high[1]
                    and low[2] <= row[i + 2] <= high[2]
                ):
                    hits.add((max(0, x0) + i // 3, y))
        found = []
        while hits:
            stack = [hits.pop()]
            xs, ys = [], []
            while stack:
                x, y = stack.pop()
                xs.append(x)
                ys.append(y)
                for neighbour in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                    if neighbour in hits:
                        hits.remove(neighbour)
                        stack.append(neighbour)
            found.append(Blob(min(xs), min(ys), max(xs), max(ys), len(xs)))
        return sorted(found, key=lambda blob: (blob.y0, blob.x0))


def _is_diamond(blob: Blob) -> bool:
    # A point event's marker: radius 5 (6.5 when selected), so roughly 8-15 px square.
    return 6 <= blob.width <= 16 and 6 <= blob.height <= 16 and blob.count >= 15


@dataclass(frozen=True)
class Canvas:
    left: int
    right: int  # first column right of the canvas
    lane_top: int  # the Poland lane's top (y of its colour key minus 5)
    lane_bottom: int  # the Poland lane's extent searched for markers

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


def find_canvas(shot: Shot) -> Canvas:
    """The canvas's horizontal extent and the Poland lane's rows, from what is drawn."""
    keys = [
        blob
        for blob in shot.blobs(POLAND, 0, 0, 40, shot.height)
        if blob.width == 10 and blob.height >= 4
    ]
    assert keys, f"the Poland lane's colour key was not found in {shot.path}"
    key = keys[0]  # the renderer draws it at x = 6 .. 16 of the canvas, 5 px below the lane top
    left = key.x0 - 6
    # The lane's header line crosses every canvas column just above the key, so the first column
    # that is one flat colour from above that line to below the key is the dock splitter.
    top, bottom = key.y0 - 10, key.y1 + 10
    right = None
    for x in range(key.x1 + 20, shot.width):
        first = shot.rgb(x, top)
        if all(shot.rgb(x, y) == first for y in range(top, bottom)):
            right = x
            break
    assert right is not None, f"the canvas's right edge was not found in {shot.path}"
    return Canvas(left, right, key.y0 - 5, min(shot.height, key.y0 + 240))


def poland_markers(shot: Shot, canvas: Canvas) -> list[Blob]:
    blobs = shot.blobs(POLAND, canvas.left + 20, canvas.lane_top, canvas.right, canvas.lane_bottom)
    return [blob for blob in blobs if _is_diamond(blob)]


# -- processes ----------------------------------------------------------------------------------
def _read_display_number(fd: int, process: subprocess.Popen, deadline: float) -> str | None:
    """What Xvfb writes to -displayfd once it accepts connections; None if it gave up."""
    data = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:
                break  # Xvfb exited (the display was taken)
            data += chunk
            if b"\n" in data:
                break
        elif data.strip().isdigit() and process.poll() is None:
            break  # written without a newline yet; the server is up
        elif process.poll() is not None:
            break
    text = data.decode("ascii", "replace").strip()
    return text if text.isdigit() else None


@pytest.fixture
def xvfb(tmp_path: Path) -> Iterator[str]:
    """An Xvfb server on the first free display from :90; yields ":N"."""
    _require_tools()
    log = tmp_path / "xvfb.log"
    for number in range(90, 130):
        if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
            continue
        read_fd, write_fd = os.pipe()
        with log.open("ab") as log_file:
            process = subprocess.Popen(
                [*XVFB_COMMAND, f":{number}", "-displayfd", str(write_fd)],
                pass_fds=(write_fd,),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
        os.close(write_fd)
        try:
            shown = _read_display_number(read_fd, process, time.monotonic() + TIMEOUT)
        finally:
            os.close(read_fd)
        if shown is not None:
            try:
                yield f":{shown}"
            finally:
                _stop(process)
            return
        _stop(process)
    pytest.fail(f"no Xvfb display could be started on :90-:129; see {log}", pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


class Desktop:
    """xdotool and import on one display, with timeouts and screenshots kept twice."""

    def __init__(self, display: str, home: Path, shots: Path) -> None:
        self.shots = shots
        self.env = {key: value for key, value in os.environ.items() if key != "WAYLAND_DISPLAY"}
        self.env.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",  # conftest sets offscreen for the in-process tests
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CACHE_HOME=str(home / ".cache"),
        )

    def xdotool(self, *args: str, timeout: float = TIMEOUT, check: bool = True) -> str:
        try:
            result = subprocess.run(
                ["xdotool", *args],
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"xdotool {' '.join(args)} did not finish in {timeout} s", pytrace=False)
        if check and result.returncode != 0:
            pytest.fail(
                f"xdotool {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}",
                pytrace=False,
            )
        return result.stdout.strip()

    def window_name(self, window: str) -> str:
        return self.xdotool("getwindowname", window)

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        pytest.fail(f"timed out after {timeout} s waiting for {what}", pytrace=False)

    def screenshot(self, name: str, keep: bool = False) -> Shot:
        """A screenshot of the whole screen once it has stopped changing."""
        path = self.shots / name
        previous: Shot | None = None
        deadline = time.monotonic() + 5
        while True:
            subprocess.run(
                ["import", "-window", "root", str(path)],
                env=self.env,
                check=True,
                timeout=TIMEOUT,
                capture_output=True,
            )
            shot = Shot(path)
            if previous is not None and shot.same_pixels(previous):
                break
            if time.monotonic() > deadline:
                break  # something animates; take what there is
            previous = shot
            time.sleep(0.25)
        if keep:
            _keep(path, name)
        return shot


def _keep(source: Path, name: str) -> None:
    """Copy into tests/artifacts/ atomically: a viewer never sees a half-written file."""
    ARTIFACTS.mkdir(exist_ok=True)
    partial = ARTIFACTS / f".{name}.{os.getpid()}.partial"
    shutil.copyfile(source, partial)
    partial.replace(ARTIFACTS / name)


@pytest.fixture
def desktop(xvfb: str, tmp_path: Path) -> Desktop:
    home = tmp_path / "home"
    home.mkdir()
    shots = tmp_path / "shots"
    shots.mkdir()
    return Desktop(xvfb, home, shots)


@dataclass
class App:
    process: subprocess.Popen
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def app(desktop: Desktop, tmp_path: Path) -> Iterator[App]:
    """``timeline-viewer`` with no arguments, as a user starts it; killed at the end."""
    assert APP_SCRIPT.is_file(), f"{APP_SCRIPT} is missing: install the project (pip install -e .)"
    stderr_path = tmp_path / "app-stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [str(APP_SCRIPT)],
            env=desktop.env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        yield App(process, stderr_path)
    finally:
        _stop(process)


# -- the test -----------------------------------------------------------------------------------
def test_open_zoom_click_escape_quit(desktop: Desktop, app: App) -> None:
    """Open, Go to Date, wheel-zoom, click an event, Escape, Ctrl+Q: as a user would."""
    ARTIFACTS.mkdir(exist_ok=True)
    for stale in ARTIFACTS.glob("failed-*"):  # from an earlier failed run
        stale.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        _drive(desktop, app)
    except BaseException:
        # Keep every screenshot and the app's stderr where CI can upload them.
        with contextlib.suppress(OSError):
            for shot in desktop.shots.glob("*.png"):
                _keep(shot, f"failed-{shot.name}")
            _keep(app.stderr_path, "failed-stderr.txt")
        raise
    print(f"\nreal-window test: {time.monotonic() - started:.1f} s; screenshots in {ARTIFACTS}")


def _drive(desktop: Desktop, app: App) -> None:
    # 1. The window appears, takes a known size and place, and paints.
    try:
        found = desktop.xdotool(
            "search", "--sync", "--onlyvisible", "--name", APP_NAME, timeout=20
        ).split()
    except pytest.fail.Exception:
        pytest.fail(
            f"no visible window named {APP_NAME!r} (exit code {app.process.poll()}); stderr:\n"
            f"{app.stderr()}",
            pytrace=False,
        )
    windows = [window for window in found if "Tusk and Macron" in desktop.window_name(window)]
    assert windows, f"none of the windows {found} shows the bundled timeline"
    window = windows[0]
    opening_name = desktop.window_name(window)
    assert opening_name.endswith(f" — {APP_NAME}"), opening_name
    assert EVENT_TITLE not in opening_name

    width, height = WINDOW_SIZE
    desktop.xdotool("windowsize", window, str(width), str(height))
    desktop.xdotool("windowmove", window, "0", "0")

    def geometry_applied() -> bool:
        shell = desktop.xdotool("getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in shell.splitlines() if "=" in line)
        return (values.get("X"), values.get("Y"), values.get("WIDTH"), values.get("HEIGHT")) == (
            "0",
            "0",
            str(width),
            str(height),
        )

    desktop.wait_for("the window to be 1600x1000 at 0,0", geometry_applied)
    opening = desktop.screenshot("01-opening.png", keep=True)
    canvas = find_canvas(opening)
    assert canvas.left == 0, f"the canvas should start at the window's left edge: {canvas}"
    assert 800 <= canvas.right - canvas.left < width, f"implausible canvas width: {canvas}"

    # 2. Go → Go to Date… (Ctrl+G): centre the view on 12 December 2024.
    desktop.xdotool("windowfocus", "--sync", window)
    desktop.xdotool("key", "--clearmodifiers", "ctrl+g")
    dialog = desktop.xdotool("search", "--sync", "--onlyvisible", "--name", "Go to Date").split()
    assert dialog, "Ctrl+G opened no Go to Date dialog"
    desktop.xdotool("windowfocus", "--sync", dialog[0])
    desktop.xdotool("type", "--delay", "20", "2024-12-12")
    desktop.xdotool("key", "Return")
    desktop.wait_for(
        "the Go to Date dialog to close",
        lambda: not desktop.xdotool("search", "--onlyvisible", "--name", "Go to Date", check=False),
    )
    # The canvas keeps the extent found above: the band marking the date gone to has edges
    # that find_canvas() would take for the dock's.
    centred = desktop.screenshot("01b-centred.png")
    markers = poland_markers(centred, canvas)
    assert markers, f"no Poland markers in {centred.path}"
    target = min(markers, key=lambda blob: abs(blob.centre[0] - canvas.centre_x))
    x, y = (round(value) for value in target.centre)
    assert abs(target.centre[0] - canvas.centre_x) <= 4, (
        f"after Go to Date 2024-12-12 no Poland marker is at the canvas centre x="
        f"{canvas.centre_x}: markers {markers}; see {centred.path}"
    )
    # Another marker's distance from it, to measure the zoom by (zooming around the marker
    # only moves the others away).
    others_before = [abs(blob.centre[0] - x) for blob in markers if abs(blob.centre[0] - x) > 4]

    # 3. Real wheel notches over the marker zoom in around it.
    desktop.xdotool("mousemove", str(x), str(y))
    previous = desktop.screenshot("01c-pointer.png")
    for notch in range(1, WHEEL_NOTCHES + 1):
        desktop.xdotool("click", "4")
        shot = desktop.screenshot(f"02-zoom-{notch}.png")
        changed = shot.changed(previous, canvas.left, 0, canvas.right, height)
        assert changed > 1000, f"wheel notch {notch} changed only {changed} canvas pixels"
        previous = shot
    zoomed = desktop.screenshot("02-zoomed.png", keep=True)
    markers = poland_markers(zoomed, canvas)
    target = min(markers, key=lambda blob: abs(blob.centre[0] - x))
    assert abs(target.centre[0] - x) <= 3, (
        f"the marker under the pointer moved while zooming around it: {target} vs x={x}; "
        f"see {zoomed.path}"
    )
    x, y = (round(value) for value in target.centre)
    others_after = [abs(blob.centre[0] - x) for blob in markers if abs(blob.centre[0] - x) > 4]
    assert others_before, "no other Poland marker near 12 Dec before zooming"
    assert others_after, f"the other Poland markers left the view; see {zoomed.path}"
    ratio = min(others_after) / min(others_before)
    expected = NOTCH_FACTOR**WHEEL_NOTCHES
    assert expected * 0.85 <= ratio <= expected * 1.15, (
        f"{WHEEL_NOTCHES} wheel notches should zoom by {expected:.2f}, the nearest other "
        f"marker's distance grew by {ratio:.2f}"
    )

    # 4. A real click on the marker selects the event.
    desktop.xdotool("mousemove", str(x), str(y))
    hovered = desktop.screenshot("02b-hover.png")
    desktop.xdotool("click", "1")
    desktop.wait_for(
        f"the window title to name {EVENT_TITLE!r}",
        lambda: EVENT_TITLE in desktop.window_name(window),
    )
    clicked = desktop.screenshot("03-clicked.png", keep=True)
    name = desktop.window_name(window)
    assert name == f"{EVENT_TITLE} — {opening_name}", name
    # The Details dock, above the Events dock right of the canvas, leaves its empty state.
    dock_top = height // 4
    docks = clicked.changed(hovered, canvas.right + 12, 0, width, dock_top)
    assert docks > 2000, f"the Details dock barely changed ({docks} px); see {clicked.path}"
    # The selection ring (highlight colour, radius 10) appears around the marker. Count changes
    # in a square around it, minus the marker itself (which grows by 1.5 px) and the columns
    # from x + 5 on, where the label's highlight starts.
    ring = clicked.changed(hovered, x - 14, y - 14, x + 5, y + 15) - clicked.changed(
        hovered, x - 7, y - 7, x + 5, y + 8
    )
    assert ring > 40, f"no selection ring around the clicked marker ({ring} px changed)"

    # 5. Escape clears the selection; Ctrl+Q quits cleanly. (The click already gave the window
    # the keyboard focus; there is no window manager to lose it, but make sure.)
    desktop.xdotool("windowfocus", "--sync", window)
    desktop.xdotool("key", "Escape")
    desktop.wait_for(
        "the window title to drop the event", lambda: desktop.window_name(window) == opening_name
    )
    desktop.xdotool("key", "--clearmodifiers", "ctrl+q")
    try:
        code = app.process.wait(10)
    except subprocess.TimeoutExpired:
        pytest.fail("Ctrl+Q did not quit the app within 10 s", pytrace=False)
    errors = app.stderr()
    assert code == 0, f"exit code {code}; stderr:\n{errors}"
    assert "Traceback" not in errors, errors
    assert "Fatal Python error" not in errors, errors
    _keep(app.stderr_path, "stderr.txt")
