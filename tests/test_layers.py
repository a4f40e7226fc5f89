"""The layers, as the folders state them (README, "Layout"), checked on every import in aiddesk/
(module level, inside functions and under TYPE_CHECKING alike):

    ui -> services -> store -> domain;  services -> exchange.workbook -> store, domain.

A screen that opened its own session or a workbook module that called a use case would pass
every other test today and make the next change harder; this fails on it, naming the module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "aiddesk"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports (`from x import y` gives x and x.y)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {
    _module(path): _imports(path) for path in sorted(ROOT.rglob("*.py")) if "migrations" not in path.parts
}

# (the modules under this prefix, may not import anything under these prefixes)
RULES = [
    (
        "aiddesk.domain",
        (
            "aiddesk.store",
            "aiddesk.services",
            "aiddesk.exchange",
            "aiddesk.ui",
            "aiddesk.demo",
            "aiddesk.cli",
            "sqlalchemy",
            "PySide6",
        ),
    ),
    (
        "aiddesk.store",
        ("aiddesk.services", "aiddesk.exchange", "aiddesk.ui", "aiddesk.demo", "aiddesk.cli", "PySide6"),
    ),
    ("aiddesk.exchange", ("aiddesk.services", "aiddesk.ui", "aiddesk.demo", "aiddesk.cli", "PySide6")),
    ("aiddesk.services", ("aiddesk.ui", "aiddesk.demo", "aiddesk.cli", "PySide6")),
    ("aiddesk.ui", ("aiddesk.store", "aiddesk.exchange", "aiddesk.demo", "aiddesk.cli", "sqlalchemy")),
    ("aiddesk.demo", ("aiddesk.ui", "aiddesk.cli", "PySide6")),
]


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize(("layer", "forbidden"), RULES, ids=[rule[0] for rule in RULES])
def test_a_layer_imports_only_the_layers_below_it(layer: str, forbidden: tuple[str, ...]) -> None:
    modules = [name for name in MODULES if _under(name, layer)]
    assert modules, f"no module under {layer}: the rule checks nothing"
    leaks = sorted(
        f"{name} imports {imported}"
        for name in modules
        for imported in MODULES[name]
        if any(_under(imported, prefix) for prefix in forbidden)
    )
    assert not leaks, "\n".join(leaks)


def test_queries_are_built_in_store_only() -> None:
    """select(), insert(), update(), delete() and text() of SQLAlchemy appear in aiddesk.store only."""
    builders = {f"sqlalchemy.{name}" for name in ("select", "insert", "update", "delete", "text")}
    leaks = sorted(
        f"{name} imports {imported}"
        for name, imports in MODULES.items()
        if not _under(name, "aiddesk.store")
        for imported in imports & builders
    )
    assert not leaks, "\n".join(leaks)


def test_only_the_demo_command_uses_the_demo_generator() -> None:
    users = sorted(
        name
        for name, imports in MODULES.items()
        if not _under(name, "aiddesk.demo") and any(_under(i, "aiddesk.demo") for i in imports)
    )
    assert users == ["aiddesk.cli", "aiddesk.cli.desk"]
