"""The ``.vip`` DataFrame accessor: the report-shaped wide view of a tidy metric result."""

from __future__ import annotations

import pandas as pd

from ..errors import ArgumentError

NOT_DIMENSIONS = ("month", "fytd", "as_of")


@pd.api.extensions.register_dataframe_accessor("vip")
class VipAccessor:
    """vipreport's views of a tidy result, as ``result.vip.<method>()``.

    Registered when :mod:`vipreport` is imported.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def wide(self, values: str | None = None) -> pd.DataFrame:
        """The report's layout: one row per category, the months as columns, then FYTD.

        Parameters
        ----------
        values
            The count or rate column to spread over the months; by default the
            result's one numeric column other than ``fytd`` (name it when there are several).

        Returns
        -------
        DataFrame
            Indexed by the result's dimension columns (its string columns other than
            ``month``, in the order the rows first name them); one column per month,
            ``"YYYY-MM"``, oldest first; then ``"FYTD"``, the ``fytd`` of the last
            month, when the result has a ``fytd`` column. This is the shape the
            report prints and the shape the functions returned before 0.2.

        Raises
        ------
        ArgumentError
            The frame has no ``month`` column, or ``values`` is not given and the
            frame has more than one numeric column to choose from.

        Examples
        --------
        >>> import vipreport as vr
        >>> data = vr.datasets.demo()
        >>> tidy = vr.referrals_by_area(data, "2024-11")
        >>> tidy.columns.tolist()
        ['month', 'area_command', 'referrals', 'fytd', 'as_of']
        >>> table = tidy.vip.wide()
        >>> table.columns.tolist()
        ['2024-09', '2024-10', '2024-11', 'FYTD']
        >>> table.loc["Southeast"].tolist()
        [12, 16, 16, 69]
        """
        frame = self._frame
        if "month" not in frame:
            raise ArgumentError("wide() needs a tidy result with a 'month' column")
        dimensions = [
            c
            for c in frame.columns
            if c not in NOT_DIMENSIONS
            and not pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])
        ]
        if values is None:
            numeric = [
                c
                for c in frame.columns
                if c not in NOT_DIMENSIONS
                and pd.api.types.is_numeric_dtype(frame[c])
                and not pd.api.types.is_bool_dtype(frame[c])
            ]
            if len(numeric) != 1:
                raise ArgumentError(f"wide() needs values= naming one of the columns {numeric}")
            values = numeric[0]
        elif values not in frame:
            raise ArgumentError(f"wide(): no column {values!r}; the result has {list(frame.columns)}")
        months = sorted(frame["month"].unique())
        keys = dimensions or [values]
        rows = frame[dimensions].drop_duplicates() if dimensions else pd.DataFrame({values: [values]})
        index: pd.Index = (
            pd.MultiIndex.from_frame(rows) if len(keys) > 1 else pd.Index(rows[keys[0]].tolist(), name=keys[0])
        )
        if not dimensions:
            index.name = None
        table = pd.DataFrame(index=index)
        for month in months:
            in_month = frame[frame["month"] == month]
            column = in_month.set_index(dimensions)[values] if dimensions else in_month[values].set_axis(index)
            table[str(month)] = column.reindex(index)
        if "fytd" in frame and months:
            last = frame[frame["month"] == months[-1]]
            table["FYTD"] = (
                last.set_index(dimensions)["fytd"] if dimensions else last["fytd"].set_axis(index)
            ).reindex(index)
        table.columns.name = None
        return table
