"""`aiddesk exchange --folder DIR --password-env VAR [--json]`: a desk set up for the exchange
folder without the Settings screen, one pass, and what it prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiddesk import cli, i18n


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def desks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert run(capsys, "--data-dir", a, "demo", "--seed", "3", "--people", "20", "--desk-code", "AAA")[0] == 0
    assert run(capsys, "--data-dir", b, "demo", "--seed", "4", "--people", "20", "--desk-code", "BBB")[0] == 0
    return a, b


def test_two_desks_set_up_headless_meet_in_the_folder(
    desks: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = desks
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("GROUP_PW", "group-secret-42")
    options = ("exchange", "--folder", str(shared), "--password-env", "GROUP_PW", "--json")
    status, out, err = run(capsys, "--data-dir", a, *options)
    assert status == 0, err
    first = json.loads(out)
    assert first["wrote"]["file"].startswith("AAA-") and first["wrote"]["file"].endswith(".aiddesk.xlsx")
    assert first["wrote"]["bytes"] == (shared / first["wrote"]["file"]).stat().st_size
    assert first["merged"] == [] and first["failed"] == []
    status, out, err = run(capsys, "--data-dir", b, *options)
    assert status == 0, err
    second = json.loads(out)
    assert [m["file"] for m in second["merged"]] == [first["wrote"]["file"]]
    assert second["merged"][0]["new"] > 0 and second["merged"][0]["applied"] is True
    # The settings were kept: a plain `exchange` uses them, and A now takes in B's file.
    status, out, err = run(capsys, "--data-dir", a, "exchange", "--json")
    assert status == 0, err
    third = json.loads(out)
    assert third["wrote"] is None  # A changed nothing since its file
    assert [m["file"] for m in third["merged"]] == [second["wrote"]["file"]]


def test_a_bad_folder_or_a_missing_variable_is_one_line_and_exit_2(
    desks: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, _b = desks
    monkeypatch.setenv("GROUP_PW", "group-secret-42")
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)
    missing = tmp_path / "nowhere"
    status, out, err = run(
        capsys, "--data-dir", a, "exchange", "--folder", str(missing), "--password-env", "GROUP_PW"
    )
    assert status == 2 and out == ""
    assert str(missing) in err and len(err.strip().splitlines()) == 1
    status, out, err = run(
        capsys, "--data-dir", a, "exchange", "--folder", str(tmp_path), "--password-env", "NO_SUCH_VARIABLE"
    )
    assert status == 2 and "NO_SUCH_VARIABLE" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("SHORT_PW", "short")
    status, _out, err = run(
        capsys, "--data-dir", a, "exchange", "--folder", str(tmp_path), "--password-env", "SHORT_PW"
    )
    assert status == 2 and "8" in err and len(err.strip().splitlines()) == 1
    # Nothing was kept by the refused attempts.
    status, _out, err = run(capsys, "--data-dir", a, "exchange")
    assert status == 2 and "exchange folder" in err


def test_the_message_is_translated(
    desks: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, _b = desks
    monkeypatch.setenv("GROUP_PW", "group-secret-42")
    monkeypatch.setenv("LANGUAGE", "es")
    try:
        status, _out, err = run(
            capsys, "--data-dir", a, "exchange", "--folder", str(tmp_path / "x"), "--password-env", "GROUP_PW"
        )
    finally:
        i18n.set_language("en")
    assert (
        status == 2 and "No se puede usar la carpeta de intercambio" in err and "Esa carpeta no existe" in err
    )


def test_a_wrong_group_password_is_refused_and_a_failed_file_exits_1(
    desks: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = desks
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setenv("GROUP_PW", "grupo secreto 2026")
    monkeypatch.setenv("WRONG_PW", "otra clave distinta")
    assert (
        run(capsys, "--data-dir", a, "exchange", "--folder", str(shared), "--password-env", "GROUP_PW")[0]
        == 0
    )
    before = sorted(p.name for p in shared.iterdir())
    wrong = ("exchange", "--folder", str(shared), "--password-env", "WRONG_PW")
    status, out, err = run(capsys, "--data-dir", b, *wrong)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert f"This password does not open the files the other desks put in {shared}." in err
    assert "--new-group-password" in err and "Traceback" not in err
    assert sorted(p.name for p in shared.iterdir()) == before  # B wrote nothing
    assert run(capsys, "--data-dir", b, "exchange")[0] == 2  # and kept nothing: not set up
    # Taken on purpose (a new group password): B writes, but cannot read A's file: exit 1.
    status, out, err = run(capsys, "--data-dir", b, *wrong, "--new-group-password", "--json")
    assert status == 1, err
    result = json.loads(out)
    assert [(f["file"], f["wrong_password"]) for f in result["failed"]] == [(before[0], True)]
    assert result["waiting"] == []
    status, out, _err = run(capsys, "--data-dir", a, "exchange")
    assert status == 1
    assert "is locked with another password" in out and "has not arrived" not in out


def test_new_group_password_needs_the_password(
    desks: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, _b = desks
    status, out, err = run(capsys, "--data-dir", a, "exchange", "--new-group-password")
    assert status == 2 and out == "" and "--password-env" in err
