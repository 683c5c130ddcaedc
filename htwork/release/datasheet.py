"""The datasheet of a release (Gebru et al., "Datasheets for Datasets", CACM 2021).

The seven sections of the paper (motivation, composition, collection process,
preprocessing/cleaning/labelling, uses, distribution, maintenance) plus a section on personal
and sensitive information, the policy with its source, and every risk and utility figure in
plain words. One list of blocks renders to Markdown (figures as PNG files beside it) and to a
self-contained HTML page (figures embedded as base64 PNG).
"""

from __future__ import annotations

import base64
import html
from typing import Any

from htwork.core.missing import Missing
from htwork.release.policy import Policy

__all__ = ["build", "to_markdown", "to_html"]

Block = tuple  # ("h1"|"h2"|"p"|"ul"|"table"|"img", ...)


def _pct(x: float) -> str:
    return f"{x:.2%}"


def _risk_lines(r: dict[str, Any], label: str) -> list[str]:
    lines = [
        f"{label}: {r['n_records']:,} records in {r['equivalence_classes']:,} groups of people "
        f"who share the same {', '.join(r['quasi_identifiers'])}.",
        f"The smallest group holds {r['min_fk']:,} "
        f"{'person' if r['min_fk'] == 1 else 'people'}; {r['sample_uniques']:,} people are the "
        f"only one with their combination.",
        "Records in groups smaller than 2, 3 and 5: "
        + ", ".join(f"{r['k_violations'][k]:,}" for k in ("2", "3", "5")) + ".",
        f"Someone who knows these details about a person and that the person is in the data "
        f"would pick the right record with probability {_pct(r['global_risk'])} on average "
        f"(global risk; {r['expected_reidentifications']:,.1f} expected re-identifications), "
        f"and at most {_pct(r['max_individual_risk'])} for the riskiest record.",
        f"{r['suda2']['records_above_zero']:,} records are special uniques "
        f"(unique on a subset of the keys, SUDA2 score above zero).",
    ]
    for attr, v in (r.get("l_diversity") or {}).items():
        lines.append(f"{v['records_with_l1']:,} records sit in groups where everyone has the "
                     f"same {attr} (l-diversity 1): knowing the keys reveals it.")
    return lines


def build(*, policy: Policy, meta: dict[str, Any], report: dict[str, Any],
          figures: dict[str, bytes]) -> list[Block]:
    """Blocks of the datasheet. ``report`` is the content of ``risk_report.json``."""
    route = policy.route
    own = meta.get("schema") is not None
    util = report.get("utility", {})
    blocks: list[Block] = [("h1", f"Datasheet: {meta['title']}")]
    blocks.append(("p", f"Made by htwork {meta['htwork_version']} with policy "
                        f"`{policy.name}` ({policy.title}). Route: {route}. Seed: "
                        f"{meta['seed']}. The recipe (recipe.yaml) rebuilds this folder byte "
                        f"for byte from the same input file."))

    blocks.append(("h2", "1. Motivation"))
    if own:
        blocks.append(("p", "For what purpose was the dataset created? To let researchers, "
                            "agencies and the public study these data without exposing the "
                            "people in them. Each row stands for one record of the input (one "
                            "combination of attributes for aggregate releases); the columns are "
                            "the input's own, as its table schema describes them."))
    else:
        where = " in Southeast Asia" if meta.get("southeast_asia", True) else ""
        blocks.append(("p", "For what purpose was the dataset created? To let researchers, "
                            f"agencies and the public study human-trafficking cases{where} "
                            "without exposing the people assisted. Each row stands for one "
                            "person (one combination of attributes for aggregate releases), "
                            "shaped like the Counter Trafficking Data Collaborative's global "
                            "dataset so that it sits beside existing analyses."))
    blocks.append(("p", f"Who created it: the organisation running this release, with htwork. "
                        f"Source of the input: {meta['source_description']}"))

    blocks.append(("h2", "2. Composition"))
    comp = [f"Rows: {meta['n_rows']:,}; columns: {meta['n_columns']} "
            f"({', '.join(meta['columns'][:8])}{', ...' if len(meta['columns']) > 8 else ''}).",
            f"Input records: {meta['n_input']:,} ({meta['input_name']}, SHA-256 "
            f"{meta['input_sha256'][:16]}...).",
            f"Missing values: an empty cell means the {'input' if own else 'agency'} did not "
            f"record the item; a cell reading `{Missing.SUPPRESSED.release_value}` was blanked "
            "to protect the people in the data."
            + ("" if own else " Flags: 1 yes, 0 recorded but not this.")]
    if meta.get("empty_columns"):
        comp.append("Left out because every cell is empty in the input: "
                    + ", ".join(meta["empty_columns"]) + ".")
    if route == "aggregate":
        comp[2] = ("Each row counts the people with one combination of up to "
                   f"{policy.reporting_length} attributes; an empty cell means the attribute is "
                   "not part of that combination.")
    blocks.append(("ul", comp))
    links = ("Keyed pseudonyms of " + ", ".join(policy.pseudonymise)
             + " link records of the same case or group; the key is not published."
             if policy.pseudonymise else
             "Relationships between people (cases, groups) are not published.")
    blocks.append(("p", "Is any information missing from individual instances? Yes: fields "
                        f"the {'input' if own else 'agency'} did not record, and cells "
                        f"suppressed or generalised by the protection below. {links}"))

    blocks.append(("h2", "3. Collection process"))
    if own:
        blocks.append(("p", f"The input is a table of {meta['n_input']:,} records supplied by "
                            "the publishing organisation. htwork does not know how it was "
                            "collected: the publisher should say here who collected it, when, "
                            "from whom and with what consent."))
    else:
        blocks.append(("p", "The input is an agency's case-management extract, recorded by "
                            "caseworkers while assisting people identified as (presumed) "
                            "victims of trafficking. It covers the people the agency assisted, "
                            "not all victims: counts reflect identification and referral "
                            "practice as much as prevalence. Consent to publication was not "
                            "sought individually; the protection below is what makes "
                            "publication defensible."))

    blocks.append(("h2", "4. Preprocessing, cleaning and labelling"))
    blocks.append(("ul", [s["text"] for s in report["steps"]]))

    blocks.append(("h2", "5. Personal and sensitive information"))
    scan = (f"a leak scan checked every file of this folder for every such value of the "
            f"input: {report['leak_scan']['identifier_values']:,} values searched, "
            f"{report['leak_scan']['leaks']} found.")
    held = _identifiers_held(meta)
    if not held:
        blocks.append(("p", "The schema marks no column of the input as a direct identifier or "
                            "free text; " + scan))
    else:
        blocks.append(("p", f"The input holds {held}. None of them is published: they are "
                            "dropped (or replaced by keyed pseudonyms whose key stays with the "
                            f"{'publisher' if own else 'agency'}), and " + scan))
    if own:
        sens = meta.get("sensitive_columns") or []
        blocks.append(("p", ("Columns the schema marks as sensitive (their disclosure could harm "
                             "the person): " + ", ".join(sens) + ". " if sens else "")
                            + "Do not try to identify anyone; do not link this table with other "
                              "sources to do so."))
    else:
        blocks.append(("p", "The data concern victims of serious crime and describe "
                            "exploitation, means of control and relationships to recruiters: "
                            "special-category data. Do not try to identify anyone; do not link "
                            "this table with other sources to do so."))
    blocks.append(("h2", "Release policy"))
    th = {k: v for k, v in policy.to_dict()["thresholds"].items()}
    blocks.append(("ul", [f"Policy `{policy.name}`: {policy.title}.",
                          f"Source: {policy.source or 'set by the publishing organisation.'}",
                          "Thresholds: " + (", ".join(f"{k} = {v}" for k, v in th.items())
                                            or "none") + ".",
                          "Gate: " + ("passed." if report["gate"]["passed"] else "FAILED."),
                          *_key_lines(report.get("keys"))]))
    blocks.append(("h2", "Disclosure risk, in plain words"))
    if route == "aggregate":
        a = report["aggregate"]
        blocks.append(("ul", [
            f"{a['combinations_counted']:,} combinations of up to {policy.reporting_length} "
            f"attributes were counted; {a['combinations_withheld']:,} described fewer than "
            f"{policy.thresholds.min_cell} people and are not published; "
            f"{a['combinations_published']:,} are.",
            f"Every published count is rounded down to a multiple of {policy.thresholds.rounding}"
            f"; the smallest is {a['smallest_published_count']:,}."]))
    blocks.append(("ul", _risk_lines(report["risk_before"], "Before protection")))
    if "risk_after" in report:
        blocks.append(("ul", _risk_lines(report["risk_after"], "As released")))
        if report["risk_after"]["sample_uniques"]:
            blocks.extend(("p", e) for e in report["risk_after"]["explanation"][:2])
    if "anonymeter" in report:
        hold = report["anonymeter"].get("holdout", {})
        blocks.append(("p", "Attacks on the synthetic table (anonymeter), with the same attacks "
                            "on real records the synthesizer never saw for comparison (the "
                            "risk a fresh sample of real people would carry):"))
        blocks.append(("ul", [f"{k.replace('_', ' ')}: risk {v:.3f}"
                              + (f" (holdout {hold[k]:.3f})" if k in hold else "")
                              for k, v in report["anonymeter"]["synthetic"].items()]))
    for name, alt in (("fk.png", "Records by group size, before and after protection"),
                      ("contributions.png", "Which keys make records unique (SUDA2)")):
        if name in figures:
            blocks.append(("img", alt, name, figures[name]))

    blocks.append(("h2", "Utility, in plain words"))
    ulines = []
    if "records_published" in util:
        ulines.append(f"{util['records_published']:,} of {util['records_input']:,} records "
                      "published.")
    if "cells_suppressed" in util:
        ulines.append(f"{util['cells_suppressed']:,} cells suppressed "
                      f"({_pct(util['share_suppressed'])} of the quasi-identifier cells): "
                      + ", ".join(f"{k} {v:,}" for k, v in util["suppressed_by_column"].items())
                      + ".")
    for c, v in (util.get("total_variation") or {}).items():
        ulines.append(f"{c}: the released shares of its categories differ from the input's by "
                      f"{_pct(v)} in total variation distance (0 = identical).")
    if "mean_relative_error" in util:
        ulines.append(f"Published counts are on average {_pct(util['mean_relative_error'])} "
                      "below the true counts (rounding down).")
    blocks.append(("ul", ulines or ["No utility figures for this route."]))
    if "marginals.png" in figures:
        blocks.append(("img", "Category shares in the input and in the release",
                       "marginals.png", figures["marginals.png"]))

    blocks.append(("h2", "6. Uses"))
    if own:
        blocks.append(("p", "Suitable for: descriptive statistics of the published columns; "
                            "teaching; testing analyses. Not suitable for: decisions about "
                            "individuals, or any attempt at re-identification. Suppressed and "
                            "generalised cells bias small groups: report them."))
    else:
        blocks.append(("p", "Suitable for: descriptive statistics of identified cases by sex, "
                            "age band, citizenship, country of exploitation, year, type of "
                            "exploitation and means of control; teaching; testing analyses. Not "
                            "suitable for: estimating prevalence directly (the data cover "
                            "assisted people only), decisions about individuals, or any attempt "
                            "at re-identification. Suppressed and generalised cells bias small "
                            "groups: report them."))
    blocks.append(("h2", "7. Distribution"))
    blocks.append(("p", f"Licence: {policy.licence}. Files: data.csv and data.parquet (the "
                        "same table), datapackage.json (Frictionless Data Package v2), this "
                        "datasheet (DATASHEET.md, datasheet.html), risk_report.json and "
                        "recipe.yaml."))
    blocks.append(("h2", "8. Maintenance"))
    blocks.append(("p", "Maintained by the publishing organisation. Errors: report them to it. "
                        "A new extract means a new release made with the same recipe and "
                        "policy; releases are never updated in place, and successive releases "
                        "of overlapping data should be assessed together (differencing)."))
    return blocks


#: Input-standard identifier columns -> how the datasheet names them (in this order).
_IDENTIFIER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("names", ("prs_FirstName", "prs_SecondName")),
    ("aliases", ("prs_Aliases",)),
    ("phone numbers", ("prs_MobilePhone",)),
    ("identity document numbers", ("prs_IdentityDocumentNumber",)),
    ("e-mail", ("prs_Email",)),
    ("street addresses", ("prs_MailingStreet",)),
    ("case numbers", ("cas_CaseId",)),
    ("free-text case notes", ("cas_Notes",)),
)


def _words_and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _identifiers_held(meta: dict[str, Any]) -> str:
    """The identifiers the input held, in words, or "" when it held none."""
    if meta.get("schema") is not None:
        by_role = meta.get("dropped_by_role") or {}
        parts = []
        if by_role.get("direct_identifier"):
            parts.append("direct identifiers (" + ", ".join(by_role["direct_identifier"]) + ")")
        if by_role.get("free_text"):
            parts.append("free text (" + ", ".join(by_role["free_text"]) + ")")
        return _words_and(parts) if parts else ""
    cols = set(meta.get("input_columns") or ())
    words = [w for w, names in _IDENTIFIER_WORDS if cols & set(names)]
    if "e-mail" in words and "street addresses" in words:
        i = words.index("e-mail")
        words[i:i + 2] = ["e-mail and street addresses"]
    elif "e-mail" in words:
        words[words.index("e-mail")] = "e-mail addresses"
    return _words_and(words) if words else ""


def _key_lines(keys: dict[str, Any] | None) -> list[str]:
    """The keys the release used and those the policy named but the table lacks."""
    if not keys:
        return []
    lines = ["Quasi-identifiers used: " + (", ".join(keys["quasi_identifiers"]) or "none")
             + (" (given on the command line)." if keys.get("quasi_override") else ".")]
    for key, names in (keys.get("absent") or {}).items():
        lines.append(f"Named by the policy under {key} but absent from the input, so not "
                     f"used: {', '.join(names)}.")
    return lines


def to_markdown(blocks: list[Block]) -> str:
    """Markdown text; figures referenced as files beside it."""
    out: list[str] = []
    for b in blocks:
        kind = b[0]
        if kind == "h1":
            out.append(f"# {b[1]}\n")
        elif kind == "h2":
            out.append(f"## {b[1]}\n")
        elif kind == "p":
            out.append(f"{b[1]}\n")
        elif kind == "ul":
            out.append("\n".join(f"- {x}" for x in b[1]) + "\n")
        elif kind == "img":
            out.append(f"![{b[1]}]({b[2]})\n")
    return "\n".join(out)


def _inline(text: str) -> str:
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def to_html(blocks: list[Block]) -> str:
    """A self-contained HTML page; figures embedded as base64 PNG."""
    title = blocks[0][1] if blocks and blocks[0][0] == "h1" else "Datasheet"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>",
           "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.45}"
           "img{max-width:100%}code{background:#f3f3f3}</style>", "</head>", "<body>"]
    for b in blocks:
        kind = b[0]
        if kind in ("h1", "h2"):
            out.append(f"<{kind}>{_inline(b[1])}</{kind}>")
        elif kind == "p":
            out.append(f"<p>{_inline(b[1])}</p>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{_inline(x)}</li>" for x in b[1]) + "</ul>")
        elif kind == "img":
            data = base64.b64encode(b[3]).decode("ascii")
            out.append(f'<figure><img alt="{html.escape(b[1])}" '
                       f'src="data:image/png;base64,{data}"><figcaption>{_inline(b[1])}'
                       "</figcaption></figure>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
