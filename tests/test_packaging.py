"""Packaging promises: environment.yml matches pyproject.toml, the public API is honest."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _pins(requirements: list[str]) -> dict[str, str]:
    out = {}
    for req in requirements:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)\s*", req)
        assert m, f"not an exact pin: {req!r} (pin every dependency with ==)"
        out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return _pins(reqs)


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins([r for r in pip if not r.startswith("-e")])


def makefile_torch_pin() -> str:
    m = re.search(r"pip install torch==([0-9.]+)", (REPO / "Makefile").read_text())
    assert m, "the Makefile must install a pinned torch before sdv"
    return m.group(1)


def test_environment_yml_matches_pyproject():
    env = environment_pins()
    torch = env.pop("torch")
    assert torch == makefile_torch_pin()
    assert env == pyproject_pins()


def test_pin_parser_rejects_ranges():
    import pytest

    with pytest.raises(AssertionError):
        _pins(["pandas>=2"])


def test_python_version_and_console_script():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"].startswith(">=3.11")
    assert project["scripts"]["htwork"] == "htwork.cli:main"


def test_sdv_is_an_optional_extra():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert not any(r.lower().startswith("sdv") for r in project["dependencies"])
    assert any(r.startswith("sdv==") for r in project["optional-dependencies"]["sdv"])


def test_public_api_is_honest():
    import htwork

    for name in htwork.__all__:
        assert hasattr(htwork, name), f"htwork.__all__ lists {name!r} but htwork lacks it"
    public = {n for n in vars(htwork) if not n.startswith("_")}
    modules = {n for n in public if isinstance(getattr(htwork, n), type(importlib))}
    assert public - modules <= set(htwork.__all__), (
        "public names missing from htwork.__all__: "
        f"{sorted(public - modules - set(htwork.__all__))}"
    )


def test_subpackages_are_importable_and_not_shadowed():
    import htwork

    for name in htwork._SUBPACKAGES:
        module = getattr(htwork, name)
        assert isinstance(module, type(importlib)), f"htwork.{name} is not the subpackage"
        assert module.__name__ == f"htwork.{name}"


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    assert "make test" in ci and "make test" in readme and "make demo" in readme
