"""``reconcile``: each published figure beside the same figure computed from records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .document import PublishedReport, read_document
from .printed import printed_scalars

if TYPE_CHECKING:
    from ..report import Report


def reconcile(report: Report, doc: PublishedReport | str) -> pd.DataFrame:
    """One row per published figure: ``figure, published, computed, difference, note``.

    Parameters
    ----------
    report
        A :class:`vipreport.Report` of the same month.
    doc
        The published document (or its path).

    Returns
    -------
    DataFrame
        ``difference`` is computed - published; it is NaN, with a ``note``,
        where the report does not compute that figure.

    Examples
    --------
    >>> import vipreport as vr
    >>> from vipreport.published import parse_document
    >>> report = vr.build_report(vr.datasets.demo(), "2024-11")
    >>> printed = parse_document({"report_month": "2024-11", "scalars": {"trc.active_clients": 50}})
    >>> row = vr.reconcile(report, printed).iloc[0]
    >>> row["figure"], float(row["published"]), float(row["computed"]), float(row["difference"])
    ('trc.active_clients', 50.0, 52.0, 2.0)
    """
    doc = doc if isinstance(doc, PublishedReport) else read_document(doc)
    rows: list[list[object]] = []
    scalars = printed_scalars(report)  # keyed and rounded as the document prints them (rates as percents)
    for key, published in doc.scalars.items():
        computed = scalars.get(key)
        rows.append(_row(key, published, computed, "" if key in scalars else "not computed"))
    for name, table in doc.tables.items():
        mine = report.tables.get(name)
        for row in table.index:
            for column in table.columns:
                figure = f"{name}[{row}, {column}]"
                if mine is None:
                    rows.append(_row(figure, table.loc[row, column], None, f"table {name} not computed"))
                elif row not in mine.index or column not in mine.columns:
                    rows.append(_row(figure, table.loc[row, column], None, "row or column not computed"))
                else:
                    rows.append(_row(figure, table.loc[row, column], mine.loc[row, column], ""))
    return pd.DataFrame(rows, columns=["figure", "published", "computed", "difference", "note"])


def _row(figure: str, published: Any, computed: Any, note: str) -> list[object]:
    published = float(published)
    if computed is None or (isinstance(computed, float) and np.isnan(computed)):
        return [figure, published, np.nan, np.nan, note or "not computed"]
    computed = float(computed)
    return [figure, published, computed, round(computed - published, 9), note]
