"""The partner pages: Trauma Recovery Center, CORA and Opioid Education and Prevention."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import last_day, month_index
from ..config import Config
from ..io import Dataset, day_numbers
from .counts import first_record_month, months_with_fytd
from .tidy import periods

CORA_COUNTS = ("adults_assisted", "children_assisted", "referrals_made", "outreach_operations")
OEP_STEPS = {
    "Referrals": "referral_date",
    "People located": "located_date",
    "Treatment entries": "treatment_date",
    "Narcan education/distribution": "narcan_date",
}


def trc_referrals_by_source(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Trauma Recovery Center referrals by source: three months ending at ``month``, then FYTD.

    The centre's months start at its first referral: a month before it is absent, not a zero.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``trc_referrals`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. The rows (categories)
        always come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Long, one row per month (up to three, ending at ``month``; none before
        the first referral) and TRC source (``Config.trc_sources``): ``month``,
        ``source``, ``referrals``, ``fytd``, ``as_of``. ``.vip.wide()`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.trc_referrals_by_source(data, "2024-11").vip.wide()
    >>> table.loc["CORA"].tolist()
    [5, 2, 3, 14]
    """
    referrals = data.table("trc_referrals")
    return months_with_fytd(
        referrals,
        month,
        date="referral_date",
        category="source",
        config=config or data.config,
        value="referrals",
        start=first_record_month(referrals, "referral_date"),
    )


def trc_active_clients(data: Dataset, month: str, *, config: Config | None = None) -> int:
    """TRC clients referred on or before the month's last day and not discharged by then.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``trc_referrals`` table. Without a
        ``discharge_date`` column no client is discharged.
    month
        The month, ``"YYYY-MM"``.
    config
        Not used; accepted so that every table function takes the same arguments.

    Returns
    -------
    int
        The number of referrals open on the month's last day (a client discharged
        on that day is no longer active).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> vr.trc_active_clients(data, "2024-11")
    52
    """
    referrals = data.table("trc_referrals")
    last = last_day(month_index(month))
    start = day_numbers(referrals["referral_date"])
    if "discharge_date" in referrals:
        discharged = referrals["discharge_date"].notna().to_numpy()
        end = np.where(
            discharged, day_numbers(referrals["discharge_date"].fillna(referrals["referral_date"])), _core.NO_DAY
        )
    else:
        end = np.full(len(start), _core.NO_DAY)
    return int(((start <= last) & (end > last)).sum())


def cora_incidents_by_type(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """CORA responses by incident type: the month and FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``cora_responses`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. The rows (categories)
        always come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Long, one row per incident type (``Config.cora_incident_types``):
        ``month``, ``incident_type``, ``responses``, ``fytd``, ``as_of``.
        ``.vip.wide()`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> tidy = vr.cora_incidents_by_type(data, "2024-11")
    >>> tidy.set_index("incident_type")[["responses", "fytd"]].loc["Homicide"].tolist()
    [4, 10]
    """
    return months_with_fytd(
        data.table("cora_responses"),
        month,
        date="response_date",
        category="incident_type",
        config=config or data.config,
        value="responses",
        months_shown=1,
    )


def cora_responses_by_area(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """CORA responses by area command (N/A last): the month and FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``cora_responses`` table. Without an
        ``area_command`` column every response is counted as N/A.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. The rows (categories)
        always come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Long, one row per area command (the missing-area label last):
        ``month``, ``area_command``, ``responses``, ``fytd``, ``as_of``.
        ``.vip.wide()`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> table = vr.cora_responses_by_area(data, "2024-11").vip.wide()
    >>> table.index.tolist()[-1], table.loc["Valley"].tolist()
    ('N/A', [6, 21])
    """
    responses = data.table("cora_responses")
    if "area_command" not in responses:
        responses = responses.assign(
            area_command=pd.Categorical([data.config.area_missing] * len(responses), categories=data.config.area_rows)
        )
    return months_with_fytd(
        responses,
        month,
        date="response_date",
        category="area_command",
        config=config or data.config,
        value="responses",
        months_shown=1,
    )


def cora_totals(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """CORA's "impact by the numbers": adults and children assisted, referrals made, outreach operations.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``cora_responses`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``.

    Returns
    -------
    DataFrame
        One row for each of ``adults_assisted``, ``children_assisted``,
        ``referrals_made`` and ``outreach_operations`` that the table has:
        ``month``, ``measure``, ``count`` (the sum over the month's responses),
        ``fytd``, ``as_of``. ``.vip.wide()`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> totals = vr.cora_totals(data, "2024-11").set_index("measure")
    >>> totals[["count", "fytd"]].loc["adults_assisted"].tolist()
    [143, 747]
    """
    config = config or data.config
    responses = data.table("cora_responses")
    parts = [
        months_with_fytd(
            responses,
            month,
            date="response_date",
            category=None,
            config=config,
            value="count",
            months_shown=1,
            weight=column,
        ).assign(measure=column)
        for column in CORA_COUNTS
        if column in responses
    ]
    return _stack_measures(parts, month)


def oep_summary(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """OEP: referrals, people located, treatment entries and Narcan education, by the date each happened.

    Each step is counted in the month of its own date (``referral_date``,
    ``located_date``, ``treatment_date``, ``narcan_date``), not the month of the referral.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with an ``oep_referrals`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``.

    Returns
    -------
    DataFrame
        Long, one row per month (the three ending at ``month``) and step whose
        date column the table has: ``month``, ``measure``, ``count``, ``fytd``,
        ``as_of``. ``.vip.wide()`` gives the report's table.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> summary = vr.oep_summary(data, "2024-11").vip.wide()
    >>> summary.index.tolist()
    ['Referrals', 'People located', 'Treatment entries', 'Narcan education/distribution']
    >>> summary.loc["People located"].tolist()
    [18, 27, 23, 121]
    """
    config = config or data.config
    referrals = data.table("oep_referrals")
    parts = [
        months_with_fytd(referrals, month, date=column, category=None, config=config, value="count").assign(
            measure=label
        )
        for label, column in OEP_STEPS.items()
        if column in referrals
    ]
    return _stack_measures(parts, month)


def _stack_measures(parts: list[pd.DataFrame], month: str) -> pd.DataFrame:
    """One frame of per-measure totals, month then measure order: month, measure, count, fytd, as_of."""
    columns = ["month", "measure", "count", "fytd", "as_of"]
    if not parts:
        empty = pd.DataFrame({c: [] for c in columns})
        empty["month"] = periods([])
        return empty
    table = pd.concat(parts, ignore_index=True)
    order = {name: i for i, name in enumerate(dict.fromkeys(table["measure"]))}
    table = table.sort_values(["month", "measure"], key=lambda c: c.map(order) if c.name == "measure" else c)
    table["measure"] = table["measure"].astype(str)
    return table[columns].reset_index(drop=True)
