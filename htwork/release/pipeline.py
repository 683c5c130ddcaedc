"""The release pipeline: sensitive extract in, publishable folder out (or nothing at all).

read → validate → map to the release standard → drop and pseudonymise identifiers → protect
(recode and suppress, synthesise, or aggregate) → assess → gate → write (leak-scanned, into a
temporary folder renamed into place). Each step is a function of :mod:`htwork.release.steps`;
:func:`release` composes them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.progress import progress_bar
from htwork.release import own, steps
from htwork.release.keys import resolve_keys
from htwork.release.policy import PRESETS, Policy, load_policy
from htwork.release.recipe import load_recipe, sha256_file, versions
from htwork.standards import Standard, load_standard

__all__ = ["release", "replay", "ReleaseResult"]

_STEPS = ["read", "validate", "map to release standard", "identifiers", "protect", "assess",
          "gate", "write"]


@dataclass(repr=False)
class ReleaseResult(Result):
    """What a release produced: the folder and its headline figures."""

    folder: Path
    policy: str
    route: str
    n_input: int
    n_rows: int
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float | None = None

    def summary(self) -> str:
        """Plain-language headline figures."""
        f = self.figures
        lines = [f"release written to {self.folder}",
                 f"policy {self.policy} (route {self.route}): {self.n_rows:,} rows from "
                 f"{self.n_input:,} input records"]
        after = f.get("risk_after")
        before = f.get("risk_before")
        if before:
            lines.append(f"before protection: global risk {before['global_risk']:.2%}, "
                         f"{before['sample_uniques']:,} sample uniques, smallest group "
                         f"{before['min_fk']}")
        if after:
            lines.append(f"as released: global risk {after['global_risk']:.2%}, "
                         f"{after['sample_uniques']:,} sample uniques, smallest group "
                         f"{after['min_fk']}, {after['suda2']['records_above_zero']:,} "
                         "special uniques")
        if "aggregate" in f:
            a = f["aggregate"]
            lines.append(f"{a['combinations_published']:,} counts published, "
                         f"{a['combinations_withheld']:,} withheld")
        for key, names in (f.get("keys") or {}).get("absent", {}).items():
            lines.append(f"absent from the table, not used: {key} {', '.join(names)}")
        u = f.get("utility", {})
        if "cells_suppressed" in u:
            lines.append(f"{u['cells_suppressed']:,} cells suppressed "
                         f"({u['share_suppressed']:.2%} of quasi-identifier cells)")
        lines.append(f"leak scan: {f.get('leak_scan', {}).get('leaks', 0)} identifiers found")
        if self.seconds is not None:
            lines.append(f"took {self.seconds:.1f} s")
        return "\n".join(lines)

    def _data(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "policy": self.policy, "route": self.route,
                "n_input": self.n_input, "n_rows": self.n_rows, "figures": self.figures,
                "seconds": self.seconds}

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"ReleaseResult(folder={str(self.folder)!r}, policy={self.policy!r}, "
                f"route={self.route!r}, rows={self.n_rows})")


class _Progress:
    """A progress bar over the release steps (:func:`htwork.progress.progress_bar`: a widget in
    Jupyter, text in a terminal, none elsewhere), one tick per finished step."""

    def __init__(self, show: bool | None) -> None:
        self.bar = progress_bar(len(_STEPS), desc="release", unit="step", progress=show)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.bar.set_postfix_str(name)
        yield
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


def check_request(out: Path, policy: Policy, *, internal_report: str | Path | None = None,
                  key: bytes | None = None) -> None:
    """Refuse a release that could not be written, before any input is read.

    Raises
    ------
    InputError
        ``out`` exists and is not an empty folder; the internal report would be inside it;
        the policy pseudonymises columns and no key was given.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("the release folder already exists and is not empty", file=out,
                         hint="choose a new folder; releases are never overwritten")
    if internal_report is not None and Path(internal_report).resolve().is_relative_to(
            out.resolve()):
        raise InputError("the internal report must not be inside the release folder",
                         file=internal_report)
    if policy.pseudonymise and key is None:
        raise InputError(f"policy {policy.name!r} pseudonymises {list(policy.pseudonymise)} but "
                         "no key was given", hint="pass key= (or --key-file)")


def check_paths(file: str | Path, out: Path, *, internal_report: str | Path | None = None,
                crosswalk: str | Path | None = None, recipe: str | Path | None = None) -> None:
    """Refuse outputs that would write over, inside or around an input (:mod:`htwork.io.guard`).

    Raises
    ------
    InputError
        The input is not a readable file; ``out`` or ``internal_report`` is an input, holds
        one, or cannot be written.
    """
    from htwork.io.files import check_input_path
    from htwork.io.guard import check_output

    check_input_path(file)
    cw = crosswalk if crosswalk is not None and Path(str(crosswalk)).exists() else None
    inputs = [file, cw, recipe]
    check_output(out, inputs, folder=True, what="the release folder")
    if internal_report is not None:
        check_output(internal_report, [*inputs, out], what="the internal report")


def release(file: str | Path, policy: str | Path | Policy | dict, *,
            crosswalk: str | Path | None = None, out: str | Path, seed: int = 0,
            internal_report: str | Path | None = None, key: bytes | None = None,
            progress: bool | None = None, schema: str | Path | Standard | dict | None = None,
            quasi: list[str] | None = None, strict: bool = False) -> ReleaseResult:
    """Make a release folder from a sensitive extract, or nothing at all.

    The steps are the functions of :mod:`htwork.release.steps`, in this order: read, validate,
    map to the release standard, identifiers, protect, assess, gate, write.

    Parameters
    ----------
    file : str or Path
        The sensitive extract (input standard, or an agency format with ``crosswalk``).
    policy : str, Path, dict or Policy
        A preset name (``ctdc_k11``, ``sds_resolution10``, ``hdx_global_risk_3pct``) or a
        policy YAML file.
    crosswalk : str or Path, optional
        An agency crosswalk (shipped name or YAML file).
    out : str or Path
        The folder to create; it must not exist yet (or be empty).
    seed : int
        Seed of every random step (synthesis, holdout split).
    internal_report : str or Path, optional
        Where to write risky-record detail (JSON, written whether or not the gate passes);
        never inside ``out``.
    key : bytes, optional
        Pseudonymisation key, needed when the policy pseudonymises columns; never written.
    schema : str, Path, dict or Standard, optional
        The table's own schema (a ``htwork profile`` output, edited or not). Without it, a
        table in htwork's input standard (or read through ``crosswalk``) is mapped to the
        CTDC-shaped release standard as before, and any other table gets a schema inferred by
        :func:`htwork.standards.profile`. With a schema other than the input standard, the
        table is checked and typed by it (missing-value codes become empty cells), its own
        columns are published (less direct identifiers, free text and empty columns) and the
        policy's keys name its columns or roles.
    quasi : list of str, optional
        Quasi-identifiers replacing the policy's (``--quasi``).
    strict : bool
        Make a key the policy names but the table lacks an error (default: release with the
        keys present and say so).
    progress : bool, optional
        Show a progress bar over the steps: a widget in Jupyter, text in a terminal, nothing
        elsewhere (default: yes, unless the environment variable ``HTWORK_NO_PROGRESS`` is
        set; see :func:`htwork.progress.progress_bar`).

    Returns
    -------
    ReleaseResult

    Raises
    ------
    InputError
        Unreadable input, validation errors, a bad policy, ``out`` not empty.
    GateError
        The protected data do not meet the policy: says which threshold failed, by how much,
        and what would fix it (computed). Nothing is written to ``out``.
    LeakError
        The leak scan found an input identifier in the folder. Nothing is written.
    """
    t0 = time.perf_counter()
    pol = load_policy(policy)
    out = Path(out)
    check_paths(file, out, internal_report=internal_report, crosswalk=crosswalk)
    check_request(out, pol, internal_report=internal_report, key=key)
    bar = _Progress(progress)
    policy_file = policy if isinstance(policy, str | Path) and str(policy) not in PRESETS \
        else None
    given = pol
    try:
        with bar.step("read"):
            df = steps.read_input(file, crosswalk)
            std, inferred = own.choose_schema(df, schema, crosswalk)
        if std is None:
            with bar.step("validate"):
                steps.validate_input(df, file)
            with bar.step("map"):
                base, mapped = steps.map_to_release(df, pol)
                base, empty = steps.drop_empty(base)
                res = resolve_keys(pol, list(base.columns), load_standard("release"),
                                   quasi=quasi, strict=strict, policy_file=policy_file)
                pol = res.policy
            with bar.step("identifiers"):
                base, records = steps.handle_identifiers(df, base, pol, key)
                if empty:
                    records.append(steps.empty_record(empty))
        else:
            with bar.step("validate"):
                conformed = own.conform_input(df, std, file)
            with bar.step("map"):
                base, records, empty = own.own_columns(conformed, pol, inferred)
                res = resolve_keys(pol, list(base.columns), std, quasi=quasi, strict=strict,
                                   policy_file=policy_file)
                pol = res.policy
                if pol.columns:
                    base = base[[c for c in base.columns if c in set(pol.columns)]]
            with bar.step("identifiers"):
                base, more = own.own_pseudonyms(df, base, pol, key)
                mapped, records = records[0], records[1:] + more
        if res.absent or res.quasi_override or std is not None:
            records.append({"step": "keys", **res.section(), "text": res.text()})
        with bar.step("protect"):
            protected = steps.protect_table(base, pol, seed)
        with bar.step("assess"):
            report = steps.assess_tables(base, protected, pol)
        with bar.step("gate"):
            report["gate"] = steps.gate_release(report, base, protected, pol, internal_report)
            report["steps"] = [mapped, *records, *protected.records]
        if res.absent or res.quasi_override or std is not None:
            report["keys"] = res.section()
        with bar.step("write"):
            meta = steps.release_meta(file, df, pol, seed, crosswalk, protected.table)
            if empty:
                meta["empty_columns"] = empty
            meta["policy_as_given"] = given
            if std is not None:
                meta.update(own.own_meta(df, std, inferred, schema, quasi, strict,
                                         conformed.types))
                meta["title"] = f"Data release ({pol.name})"
            steps.write_folder(out, df=df, base=base, protected=protected, policy=pol,
                               report=report, meta=meta, key=key)
    finally:
        bar.close()
    return ReleaseResult(out, pol.name, pol.route, len(df), len(protected.table), report,
                         time.perf_counter() - t0)


def replay(recipe: str | Path, file: str | Path, *, out: str | Path,
           crosswalk: str | Path | None = None, key: bytes | None = None,
           progress: bool | None = None, schema: str | Path | Standard | dict | None = None
           ) -> ReleaseResult:
    """Rebuild a release from its ``recipe.yaml`` and the same input file.

    A release of a table in its own schema needs the same ``schema`` again (unless the
    schema was inferred, when it is inferred again); its ``--quasi`` and ``--strict`` come
    from the recipe.

    Raises
    ------
    InputError
        The file is not the one the recipe was made from (SHA-256 differs); the recipe was
        made with a schema file and none is given.
    """
    r = load_recipe(recipe)
    check_paths(file, Path(out), crosswalk=crosswalk, recipe=recipe)
    digest = sha256_file(file)
    if digest != r["input"]["sha256"]:
        raise InputError(f"this is not the input the recipe was made from (SHA-256 "
                         f"{digest[:16]}..., recipe expects {r['input']['sha256'][:16]}...)",
                         file=file, hint="give the same extract the release was made from")
    now = versions()
    if now != r.get("versions", now):
        import warnings

        diff = {k: (v, now.get(k)) for k, v in r["versions"].items() if now.get(k) != v}
        warnings.warn(f"package versions differ from the recipe's {diff}; the folder may not "
                      "be byte-identical", stacklevel=2)
    cw = crosswalk if crosswalk is not None else r.get("crosswalk")
    pol = Policy.from_dict(r["policy"], where=str(recipe))
    own_schema = r.get("schema") or {}
    if own_schema.get("given") and schema is None:
        raise InputError(f"the release was made with the schema {own_schema['given']!r}; "
                         "give it again", file=recipe, hint="pass schema= (or --schema)")
    return release(file, pol, crosswalk=cw, out=out, seed=int(r["seed"]), key=key,
                   progress=progress, schema=schema, quasi=own_schema.get("quasi"),
                   strict=bool(own_schema.get("strict")))
