"""The notebook view of a Dataset: row counts, date ranges and the data-quality summary, as light HTML.

Only counts, dates of the first and last event, and the loader's own quality
notes are shown: never a cell of an id, name or birth-date column. The style
is scoped under ``.vr-dataset`` so that displaying a dataset restyles nothing
else in the notebook, and the one id carries a random suffix so that two
datasets on one page never share it.
"""

from __future__ import annotations

import uuid
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from ..schema import EVENT_DATE

if TYPE_CHECKING:
    from .dataset import Dataset

STYLE = (
    ".vr-dataset{font-family:system-ui,sans-serif;font-size:13px;line-height:1.4}"
    ".vr-dataset .vr-title{font-weight:600;margin:0 0 4px}"
    ".vr-dataset .vr-demo{color:#8a4b00;font-weight:600}"
    ".vr-dataset table.vr-table{border-collapse:collapse;margin:4px 0 10px}"
    ".vr-dataset table.vr-table th,.vr-dataset table.vr-table td{padding:2px 8px;text-align:left;"
    "border-bottom:1px solid #ddd}"
    ".vr-dataset table.vr-table td.vr-num{text-align:right;font-variant-numeric:tabular-nums}"
    ".vr-dataset details{margin-top:4px}"
)


def dataset_html(data: Dataset) -> str:
    """The HTML of ``data._repr_html_()``."""
    root = f"vr-dataset-{uuid.uuid4().hex[:12]}"
    rows = []
    for name, frame in data.tables.items():
        dates = frame[EVENT_DATE[name]].dropna() if EVENT_DATE.get(name) in frame else pd.Series([], dtype=object)
        span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dated rows"
        persons = f"{frame.loc[frame['person_key'] >= 0, 'person_key'].nunique():,}" if "person_key" in frame else ""
        rows.append(
            f"<tr><th scope='row'>{escape(name)}</th><td class='vr-num'>{len(frame):,}</td>"
            f"<td class='vr-num'>{persons}</td><td>{span}</td></tr>"
        )
    tables = (
        f"<table class='vr-table' aria-labelledby='{root}'><thead><tr><th scope='col'>table</th>"
        "<th scope='col'>rows</th><th scope='col'>persons</th><th scope='col'>events from</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    demo = " <span class='vr-demo'>demo data: made up, not a city's records</span>" if data.synthetic else ""
    return (
        f"<div class='vr-dataset'><style>{STYLE}</style>"
        f"<p class='vr-title' id='{root}'>vipreport Dataset: {len(data.tables)} tables{demo}</p>"
        f"{tables}{_quality(data.quality)}</div>"
    )


QUALITY_ROWS_SHOWN = 60  # keeps the view light (well under 30 KB) however many rules a load tripped


def _quality(quality: pd.DataFrame) -> str:
    # The quality rows are the loader's own notes (table, rule, how many rows): counts and
    # category labels, written to be shown, never a cell's value.
    body = "".join(
        f"<tr><td>{escape(str(table))}</td><td>{escape(str(action))}</td><td>{escape(str(reason))}</td>"
        f"<td class='vr-num'>{int(count):,}</td></tr>"
        for table, action, reason, count in quality.head(QUALITY_ROWS_SHOWN).itertuples(index=False)
    )
    more = len(quality) - QUALITY_ROWS_SHOWN
    if more > 0:
        body += f"<tr><td colspan='4'>{more:,} more rows: see <code>data.quality</code></td></tr>"
    return (
        f"<details><summary>Data-quality summary ({len(quality):,} rows)</summary>"
        "<table class='vr-table'><thead><tr><th scope='col'>table</th><th scope='col'>action</th>"
        f"<th scope='col'>reason</th><th scope='col'>rows</th></tr></thead><tbody>{body}</tbody></table></details>"
    )
