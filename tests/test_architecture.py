"""The layers of docs/ARCHITECTURE.md hold: every ``import`` in ``htwork/`` (at module level or
inside a function) is read with :mod:`ast`, and

* a package imports only from its own package and from the layers below its own (two packages
  of one layer are independent of each other);
* no module imports a private module (``_name``) of another package of ``htwork``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import htwork

PACKAGE = Path(htwork.__file__).resolve().parent

#: The layers, lowest first: the packages (or top-level modules) of ``htwork`` in each.
#: Keep in step with docs/ARCHITECTURE.md. ``linkage`` and ``progress`` are listed before they
#: land, so that they land in their place.
LAYERS: list[set[str]] = [
    {"errors"},
    {"core", "progress", "plotting"},
    {"io"},
    {"standards"},
    {"risk", "prevalence", "simulate"},
    {"anonymise", "synth"},
    {"linkage", "release", "report"},
    {"tutor"},
    {"cli"},
    {"__main__"},
]
LAYER_OF = {name: k for k, names in enumerate(LAYERS) for name in names}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every htwork module or name an import statement asks for."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            out.append((node.lineno, source))
            out += [(node.lineno, f"{source}.{a.name}") for a in node.names if a.name != "*"]
    return [(line, name) for line, name in out if name == "htwork" or name.startswith("htwork.")]


def _top(name: str, lazy: dict[str, str]) -> str | None:
    """The package (or top-level module) of ``htwork`` that importing ``name`` loads."""
    parts = name.split(".")
    if len(parts) == 1:
        return None  # the root package itself: a version string and lazy names
    if parts[1] in lazy:  # from htwork import assess: the lazy name's subpackage
        return lazy[parts[1]].split(".")[1]
    if parts[1] == "__version__":
        return None
    return parts[1]


def _is_private_module(name: str, root: Path) -> bool:
    """True when ``name`` (htwork.pkg. ... ) goes through a module or package named ``_x``."""
    parts = name.split(".")[1:]
    path = root
    for k, part in enumerate(parts):
        path = path / part
        exists = path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()
        if not exists:
            return False  # a name inside a module, not a module
        if k > 0 and part.startswith("_") and not part.startswith("__"):
            return True
    return False


def violations(root: Path = PACKAGE) -> tuple[list[str], list[str]]:
    """Layer breaches and private-module imports in the package at ``root``."""
    lazy = dict(getattr(htwork, "_LAZY", {}))
    upward, private = [], []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        own = module.split(".")[1] if "." in module else None
        if own is None:
            continue  # htwork/__init__.py: lazy names only, imported by importlib on first use
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(root.parent).as_posix()
        seen: set[tuple[int, str]] = set()  # one finding per statement and package
        for line, name in _imported(tree, module, path.name == "__init__.py"):
            top = _top(name, lazy)
            if top is None or top == own:
                continue
            if (line, top) not in seen:
                seen.add((line, top))
                if own not in LAYER_OF or top not in LAYER_OF:
                    upward.append(f"{where}:{line}: {own} or {top} has no layer in LAYERS")
                elif LAYER_OF[top] >= LAYER_OF[own]:
                    upward.append(f"{where}:{line}: {own} (layer {LAYER_OF[own]}) imports "
                                  f"{name} (layer {LAYER_OF[top]})")
            if _is_private_module(name, root) and (line, "_") not in seen:
                seen.add((line, "_"))
                private.append(f"{where}:{line}: {module} imports the private module {name}")
    return upward, private


def test_every_package_has_a_layer():
    names = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    names |= {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert names - set(LAYER_OF) == set(), "give the new package a layer (and a line in the doc)"


def test_no_layer_imports_a_higher_or_a_sibling_one():
    upward, _ = violations()
    assert upward == []


def test_no_module_imports_a_private_module_of_another_package():
    _, private = violations()
    assert private == []


def test_the_doc_names_every_layer():
    doc = (PACKAGE.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in LAYER_OF:
        assert f"`{name}`" in doc, f"docs/ARCHITECTURE.md does not name `{name}`"


# --- the checker itself, on small packages made here -------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "htwork"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return root


@pytest.mark.parametrize("text", [
    "from htwork.release import release\n",
    "def f():\n    from htwork.tutor import lesson01\n",  # inside a function counts too
    "import htwork.cli\n",
    "from htwork import quarterly_report\n",  # a lazy name of a higher package
    "from htwork import synth\n",  # same layer as anonymise
])
def test_an_upward_import_is_found(tmp_path, text):
    root = _package(tmp_path, {"anonymise/x.py": text, "release/__init__.py": "",
                               "tutor/lesson01.py": "", "cli/__init__.py": "",
                               "synth/__init__.py": ""})
    upward, _ = violations(root)
    assert len(upward) == 1 and upward[0].startswith("htwork/anonymise/x.py")


@pytest.mark.parametrize("text", [
    "from htwork.core import keys\n",
    "from htwork.errors import InputError\n",
    "from . import y\nfrom .y import z\n",
    "from htwork import __version__\n",
    "from htwork import read_table\n",  # htwork.io: lower
])
def test_a_downward_or_own_import_passes(tmp_path, text):
    root = _package(tmp_path, {"anonymise/x.py": text, "anonymise/y.py": "z = 1\n",
                               "core/keys.py": "", "errors.py": ""})
    assert violations(root) == ([], [])


@pytest.mark.parametrize("text, bad", [
    ("from htwork.risk._codes import code_keys\n", True),
    ("from htwork.risk import _codes\n", True),
    ("def f():\n    import htwork.risk._codes\n", True),
    ("from htwork.risk.codes import _helper\n", False),  # a private name, not a module
    ("from htwork.release._own import x\n", False),  # its own package's private module
])
def test_a_private_module_of_another_package_is_found(tmp_path, text, bad):
    root = _package(tmp_path, {"release/x.py": text, "release/_own.py": "x = 1\n",
                               "risk/_codes.py": "", "risk/codes.py": ""})
    _, private = violations(root)
    assert bool(private) == bad
