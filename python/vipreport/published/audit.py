"""``audit``: combinations of published figures that cannot all be true.

Each rule is a fact that holds for any correct set of reports, whatever the
underlying records: a fiscal-year-to-date total contains the months it
covers, two tables that split the same events add up alike, a month is one
number whichever report prints it, and within a fiscal year a FYTD only grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import Any, cast

import pandas as pd

from ..calendar import fiscal_year, month_index
from ..config import Config
from .document import PublishedReport, read_documents

Finding = dict[str, Any]

COLUMNS = ["severity", "kind", "reports", "table", "row", "columns", "values", "explanation", "size"]

# error: figures that cannot all be true. warning: a later report restates an earlier one (a FYTD that
# shrinks, or does not follow from the months printed since): possible when rows are recoded, but a reader
# should know. note: a difference that rows left unprinted (say N/A) could explain, with its size.
SEVERITY = {
    "fytd_below_months": "error",
    "table_totals_disagree": "error",
    "month_differs_across_reports": "error",
    "fytd_shrinks": "warning",
    "fytd_chain_broken": "warning",
    "unprinted_remainder": "note",
}
SEVERITIES = ("error", "warning", "note")

# Pairs of tables that split one set of events by two dimensions, with the
# config attribute listing each dimension's full set of rows.
SPLITS = [
    (("cora.incidents_by_type", "cora_incident_types"), ("cora.responses_by_area", "area_rows")),
    (("vip.referrals_by_area", "area_rows"), ("vip.referral_sources", "referral_sources")),
    (("vip.referrals_by_area", "area_rows"), ("vip.referrals_by_program", "referral_programs")),
]


def audit(docs: Iterable[PublishedReport | str | Path], *, config: Config | None = None) -> pd.DataFrame:
    """Every combination of published figures that cannot all be true.

    Parameters
    ----------
    docs
        Paths of published-figures JSON files, or :class:`PublishedReport` objects.

    Returns
    -------
    DataFrame
        One row per finding: ``severity`` (``error``: figures that cannot all
        be true; ``warning``: a restatement; ``note``: a remainder that rows
        left unprinted could explain), ``kind, reports, table, row, columns,
        values, explanation`` and ``size`` (the remainder, for notes). Empty
        when the documents fit together exactly.

    Examples
    --------
    Two reports of one fiscal year whose fiscal-year-to-date count goes down:

    >>> import vipreport as vr
    >>> from vipreport.published import parse_document
    >>> def printed(month, fytd):
    ...     table = {"columns": ["FYTD"], "rows": {"N/A": [fytd]}}
    ...     return parse_document({"report_month": month, "tables": {"vip.referrals_by_area": table}})
    >>> findings = vr.audit([printed("2022-11", 35), printed("2023-06", 24)])
    >>> findings.loc[0, ["severity", "kind", "values"]].tolist()
    ['warning', 'fytd_shrinks', '2022-11: 35; 2023-06: 24']
    """
    config = config or Config.default()
    reports = sorted(read_documents(docs), key=lambda d: d.report_month)
    findings: list[Finding] = []
    for doc in reports:
        findings += _fytd_below_months(doc, config)
        findings += _split_totals(doc, config)
    findings += _months_printed_twice(reports)
    findings += _fytd_across_reports(reports, config)
    frame = pd.DataFrame(findings, columns=COLUMNS)
    frame["size"] = frame["size"].astype("Int64")  # only notes have one
    return frame


def _finding(
    kind: str,
    reports: list[str],
    table: str,
    row: object,
    columns: list[str],
    values: str,
    explanation: str,
    size: int | None = None,
) -> Finding:
    return dict(
        severity=SEVERITY[kind],
        kind=kind,
        reports=", ".join(reports),
        table=table,
        row=row,
        columns=", ".join(columns),
        values=values,
        explanation=explanation,
        size=size,
    )


def _fy_months(doc: PublishedReport, table: pd.DataFrame, config: Config) -> list[str]:
    """The printed month columns that the report's FYTD contains."""
    last = month_index(doc.report_month)
    fy = fiscal_year(last, config.fiscal_year_start_month)
    return [
        c
        for c in table.columns
        if c != "FYTD" and fiscal_year(month_index(c), config.fiscal_year_start_month) == fy and month_index(c) <= last
    ]


def _fytd_below_months(doc: PublishedReport, config: Config) -> list[Finding]:
    out = []
    for name, table in doc.tables.items():
        if "FYTD" not in table.columns:
            continue
        months = _fy_months(doc, table, config)
        for row, values in table.iterrows():
            shown = int(values[months].sum())
            if shown > values["FYTD"]:
                out.append(
                    _finding(
                        "fytd_below_months",
                        [doc.label],
                        name,
                        row,
                        [*months, "FYTD"],
                        f"months sum to {shown}, FYTD {values['FYTD']}",
                        f"The FYTD ({values['FYTD']}) is smaller than the months of this fiscal year printed beside it ({shown}).",
                    )
                )
    return out


def _split_totals(doc: PublishedReport, config: Config) -> list[Finding]:
    out = []
    for (name_a, dim_a), (name_b, dim_b) in SPLITS:
        if name_a not in doc.tables or name_b not in doc.tables:
            continue
        a, b = doc.tables[name_a], doc.tables[name_b]
        complete_a = set(getattr(config, dim_a)) <= set(a.index)
        complete_b = set(getattr(config, dim_b)) <= set(b.index)
        common = [c for c in a.columns if c in b.columns]
        remainder = {}
        for column in common:
            total_a, total_b = int(a[column].sum()), int(b[column].sum())
            if complete_a and complete_b and total_a != total_b:
                why = "Both tables list every category, so they must add up to the same total."
            elif complete_a and not complete_b and total_b > total_a:
                why = f"{name_b} lists only some categories, yet adds up to more than the complete {name_a}."
            elif complete_b and not complete_a and total_a > total_b:
                why = f"{name_a} lists only some categories, yet adds up to more than the complete {name_b}."
            else:
                remainder[column] = abs(total_a - total_b)
                continue
            out.append(
                _finding(
                    "table_totals_disagree",
                    [doc.label],
                    f"{name_a} / {name_b}",
                    "(total)",
                    [column],
                    f"{total_a} vs {total_b}",
                    why,
                )
            )
        for column, value in remainder.items():
            if value:
                out.append(
                    _finding(
                        "unprinted_remainder",
                        [doc.label],
                        f"{name_a} / {name_b}",
                        "(unprinted rows)",
                        [column],
                        f"{int(a[column].sum())} vs {int(b[column].sum())}",
                        f"The totals differ by {value}: rows one table leaves unprinted could hold them.",
                        size=value,
                    )
                )
        # Rows left unprinted (say N/A) hold the difference; that remainder is
        # itself a count, so a month's cannot exceed its FYTD's.
        if "FYTD" in remainder:
            fy_months = set(_fy_months(doc, a, config))
            for column, value in remainder.items():
                if column in fy_months and value > remainder["FYTD"]:
                    out.append(
                        _finding(
                            "table_totals_disagree",
                            [doc.label],
                            f"{name_a} / {name_b}",
                            "(unprinted rows)",
                            [column, "FYTD"],
                            f"{value} in the month vs {remainder['FYTD']} FYTD",
                            "The rows one table leaves out would hold more events in the month than in the whole FYTD.",
                        )
                    )
    return out


def _months_printed_twice(reports: list[PublishedReport]) -> list[Finding]:
    printed: dict[tuple[str, object, str], list[tuple[str, int]]] = defaultdict(list)
    for doc in reports:
        for name, table in doc.tables.items():
            for column in table.columns:
                if column == "FYTD":
                    continue
                for row, value in table[column].items():
                    printed[(name, row, column)].append((doc.label, int(value)))
    out = []
    for (name, row, column), seen in printed.items():
        if len({v for _, v in seen}) > 1:
            out.append(
                _finding(
                    "month_differs_across_reports",
                    [d for d, _ in seen],
                    name,
                    row,
                    [column],
                    "; ".join(f"{d}: {v}" for d, v in seen),
                    "The same month is printed with different values in two reports (data revised in between).",
                )
            )
    return out


def _fytd_across_reports(reports: list[PublishedReport], config: Config) -> list[Finding]:
    out = []

    def fy(doc: PublishedReport) -> int:
        return fiscal_year(month_index(doc.report_month), config.fiscal_year_start_month)

    for early, late in combinations(reports, 2):
        if fy(early) != fy(late) or early.report_month == late.report_month:
            continue
        out += _scalar_fytd_shrinks(early, late)
        for name in set(early.tables) & set(late.tables):
            a, b = early.tables[name], late.tables[name]
            if "FYTD" not in a.columns or "FYTD" not in b.columns:
                continue
            for row in a.index.intersection(b.index):
                out += _fytd_pair(early, late, name, row, reports)
    return out


def _scalar_fytd_shrinks(early: PublishedReport, late: PublishedReport) -> list[Finding]:
    out = []
    for key in set(early.scalars) & set(late.scalars):
        if ".fytd." in key and late.scalars[key] < early.scalars[key]:
            out.append(
                _finding(
                    "fytd_shrinks",
                    [early.label, late.label],
                    key,
                    "",
                    ["FYTD"],
                    f"{early.scalars[key]:g} then {late.scalars[key]:g}",
                    "A fiscal-year-to-date total went down later in the same fiscal year.",
                )
            )
    return out


def _fytd_pair(
    early: PublishedReport, late: PublishedReport, name: str, row: str, reports: list[PublishedReport]
) -> list[Finding]:
    first = int(cast(int, early.tables[name].loc[row, "FYTD"]))
    last = int(cast(int, late.tables[name].loc[row, "FYTD"]))
    if last < first:
        return [
            _finding(
                "fytd_shrinks",
                [early.label, late.label],
                name,
                row,
                ["FYTD"],
                f"{early.report_month}: {first}; {late.report_month}: {last}",
                "The FYTD went down later in the same fiscal year: rows were moved out of this "
                "category, or removed, after the earlier report.",
            )
        ]
    # Months after the early report up to the late one, from whichever report printed them.
    between = range(month_index(early.report_month) + 1, month_index(late.report_month) + 1)
    known: dict[str, int] = {}
    for doc in reports:
        table = doc.tables.get(name)
        if table is not None and row in table.index:
            for column in table.columns:
                if column != "FYTD" and month_index(column) in between:
                    known.setdefault(column, int(cast(int, table.loc[row, column])))
    expected_at_least = first + sum(known.values())
    complete = len(known) == len(between)
    if last < expected_at_least or (complete and last != expected_at_least):
        relation = "equal" if complete else "be at least"
        return [
            _finding(
                "fytd_chain_broken",
                [early.label, late.label],
                name,
                row,
                [f"FYTD {early.report_month}", *sorted(known), f"FYTD {late.report_month}"],
                f"{first} + {sum(known.values())} (printed months) vs {last}",
                f"The later FYTD should {relation} the earlier FYTD plus the months printed since "
                f"({expected_at_least}), but is {last}.",
            )
        ]
    return []
