"""The core is the lowest layer: it imports nothing of htwork but ``htwork.errors``."""

from __future__ import annotations

import ast
from pathlib import Path

import htwork.core

CORE = Path(htwork.core.__file__).parent


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


def test_core_imports_only_errors_from_htwork():
    files = sorted(CORE.glob("*.py"))
    assert {f.name for f in files} >= {"results.py", "missing.py", "params.py", "keys.py"}
    for f in files:
        ours = {m for m in _imports(f) if m == "htwork" or m.startswith("htwork.")}
        assert ours <= {"htwork.errors"} | {m for m in ours if m.startswith("htwork.core")}, f
