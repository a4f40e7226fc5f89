"""House rules the import contracts cannot state (those are in pyproject.toml, checked by
`lint-imports` in ./dev lint): queries are built in the store only, and only the `demo`
command uses the demo generator. Every import in aiddesk/ counts (module level, inside
functions and under TYPE_CHECKING alike); a failure names the module."""

from __future__ import annotations

import ast
from pathlib import Path

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


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


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
