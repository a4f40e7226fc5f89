"""A call typed into the real app survives kill -9: the next start offers it back exactly as it was."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiddesk.domain import defaults
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.intake import drafts
from aiddesk.store.migrate import open_database

TIMEOUT = 60
GROCERIES = defaults.NEED_CATEGORIES[0].id_for("need_category")
RIDES = defaults.NEED_CATEGORIES[2].id_for("need_category")

# Shared by both runs: start the real app (as `python -m aiddesk --data-dir D --user Ana` does) and
# call step() every 20 ms once the Intake screen is up.
DRIVER = """
import argparse, json, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from aiddesk import app
from aiddesk.services.intake import drafts
from aiddesk.ui.shell.application import create_application
from aiddesk.ui.shell.main_window import MainWindow

NO = Qt.KeyboardModifier.NoModifier
state = {"typed": False}

def intake_page():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and "intake" in widget.pages and widget.isVisible():
            return widget.intake_page
    return None

def type_text(text):
    for ch in text:  # as keys, into whatever has the focus
        QTest.sendKeyEvent(QTest.KeyAction.Click, QApplication.focusWidget(), Qt.Key.Key_unknown, ch, NO)

def key(k, modifiers=NO):
    QTest.keyClick(QApplication.focusWidget(), k, modifiers)

def form_json(page):
    return json.dumps(page.read_form().to_dict(), ensure_ascii=False, sort_keys=True)
"""

TYPE_THEN_WAIT = (
    DRIVER
    + """
def step():
    page = intake_page()
    if page is None or QApplication.focusWidget() is not page.caller.phone_edit:
        return
    if not state["typed"] and not page._ctx.operations.idle():
        return  # the need categories and zones are still on their way
    if not state["typed"]:
        state["typed"] = True
        type_text("617.555.0134"); key(Qt.Key.Key_Return)
        type_text("María José Hernández"); key(Qt.Key.Key_Return)
        type_text("es"); key(Qt.Key.Key_Return); key(Qt.Key.Key_Return)
        type_text("12 Elm St, Apt 3")
        row = page.needs_editor.row_widgets[0]
        row.category_box.setFocus(); type_text("G"); key(Qt.Key.Key_Tab); key(Qt.Key.Key_Up)
        key(Qt.Key.Key_Tab); key(Qt.Key.Key_Tab); type_text("arroz y leche")
        key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        type_text("R"); key(Qt.Key.Key_Tab); key(Qt.Key.Key_Tab); key(Qt.Key.Key_Tab); type_text("a la clínica")
        page.call_box.notes_edit.setFocus(); type_text("Llamar el lunes"); key(Qt.Key.Key_Return); type_text("después de las 5")
        page.caller.phone_edit.setFocus()
        return
    saved = drafts.list_drafts(page._ctx.database, "anyone")
    if saved and json.dumps(saved[0].form.to_dict(), ensure_ascii=False, sort_keys=True) == form_json(page):
        print("typed " + form_json(page), flush=True)
        timer.stop()  # and wait for the kill

create_application()
timer = QTimer()
timer.timeout.connect(step)
timer.start(20)
sys.exit(app.run_gui(argparse.Namespace(data_dir=sys.argv[1], debug=False, user="Ana")))
"""
)

RESTORE = (
    DRIVER
    + """
def step():
    page = intake_page()
    if page is None or page.question is None:
        return
    timer.stop()
    print("asked " + page.question.text(), flush=True)
    print("buttons " + json.dumps([b.text() for b in page.question.buttons()]), flush=True)
    page.question_buttons["restore"].click()
    print("restored " + form_json(page), flush=True)
    QApplication.instance().quit()

create_application()
timer = QTimer()
timer.timeout.connect(step)
timer.start(20)
sys.exit(app.run_gui(argparse.Namespace(data_dir=sys.argv[1], debug=False, user="Ana")))
"""
)


def environment() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("AIDDESK_EXIT_WHEN_SHOWN", "LANGUAGE", "LC_MESSAGES")
    }
    env.update(QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8", LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    return env


@pytest.fixture
def children() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for child in started:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=TIMEOUT)


def start(script: str, folder: Path, children: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(folder)],
        env=environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    children.append(child)
    return child


def read_lines(child: subprocess.Popen[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def next_line(lines: queue.Queue[str], prefix: str) -> str:
    while True:
        try:
            line = lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no line starting with {prefix!r} within {TIMEOUT} s") from None
        if line.startswith(prefix + " "):
            return line[len(prefix) + 1 :]


def test_a_call_typed_then_killed_is_offered_back_exactly(
    desk_data_dir: Path, children: list[subprocess.Popen[str]]
) -> None:
    first = start(TYPE_THEN_WAIT, desk_data_dir, children)
    typed = json.loads(next_line(read_lines(first), "typed"))
    first.send_signal(signal.SIGKILL)  # mid-call, as a crash or a power cut would
    first.wait(timeout=TIMEOUT)
    assert first.returncode == -signal.SIGKILL

    form = IntakeForm.from_dict(typed)
    assert (form.phone, form.name, form.language, form.address) == (
        "617.555.0134",
        "María José Hernández",
        "es",
        "12 Elm St, Apt 3",
    )
    assert form.needs == [
        NeedRow(GROCERIES, "days_2_3", "once", "arroz y leche"),
        NeedRow(RIDES, "this_week", "once", "a la clínica"),
    ]
    assert form.call_notes == "Llamar el lunes\ndespués de las 5"
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        [draft] = drafts.list_drafts(db, "anyone")
        assert (draft.who, draft.form) == ("Ana", form)
    finally:
        db.close()

    second = start(RESTORE, desk_data_dir, children)
    lines = read_lines(second)
    assert next_line(lines, "asked") == "A call was being typed and was not saved."
    assert sorted(json.loads(next_line(lines, "buttons"))) == ["Discard it", "Not now", "Restore it"]
    assert json.loads(next_line(lines, "restored")) == typed
    second.wait(timeout=TIMEOUT)
    assert second.returncode == 0, second.stderr.read() if second.stderr else ""
