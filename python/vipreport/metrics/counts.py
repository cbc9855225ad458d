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
from .tidy import long_counts, month_ends, periods


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
    value: str,
    dimension: str | None = None,
    months_shown: int = 3,
    weight: str | None = None,
    start: int | None = None,
) -> pd.DataFrame:
    """The ``months_shown`` months ending at ``month``, long: month, category, ``value``, fytd, as_of.

    ``fytd`` runs from the first month of each row's fiscal year through the end
    of the row's month. With ``start`` (a month index: the program's first
    month), months before it are absent, not zeros. ``dimension`` names the
    category column (default: ``category``).
    """
    last = month_index(month)
    first_shown = last - months_shown + 1
    first = fiscal_year_start(first_shown, config.fiscal_year_start_month)  # so the first shown FYTD is whole
    monthly = monthly_counts(
        frame, date=date, category=category, first_month=first, n_months=last - first + 1, weight=weight
    )
    fytd = _core.fiscal_year_to_date(
        monthly.to_numpy(), first_month=first, fy_start_month=config.fiscal_year_start_month
    )
    shown = [m for m in range(first_shown, last + 1) if start is None or m >= start]
    rows = [m - first for m in shown]
    return long_counts(
        monthly.to_numpy()[rows],
        fytd[rows],
        shown,
        None if category is None else list(monthly.columns),
        dimension=None if category is None else (dimension or category),
        value=value,
    )


def referrals_by_area(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by area command (the six commands and N/A) in the three months ending at ``month``.

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
        Long, one row per month and area command (in report order, then the
        missing-area label): ``month`` (a monthly Period), ``area_command``,
        ``referrals``, ``fytd`` (referrals from the start of the fiscal year
        through that month) and ``as_of`` (the month's last day).
        ``.vip.wide()`` gives the report's table: areas as rows, the three
        months (``"YYYY-MM"``), then ``"FYTD"``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> tidy = vr.referrals_by_area(data, "2024-11")
    >>> tidy.columns.tolist()
    ['month', 'area_command', 'referrals', 'fytd', 'as_of']
    >>> november = tidy[tidy["month"] == "2024-11"]
    >>> dict(zip(november["area_command"], november["referrals"].tolist()))
    {'Southeast': 16, 'Northeast': 3, 'Northwest': 3, 'Foothills': 3, 'Southwest': 6, 'Valley': 6, 'N/A': 7}
    >>> vr.referrals_by_area(data, "2024-11").vip.wide().columns.tolist()
    ['2024-09', '2024-10', '2024-11', 'FYTD']
    """
    config = config or data.config
    return months_with_fytd(
        data.table("referrals"), month, date="referral_date", category="area_command", config=config, value="referrals"
    )


def _fiscal_year_months(month: str, config: Config) -> tuple[int, int]:
    last = month_index(month)
    return fiscal_year_start(last, config.fiscal_year_start_month), last


def custom_notifications(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Custom notifications, and persons notified, in each month of the fiscal year through ``month``.

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
        Long, two rows per month from the fiscal year's start: ``month`` (a
        monthly Period), ``measure`` (``"notifications"``: notices delivered;
        ``"persons"``: distinct persons notified), ``count``, ``fytd`` and
        ``as_of`` (the month's last day). The ``persons`` fytd counts each
        person once over the fiscal year to date, so it can be less than the
        sum of the months. ``.vip.wide().T`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> tidy = vr.custom_notifications(data, "2024-11")
    >>> tidy["month"].astype(str).unique().tolist()
    ['2024-07', '2024-08', '2024-09', '2024-10', '2024-11']
    >>> tidy[tidy["month"] == "2024-11"][["measure", "count", "fytd"]].values.tolist()
    [['notifications', 30, 136], ['persons', 30, 136]]
    """
    config = config or data.config
    first, last = _fiscal_year_months(month, config)
    months = list(range(first, last + 1))
    notices = data.table("notifications")
    counts = monthly_counts(notices, date="notification_date", category=None, first_month=first, n_months=len(months))[
        "count"
    ].to_numpy()
    # Only the fiscal year's notices count below: the rest of the table is left out before any grouping.
    period = notices["notification_date"].dt.year * 12 + notices["notification_date"].dt.month - 1
    in_fy = pd.DataFrame({"p": notices["person_key"], "m": period})[(period >= first) & (period <= last)]
    # Distinct persons per month: each person's repeat notices within a month are dropped.
    persons = in_fy.drop_duplicates()["m"].value_counts().reindex(months, fill_value=0).to_numpy()
    # Persons to date: each person counted once, in the month of their first notice of the fiscal year.
    first_in_fy = in_fy.groupby("p")["m"].min().value_counts().reindex(months, fill_value=0)
    grid = np.column_stack([counts, persons]).ravel()
    fytd = np.column_stack([np.cumsum(counts), np.cumsum(first_in_fy.to_numpy())]).ravel()
    return long_counts(grid, fytd, months, ["notifications", "persons"], dimension="measure", value="count")


def referral_sources(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by source in the three months ending at ``month``, with fiscal-year-to-date counts.

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
        Long, one row per month and source (the profile's order): ``month``,
        ``source``, ``referrals``, ``fytd``, ``as_of``. ``.vip.wide()`` gives
        the report's table: sources as rows, three months, then ``"FYTD"``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> vr.referral_sources(data, "2024-11").vip.wide()["FYTD"].to_dict()
    {'Law Enforcement': 155, 'Hospital': 28, 'Community': 11, 'Self-Referral': 7, 'Other': 8}
    """
    return months_with_fytd(
        data.table("referrals"),
        month,
        date="referral_date",
        category="source",
        config=config or data.config,
        value="referrals",
    )


def referrals_by_program(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by program (VIP, HVIP, Peer Support, Re-entry) in the three months ending at ``month``.

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
        Long, one row per month and program (the profile's order): ``month``,
        ``program``, ``referrals``, ``fytd``, ``as_of``. ``.vip.wide()`` gives
        the report's table.

    Raises
    ------
    MissingTableError
        The referrals have no ``program`` column.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> vr.referrals_by_program(data, "2024-11").vip.wide()["2024-11"].to_dict()
    {'VIP': 25, 'HVIP': 6, 'Peer Support': 8, 'Re-entry': 5}
    """
    referrals = data.table("referrals")
    if "program" not in referrals:
        raise MissingTableError("referrals_by_program needs the optional 'program' column of referrals")
    return months_with_fytd(
        referrals, month, date="referral_date", category="program", config=config or data.config, value="referrals"
    )


def services_by_status(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Services by type and status in ``month``, with fiscal-year-to-date counts.

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
        Long, one row per configured status and service type: ``month``,
        ``service_type``, ``status``, ``services``, ``fytd``, ``as_of``. For the
        report's layout (statuses side by side) take ``.vip.wide()`` of each status's rows.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> tidy = vr.services_by_status(data, "2024-11")
    >>> tidy.columns.tolist()
    ['month', 'service_type', 'status', 'services', 'fytd', 'as_of']
    >>> housing = tidy[tidy["service_type"] == "Housing"]
    >>> housing[["status", "services", "fytd"]].values.tolist()[-1]
    ['connected', 2, 13]
    """
    config = config or data.config
    services = data.table("services")
    parts = []
    for status in config.service_statuses:
        subset = services[services["status"] == status]
        part = months_with_fytd(
            subset,
            month,
            date="service_date",
            category="service_type",
            config=config,
            value="services",
            months_shown=1,
        )
        part.insert(2, "status", status)
        parts.append(part)
    columns = ["month", "service_type", "status", "services", "fytd", "as_of"]
    if not parts:
        return pd.DataFrame({c: [] for c in columns})
    table = pd.concat(parts, ignore_index=True)
    table["status"] = table["status"].astype(str)
    return table[columns]


def services_connected(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Services with status ``connected`` by type in ``month``, with fiscal-year-to-date counts.

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
        Long, one row per service type: ``month``, ``service_type``,
        ``services``, ``fytd``, ``as_of``. ``.vip.wide()`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> tidy = vr.services_connected(data, "2024-11")
    >>> tidy.set_index("service_type")[["services", "fytd"]].loc["Housing"].tolist()
    [2, 13]
    >>> int(tidy["fytd"].sum())
    83
    """
    services = data.table("services")
    return months_with_fytd(
        services[services["status"] == "connected"],
        month,
        date="service_date",
        category="service_type",
        config=config or data.config,
        value="services",
        months_shown=1,
    )


def fytd_totals(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """The report's fiscal-year-to-date block: one row per measure, the month's count and FYTD.

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
        One row per measure: referrals, custom notifications, persons notified,
        services requested / referred / connected (one row per configured
        status), and new caseload enrollments. Columns: ``month``, ``measure``,
        ``count`` (in the month), ``fytd``, ``as_of``. ``.vip.wide()`` gives the
        report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> totals = vr.fytd_totals(data, "2024-11").set_index("measure")
    >>> totals[["count", "fytd"]].loc["Referrals"].tolist()
    [44, 209]
    >>> int(totals.loc["New enrollments", "fytd"])
    79
    """
    config = config or data.config
    rows: dict[str, tuple[int, int]] = {}
    rows["Referrals"] = _total(data.table("referrals"), month, "referral_date", config)
    notes = custom_notifications(data, month, config=config)
    last = notes[notes["month"] == notes["month"].max()].set_index("measure")
    for label, measure in (("Custom notifications", "notifications"), ("Persons notified", "persons")):
        rows[label] = int(cast(int, last.loc[measure, "count"])), int(cast(int, last.loc[measure, "fytd"]))
    services = data.table("services")
    for status in config.service_statuses:
        rows[f"Services {status}"] = _total(services[services["status"] == status], month, "service_date", config)
    if "enrollments" in data:
        rows["New enrollments"] = _total(data.table("enrollments"), month, "start_date", config)
    m = month_index(month)
    return pd.DataFrame(
        {
            "month": periods([m] * len(rows)),
            "measure": pd.Series(list(rows), dtype=object).astype(str),
            "count": np.asarray([v[0] for v in rows.values()], dtype=np.int64),
            "fytd": np.asarray([v[1] for v in rows.values()], dtype=np.int64),
            "as_of": month_ends([m] * len(rows)),
        }
    )


def _total(frame: pd.DataFrame, month: str, date: str, config: Config) -> tuple[int, int]:
    table = months_with_fytd(frame, month, date=date, category=None, config=config, value="count", months_shown=1)
    return int(table["count"].iloc[0]), int(table["fytd"].iloc[0])


def referrals_by_area_series(
    data: Dataset, end: str, *, months: int = 36, config: Config | None = None
) -> pd.DataFrame:
    """Referrals per month and area command for ``months`` months ending at ``end``, with FYTD.

    Returns
    -------
    DataFrame
        Long: ``month`` (a monthly Period), ``area_command``, ``referrals``,
        ``fytd`` (through that month, within its fiscal year) and ``as_of``
        (the month's last day), in month then report-row order.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> long = vr.referrals_by_area_series(data, "2024-11", months=12)
    >>> long.columns.tolist()
    ['month', 'area_command', 'referrals', 'fytd', 'as_of']
    >>> last = long[long["month"] == "2024-11"].set_index("area_command")
    >>> last[["referrals", "fytd"]].loc["Southeast"].tolist()
    [16, 69]
    """
    config = config or data.config
    return months_with_fytd(
        data.table("referrals"),
        end,
        date="referral_date",
        category="area_command",
        config=config,
        value="referrals",
        months_shown=months,
    )
