"""Event counts by month x category, with fiscal-year-to-date totals."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import fiscal_year_start, month_index, month_label
from ..config import Config
from ..errors import MissingTableError
from ..io import Dataset, day_numbers


def monthly_counts(
    frame: pd.DataFrame, *, date: str, category: str | None, first_month: int, n_months: int, weight: str | None = None
) -> pd.DataFrame:
    """Counts (or sums of ``weight``) per month (rows, labelled YYYY-MM) and category (columns).

    Rows whose date is blank are not events of that kind, and rows whose
    (optional) category is blank belong to no category: neither is counted.
    """
    present = frame[date].notna().to_numpy()
    if category is None:
        labels = ["count"]
        codes = np.zeros(int(present.sum()), dtype=np.int32)
    else:
        all_codes = frame[category].cat.codes.to_numpy()
        present = present & (all_codes >= 0)
        labels = list(frame[category].cat.categories)
        codes = all_codes[present].astype(np.int32)
    days = day_numbers(frame[date][present])
    weights = None if weight is None else frame[weight].to_numpy()[present].astype(np.int64)
    grid = _core.count_by_month(
        days, codes, weights, n_categories=len(labels), first_month=first_month, n_months=n_months
    )
    return pd.DataFrame(grid, index=[month_label(first_month + i) for i in range(n_months)], columns=labels)


def first_record_month(frame: pd.DataFrame, date: str) -> int | None:
    """The month index of the earliest non-blank ``date`` in ``frame`` (None when there is none).

    Series start here: a month before a program's first record is absent, not a zero.
    """
    dates = frame[date].dropna()
    if dates.empty:
        return None
    return month_index(dates.min())


def months_with_fytd(
    frame: pd.DataFrame,
    month: str,
    *,
    date: str,
    category: str | None,
    config: Config,
    months_shown: int = 3,
    weight: str | None = None,
    start: int | None = None,
) -> pd.DataFrame:
    """The report's layout: categories as rows; the ``months_shown`` months ending at ``month``, then FYTD.

    FYTD runs from the first month of the fiscal year holding ``month``
    through the end of ``month``. With ``start`` (a month index: the
    program's first month), month columns before it are absent, not zeros.
    """
    last = month_index(month)
    fy_first = fiscal_year_start(last, config.fiscal_year_start_month)
    first = min(fy_first, last - months_shown + 1)
    monthly = monthly_counts(
        frame, date=date, category=category, first_month=first, n_months=last - first + 1, weight=weight
    )
    fytd = _core.fiscal_year_to_date(
        monthly.to_numpy(), first_month=first, fy_start_month=config.fiscal_year_start_month
    )
    shown = monthly.iloc[-months_shown:]
    if start is not None:
        shown = shown.loc[[month_index(m) >= start for m in shown.index]]
    table = shown.T.copy()
    table["FYTD"] = fytd[-1]
    table.index.name = category or "count"
    table.columns.name = None
    return table


def referrals_by_area(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by area command: the six commands and N/A; three months and FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``referrals`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. Area rows always
        come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Rows: area commands in report order, then the missing-area label.
        Columns: the three months ending at ``month`` (``"YYYY-MM"``), then ``"FYTD"``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.referrals_by_area(data, "2024-11")
    >>> table.columns.tolist()
    ['2024-09', '2024-10', '2024-11', 'FYTD']
    >>> table["2024-11"].to_dict()
    {'Southeast': 16, 'Northeast': 3, 'Northwest': 3, 'Foothills': 3, 'Southwest': 6, 'Valley': 6, 'N/A': 7}
    """
    config = config or data.config
    table = months_with_fytd(
        data.table("referrals"), month, date="referral_date", category="area_command", config=config
    )
    table.index.name = "area_command"
    return table


def _fiscal_year_months(month: str, config: Config) -> tuple[int, int]:
    last = month_index(month)
    return fiscal_year_start(last, config.fiscal_year_start_month), last


def custom_notifications(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Custom notifications delivered in each month of the fiscal year through ``month``, then FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``notifications`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``.

    Returns
    -------
    DataFrame
        Index: ``"YYYY-MM"`` months from the fiscal year's start, then ``"FYTD"``.
        Columns: ``notifications`` (rows) and ``persons`` (distinct persons notified).
        The FYTD ``persons`` counts each person once over the fiscal year, so it can be
        less than the sum of the months.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.custom_notifications(data, "2024-11")
    >>> table.index.tolist()
    ['2024-07', '2024-08', '2024-09', '2024-10', '2024-11', 'FYTD']
    >>> table.loc["FYTD"].tolist()
    [136, 136]
    """
    config = config or data.config
    first, last = _fiscal_year_months(month, config)
    notices = data.table("notifications")
    counts = monthly_counts(
        notices, date="notification_date", category=None, first_month=first, n_months=last - first + 1
    )["count"]
    # Distinct persons per month: drop each person's repeat notices within a month first.
    period = notices["notification_date"].dt.year * 12 + notices["notification_date"].dt.month - 1
    firsts = notices.loc[~pd.DataFrame({"p": notices["person_key"], "m": period}).duplicated()]
    persons = monthly_counts(
        firsts, date="notification_date", category=None, first_month=first, n_months=last - first + 1
    )["count"]
    in_fy = notices[(period >= first) & (period <= last)]
    table = pd.DataFrame({"notifications": counts, "persons": persons})
    table.loc["FYTD"] = [int(counts.sum()), int(in_fy["person_key"].nunique())]
    table.index.name = "month"
    return table


def referral_sources(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by source: three months ending at ``month``, then FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``referrals`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. The rows (categories)
        always come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Rows: the profile's referral sources, in its order. Columns: the three
        months ending at ``month`` (``"YYYY-MM"``), then ``"FYTD"``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.referral_sources(data, "2024-11")
    >>> table["FYTD"].to_dict()
    {'Law Enforcement': 155, 'Hospital': 28, 'Community': 11, 'Self-Referral': 7, 'Other': 8}
    """
    return months_with_fytd(
        data.table("referrals"), month, date="referral_date", category="source", config=config or data.config
    )


def referrals_by_program(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by program (VIP, HVIP, Peer Support, Re-entry): three months, then FYTD.

    Referrals with a blank program are not counted under any program.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` whose ``referrals`` table has the optional ``program`` column.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. The rows (categories)
        always come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Rows: the profile's referral programs, in its order. Columns: the three
        months ending at ``month`` (``"YYYY-MM"``), then ``"FYTD"``.

    Raises
    ------
    MissingTableError
        The referrals have no ``program`` column.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> vr.referrals_by_program(data, "2024-11")["2024-11"].to_dict()
    {'VIP': 25, 'HVIP': 6, 'Peer Support': 8, 'Re-entry': 5}
    """
    referrals = data.table("referrals")
    if "program" not in referrals:
        raise MissingTableError("referrals_by_program needs the optional 'program' column of referrals")
    return months_with_fytd(referrals, month, date="referral_date", category="program", config=config or data.config)


def services_by_status(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Services by type (rows) and status: the month's counts and FYTD for each status.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``services`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start and the statuses shown (``service_statuses``)
        of ``data.config``.

    Returns
    -------
    DataFrame
        Rows: the profile's service types. Columns are ``(status, "YYYY-MM")`` and
        ``(status, "FYTD")`` pairs, one per configured status, so requested /
        referred / connected sit side by side.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.services_by_status(data, "2024-11")
    >>> table.columns.tolist()[:2]
    [('requested', '2024-11'), ('requested', 'FYTD')]
    >>> table.loc["Housing", "connected"].tolist()
    [2, 13]
    """
    config = config or data.config
    services = data.table("services")
    parts = {}
    for status in config.service_statuses:
        subset = services[services["status"] == status]
        parts[status] = months_with_fytd(
            subset, month, date="service_date", category="service_type", config=config, months_shown=1
        )
    table = pd.concat(parts, axis=1)
    table.index.name = "service_type"
    return table


def services_connected(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Services with status ``connected`` by type: the month and FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``services`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. The rows (categories)
        always come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Rows: the profile's service types. Columns: ``month`` (``"YYYY-MM"``) and ``"FYTD"``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.services_connected(data, "2024-11")
    >>> table.loc["Housing"].tolist()
    [2, 13]
    >>> int(table["FYTD"].sum())
    83
    """
    services = data.table("services")
    table = months_with_fytd(
        services[services["status"] == "connected"],
        month,
        date="service_date",
        category="service_type",
        config=config or data.config,
        months_shown=1,
    )
    return table


def fytd_totals(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """The report's fiscal-year-to-date block: one row per measure, the month and FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with ``referrals``, ``notifications`` and
        ``services`` tables (``enrollments`` adds the last row).
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start and the service statuses of ``data.config``.

    Returns
    -------
    DataFrame
        Indexed by ``measure``: referrals, custom notifications, persons notified,
        services requested / referred / connected (one row per configured status),
        and new caseload enrollments. Columns: ``month`` (``"YYYY-MM"``) and ``"FYTD"``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.fytd_totals(data, "2024-11")
    >>> table.loc["Referrals"].tolist()
    [44, 209]
    >>> table.loc["New enrollments", "FYTD"].item()
    79
    """
    config = config or data.config
    label = month_label(month_index(month))
    rows = {}
    rows["Referrals"] = _total(data.table("referrals"), month, "referral_date", config)
    notes = custom_notifications(data, month, config=config)
    rows["Custom notifications"] = (
        int(cast(int, notes.loc[label, "notifications"])),
        int(cast(int, notes.loc["FYTD", "notifications"])),
    )
    rows["Persons notified"] = (
        int(cast(int, notes.loc[label, "persons"])),
        int(cast(int, notes.loc["FYTD", "persons"])),
    )
    services = data.table("services")
    for status in config.service_statuses:
        rows[f"Services {status}"] = _total(services[services["status"] == status], month, "service_date", config)
    if "enrollments" in data:
        rows["New enrollments"] = _total(data.table("enrollments"), month, "start_date", config)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=[label, "FYTD"])
    table.index.name = "measure"
    return table


def _total(frame: pd.DataFrame, month: str, date: str, config: Config) -> tuple[int, int]:
    table = months_with_fytd(frame, month, date=date, category=None, config=config, months_shown=1)
    return int(cast(int, table.iloc[0, 0])), int(cast(int, table.iloc[0, 1]))


def referrals_by_area_series(
    data: Dataset, end: str, *, months: int = 36, config: Config | None = None
) -> pd.DataFrame:
    """Referrals per month and area command for ``months`` months ending at ``end``, with FYTD.

    Returns
    -------
    DataFrame
        Long format: ``month, area_command, referrals, fytd`` (FYTD through
        that month, within its fiscal year), in month then report-row order.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> long = vr.referrals_by_area_series(data, "2024-11", months=12)
    >>> long.columns.tolist()
    ['month', 'area_command', 'referrals', 'fytd']
    >>> last = long[long["month"] == "2024-11"].set_index("area_command")
    >>> last[["referrals", "fytd"]].loc["Southeast"].tolist()
    [16, 69]
    """
    config = config or data.config
    last = month_index(end)
    first = last - months + 1
    start = fiscal_year_start(first, config.fiscal_year_start_month)  # so the first FYTD is whole
    monthly = monthly_counts(
        data.table("referrals"),
        date="referral_date",
        category="area_command",
        first_month=start,
        n_months=last - start + 1,
    )
    fytd = _core.fiscal_year_to_date(
        monthly.to_numpy(), first_month=start, fy_start_month=config.fiscal_year_start_month
    )
    shown = slice(first - start, None)
    areas = list(monthly.columns)
    labels = list(monthly.index[shown])
    return pd.DataFrame(
        {
            "month": np.repeat(labels, len(areas)),
            "area_command": np.tile(areas, len(labels)),
            "referrals": monthly.to_numpy()[shown].ravel(),
            "fytd": fytd[shown].ravel(),
        }
    )
