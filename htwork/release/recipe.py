"""``recipe.yaml``: every step and parameter of a release, the seed, package versions and the
input's SHA-256, enough for :func:`htwork.release.replay` to rebuild the folder byte for byte."""

from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from htwork.errors import InputError

__all__ = ["sha256_file", "versions", "dump_recipe", "load_recipe", "PACKAGES"]

#: Packages whose versions can change a release's bytes.
PACKAGES = ("htwork", "numpy", "pandas", "pyarrow", "matplotlib", "frictionless", "pyyaml")


def sha256_file(path: str | Path) -> str:
    """Hexadecimal SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def versions() -> dict[str, str]:
    """Python and package versions, as recorded in the recipe."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def dump_recipe(recipe: dict[str, Any]) -> str:
    """YAML text of a recipe (key order kept, UTF-8, no aliases)."""

    class _NoAlias(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml.dump(recipe, Dumper=_NoAlias, sort_keys=False, allow_unicode=True, width=100)


def load_recipe(path: str | Path) -> dict[str, Any]:
    """Read a ``recipe.yaml`` written by a release."""
    p = Path(path)
    if not p.is_file():
        raise InputError("the recipe file does not exist", file=p)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"the recipe is not valid YAML: {exc}", file=p) from None
    except UnicodeDecodeError:
        raise InputError("the recipe is not a text file (not UTF-8)", file=p,
                         hint="give the recipe.yaml found in a release folder") from None
    except OSError as exc:
        raise InputError(f"the recipe cannot be read ({exc.strerror or exc})", file=p) from None
    if not isinstance(data, dict) or data.get("kind") != "htwork-release-recipe":
        raise InputError("this file is not an htwork release recipe", file=p,
                         hint="give the recipe.yaml found in a release folder")
    return data
