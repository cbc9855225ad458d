"""Tables given as frames (pandas, polars, pyarrow) as Arrow tables, loaded like files.

pandas columns convert to Arrow without copying text where they can; a
column mixing kinds of values (text beside dates, as a spreadsheet read by
hand gives) is written out cell by cell as the text an export would hold.
Nothing is written into the caller's arrays.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..errors import ArgumentError
from .readers import cell_text


def to_arrow(name: str, frame: Any) -> tuple[pa.Table, str]:
    """``frame`` as an Arrow table and the name the quality summary gives its source."""
    if isinstance(frame, pa.Table):
        return frame, "pyarrow Table"
    if isinstance(frame, pa.RecordBatch):
        return pa.Table.from_batches([frame]), "pyarrow Table"
    module = type(frame).__module__.split(".")[0]
    if module == "polars" and hasattr(frame, "to_arrow"):
        return frame.to_arrow(), "polars DataFrame"
    import pandas as pd

    if isinstance(frame, pd.DataFrame):
        columns = {str(c): _pandas_column(frame[c]) for c in frame.columns}
        return pa.table(columns) if columns else pa.table({}), "DataFrame"
    raise ArgumentError(
        f"table {name!r} must be a pandas or polars DataFrame or a pyarrow Table, got {type(frame).__name__}"
    )


def _pandas_column(series: Any) -> pa.Array:
    import pandas as pd

    if isinstance(series, pd.DataFrame):  # a column name repeated in the frame
        raise ArgumentError("a column name appears twice in the frame")
    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pa.array([cell_text(v) for v in series.to_numpy(dtype=object)], pa.string())
    if pa.types.is_nested(array.type) or pa.types.is_binary(array.type) or pa.types.is_duration(array.type):
        return pa.array([cell_text(v) for v in series.to_numpy(dtype=object)], pa.string())
    return array
