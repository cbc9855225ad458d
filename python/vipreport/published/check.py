"""``check``: every figure of a set of published reports, computed again and explained where it differs.

What ``vipreport reconcile`` prints, and what the pytest plugin asserts one
figure at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import VipReportError
from .document import PublishedReport, read_documents
from .explain import Current, disputed_tables, explain

COLUMNS = ["report_month", "figure", "published", "computed", "difference", "status", "explanation"]


def check(
    data: Any,
    docs: list[PublishedReport | str | Path],
    *,
    tolerance: float = 0.0,
    expected: dict[str, str] | None = None,
    data_as_of: Any = None,
) -> pd.DataFrame:
    """Each published figure beside the same figure computed from ``data``.

    Parameters
    ----------
    data
        A loaded :class:`vipreport.Dataset`.
    docs
        Published-figures documents or records (paths or objects).
    tolerance
        The largest difference accepted, in the figure's unit.
    data_as_of
        The date the exports were taken; default: each record's own.
    expected
        Known restatements, ``{"YYYY-MM::figure": reason}`` (see
        :func:`vipreport.published.explain.read_expected`).

    Returns
    -------
    DataFrame
        ``report_month, figure, published, computed, difference, status,
        explanation``; ``status`` is ``agrees``, ``differs``,
        ``expected`` (a listed restatement) or ``not computed``.
        ``explanation`` is empty where the figure agrees.
    """
    from ..report import build_report
    from .audit import audit
    from .reconcile import reconcile

    reports = read_documents(docs)
    expected = expected or {}
    disputed = disputed_tables(audit(reports, config=data.config))
    current = Current.of(data, data.config)
    rows: list[list[Any]] = []
    for doc in reports:
        try:
            as_of = data_as_of or (doc.provenance or {}).get("data_as_of")
            built = build_report(data, doc.report_month, data_as_of=as_of)
            result = reconcile(built, doc)
        except VipReportError as exc:
            reason = str(exc).splitlines()[0]
            from .diff import figures

            result = pd.DataFrame(
                {
                    "figure": list(figures(doc)),
                    "published": list(figures(doc).values()),
                    "computed": np.nan,
                    "difference": np.nan,
                    "note": reason,
                }
            )
        for figure, published, computed, difference, note in result.itertuples(index=False):
            key = f"{doc.report_month}::{figure}"
            if note:
                status = "not computed"
            elif abs(difference) <= tolerance:
                rows.append([doc.report_month, figure, published, computed, difference, "agrees", ""])
                continue
            else:
                status = "differs"
            explanation = explain(doc, figure, note, disputed=disputed, current=current)
            if key in expected:
                status, explanation = "expected", f"known restatement: {expected[key]} ({explanation})"
            rows.append([doc.report_month, figure, published, computed, difference, status, explanation])
    return pd.DataFrame(rows, columns=COLUMNS)
