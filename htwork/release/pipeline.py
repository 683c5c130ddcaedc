"""The release pipeline: sensitive extract in, publishable folder out (or nothing at all).

read → validate → map to the release standard → drop and pseudonymise identifiers → protect
(recode and suppress, synthesise, or aggregate) → assess → gate → write (leak-scanned, into a
temporary folder renamed into place).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.io import atomic_folder, atomic_write, read_table, write_csv, write_parquet
from htwork.progress import progress_bar
from htwork.release import datasheet, figures
from htwork.release.gate import GateError, check, measure, risky_mask, suggest_fixes
from htwork.release.package import SUPPRESSED, datapackage, dumps
from htwork.release.policy import Policy, load_policy
from htwork.release.protect import (
    RECODE_LEVELS,
    aggregate,
    as_strings,
    recode,
    recode_categories,
    suppress,
)
from htwork.release.recipe import dump_recipe, load_recipe, sha256_file, versions
from htwork.release.scan import LeakError, identifier_values, scan
from htwork.risk import frequencies
from htwork.standards import crosswalk_table, load_standard, to_release, validate

__all__ = ["release", "replay", "ReleaseResult"]

_STEPS = ["read", "validate", "map to release standard", "identifiers", "protect", "assess",
          "gate", "write"]
_AUTO_K = (2, 3, 5, 11, 15, 20, 30, 50)


@dataclass
class ReleaseResult:
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
        u = f.get("utility", {})
        if "cells_suppressed" in u:
            lines.append(f"{u['cells_suppressed']:,} cells suppressed "
                         f"({u['share_suppressed']:.2%} of quasi-identifier cells)")
        lines.append(f"leak scan: {f.get('leak_scan', {}).get('leaks', 0)} identifiers found")
        if self.seconds is not None:
            lines.append(f"took {self.seconds:.1f} s")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"ReleaseResult(folder={str(self.folder)!r}, policy={self.policy!r}, "
                f"route={self.route!r}, rows={self.n_rows})")


def _read(file: str | Path, crosswalk: str | Path | None) -> pd.DataFrame:
    if crosswalk is not None:
        from htwork.standards.crosswalk import load_crosswalk

        return load_crosswalk(crosswalk).read(file)
    return read_table(file)


def _utility(before: pd.DataFrame, after: pd.DataFrame, mask: pd.DataFrame | None,
             q: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"records_input": len(before), "records_published": len(after)}
    if mask is not None:
        by = {c: int(mask[c].sum()) for c in q}
        out["cells_suppressed"] = int(sum(by.values()))
        out["share_suppressed"] = round(out["cells_suppressed"] / max(len(before) * len(q), 1), 10)
        out["suppressed_by_column"] = by
    tvd = {}
    for c in q:
        if c in before and c in after and len(after):
            pb = before[c].value_counts(normalize=True)
            pa = after[c].value_counts(normalize=True)
            if set(pa.index) - set(pb.index):   # recoded: compare on the released level
                continue
            idx = sorted(set(pb.index) | set(pa.index), key=str)
            tvd[c] = round(0.5 * float(np.abs(pb.reindex(idx, fill_value=0)
                                              - pa.reindex(idx, fill_value=0)).sum()), 10)
    out["total_variation"] = tvd
    return out


def _protect_anonymise(table: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                     list[dict], dict]:
    steps: list[dict] = []
    cats: dict[str, list[str]] = {}
    q = [c for c in policy.quasi_identifiers if c in table]
    if policy.recode:
        table = recode(table, policy.recode)
        for col, level in policy.recode.items():
            if int(level):
                cats[col] = recode_categories(col, int(level), table[col])
                steps.append({"step": "recode", "column": col, "level": int(level),
                              "text": f"{col} generalised to {RECODE_LEVELS[col][int(level)]}."})
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    k = policy.suppress_k
    if k == "auto":
        chosen = None
        for cand in _AUTO_K:
            out, m = suppress(table, q, cand, list(policy.importance))
            if not check(measure(out, policy), policy):
                chosen = cand
                break
        k = chosen or _AUTO_K[-1]
        steps.append({"step": "choose_k", "k": int(k),
                      "text": f"Local suppression level chosen automatically: k = {k}, the "
                              f"smallest of {', '.join(map(str, _AUTO_K))} meeting the policy."})
    if k:
        table, mask = suppress(table, q, int(k), list(policy.importance))
        n = int(mask.to_numpy().sum())
        keep = ", ".join(policy.importance) or "the keys with fewest categories"
        steps.append({"step": "local_suppression", "k": int(k), "keys": q,
                      "importance": list(policy.importance), "method": "minimal",
                      "cells": n,
                      "text": f"Local suppression to {k}-anonymity on {', '.join(q)} (htwork's "
                              f"minimal method, keeping {keep} first): {n:,} cells blanked and "
                              f"marked `suppressed`."})
    return table, mask, steps, cats


def _protect_synthesise(table: pd.DataFrame, policy: Policy, seed: int
                        ) -> tuple[pd.DataFrame, list[dict], dict[str, Any]]:
    try:
        from htwork.synth import evaluate, make_synthesizer
    except ImportError as exc:  # pragma: no cover - depends on the synth package's state
        raise InputError(f"the synthesise route needs htwork.synth, which cannot be used: {exc}",
                         hint="use the anonymise or aggregate route") from None
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(table))
    half = len(table) // 2
    train, holdout = table.iloc[np.sort(order[:half])], table.iloc[np.sort(order[half:])]
    syn = make_synthesizer(policy.synth_method).fit(train)
    fake = syn.sample(len(table), seed=seed)
    fake = fake[list(table.columns)].astype(object).where(fake.notna(), None)
    fake.index = pd.RangeIndex(len(fake))
    ev = evaluate(train, fake, holdout, parts=("privacy", "copies"),
                  n_attacks=policy.synth_attacks, seed=seed).to_dict()
    anon = {"synthetic": _risks(ev.get("privacy", {}).get("synthetic", {})),
            "holdout": _risks(ev.get("privacy", {}).get("holdout", {}))}
    steps = [{"step": "synthesise", "method": policy.synth_method, "seed": seed,
              "train_rows": len(train), "holdout_rows": len(holdout),
              "text": f"A {policy.synth_method} synthesizer was fitted on {len(train):,} of the "
                      f"records ({len(holdout):,} kept aside to measure privacy) and sampled "
                      f"{len(fake):,} synthetic rows (seed {seed})."}]
    return fake, steps, anon


def _risks(node: Any, prefix: str = "") -> dict[str, float]:
    """Point estimates of every anonymeter attack in an evaluation's privacy section."""
    out: dict[str, float] = {}
    if not isinstance(node, dict):
        return out
    for name, v in node.items():
        if not isinstance(v, dict) or name.endswith("_by_column"):
            continue
        if "risk" in v and isinstance(v["risk"], (int, float)):
            out[prefix + name] = round(float(v["risk"]), 10)
        else:
            out.update(_risks(v, prefix + name + "/"))
    return out


def _fail(policy: Policy, failures, fixes: list[str], table, internal_report) -> GateError:
    lines = [f"the release does not meet policy {policy.name!r}; nothing was released."]
    lines += [f"  failed: {f.measure} (threshold {f.threshold}, got {f.value}; off by "
              f"{f.by:.4g}): {f.text}" for f in failures]
    hint = "; or ".join(fixes[:4]) if fixes else "tighten the protection in the policy"
    if internal_report is not None:
        lines.append(f"  risky-record detail written to {internal_report} (internal only)")
    return GateError("\n".join(lines), hint=hint)


def _write_internal(path: str | Path, table: pd.DataFrame, policy: Policy, figures_: dict,
                    failures) -> None:
    q = [c for c in policy.quasi_identifiers if c in table]
    fk = np.asarray(frequencies(table, q).fk)
    bad = risky_mask(table, policy) if policy.route == "anonymise" else np.zeros(len(table), bool)
    rows = [{"row": int(r), "fk": int(f), **{c: table.at[r, c] for c in q}}
            for r, f in zip(table.index[bad], fk[bad], strict=True)]
    doc = {"warning": "INTERNAL: risky-record detail; never publish this file.",
           "policy": policy.name, "failures": [f.__dict__ for f in failures],
           "figures": figures_, "risky_records": rows}
    with atomic_write(path) as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def _published(table: pd.DataFrame, mask: pd.DataFrame | None) -> pd.DataFrame:
    out = table.astype(object).where(table.notna(), None)
    if mask is not None:
        for c in mask.columns:
            m = mask[c].to_numpy(dtype=bool)
            if m.any():
                out.loc[m, c] = SUPPRESSED
    return out.reset_index(drop=True)


def release(file: str | Path, policy: str | Path | Policy | dict, *,
            crosswalk: str | Path | None = None, out: str | Path, seed: int = 0,
            internal_report: str | Path | None = None, key: bytes | None = None,
            progress: bool | None = None) -> ReleaseResult:
    """Make a release folder from a sensitive extract, or nothing at all.

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
    import time

    t0 = time.perf_counter()
    pol = load_policy(policy)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("the release folder already exists and is not empty", file=out,
                         hint="choose a new folder; releases are never overwritten")
    if internal_report is not None and Path(internal_report).resolve().is_relative_to(
            out.resolve()):
        raise InputError("the internal report must not be inside the release folder",
                         file=internal_report)
    if pol.pseudonymise and key is None:
        raise InputError(f"policy {pol.name!r} pseudonymises {list(pol.pseudonymise)} but no "
                         "key was given", hint="pass key= (or --key-file)")
    bar = progress_bar(len(_STEPS), desc="release", unit="step", progress=progress)

    def step(name: str) -> None:
        bar.set_postfix_str(name)

    try:
        step("read")
        df = _read(file, crosswalk)
        bar.update()
        step("validate")
        rep = validate(df, file=file)
        if not rep.ok:
            raise InputError(f"the input does not meet the input standard; nothing was "
                             f"released.\n{rep.summary()}", file=file,
                             hint="fix the errors listed (htwork validate shows them all)")
        bar.update()
        step("map")
        base = as_strings(to_release(df))
        std = load_standard("release")
        cols = list(pol.columns) or list(std.field_names)
        never = set(pol.never)
        cols = [c for c in cols if c not in never]
        base = base[cols]
        bar.update()
        step("identifiers")
        cwt = crosswalk_table()
        used = set(cwt.loc[cwt["target_field"] != "", "source_field"]) | {
            "cas_RegistrationDate", "prs_Birthdate", "vic_AgeWhenTrafficked"}
        dropped = [c for c in df.columns if c not in used]
        steps = [{"step": "map", "text": f"Mapped {len(df):,} input records to the release "
                                         f"standard ({len(cols)} columns, CTDC-shaped) with "
                                         "htwork's HTCDS-to-CTDC crosswalk; ages at registration "
                                         "banded into ageBroad, dates reduced to the year."},
                 {"step": "drop_identifiers", "columns": sorted(set(dropped)),
                  "mapped_from": sorted(c for c in df.columns if c in used),
                  "text": "Dropped every input column the release standard does not define: "
                          "names, aliases, phone numbers, ID numbers, e-mail and street "
                          "addresses, case and group numbers, case notes, exact dates, "
                          "first-level regions."}]
        if never:
            steps.append({"step": "never", "columns": sorted(never),
                          "text": f"Columns the policy forbids: {', '.join(sorted(never))}."})
        if pol.pseudonymise:
            from htwork.anonymise import Pseudonymiser

            src = list(pol.pseudonymise)
            ps = Pseudonymiser(key, columns=src).fit_transform(df[src])
            for s, target in pol.pseudonymise.items():
                base[target] = ps[s].to_numpy()
            steps.append({"step": "pseudonymise", "columns": dict(pol.pseudonymise),
                          "method": "HMAC-SHA256, 16 hex characters",
                          "text": "Keyed pseudonyms (HMAC-SHA256) for "
                                  f"{', '.join(src)}; the key stays with the agency."})
        bar.update()
        step("protect")
        q = [c for c in pol.quasi_identifiers if c in base]
        mask = None
        cats: dict[str, list[str]] = {}
        report: dict[str, Any] = {"policy": pol.name, "route": pol.route}
        report["risk_before"] = measure(base, pol) if q else {}
        if pol.route == "anonymise":
            table, mask, psteps, cats = _protect_anonymise(base, pol)
        elif pol.route == "synthesise":
            table, psteps, anon = _protect_synthesise(base, pol, seed)
            report["anonymeter"] = anon
        else:
            acols = list(pol.aggregate_columns) or q
            table, agg = aggregate(base, acols, pol.reporting_length,
                                   pol.thresholds.min_cell or 1, pol.thresholds.rounding or 1)
            report["aggregate"] = agg
            psteps = [{"step": "aggregate", "columns": acols, "length": pol.reporting_length,
                       "min_cell": pol.thresholds.min_cell, "rounding": pol.thresholds.rounding,
                       "text": f"Counted every combination of up to {pol.reporting_length} of "
                               f"{', '.join(acols)}; withheld counts below "
                               f"{pol.thresholds.min_cell}, rounded the rest down to a multiple "
                               f"of {pol.thresholds.rounding}."}]
        steps += psteps
        bar.update()
        step("assess")
        if pol.route != "aggregate":
            report["risk_after"] = measure(table, pol)
            report["utility"] = _utility(base, table, mask, q)
        else:
            report["utility"] = {
                "records_input": len(base),
                "combinations_published": report["aggregate"]["combinations_published"],
                "mean_relative_error": report["aggregate"]["mean_relative_error"]}
        bar.update()
        step("gate")
        failures = check({**report.get("risk_after", {}), **report}, pol)
        report["gate"] = {"passed": not failures,
                          "thresholds": pol.to_dict()["thresholds"]}
        if internal_report is not None:
            _write_internal(internal_report, table if pol.route != "aggregate" else base, pol,
                            report, failures)
        if failures:
            if pol.route == "anonymise":
                fixes = suggest_fixes(table, pol, dict(pol.recode))
            elif pol.route == "synthesise":
                fixes = ["use a differentially private synthesizer (synth_method: dp)",
                         "raise synth_attacks for narrower estimates",
                         "publish protected microdata instead (route: anonymise)"]
            else:
                fixes = []
            raise _fail(pol, failures, fixes, table, internal_report)
        report["steps"] = steps
        bar.update()
        step("write")
        meta = _meta(file, df, pol, seed, crosswalk, table)
        _write_folder(out, df, table, mask, cats, pol, report, meta, base, key)
        bar.update()
    finally:
        bar.close()
    return ReleaseResult(out, pol.name, pol.route, len(df), len(table), report,
                         time.perf_counter() - t0)


def _meta(file, df, pol: Policy, seed: int, crosswalk, table) -> dict[str, Any]:
    v = versions()
    name = Path(file).name
    return {"title": f"Case data release ({pol.name})", "htwork_version": v["htwork"],
            "seed": seed, "input_name": name, "input_sha256": sha256_file(file),
            "n_input": len(df), "n_rows": len(table), "n_columns": len(table.columns),
            "columns": list(table.columns), "versions": v,
            "crosswalk": None if crosswalk is None else str(crosswalk),
            "source_description": f"a case-management extract of {len(df):,} records "
                                  f"(file {name}), in the HTCDS-aligned input standard"
                                  + (f" via crosswalk {Path(str(crosswalk)).stem}"
                                     if crosswalk else "") + "."}


def _write_folder(out: Path, df: pd.DataFrame, table: pd.DataFrame, mask, cats, pol: Policy,
                  report: dict, meta: dict, base: pd.DataFrame, key: bytes | None) -> None:
    parent = out.resolve().parent
    if not parent.is_dir():
        raise InputError("the release folder's parent does not exist", file=parent)
    with atomic_folder(out) as tmp:  # empty `out` replaced (checked by release())
        pub = _published(table, mask)
        write_csv(pub, tmp / "data.csv")
        write_parquet(pub, tmp / "data.parquet")
        figs: dict[str, bytes] = {}
        q = [c for c in pol.quasi_identifiers if c in base]
        if pol.route != "aggregate" and q:
            fk_b = np.asarray(frequencies(base, q).fk)
            fk_a = np.asarray(frequencies(table, q).fk)
            figs["fk.png"] = figures.png(figures.fk_figure(fk_b, fk_a))
            contrib = report["risk_after"]["suda2"]["contributions"]
            if contrib:
                figs["contributions.png"] = figures.png(figures.contributions_figure(contrib))
            figs["marginals.png"] = figures.png(figures.marginals_figure(base, table, q))
        sources = [{"title": meta["source_description"],
                    "description": f"SHA-256 {meta['input_sha256']}"}]
        ident = identifier_values(df)
        report["leak_scan"] = {"identifier_values": sum(len(v) for v in ident.values()),
                               "leaks": 0}
        files = {"data.csv": sha256_file(tmp / "data.csv"),
                 "data.parquet": sha256_file(tmp / "data.parquet")}
        dp = datapackage(name=f"htwork-release-{pol.name}".replace("_", "-"),
                         title=meta["title"],
                         description=f"Case data released under policy {pol.name}: "
                                     f"{pol.title}. See DATASHEET.md.",
                         columns=list(pub.columns) if pol.route != "aggregate"
                         else [c for c in pub.columns if c not in ("attributes", "count")],
                         categories=cats, licence=pol.licence, sources=sources,
                         route=pol.route, n_rows=len(pub), files=files)
        (tmp / "datapackage.json").write_text(dumps(dp), encoding="utf-8")
        recipe = _recipe(pol, meta, report["steps"])
        (tmp / "recipe.yaml").write_text(dump_recipe(recipe), encoding="utf-8")
        blocks = datasheet.build(policy=pol, meta=meta, report=report, figures=figs)
        (tmp / "DATASHEET.md").write_text(datasheet.to_markdown(blocks), encoding="utf-8")
        (tmp / "datasheet.html").write_text(datasheet.to_html(blocks), encoding="utf-8")
        for name, data in figs.items():
            (tmp / name).write_bytes(data)
        (tmp / "risk_report.json").write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        final = scan(tmp, df, keys=[key] if key else None, values=ident)
        if not final.ok:
            raise LeakError("the leak scan found identifiers of the input in the release; "
                            "nothing was released.\n" + final.summary(),
                            hint="drop or redact the columns named above in the policy")


def _recipe(pol: Policy, meta: dict, steps: list[dict]) -> dict[str, Any]:
    return {
        "kind": "htwork-release-recipe",
        "version": 1,
        "command": f"htwork release {meta['input_name']} --policy {pol.name} --seed "
                   f"{meta['seed']}"
                   + (f" --crosswalk {meta['crosswalk']}" if meta["crosswalk"] else "")
                   + " --out DIR",
        "input": {"name": meta["input_name"], "sha256": meta["input_sha256"],
                  "records": meta["n_input"]},
        "crosswalk": meta["crosswalk"],
        "seed": meta["seed"],
        "steps": ["read", "validate", "map_to_release_standard", "drop_identifiers",
                  "pseudonymise" if pol.pseudonymise else "no_pseudonyms",
                  f"protect:{pol.route}", "assess", "gate", "leak_scan", "write"],
        "parameters": [{k: v for k, v in s.items() if k != "text"} for s in steps],
        "policy": pol.to_dict(),
        "versions": meta["versions"],
    }


def replay(recipe: str | Path, file: str | Path, *, out: str | Path,
           crosswalk: str | Path | None = None, key: bytes | None = None,
           progress: bool | None = None) -> ReleaseResult:
    """Rebuild a release from its ``recipe.yaml`` and the same input file.

    Raises
    ------
    InputError
        The file is not the one the recipe was made from (SHA-256 differs).
    """
    r = load_recipe(recipe)
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
    return release(file, pol, crosswalk=cw, out=out, seed=int(r["seed"]), key=key,
                   progress=progress)
