"""The one place that tells the user something: errors, warnings and notes.

Modelled on qutebrowser's ``utils/message.py``: code anywhere calls :func:`error`,
:func:`warning` or :func:`info` without holding a window. A module-level :class:`MessageBridge`
logs every message through the ``timeline.messages`` logger and shows it in the window attached
with :func:`attach`. Messages raised before a window exists (while a file given on the command
line is read, say) are queued and shown once a window is attached, so nothing said during start-up
is lost.

Errors, and notices (work done, with something the user must read), open a :class:`QMessageBox`
with ``open()`` (window-modal, but it never blocks the caller in a nested event loop the way
``exec()`` does); warnings and notes go to the status bar.

Tests never see a dialog: :meth:`MessageBridge.set_presenter` swaps how messages are shown in the
attached window (record them instead; queueing works as in the program), and :func:`recording`
records every message at once, with or without a window.

:func:`install_excepthook` routes uncaught exceptions, from the GUI thread and from worker threads,
to :func:`error` with the traceback as the detail: the program keeps running and the user is told,
rather than Qt aborting or the error vanishing into a ``None`` stderr of a windowed build.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow

# For annotations only: QMessageBox is imported when the first box opens, and start-up does
# without the class.
if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger("timeline.messages")

STATUS_TIMEOUT_MS = 8000
# More message boxes than this at once means something is failing in a loop (an exception in a
# paint handler, say): further errors go to the status bar and the log instead of burying the
# window under dialogs.
MAX_OPEN_BOXES = 3


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"  # done, but with something the user has to read: a dialog
    INFO = "info"


class Message(NamedTuple):
    level: Level
    text: str
    detail: str = ""  # longer text for the dialog's "Show Details…", e.g. a traceback


Display = Callable[[Message], None]
Presenter = Callable[[QMainWindow, Message], None]


class MessageBridge(QObject):
    """Carries messages from any code (and any thread) to the attached window.

    The bridge lives in the GUI thread. :meth:`post` may be called from any thread: it logs at
    once and hands the message over through a signal, which Qt queues into the GUI thread when
    emitted elsewhere, so widgets are only ever touched from the thread that owns them.
    """

    # Emitted in the GUI thread for every message as it is delivered to the window or display.
    message_shown = Signal(object)  # Message
    _posted = Signal(object)  # Message; the cross-thread hand-over, see post()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window: QMainWindow | None = None
        self._queue: list[Message] = []
        self._display: Display | None = None  # set: takes every message, window or not
        self._presenter: Presenter | None = None  # set: replaces dialogs and the status bar
        self._open_boxes: list[QMessageBox] = []
        self._posted.connect(self._receive)

    # -- attaching a window ---------------------------------------------------------------
    @property
    def window(self) -> QMainWindow | None:
        return self._window

    @property
    def pending(self) -> tuple[Message, ...]:
        """Messages waiting for a window (or display) to be attached."""
        return tuple(self._queue)

    def attach(self, window: QMainWindow) -> None:
        """Show messages in ``window`` from now on, and the queued ones once the loop runs.

        Queued messages are delivered on the next turn of the event loop rather than at once, so
        a main window that attaches itself in its constructor is already shown by the time their
        dialogs open (a dialog opened over a hidden parent pops up on its own, behind the window).
        """
        if window is not self._window:
            self.detach()
            self._window = window
            window.destroyed.connect(self._on_window_destroyed)
        if self._queue:
            QTimer.singleShot(0, self, self.flush)

    def detach(self) -> None:
        """Stop showing messages in the window; new ones are queued again."""
        if self._window is not None:
            self._window.destroyed.disconnect(self._on_window_destroyed)
        self._window = None

    @Slot()
    def _on_window_destroyed(self) -> None:
        # The C++ window is gone: calling into it now would crash, so forget it.
        self._window = None
        self._open_boxes.clear()

    def set_presenter(self, presenter: Presenter | None) -> Presenter | None:
        """Replace how messages are shown in the attached window; None restores dialogs.

        For tests of the window: messages still wait for :meth:`attach`, but then go to
        ``presenter(window, message)`` instead of a dialog or the status bar. Returns the
        previous presenter so callers can put it back.
        """
        previous, self._presenter = self._presenter, presenter
        return previous

    def set_display(self, display: Display | None) -> Display | None:
        """Send every message to ``display`` instead, window or not; None restores the window.

        A display counts as attached: queued messages are handed to it at once. Returns the
        previous display so callers can put it back.
        """
        previous, self._display = self._display, display
        if display is not None:
            self.flush()
        return previous

    def discard_pending(self) -> None:
        """Forget queued messages (they have been logged already)."""
        self._queue.clear()

    # -- posting and delivering -----------------------------------------------------------
    def post(self, message: Message) -> None:
        """Log ``message`` now and show it in the GUI thread (queued until a window exists)."""
        _log_message(message)
        # An auto connection: a direct call when posted in the GUI thread, queued into the GUI
        # thread's event loop when posted from a worker.
        self._posted.emit(message)

    @Slot(object)
    def _receive(self, message: Message) -> None:
        if self._display is None and self._window is None:
            self._queue.append(message)
            return
        self._deliver(message)

    @Slot()
    def flush(self) -> None:
        """Deliver queued messages, if there is somewhere to deliver them to."""
        if self._display is None and self._window is None:
            return
        queued, self._queue = self._queue, []
        for message in queued:
            self._deliver(message)

    def _deliver(self, message: Message) -> None:
        if self._display is not None:
            self._display(message)
        elif self._window is not None:
            presenter = self._presenter or self._show_in_window
            presenter(self._window, message)
        self.message_shown.emit(message)

    def _show_in_window(self, window: QMainWindow, message: Message) -> None:
        if message.level in (Level.ERROR, Level.NOTICE):
            self._open_box(window, message)
        else:
            prefix = "Warning: " if message.level is Level.WARNING else ""
            window.statusBar().showMessage(prefix + message.text, STATUS_TIMEOUT_MS)

    def _open_box(self, window: QMainWindow, message: Message) -> None:
        for box in self._open_boxes:
            if box.text() == message.text and box.detailedText() == message.detail:
                return  # the same error again (a failing repaint): one dialog is enough
        if len(self._open_boxes) >= MAX_OPEN_BOXES:
            prefix = "Error: " if message.level is Level.ERROR else ""
            window.statusBar().showMessage(prefix + message.text, STATUS_TIMEOUT_MS)
            return
        from PySide6.QtWidgets import QMessageBox

        icon = (
            QMessageBox.Icon.Critical if message.level is Level.ERROR else QMessageBox.Icon.Warning
        )
        box = QMessageBox(icon, _application_name(), message.text, parent=window)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setTextFormat(Qt.TextFormat.PlainText)  # message text is never markup
        if message.detail:
            box.setDetailedText(message.detail)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Keep a Python reference while it is open, and drop it when it closes; the C++ side is
        # parented to the window and deleted on close.
        self._open_boxes.append(box)
        box.finished.connect(lambda _result, box=box: self._forget_box(box))
        box.open()  # window-modal and non-blocking; exec() would spin a nested event loop

    def _forget_box(self, box: QMessageBox) -> None:
        with contextlib.suppress(ValueError):
            self._open_boxes.remove(box)

    @property
    def open_boxes(self) -> tuple[QMessageBox, ...]:
        return tuple(self._open_boxes)


def _application_name() -> str:
    app = QApplication.instance()
    name = app.applicationDisplayName() if isinstance(app, QApplication) else ""
    return name or "Timeline Viewer"


def _log_message(message: Message) -> None:
    level = {
        Level.ERROR: logging.ERROR,
        Level.WARNING: logging.WARNING,
        Level.NOTICE: logging.WARNING,
        Level.INFO: logging.INFO,
    }[message.level]
    if message.detail:
        log.log(level, "%s\n%s", message.text, message.detail)
    else:
        log.log(level, "%s", message.text)


bridge = MessageBridge()


# -- the functions the rest of the program calls --------------------------------------------
def ask(
    parent: QWidget,
    title: str,
    text: str,
    answers: Sequence[str],
    default: str | None,
    moot: tuple[SignalInstance, str] | None = None,
) -> str | None:
    """Ask a question with a button for each of ``answers`` and Cancel, and wait for the reply:
    the answer chosen, or None for Cancel or Escape. Enter chooses ``default`` (None: Cancel).
    ``moot`` is a signal that makes the question pointless and the answer to give then: the
    box closes by itself ("is not finished… quit?", and it has finished)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    role = QMessageBox.ButtonRole.AcceptRole
    buttons = {box.addButton(answer, role): answer for answer in answers}
    if default is None:
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    else:
        box.setDefaultButton(next(button for button in buttons if buttons[button] == default))
    settled: list[str] = []

    def settle() -> None:
        assert moot is not None
        settled.append(moot[1])
        box.done(0)

    if moot is not None:
        moot[0].connect(settle)
    box.exec()
    if moot is not None:
        moot[0].disconnect(settle)
    chosen = settled[0] if settled else buttons.get(box.clickedButton())
    box.deleteLater()
    return chosen


def error(text: str, detail: str = "") -> None:
    """Tell the user something failed: a dialog, with ``detail`` behind "Show Details…"."""
    bridge.post(Message(Level.ERROR, text, detail))


def warning(text: str, detail: str = "") -> None:
    """Tell the user something is off but work goes on: the status bar (``detail`` is logged)."""
    bridge.post(Message(Level.WARNING, text, detail))


def notice(text: str, detail: str = "") -> None:
    """Tell the user something done that they must read before going on (what an export left
    out, say): a dialog, as for an error but with a warning's icon. From a user test: in the
    status bar such a note was cut at the window's width and gone after ten seconds."""
    bridge.post(Message(Level.NOTICE, text, detail))


def info(text: str) -> None:
    """A passing note in the status bar."""
    bridge.post(Message(Level.INFO, text))


def attach(window: QMainWindow) -> None:
    """Show messages in ``window``; the main window calls this once it is built."""
    bridge.attach(window)


def detach() -> None:
    bridge.detach()


@contextlib.contextmanager
def recording() -> Iterator[list[Message]]:
    """Within the block, every message is recorded in the yielded list instead of shown.

    Messages queued before the block (no window yet) are recorded too, at its start.
    """
    recorded: list[Message] = []
    previous = bridge.set_display(recorded.append)
    try:
        yield recorded
    finally:
        bridge.set_display(previous)


# -- uncaught exceptions ----------------------------------------------------------------------
_previous_hooks: (
    tuple[
        Callable[[type[BaseException], BaseException, TracebackType | None], object],
        Callable[[threading.ExceptHookArgs], object],
    ]
    | None
) = None


def install_excepthook() -> None:
    """Route uncaught exceptions (GUI and worker threads) to the log and an error dialog.

    PySide prints an exception raised in a slot or a Qt override through ``sys.excepthook`` and
    carries on, so with this hook the user sees what went wrong while the program keeps running.
    """
    global _previous_hooks
    if _previous_hooks is None:
        _previous_hooks = (sys.excepthook, threading.excepthook)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def uninstall_excepthook() -> None:
    """Put back the hooks that were there before :func:`install_excepthook`."""
    global _previous_hooks
    if _previous_hooks is not None:
        sys.excepthook, threading.excepthook = _previous_hooks
        _previous_hooks = None


def _excepthook(
    exc_type: type[BaseException], exc_value: BaseException, exc_traceback: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        # Ctrl+C in the terminal that started us: not a bug to report. Quit like a console app.
        app = QApplication.instance()
        if app is not None:
            app.quit()
        return
    report_exception(exc_type, exc_value, exc_traceback)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # as the default hook does: a thread that exits on purpose is not an error
    exc_value = args.exc_value if args.exc_value is not None else args.exc_type()
    thread = f" in thread {args.thread.name!r}" if args.thread is not None else ""
    report_exception(args.exc_type, exc_value, args.exc_traceback, where=thread)


def report_exception(
    exc_type: type[BaseException],
    exc_value: BaseException,
    exc_traceback: TracebackType | None,
    where: str = "",
) -> None:
    """Log an exception with its traceback and show it; never raises, whatever goes wrong."""
    try:
        detail = "".join(traceback.format_exception(exc_type, exc_value, exc_traceback))
        summary = f"{exc_type.__name__}: {exc_value}" if str(exc_value) else exc_type.__name__
        error(
            f"An unexpected error occurred{where}: {summary}\n\n"
            "The program will keep running, but what you were doing may not have finished. "
            "Saving your work under a new name is a good idea.",
            detail=detail,
        )
    except Exception:  # the hook of last resort must not raise
        # Frozen windowed builds have no stderr at all: say nothing rather than fail again.
        if sys.stderr is not None:
            with contextlib.suppress(Exception):
                traceback.print_exception(exc_type, exc_value, exc_traceback, file=sys.stderr)
