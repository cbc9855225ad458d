"""How one table cell is printed, shared by the PDF, the HTML and ``Report.display``.

Kept apart from ``layout`` so that building a report (not rendering it) never imports matplotlib.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cell_text(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.1f}" if abs(float(value) - round(value)) > 1e-9 else f"{value:,.0f}"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)
