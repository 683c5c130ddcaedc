"""Writing a :class:`~htwork.report.QuarterlyReport` as HTML, Markdown, JSON, CSV and PNG.

Everything is deterministic (the same report gives the same bytes) and goes through
:mod:`htwork.io`'s atomic writers.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

from htwork.io import atomic_write, write_csv
from htwork.report.charts import png_bytes

if TYPE_CHECKING:
    from htwork.report.result import QuarterlyReport, ReportTable

__all__ = ["write_files", "to_html", "to_markdown", "headline_html", "table_html"]

_CSS = """body{font-family:Arial,Helvetica,sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
tr:last-child td{font-weight:bold}.note{color:#555;font-size:.9em}
img{max-width:100%}"""


def headline_html(report: QuarterlyReport) -> str:
    items = "".join(f"<li>{html.escape(k)}: <b>{v:,}</b></li>" if isinstance(v, int)
                    else f"<li>{html.escape(k)}: <b>{html.escape(str(v))}</b></li>"
                    for k, v in report.headline.items())
    return f"<ul>{items}</ul>"


def table_html(t: ReportTable) -> str:
    pub = t.published
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in [pub.index.name or "", *pub])
    body = "".join("<tr><td>" + html.escape(str(r)) + "</td>"
                   + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for r, row in zip(pub.index, pub.to_numpy(), strict=True))
    return (f"<h3>{html.escape(t.title)}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p class='note'>{html.escape(t.note)}</p>")


def to_html(report: QuarterlyReport, pngs: dict[str, bytes]) -> str:
    """The whole report as one HTML page, charts embedded."""
    title = f"Quarterly report {report.quarter}"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1>", "<h2>Key figures</h2>", headline_html(report),
             "<h2>Tables</h2>"]
    parts += [table_html(t) for t in report.sections.values()]
    parts.append("<h2>Charts</h2>")
    for name, data in pngs.items():
        b64 = base64.b64encode(data).decode("ascii")
        parts.append(f"<p><img alt='{html.escape(name)}' src='data:image/png;base64,{b64}'>"
                     "</p>")
    parts.append("<h2>How these figures were made</h2><ul>")
    parts += [f"<li>{html.escape(n)}</li>" for n in report.notes]
    parts.append("</ul></body></html>\n")
    return "".join(parts)


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|")


def to_markdown(report: QuarterlyReport, pngs: dict[str, bytes]) -> str:
    """The whole report as Markdown; charts linked as the PNG files beside it."""
    out = [f"# Quarterly report {report.quarter}", "", "## Key figures", ""]
    out += [f"- {k}: **{v:,}**" if isinstance(v, int) else f"- {k}: **{v}**"
            for k, v in report.headline.items()]
    out += ["", "## Tables", ""]
    for t in report.sections.values():
        pub = t.published
        cols = [pub.index.name or "", *map(str, pub.columns)]
        out += [f"### {t.title}", "", "| " + " | ".join(map(_md_cell, cols)) + " |",
                "|" + "|".join(["---"] + ["---:"] * len(pub.columns)) + "|"]
        out += ["| " + " | ".join(_md_cell(v) for v in [r, *row]) + " |"
                for r, row in zip(pub.index, pub.to_numpy(), strict=True)]
        out += ["", f"*{t.note}*", ""]
    out += ["## Charts", ""]
    out += [f"![{name}]({name}.png)" for name in pngs] + [""]
    out += ["## How these figures were made", ""] + [f"- {n}" for n in report.notes] + [""]
    return "\n".join(out)


def write_files(report: QuarterlyReport, folder: Path) -> list[Path]:
    """Write every file of the report into ``folder`` (which exists); return the paths."""
    pngs = {name: png_bytes(fig) for name, fig in report.figures.items()}
    written = []
    for name, t in report.sections.items():
        path = folder / f"{name}.csv"
        pub = t.published
        pub.index.name = pub.index.name or t.values.index.name or ""
        write_csv(pub, path, index=True)
        written.append(path)
    for name, data in pngs.items():
        path = folder / f"{name}.png"
        with atomic_write(path, "wb") as fh:
            fh.write(data)
        written.append(path)
    texts = {"report.html": to_html(report, pngs), "report.md": to_markdown(report, pngs),
             "report.json": json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"}
    for name, text in texts.items():
        path = folder / name
        with atomic_write(path, "w") as fh:
            fh.write(text)
        written.append(path)
    return written
