"""Declared = imported: pyproject.toml's dependencies agree with the imports in the code.

Every ``import`` in ``htwork/`` is read with :mod:`ast`, its top-level module mapped to the
distribution that provides it (:func:`importlib.metadata.packages_distributions`), and compared
with the requirements in ``pyproject.toml``:

* a distribution htwork imports must be declared, in the core dependencies or, for the optional
  SDV backend, in the ``sdv`` extra;
* a core dependency must be imported somewhere in ``htwork/``, except the few in
  :data:`RUNTIME_ONLY`;
* an optional distribution is imported only inside a function, never when a module loads, and
  every htwork module imports without it; asking for an SDV method without it is a clear
  :class:`~htwork.errors.InputError` naming the extra;
* the tests, the root ``conftest.py`` and the benchmarks import only declared distributions
  (``tools/`` holds developer scripts run by hand with their own set-up, see their docstrings).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]

#: Core dependencies that nothing imports and the workbench still needs, and why.
RUNTIME_ONLY = {
    # htwork is a Jupyter-based workbench: `make lab` opens the notebooks and tutorials in
    # JupyterLab, and every notebook runs on the Python kernel that ipykernel provides. Neither
    # is ever imported by the package.
    "jupyterlab": "the notebook application the workbench runs in",
    "ipykernel": "the Python kernel the notebooks and tutorials run on",
}

#: Extras whose distributions the package may import only lazily, with a clear error.
OPTIONAL_EXTRAS = ("sdv",)


@cache
def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def core() -> set[str]:
    return _names(_project()["dependencies"])


def extra(name: str) -> set[str]:
    return _names(_project()["optional-dependencies"][name])


def all_declared() -> set[str]:
    out = core()
    for name in _project()["optional-dependencies"]:
        out |= extra(name)
    return out


def _local_modules() -> set[str]:
    """Top-level names that are the repository's own (``tests``, benchmark helpers, ...)."""
    own = {"htwork", "tests"}
    for folder in (REPO / "benchmarks", REPO / "tools", REPO / "tests"):
        own |= {p.stem for p in folder.glob("*.py")}
    return own


def imports(paths: list[Path]) -> dict[str, list[tuple[str, int, bool]]]:
    """Third-party top-level module -> [(file, line, inside a function)] for absolute imports."""
    own = _local_modules()
    found: dict[str, list[tuple[str, int, bool]]] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, in_function in _walk(tree, False):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in own:
                    continue
                name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
                where = (str(name), node.lineno, in_function)
                found.setdefault(top, []).append(where)
    return found


def _walk(node: ast.AST, in_function: bool):
    for child in ast.iter_child_nodes(node):
        inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield child, inside
        yield from _walk(child, inside)


@cache
def _distributions() -> dict[str, list[str]]:
    return packages_distributions()


def distribution(module: str) -> str:
    """The (canonical) distribution that provides a top-level module."""
    dists = _distributions().get(module)
    assert dists, f"no installed distribution provides the module {module!r}"
    return canonicalize_name(dists[0])


@cache
def package_imports() -> dict[str, list[tuple[str, int, bool]]]:
    return imports(sorted((REPO / "htwork").rglob("*.py")))


def _by_distribution(found: dict[str, list]) -> dict[str, list]:
    out: dict[str, list] = {}
    for module, sites in found.items():
        out.setdefault(distribution(module), []).extend(sites)
    return out


# --- the reader itself --------------------------------------------------------------------

def test_the_reader_sees_top_level_and_function_imports(tmp_path):
    code = textwrap.dedent("""
        import numpy as np
        from pandas import DataFrame
        import os.path
        from . import sibling

        def f():
            import scipy.stats
            class Inner:
                import yaml
    """)
    path = tmp_path / "module.py"
    path.write_text(code, encoding="utf-8")
    found = imports([path])
    assert set(found) == {"numpy", "pandas", "scipy", "yaml"}
    assert found["numpy"][0][2] is False and found["pandas"][0][2] is False
    assert found["scipy"][0][2] is True and found["yaml"][0][2] is True


def test_modules_map_to_their_distributions():
    assert distribution("yaml") == "pyyaml"
    assert distribution("sklearn") == "scikit-learn"
    assert distribution("charset_normalizer") == "charset-normalizer"


# --- the package --------------------------------------------------------------------------

def test_everything_the_package_imports_is_declared():
    optional = set().union(*(extra(e) for e in OPTIONAL_EXTRAS))
    missing = {
        dist: sites[:3] for dist, sites in _by_distribution(package_imports()).items()
        if dist not in core() | optional
    }
    assert not missing, f"imported by htwork/ but not declared in pyproject.toml: {missing}"


def test_every_core_dependency_is_imported_or_explained():
    imported = set(_by_distribution(package_imports()))
    unused = core() - imported - set(RUNTIME_ONLY)
    assert not unused, f"declared in pyproject.toml, imported nowhere in htwork/: {sorted(unused)}"
    # the allow-list stays honest too: nothing on it is imported, everything on it is declared
    assert not set(RUNTIME_ONLY) & imported
    assert set(RUNTIME_ONLY) <= core()


def test_optional_extras_are_not_core_and_are_imported():
    imported = set(_by_distribution(package_imports()))
    for name in OPTIONAL_EXTRAS:
        assert not extra(name) & core(), f"extra {name!r} repeats core dependencies"
        assert extra(name) <= imported, f"extra {name!r} declares what htwork never imports"


def test_optional_distributions_are_imported_inside_functions_only():
    optional = set().union(*(extra(e) for e in OPTIONAL_EXTRAS))
    eager = [
        (file, line) for dist, sites in _by_distribution(package_imports()).items()
        if dist in optional for file, line, in_function in sites if not in_function
    ]
    assert not eager, f"optional packages imported when a module loads: {eager}"


@pytest.mark.slow
def test_the_package_works_without_the_optional_extras():
    """A fresh interpreter where sdv and torch cannot be imported: every module loads, the
    default synthesizer and evaluation still run, and an SDV method is a clear error."""
    blocked = sorted({m for m, d in _distributions().items()
                      if canonicalize_name(d[0]) in set().union(*map(extra, OPTIONAL_EXTRAS))})
    assert {"sdv", "torch"} <= set(blocked)
    script = textwrap.dedent(f"""
        import importlib, pkgutil, sys

        BLOCKED = {blocked!r}

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

        sys.meta_path.insert(0, Block())

        import htwork
        for info in pkgutil.walk_packages(htwork.__path__, "htwork."):
            if info.name.endswith("__main__"):
                continue
            importlib.import_module(info.name)

        from htwork.errors import InputError
        from htwork.synth import make_synthesizer
        from htwork.synth.sdv import sdv_available
        from tests.synth.fixtures import case_table

        assert not sdv_available()
        df = case_table(300, seed=3)
        assert len(make_synthesizer("independent").fit(df).sample(50, seed=1)) == 50
        for method in ("gaussiancopula", "ctgan", "tvae"):
            try:
                make_synthesizer(method).fit(df)
            except InputError as err:
                assert "htwork[sdv]" in str(err), str(err)
            else:
                raise AssertionError(method + " ran without sdv")
        assert not any(m.split(".")[0] in BLOCKED for m in sys.modules)
        print("ok")
    """)
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


# --- the rest of the repository -----------------------------------------------------------

def test_tests_and_benchmarks_import_only_declared_packages():
    files = [REPO / "conftest.py", *sorted((REPO / "tests").rglob("*.py")),
             *sorted((REPO / "benchmarks").rglob("*.py"))]
    missing = {
        dist: sites[:3] for dist, sites in _by_distribution(imports(files)).items()
        if dist not in all_declared()
    }
    assert not missing, f"imported by tests or benchmarks but declared nowhere: {missing}"
