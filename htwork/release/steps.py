"""The steps of a release, each a function that can be called (and tested) on its own.

:func:`htwork.release.release` composes them::

    read_input → validate_input → map_to_release → handle_identifiers → protect_table
    → assess_tables → gate_release → write_folder

Each step takes plain data (frames, the :class:`~htwork.release.Policy`) and returns plain data;
every step that changes the table also returns the records (``{"step": ..., "text": ...}``)
that ``recipe.yaml`` and the datasheet show. Nothing is written before :func:`write_folder`,
which writes into a temporary folder renamed into place after the leak scan.
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.errors import InputError
from htwork.io import atomic_folder, atomic_write, read_table, write_csv, write_parquet
from htwork.release import datasheet, figures, own
from htwork.release.gate import Failure, GateError, check, measure, risky_mask, suggest_fixes
from htwork.release.package import SUPPRESSED, datapackage, dumps
from htwork.release.policy import Policy
from htwork.release.protect import (
    RECODE_LEVELS,
    aggregate,
    as_strings,
    recode,
    recode_categories,
    suppress,
)
from htwork.release.recipe import dump_recipe, sha256_file, versions
from htwork.release.scan import LeakError, identifier_values, scan
from htwork.risk import frequencies
from htwork.standards import load_standard, release_inputs, to_release, validate
from htwork.standards.report import ValidationReport

__all__ = ["Protected", "read_input", "validate_input", "map_to_release", "handle_identifiers",
           "protect_table", "assess_tables", "gate_release", "write_folder", "release_meta",
           "drop_empty", "empty_record", "mostly_southeast_asia", "release_types",
           "release_parquet_frame", "AUTO_K"]

#: Local suppression levels tried, smallest first, when a policy says ``suppress_k: auto``.
AUTO_K = (2, 3, 5, 11, 15, 20, 30, 50)

Record = dict[str, Any]


@dataclass
class Protected:
    """What the protect step made.

    Attributes
    ----------
    table : DataFrame
        The protected table (microdata, synthetic rows, or counts on the aggregate route).
    mask : DataFrame or None
        Cells blanked by local suppression (anonymise route only).
    records : list of dict
        What was done, for the recipe and the datasheet.
    categories : dict
        Categories of recoded columns, for the data package.
    figures : dict
        Route-specific figures for the risk report (``anonymeter`` or ``aggregate``).
    """

    table: pd.DataFrame
    mask: pd.DataFrame | None = None
    records: list[Record] = field(default_factory=list)
    categories: dict[str, list[str]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)


def _keys(policy: Policy, table: pd.DataFrame) -> list[str]:
    """The policy's quasi-identifiers present in ``table``."""
    return [c for c in policy.quasi_identifiers if c in table]


# --- read, validate, map -------------------------------------------------------------------------

def read_input(file: str | Path, crosswalk: str | Path | None = None) -> pd.DataFrame:
    """Read the sensitive extract: the input standard, or an agency format with ``crosswalk``."""
    if crosswalk is not None:
        from htwork.standards.crosswalk import load_crosswalk

        return load_crosswalk(crosswalk).read(file)
    return read_table(file)


def validate_input(df: pd.DataFrame, file: str | Path) -> ValidationReport:
    """Check the extract against the input standard.

    Raises
    ------
    InputError
        If it has errors (the message lists them); nothing can be released from it.
    """
    rep = validate(df, file=file)
    if not rep.ok:
        raise InputError(f"the input does not meet the input standard; nothing was "
                         f"released.\n{rep.summary()}", file=file,
                         hint="fix the errors listed (htwork validate shows them all)")
    return rep


def map_to_release(df: pd.DataFrame, policy: Policy) -> tuple[pd.DataFrame, Record]:
    """The release table (strings, missing as ``None``) with the columns the policy publishes:
    its ``columns`` (default: every field of the release standard) less its ``never``."""
    base = as_strings(to_release(df))
    cols = list(policy.columns) or load_standard("release").field_names
    cols = [c for c in cols if c not in set(policy.never)]
    record = {"step": "map", "text": f"Mapped {len(df):,} input records to the release "
                                     f"standard ({len(cols)} columns, CTDC-shaped) with "
                                     "htwork's HTCDS-to-CTDC crosswalk; ages at registration "
                                     "banded into ageBroad, dates reduced to the year."}
    _check_policy_columns(cols, base, df, policy)
    return base[cols], record


def drop_empty(base: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The table without the columns that hold nothing (every cell missing), and their names."""
    empty = [c for c in base.columns if not base[c].notna().any()]
    return (base.drop(columns=empty) if empty else base), empty


def mostly_southeast_asia(base: pd.DataFrame) -> bool:
    """Whether most records with a known country of exploitation (else citizenship) name a
    country of South-eastern Asia (in any spelling: alpha-2, alpha-3 or an English name)."""
    from htwork.errors import HtworkError
    from htwork.standards import subregion
    from htwork.standards.country import to_alpha2

    for col in ("CountryOfExploitation", "citizenship"):
        if col not in base:
            continue
        counts = base[col].dropna().astype(str).value_counts()
        if not counts.sum():
            continue
        sea = 0
        for code, n in counts.items():
            alpha2 = to_alpha2(str(code))
            if alpha2 is None:
                continue
            try:
                region = subregion(alpha2)
            except HtworkError:
                continue
            sea += int(n) if region == "South-eastern Asia" else 0
        return sea * 2 >= int(counts.sum())
    return False


def empty_record(empty: list[str]) -> Record:
    """The record of the columns left out because the input holds nothing in them."""
    return {"step": "empty_columns", "columns": list(empty),
            "text": "Left out columns empty in the input: " + ", ".join(empty) + "."}


def _check_policy_columns(cols: list[str], base: pd.DataFrame, df: pd.DataFrame,
                          policy: Policy) -> None:
    """Refuse a policy ``columns:`` entry that is not a column of the release table."""
    missing = [c for c in cols if c not in base.columns]
    if not missing:
        return
    inputs = [c for c in missing if c in df.columns]
    verb = "is an input column" if len(inputs) == 1 else "are input columns"
    why = (f" ({', '.join(inputs)} {verb}; a release publishes only columns of the release "
           "standard)") if inputs else ""
    raise InputError(f"policy {policy.name!r} lists under columns: "
                     f"{', '.join(map(str, missing))}, which the release table does not have"
                     f"{why}",
                     hint="the release columns are: " + ", ".join(map(str, base.columns)))


# --- identifiers ---------------------------------------------------------------------------------

def _dropped_columns(df: pd.DataFrame, used: set[str]) -> dict[str, Any]:
    """The input columns left behind, as the recipe may name them: the input standard's by
    name, any other only counted (a header nobody defined may itself identify someone)."""
    known = set(load_standard().field_names)
    left = [str(c) for c in df.columns if c not in used]
    return {"columns": sorted(c for c in left if c in known),
            "other_columns": sum(c not in known for c in left)}


def handle_identifiers(df: pd.DataFrame, base: pd.DataFrame, policy: Policy,
                       key: bytes | None = None) -> tuple[pd.DataFrame, list[Record]]:
    """Account for the input columns left behind, and add the policy's keyed pseudonyms.

    Every input column the release is not made from (:func:`htwork.standards.release_inputs`)
    is dropped; the policy's ``pseudonymise`` columns come back as HMAC-SHA256 pseudonyms.

    Returns
    -------
    (table, records)
        ``base`` with the pseudonym columns added (a copy when there are any), and the records.
    """
    used = set(release_inputs())
    info = _dropped_columns(df, used)
    words = _dropped_words(info["columns"]) if info["columns"] else ""
    if info["other_columns"]:
        n = info["other_columns"]
        words += (", and " if words else "") + f"{n} other column{'' if n == 1 else 's'}"
    records: list[Record] = [
        {"step": "drop_identifiers", **info,
         "mapped_from": sorted(c for c in df.columns if c in used),
         "text": "Dropped every input column the release standard does not define"
                 + (": " + words if words else " (there were none)") + "."}]
    never = sorted(set(policy.never))
    if never:
        records.append({"step": "never", "columns": never,
                        "text": f"Columns the policy forbids: {', '.join(never)}."})
    if not policy.pseudonymise:
        return base, records
    if key is None:
        raise InputError(f"policy {policy.name!r} pseudonymises {list(policy.pseudonymise)} "
                         "but no key was given", hint="pass key= (or --key-file)")
    from htwork.anonymise import Pseudonymiser

    src = list(policy.pseudonymise)
    ps = Pseudonymiser(key, columns=src).fit_transform(df[src])
    base = base.copy()
    for s, target in policy.pseudonymise.items():
        base[target] = ps[s].to_numpy()
    records.append({"step": "pseudonymise", "columns": dict(policy.pseudonymise),
                    "method": "HMAC-SHA256, 16 hex characters",
                    "text": "Keyed pseudonyms (HMAC-SHA256) for "
                            f"{', '.join(src)}; the key stays with the agency."})
    return base, records


#: Input-standard columns dropped at release -> how the datasheet names them (in this order);
#: pairs are named together when both were dropped ("e-mail and street addresses").
_DROPPED_WORDS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("names", (("prs_FirstName", "names"), ("prs_SecondName", "names"))),
    ("aliases", (("prs_Aliases", "aliases"),)),
    ("phone numbers", (("prs_MobilePhone", "phone numbers"),)),
    ("ID numbers", (("prs_IdentityDocumentNumber", "ID numbers"),)),
    ("e-mail and street addresses", (("prs_Email", "e-mail addresses"),
                                     ("prs_MailingStreet", "street addresses"))),
    ("case and group numbers", (("cas_CaseId", "case numbers"),
                                ("cas_GroupId", "group numbers"))),
    ("case notes", (("cas_Notes", "case notes"),)),
    ("exact dates", (("cas_IncomingReferralDate", "exact dates"),
                     ("cas_OutgoingReferralDate", "exact dates"))),
    ("first-level regions", (("prs_MailingState", "first-level regions"),
                             ("vic_LocationOfRecruitment", "first-level regions"),
                             ("vic_LocationOfExploitation", "first-level regions"))),
)


def _dropped_words(dropped: list[str]) -> str:
    """The dropped input columns in words: only kinds the input had; the column names when
    none of the usual kinds was among them."""
    have = set(dropped)
    words = []
    for both, parts in _DROPPED_WORDS:
        found = list(dict.fromkeys(w for col, w in parts if col in have))
        if len(found) > 1 or (found and len({w for _, w in parts}) == 1):
            words.append(both if len(found) > 1 else found[0])
        elif found:
            words.append(found[0])
    return ", ".join(words) if words else ", ".join(dropped)


# --- protect -------------------------------------------------------------------------------------

def protect_table(base: pd.DataFrame, policy: Policy, seed: int = 0) -> Protected:
    """Protect the release table by the policy's route: anonymise (recode, then local
    suppression), synthesise (fit on half, sample, attack), or aggregate (counts)."""
    if policy.route == "anonymise":
        return _protect_anonymise(base, policy)
    if policy.route == "synthesise":
        return _protect_synthesise(base, policy, seed)
    return _protect_aggregate(base, policy)


def _recode(table: pd.DataFrame, policy: Policy, out: Protected) -> pd.DataFrame:
    if not policy.recode:
        return table
    table = recode(table, policy.recode)
    for col, level in policy.recode.items():
        if int(level):
            out.categories[col] = recode_categories(col, int(level), table[col])
            out.records.append({"step": "recode", "column": col, "level": int(level),
                                "text": f"{col} generalised to "
                                        f"{RECODE_LEVELS[col][int(level)]}."})
    return table


def _choose_k(table: pd.DataFrame, policy: Policy, q: list[str]) -> tuple[int, Record]:
    """The smallest of :data:`AUTO_K` whose local suppression meets the policy (else the
    largest)."""
    chosen = None
    for cand in AUTO_K:
        out, _ = suppress(table, q, cand, list(policy.importance))
        if not check(measure(out, policy), policy):
            chosen = cand
            break
    k = chosen or AUTO_K[-1]
    return k, {"step": "choose_k", "k": int(k),
               "text": f"Local suppression level chosen automatically: k = {k}, the "
                       f"smallest of {', '.join(map(str, AUTO_K))} meeting the policy."}


def _protect_anonymise(base: pd.DataFrame, policy: Policy) -> Protected:
    out = Protected(base)
    q = _keys(policy, base)
    if (policy.recode or policy.suppress_k) and not check(measure(base, policy), policy):
        out.records.append({"step": "already_met", "keys": q,
                            "text": "The table already meets the policy's thresholds on "
                                    f"{', '.join(q)}: nothing was recoded or suppressed."})
        out.mask = pd.DataFrame(False, index=base.index, columns=base.columns)
        return out
    table = _recode(base, policy, out)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    k = policy.suppress_k
    if k == "auto":
        k, record = _choose_k(table, policy, q)
        out.records.append(record)
    if k:
        table, mask = suppress(table, q, int(k), list(policy.importance))
        n = int(mask.to_numpy().sum())
        keep = ", ".join(policy.importance) or "the keys with fewest categories"
        out.records.append(
            {"step": "local_suppression", "k": int(k), "keys": q,
             "importance": list(policy.importance), "method": "minimal", "cells": n,
             "text": f"Local suppression to {k}-anonymity on {', '.join(q)} (htwork's "
                     f"minimal method, keeping {keep} first): {n:,} cells blanked and "
                     f"marked `suppressed`."})
    out.table, out.mask = table, mask
    return out


def _synth_keep(base: pd.DataFrame) -> dict[str, Any]:
    """The release table holds no direct identifier by construction (:func:`map_to_release`
    and the leak scan see to it): the synthesizer keeps every column of it."""
    return {"keep": [str(c) for c in base.columns]}


def _dp_domain(base: pd.DataFrame) -> dict[Any, list[Any]]:
    """Public values of every release column for the dp synthesizer (no data read): the
    release standard's code lists, and for a year with a declared minimum (registration),
    every year from it to this one (the calendar is public)."""
    import datetime

    from htwork.standards import load_standard
    from htwork.synth import release_domain

    domain = release_domain(base.columns)
    schema = load_standard("release")
    this_year = datetime.date.today().year
    for col in base.columns:
        if col in domain or col not in schema.field_names:
            continue
        f = schema.field(col)
        low = (f.get("constraints") or {}).get("minimum")
        if f.get("type") == "integer" and "year" in str(col).lower() and low is not None:
            domain[col] = list(range(int(low), this_year + 1))
            if (f.get("constraints") or {}).get("required") is not True:
                domain[col].append(None)
    return domain


def _protect_synthesise(base: pd.DataFrame, policy: Policy, seed: int) -> Protected:
    try:
        from htwork.synth import evaluate, make_synthesizer
    except ImportError as exc:  # pragma: no cover - depends on the synth package's state
        raise InputError(f"the synthesise route needs htwork.synth, which cannot be used: {exc}",
                         hint="use the anonymise or aggregate route") from None
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(base))
    half = len(base) // 2
    train, holdout = base.iloc[np.sort(order[:half])], base.iloc[np.sort(order[half:])]
    params: dict[str, Any] = _synth_keep(base)
    dp = str(policy.synth_method).lower() == "dp"
    if dp:

        params.update(epsilon=policy.synth_epsilon, domain=_dp_domain(base))
        if policy.synth_delta is not None:
            params["delta"] = policy.synth_delta
    syn = make_synthesizer(policy.synth_method, **params).fit(train)
    fake = syn.sample(len(base), seed=seed)
    fake = fake[list(base.columns)].astype(object).where(fake.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
    fake.index = pd.RangeIndex(len(fake))
    privacy = evaluate(train, fake, holdout, parts=("privacy", "copies"),
                       n_attacks=policy.synth_attacks, seed=seed).figures.get("privacy", {})
    anon = {"synthetic": _risks(privacy.get("synthetic", {})),
            "holdout": _risks(privacy.get("holdout", {}))}
    text = (f"A {policy.synth_method} synthesizer was fitted on {len(train):,} of the "
            f"records ({len(holdout):,} kept aside to measure privacy) and sampled "
            f"{len(fake):,} synthetic rows (seed {seed}).")
    budget = getattr(syn, "privacy_", None)
    if dp and budget:
        text += (f" The synthesizer is differentially private (epsilon = "
                 f"{budget['epsilon']:g}, delta = {budget['delta']:g}, {budget['rho']:.5f} "
                 "zCDP): the synthetic rows say about the same of anyone whether or not "
                 "their record was in the training half.")
    record: dict[str, Any] = {"step": "synthesise", "method": policy.synth_method, "seed": seed,
                              "train_rows": len(train), "holdout_rows": len(holdout),
                              "text": text}
    if dp and budget:
        record.update(epsilon=budget["epsilon"], delta=budget["delta"], rho=budget["rho"])
    return Protected(fake, records=[record], figures={"anonymeter": anon})


def _risks(node: Any, prefix: str = "") -> dict[str, float]:
    """Point estimates of every anonymeter attack in an evaluation's privacy section (attacks
    without a finite estimate are left out)."""
    out: dict[str, float] = {}
    if not isinstance(node, dict):
        return out
    for name, v in node.items():
        if not isinstance(v, dict) or name.endswith("_by_column"):
            continue
        if "risk" in v and isinstance(v["risk"], numbers.Real) and math.isfinite(v["risk"]):
            out[prefix + name] = round(float(v["risk"]), 10)
        else:
            out.update(_risks(v, prefix + name + "/"))
    return out


def _protect_aggregate(base: pd.DataFrame, policy: Policy) -> Protected:
    th = policy.thresholds
    acols = list(policy.aggregate_columns) or _keys(policy, base)
    table, agg = aggregate(base, acols, policy.reporting_length, th.min_cell or 1,
                           th.rounding or 1)
    record = {"step": "aggregate", "columns": acols, "length": policy.reporting_length,
              "min_cell": th.min_cell, "rounding": th.rounding,
              "text": f"Counted every combination of up to {policy.reporting_length} of "
                      f"{', '.join(acols)}; withheld counts below {th.min_cell}, rounded the "
                      f"rest down to a multiple of {th.rounding}."}
    return Protected(table, records=[record], figures={"aggregate": agg})


# --- assess --------------------------------------------------------------------------------------

def assess_tables(base: pd.DataFrame, protected: Protected, policy: Policy) -> dict[str, Any]:
    """The risk report's figures: ``policy``, ``route``, ``risk_before`` (the unprotected
    table), the route's own figures, then ``risk_after`` and ``utility`` (microdata routes) or
    the aggregate's ``utility``."""
    report: dict[str, Any] = {"policy": policy.name, "route": policy.route,
                              "risk_before": measure(base, policy) if _keys(policy, base) else {}}
    report.update(protected.figures)
    if policy.route != "aggregate":
        report["risk_after"] = measure(protected.table, policy)
        report["utility"] = _utility(base, protected.table, protected.mask,
                                     _keys(policy, base))
    else:
        agg = protected.figures["aggregate"]
        report["utility"] = {"records_input": len(base),
                             "combinations_published": agg["combinations_published"],
                             "mean_relative_error": agg["mean_relative_error"]}
    return report


def _utility(before: pd.DataFrame, after: pd.DataFrame, mask: pd.DataFrame | None,
             q: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"records_input": len(before), "records_published": len(after)}
    if mask is not None:
        by = {c: int(mask[c].sum()) for c in q}
        out["cells_suppressed"] = int(sum(by.values()))
        out["share_suppressed"] = round(out["cells_suppressed"] / max(len(before) * len(q), 1), 10)
        out["suppressed_by_column"] = by
    out["total_variation"] = {c: tvd for c in q
                              if (tvd := _tvd(before, after, c)) is not None}
    return out


def _tvd(before: pd.DataFrame, after: pd.DataFrame, c: str) -> float | None:
    """Total variation distance of one column's distribution (``None`` when it cannot be
    compared: missing, no rows, or recoded to another level)."""
    if c not in before or c not in after or not len(after):
        return None
    pb = before[c].value_counts(normalize=True)
    pa = after[c].value_counts(normalize=True)
    if set(pa.index) - set(pb.index):   # recoded: compare on the released level
        return None
    idx = sorted(set(pb.index) | set(pa.index), key=str)
    return round(0.5 * float(np.abs(pb.reindex(idx, fill_value=0)
                                    - pa.reindex(idx, fill_value=0)).sum()), 10)


# --- gate ----------------------------------------------------------------------------------------

def gate_release(report: dict[str, Any], base: pd.DataFrame, protected: Protected,
                 policy: Policy, internal_report: str | Path | None = None) -> dict[str, Any]:
    """Check the figures against the policy's thresholds.

    Writes the internal risky-record report first when asked (whether or not the gate passes).

    Returns
    -------
    dict
        The risk report's ``gate`` section (``passed`` and the thresholds).

    Raises
    ------
    GateError
        If a threshold is not met: which, by how much, and what would fix it (computed).
    """
    failures = check({**report.get("risk_after", {}), **report}, policy)
    section = {"passed": not failures, "thresholds": policy.to_dict()["thresholds"]}
    table = protected.table if policy.route != "aggregate" else base
    if internal_report is not None:
        _write_internal(internal_report, table, policy, {**report, "gate": section}, failures)
    if failures:
        raise _fail(policy, failures, _fixes(protected.table, policy), internal_report)
    return section


def _fixes(table: pd.DataFrame, policy: Policy) -> list[str]:
    if policy.route == "anonymise":
        return suggest_fixes(table, policy, dict(policy.recode))
    if policy.route == "synthesise":
        return ["use a differentially private synthesizer (synth_method: dp)",
                "raise synth_attacks for narrower estimates",
                "publish protected microdata instead (route: anonymise)"]
    return []


def _fail(policy: Policy, failures: list[Failure], fixes: list[str],
          internal_report: str | Path | None) -> GateError:
    lines = [f"the release does not meet policy {policy.name!r}; nothing was released."]
    lines += [f"  failed: {f.measure} (threshold {f.threshold}, got {f.value}; off by "
              f"{f.by:.4g}): {f.text}" for f in failures]
    hint = "; or ".join(fixes[:4]) if fixes else "tighten the protection in the policy"
    if internal_report is not None:
        lines.append(f"  risky-record detail written to {internal_report} (internal only)")
    return GateError("\n".join(lines), hint=hint)


def _write_internal(path: str | Path, table: pd.DataFrame, policy: Policy,
                    figures_: dict[str, Any], failures: list[Failure]) -> None:
    q = _keys(policy, table)
    fk = np.asarray(frequencies(table, q).fk)
    bad = risky_mask(table, policy) if policy.route == "anonymise" else np.zeros(len(table), bool)
    rows = [{"row": int(r), "fk": int(f), **{c: table.at[r, c] for c in q}}
            for r, f in zip(table.index[bad], fk[bad], strict=True)]
    doc = {"warning": "INTERNAL: risky-record detail; never publish this file.",
           "policy": policy.name, "failures": [f.__dict__ for f in failures],
           "figures": figures_, "risky_records": rows}
    with atomic_write(path) as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


# --- write ---------------------------------------------------------------------------------------

#: How a release names its input: never by file name or path (a file may be named after a
#: person or a phone number); the SHA-256 beside it lets the agency recognise its file.
INPUT_LABEL = "the input extract"


def release_meta(file: str | Path, df: pd.DataFrame, policy: Policy, seed: int,
                 crosswalk: str | Path | None, table: pd.DataFrame) -> dict[str, Any]:
    """What the datasheet and recipe say about the release (input named by
    :data:`INPUT_LABEL` and its SHA-256 only, never by file name or path)."""
    v = versions()
    name = INPUT_LABEL
    return {"title": f"Case data release ({policy.name})", "htwork_version": v["htwork"],
            "seed": seed, "input_name": name, "input_sha256": sha256_file(file),
            "n_input": len(df), "n_rows": len(table), "n_columns": len(table.columns),
            "columns": list(table.columns), "versions": v,
            "input_columns": [str(c) for c in df.columns],
            "southeast_asia": mostly_southeast_asia(table),
            "crosswalk": None if crosswalk is None else str(crosswalk),
            "source_description": f"a case-management extract of {len(df):,} records "
                                  "in the HTCDS-aligned input standard"
                                  + (f" via crosswalk {Path(str(crosswalk)).stem}"
                                     if crosswalk else "") + "."}


def write_folder(out: str | Path, *, df: pd.DataFrame, base: pd.DataFrame,
                 protected: Protected, policy: Policy, report: dict[str, Any],
                 meta: dict[str, Any], key: bytes | None = None) -> None:
    """Write the release folder: data (CSV and Parquet), ``datapackage.json``, ``recipe.yaml``,
    the datasheet (Markdown and HTML) with its figures and ``risk_report.json``, into a
    temporary folder renamed to ``out`` only if the leak scan finds nothing.

    ``report`` gains its ``leak_scan`` section.

    Raises
    ------
    InputError
        If ``out``'s parent folder does not exist.
    LeakError
        If an identifier of the input (or the key) is found in the folder; nothing is written.
    """
    out = Path(out)
    parent = out.resolve().parent
    if not parent.is_dir():
        raise InputError("the release folder's parent does not exist", file=parent)
    own_schema = meta.get("schema")
    with atomic_folder(out) as tmp:  # empty `out` replaced (checked by release())
        if own_schema is None:
            pub = _published(protected.table, protected.mask)
            write_csv(pub, tmp / "data.csv")
            write_parquet(release_parquet_frame(protected.table, protected.mask,
                                                protected.categories, policy.route),
                          tmp / "data.parquet")
        else:
            pub = own.csv_frame(protected.table, protected.mask)
            write_csv(pub, tmp / "data.csv")
            write_parquet(own.parquet_frame(protected.table, protected.mask, meta["types"]),
                          tmp / "data.parquet")
        figs = _figures(base, protected.table, policy, report)
        ident = identifier_values(df, own_schema)
        report["leak_scan"] = {"identifier_values": sum(len(v) for v in ident.values()),
                               "leaks": 0}
        files = {"data.csv": sha256_file(tmp / "data.csv"),
                 "data.parquet": sha256_file(tmp / "data.parquet")}
        dp = _descriptor(policy, meta, pub, protected.categories, files)
        (tmp / "datapackage.json").write_text(dumps(dp), encoding="utf-8")
        recipe = _recipe(policy, meta, report["steps"])
        (tmp / "recipe.yaml").write_text(dump_recipe(recipe), encoding="utf-8")
        blocks = datasheet.build(policy=policy, meta=meta, report=report, figures=figs)
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


def _published(table: pd.DataFrame, mask: pd.DataFrame | None) -> pd.DataFrame:
    out = table.astype(object).where(table.notna(), None)  # type: ignore[call-overload]  # pandas-stubs: other=None is allowed
    if mask is not None:
        for c in mask.columns:
            m = mask[c].to_numpy(dtype=bool)
            if m.any():
                out.loc[m, c] = SUPPRESSED
    return out.reset_index(drop=True)


def release_types(columns: list[str], categories: dict[str, list[str]],
                  route: str = "anonymise") -> dict[str, str]:
    """Each published column's type in the release standard (``integer`` for years and 0/1
    flags, ``string`` otherwise); a column generalised to new categories, a pseudonym and any
    column the standard lacks are ``string``; an aggregate's ``attributes`` and ``count`` are
    ``integer``."""
    std = load_standard("release")
    extra = {"attributes": "integer", "count": "integer"} if route == "aggregate" else {}
    return {c: "string" if c in categories else extra.get(c) or (
        std.field(c).get("type", "string") if c in std else "string") for c in columns}


def release_parquet_frame(table: pd.DataFrame, mask: pd.DataFrame | None,
                          categories: dict[str, list[str]], route: str) -> pd.DataFrame:
    """The published table of the input-standard route with the release standard's types
    (:func:`release_types`): integer columns ``Int64`` with a null where the cell was not
    recorded or was suppressed; text columns as ``data.csv`` writes them (:data:`SUPPRESSED`
    in suppressed cells). ``data.csv`` tells the two kinds of missing apart."""
    types = release_types([str(c) for c in table.columns], categories, route)
    typed = table.copy()
    for c, kind in types.items():
        if kind not in ("integer", "number", "year"):
            continue
        values = to_numbers(typed[c])
        hidden = (mask[c].to_numpy(dtype=bool) if mask is not None and c in mask
                  else np.zeros(len(typed), dtype=bool))
        text = typed[c].notna().to_numpy() & ~hidden
        if (values.isna().to_numpy() & text).any():  # not numbers after all: keep the text
            types[c] = "string"
            continue
        values[hidden] = np.nan
        if kind == "integer" and not (values.dropna() % 1 == 0).all():
            types[c] = "number"
        typed[c] = values
    return own.parquet_frame(typed, mask, types)


def _figures(base: pd.DataFrame, table: pd.DataFrame, policy: Policy,
             report: dict[str, Any]) -> dict[str, bytes]:
    """The datasheet's PNG figures (none on the aggregate route or without keys)."""
    q = _keys(policy, base)
    if policy.route == "aggregate" or not q:
        return {}
    fk_b = np.asarray(frequencies(base, q).fk)
    fk_a = np.asarray(frequencies(table, q).fk)
    figs = {"fk.png": figures.png(figures.fk_figure(fk_b, fk_a))}
    contrib = report["risk_after"]["suda2"]["contributions"]
    if contrib:
        figs["contributions.png"] = figures.png(figures.contributions_figure(contrib))
    figs["marginals.png"] = figures.png(figures.marginals_figure(base, table, q))
    return figs


def _descriptor(policy: Policy, meta: dict[str, Any], pub: pd.DataFrame,
                categories: dict[str, list[str]], files: dict[str, str]) -> dict[str, Any]:
    columns = (list(pub.columns) if policy.route != "aggregate"
               else [c for c in pub.columns if c not in ("attributes", "count")])
    sources = [{"title": meta["source_description"],
                "description": f"SHA-256 {meta['input_sha256']}"}]
    if meta.get("schema") is not None:
        return datapackage(name=f"htwork-release-{policy.name}".replace("_", "-"),
                           title=meta["title"],
                           description=f"A table released under policy {policy.name}: "
                                       f"{policy.title}. See DATASHEET.md.",
                           columns=columns, categories=categories, licence=policy.licence,
                           sources=sources, route=policy.route, n_rows=len(pub), files=files,
                           fields=own.own_fields(meta["schema"], columns, categories),
                           keywords=["statistical disclosure control"],
                           parquet_note="The same table as data.csv with the schema's types "
                                        "(integers, numbers, dates); suppressed cells hold "
                                        f"{SUPPRESSED!r} in text columns and null in typed "
                                        "columns (data.csv tells them apart).")
    return datapackage(name=f"htwork-release-{policy.name}".replace("_", "-"),
                       title=meta["title"],
                       description=f"Case data released under policy {policy.name}: "
                                   f"{policy.title}. See DATASHEET.md.",
                       columns=columns, categories=categories, licence=policy.licence,
                       sources=sources, route=policy.route, n_rows=len(pub), files=files,
                       parquet_note="The same table as data.csv with the release standard's "
                                    "types (years and 0/1 flags as integers); suppressed "
                                    f"cells hold {SUPPRESSED!r} in text columns and null in "
                                    "integer columns (data.csv tells them apart).")


def _recipe(policy: Policy, meta: dict[str, Any], steps: list[Record]) -> dict[str, Any]:
    crosswalk = f" --crosswalk {meta['crosswalk']}" if meta["crosswalk"] else ""
    policy = meta.get("policy_as_given", policy)
    if meta.get("schema") is not None:
        given = meta["schema_given"]
        crosswalk += f" --schema {given}" if given else ""
        if meta.get("quasi"):
            crosswalk += f" --quasi {','.join(meta['quasi'])}"
        if meta.get("strict"):
            crosswalk += " --strict"
    recipe = {
        "kind": "htwork-release-recipe",
        "version": 1,
        "command": f"htwork release EXTRACT --policy {policy.name} --seed "
                   f"{meta['seed']}{crosswalk} --out DIR",
        "input": {"name": meta["input_name"], "sha256": meta["input_sha256"],
                  "records": meta["n_input"]},
        "crosswalk": meta["crosswalk"],
        "seed": meta["seed"],
        "steps": ["read", "validate", "map_to_release_standard", "drop_identifiers",
                  "pseudonymise" if policy.pseudonymise else "no_pseudonyms",
                  f"protect:{policy.route}", "assess", "gate", "leak_scan", "write"],
        "parameters": [{k: v for k, v in s.items() if k != "text"} for s in steps],
        "policy": policy.to_dict(),
        "versions": meta["versions"],
    }
    if meta.get("schema") is not None:
        recipe["steps"][1:3] = ["conform_to_own_schema"]
        recipe["schema"] = {"given": meta["schema_given"], "inferred": meta["schema_inferred"],
                            "quasi": meta.get("quasi"), "strict": bool(meta.get("strict"))}
    return recipe
