"""Packaging promises: ranges in pyproject.toml, exact versions in constraints.txt, the same
dependencies in environment.yml, markers and py.typed shipped, the public API honest."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _requirements(lines: list[str]) -> dict[str, Requirement]:
    out = {}
    for line in lines:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name not in out, f"{name} is listed twice"
        out[name] = req
    return out


def pyproject_requirements() -> dict[str, Requirement]:
    """Core dependencies and every extra, by canonical name."""
    project = _project()
    lines = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    return _requirements(lines)


def environment_requirements() -> tuple[dict[str, Requirement], list[str]]:
    """environment.yml's pip requirements, and its pip options (``-c ...``, ``-e ...``)."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    options = [r for r in pip if r.startswith("-")]
    return _requirements([r for r in pip if not r.startswith("-")]), options


def constraints() -> dict[str, Version]:
    """constraints.txt: exact pins, by canonical name."""
    out = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert m, f"constraints.txt: not an exact pin: {line!r}"
        out[canonicalize_name(m.group(1))] = Version(m.group(2))
    return out


def makefile_torch_pin() -> str:
    m = re.search(r"pip install -c constraints\.txt torch==([0-9.]+)",
                  (REPO / "Makefile").read_text())
    assert m, "the Makefile must install a pinned torch, with the constraints, before sdv"
    return m.group(1)


def test_dependencies_are_lower_bounded_ranges():
    for name, req in pyproject_requirements().items():
        ops = {s.operator for s in req.specifier}
        assert ">=" in ops, f"{name}: give a lower bound (>=), not {req.specifier or 'nothing'}"
        assert ops <= {">=", "<"}, f"{name}: a range (>= and, for a known conflict, <)"


def test_upper_caps_are_explained_in_pyproject():
    text = (REPO / "pyproject.toml").read_text()
    for line in text.splitlines():
        if re.match(r'\s*"[^"]*<[^"]*",', line):
            assert "#" in line and "require" in line.split("#", 1)[1], (
                f"an upper cap needs its reason beside it: {line.strip()}")


def test_constraints_pin_every_declared_dependency_inside_its_range():
    pins = constraints()
    for name, req in pyproject_requirements().items():
        assert name in pins, f"constraints.txt does not pin {name}"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, outside pyproject's {req.specifier}")
    assert "htwork" not in pins, "constraints.txt must not pin htwork itself"


def test_torch_is_the_same_everywhere():
    torch = Version(makefile_torch_pin())
    env, _ = environment_requirements()
    assert constraints()["torch"] == torch
    assert env["torch"].specifier.contains(torch) and str(env["torch"].specifier) == f"=={torch}"
    assert pyproject_requirements()["torch"].specifier.contains(torch)


def test_make_installs_with_the_constraints():
    makefile = (REPO / "Makefile").read_text()
    assert 'pip install -c constraints.txt -e ".[sdv,dev]"' in makefile
    stamp = re.search(r"^\$\(STAMP\):(.*)$", makefile, re.M)
    assert stamp and "constraints.txt" in stamp.group(1), "a new constraints.txt must reinstall"


def test_environment_yml_matches_pyproject():
    env, options = environment_requirements()
    env.pop("torch")
    assert {n: str(r.specifier) for n, r in env.items()} == {
        n: str(r.specifier) for n, r in pyproject_requirements().items() if n != "torch"}
    assert "-c constraints.txt" in options and "-e ." in options


def test_requirement_parser_rejects_pins_and_open_ranges(monkeypatch):
    for bad in (["pandas==2.3.3"], ["pandas"], ["pandas<3"]):
        project = {"dependencies": bad, "optional-dependencies": {}}
        monkeypatch.setattr(f"{__name__}._project", lambda project=project: project)
        with pytest.raises(AssertionError):
            test_dependencies_are_lower_bounded_ranges()


def test_python_version_and_console_script():
    project = _project()
    assert project["requires-python"].startswith(">=3.11")
    assert project["scripts"]["htwork"] == "htwork.cli:main"


def test_sdv_is_an_optional_extra():
    project = _project()
    assert not any(canonicalize_name(Requirement(r).name) in ("sdv", "torch")
                   for r in project["dependencies"])
    assert "sdv" in _requirements(project["optional-dependencies"]["sdv"])


def test_py_typed_is_shipped():
    assert (REPO / "htwork" / "py.typed").is_file()
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "py.typed" in data["package-data"]["htwork"]


def test_pytest_markers_are_registered_and_notebooks_run_by_default():
    options = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]
    ini = options["ini_options"]
    registered = {m.split(":")[0] for m in ini["markers"]}
    assert {"slow", "notebook"} <= registered
    assert "--nbval-lax" in ini["addopts"] and "--strict-markers" in ini["addopts"]
    assert {"notebooks", "tutorials"} <= set(ini["testpaths"])
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r'^check:.*\n\t.*pytest tests .*-m "not slow and not notebook"', makefile,
                     re.M)
    # plain pytest (every test path, notebooks included), spread over the cores by pytest-xdist
    assert re.search(r"^test:.*\n\t\$\(PY\) -m pytest -q -n auto --maxprocesses \d+$", makefile,
                     re.M)


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
