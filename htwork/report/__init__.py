"""Automated reporting: standard tables and charts for a quarter, with small-cell suppression.

- :func:`suppress_table` / :class:`SuppressionResult`: primary and secondary (complementary)
  suppression of a count table with totals.
- :func:`quarterly_report` / :class:`QuarterlyReport`: the standard tables of one quarter from
  a case extract, in one call; ``report.save(folder)`` writes HTML, Markdown, CSV and PNG.
"""

from htwork.report.build import quarterly_report
from htwork.report.quarters import parse_quarter
from htwork.report.result import QuarterlyReport, ReportTable
from htwork.report.suppression import SuppressionResult, recoverable_cells, suppress_table

__all__ = [
    "QuarterlyReport",
    "ReportTable",
    "SuppressionResult",
    "parse_quarter",
    "quarterly_report",
    "recoverable_cells",
    "suppress_table",
]
