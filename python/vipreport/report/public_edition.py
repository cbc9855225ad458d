"""Which cells and numbers the public edition hides (see vipreport.suppression for the rules).

Every count of the report is one :data:`~vipreport.suppression.Cell`, and the
sums that tie the counts together are written out below (:func:`relations`):
the columns of a month-by-category table add up to the month's total, which
``vip.fytd_totals`` prints or another table of the same events gives; a row's
FYTD is the sum of its fiscal-year months; a rate's denominator splits into its
numerator and its complement. A number printed in two tables is one cell, so
both tables hide it alike (cross-table consistency).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..calendar import fiscal_year_start, month_index, month_label
from ..config import Config
from ..suppression import Cell, linked_suppression, primary_mask, suppression_mask, unstable

# Month-by-category tables: each column adds up to the total of the events it counts (``TOTALS``).
# vip.services holds one such block per service status.
CATEGORY_TABLES = {
    "vip.referrals_by_area": "referrals",
    "vip.referral_sources": "referrals",
    "vip.referrals_by_program": "referrals",
    "trc.referrals_by_source": "trc referrals",
    "cora.incidents_by_type": "cora responses",
    "cora.responses_by_area": "cora responses",
    "vip.services_connected": "services connected",
}
# The row of vip.fytd_totals that prints a total of the events counted above.
FYTD_ROWS = {
    "referrals": "Referrals",
    "services requested": "Services requested",
    "services referred": "Services referred",
    "services connected": "Services connected",
}
# Tables of measures (rows) by month with a FYTD column: each row's FYTD is the sum of its months.
MEASURE_TABLES = ("vip.fytd_totals", "cora.totals", "oep.summary")
# Rate tables: (denominator, numerator). The denominator is the numerator plus its complement, a count too:
# "17 of 18 engaged" gives away the one who did not. Deaths are left out of the success rates' denominator.
RATES = {
    "vip.engagement": ("notified", "engaged"),
    "vip.engagement_trend": ("notified", "engaged"),
    "vip.engagement_change": ("notified", "engaged"),
    "vip.success_trend": ("persons", "successes"),
    "vip.success_by_age": ("persons", "successes"),
}
# The same months' rows, printed twice.
SAME_MONTHS = {"vip.engagement": "vip.engagement_trend", "vip.engagement_change": "vip.engagement_trend"}
# The public edition prints no monthly death counts: deaths are few by nature, and hiding them would hide
# every rate beside them. Only the latest cohort's total is named, in the headline, when not small.
PUBLIC_RATE_COUNTS = {
    "vip.engagement": ("notified", "engaged"),
    "vip.engagement_trend": ("notified", "engaged"),
    "vip.engagement_change": ("notified", "engaged"),
    "vip.success_trend": ("persons", "failures", "successes"),
    "vip.success_by_age": ("persons", "failures", "successes"),
}
# Tables of counts with no sums among them: each count is hidden when small.
PLAIN_TABLES = ("vip.caseload_trend",)
# The methods appendix and the survival table print only in the internal edition; their rules stay per table.
RATE_TABLES = {
    "vip.success_methods": (("persons", "failures", "deaths"), False, False),
    "vip.survival": (("at_risk", "events"), False, False),
}
DENOMINATOR = {
    "vip.success_by_age": "persons",
    "vip.success_trend": "persons",
    "vip.success_methods": "persons",
    "vip.engagement": "notified",
    "vip.engagement_trend": "notified",
    "vip.engagement_change": "notified",
    "vip.survival": "at_risk",
}
COUNT_SCALARS = (
    "vip.active_caseload",
    "trc.active_clients",
    "cora.fytd.adults_assisted",
    "cora.fytd.children_assisted",
    "cora.fytd.referrals_made",
    "cora.fytd.outreach_operations",
)


class _Links:
    """The report's counts as cells, the sums among them, and which cells are one number printed twice."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.values: dict[Cell, float] = {}
        self.shown: set[Cell] = set()
        self.unknown: set[Cell] = set()
        self.relations: list[list[Cell]] = []
        self.pairs: list[tuple[Cell, Cell]] = []

    def add(self, key: str, table: pd.DataFrame, columns: Iterable[object] | None = None) -> None:
        """Every count of ``table`` (the given columns) as a printed cell."""
        for column in table.columns if columns is None else columns:
            for row, value in table[column].items():
                if isinstance(value, (int, float, np.integer, np.floating)) and np.isfinite(value):
                    self.values[(key, row, column)] = float(value)
                    self.shown.add((key, row, column))

    def derived(self, cell: Cell, value: float) -> Cell:
        """A count that is printed nowhere but could be worked out (a total, a complement)."""
        self.values[cell] = float(value)
        return cell

    def same(self, a: Cell, b: Cell) -> None:
        """``a`` and ``b`` are one number printed twice (checked: only equal values are linked)."""
        if a in self.values and b in self.values and self.values[a] == self.values[b]:
            self.pairs.append((a, b))

    def sum_line(self, total: Cell, parts: Sequence[Cell]) -> None:
        self.relations.append([total, *parts])

    def hidden(self) -> set[Cell]:
        """Every cell to hide, printed ones only; a number printed twice is hidden in both places."""
        parent: dict[Cell, Cell] = {}

        def root(c: Cell) -> Cell:
            while parent.get(c, c) != c:
                c = parent[c]
            return c

        for a, b in self.pairs:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[rb] = ra
        values = {root(c): v for c, v in self.values.items()}
        shown = {root(c) for c in self.shown}
        relations = [[root(c) for c in line] for line in self.relations]
        hidden = linked_suppression(values, relations, self.config, shown=shown, unknown=frozenset(self.unknown))
        return {c for c in self.shown if root(c) in hidden}


def _fiscal_months(month: str, config: Config) -> list[str]:
    end = month_index(month)
    return [month_label(i) for i in range(fiscal_year_start(end, config.fiscal_year_start_month), end + 1)]


def _by_month(links: _Links, key: str, table: pd.DataFrame, fy: list[str], *, column_sums: bool = True) -> None:
    """A table of categories (rows) by month with FYTD: each column sums to its total, each row's FYTD
    to its fiscal-year months (months before the table's first are unknown to a reader of this report)."""
    months = [c for c in table.columns if c != "FYTD"]
    for column in table.columns if column_sums else ():
        cells = [(key, row, column) for row in table.index if (key, row, column) in links.values]
        total = links.derived((f"{key} total", "", column), sum(links.values[c] for c in cells))
        links.sum_line(total, cells)
    if "FYTD" in table.columns:
        for row in table.index:
            parts: list[Cell] = [(key, row, m) for m in months if m in fy]
            if any(m not in months for m in fy):
                earlier: Cell = ("earlier months", key, row)
                links.unknown.add(earlier)
                parts.append(earlier)
            links.sum_line((key, row, "FYTD"), parts)


def _links(tables: dict[str, pd.DataFrame], scalars: dict[str, Any], config: Config, month: str) -> _Links:
    links = _Links(config)
    fy = _fiscal_months(month, config)
    totals: dict[str, list[str]] = {}  # a kind of event: the tables whose column totals count it
    frames = dict(tables)
    for key, events in CATEGORY_TABLES.items():
        if key in tables:
            links.add(key, tables[key])
            _by_month(links, key, tables[key], fy)
            totals.setdefault(events, []).append(key)
    if "vip.services" in tables:
        services = tables["vip.services"]
        for status in services.columns.get_level_values(0).unique():
            part = services[status]
            key = f"vip.services {status}"
            frames[key] = part
            links.add(key, part)
            _by_month(links, key, part, fy)
            totals.setdefault(f"services {status}", []).append(key)
            for row in part.index:  # the multi-column table, cell by cell, is the same numbers
                for column in part.columns:
                    links.pairs.append((("vip.services", row, (status, column)), (key, row, column)))
                    links.shown.add(("vip.services", row, (status, column)))
                    links.values[("vip.services", row, (status, column))] = links.values[(key, row, column)]
                    if status == "connected" and "vip.services_connected" in tables:
                        links.same((key, row, column), ("vip.services_connected", row, column))
    for key in MEASURE_TABLES:
        if key in tables:
            links.add(key, tables[key])
            _by_month(links, key, tables[key], fy, column_sums=False)
    fytd = tables.get("vip.fytd_totals")
    for events, keys in totals.items():  # the same events' totals agree across tables and with vip.fytd_totals
        first = frames[keys[0]]
        for column in first.columns:
            for key in keys[1:]:
                links.same((f"{keys[0]} total", "", column), (f"{key} total", "", column))
            if fytd is not None and events in FYTD_ROWS:
                links.same((f"{keys[0]} total", "", column), ("vip.fytd_totals", FYTD_ROWS[events], column))
    _notifications(links, tables, fy)
    _rates(links, tables)
    for key in PLAIN_TABLES:
        if key in tables:
            links.add(
                key, tables[key], [c for c in tables[key].columns if pd.api.types.is_integer_dtype(tables[key][c])]
            )
    for key in COUNT_SCALARS:
        if scalars.get(key) is not None:
            links.values[("scalar", key, "")] = float(scalars[key])
            links.shown.add(("scalar", key, ""))
            if key.startswith("cora.fytd."):
                links.same(("cora.totals", key.removeprefix("cora.fytd."), "FYTD"), ("scalar", key, ""))
    if "vip.caseload_trend" in tables and "vip.active_caseload" in scalars:
        last = tables["vip.caseload_trend"].index[-1]
        links.same(("vip.caseload_trend", last, "active_last_day"), ("scalar", "vip.active_caseload", ""))
    return links


def _notifications(links: _Links, tables: dict[str, pd.DataFrame], fy: list[str]) -> None:
    if "vip.custom_notifications" not in tables:
        return
    notes = tables["vip.custom_notifications"]  # rows notifications and persons; months and FYTD as columns
    links.add("vip.custom_notifications", notes)
    months = [m for m in notes.columns if m != "FYTD"]
    # FYTD notifications are the sum of the months; FYTD persons are distinct persons, not a sum.
    links.sum_line(
        ("vip.custom_notifications", "notifications", "FYTD"),
        [("vip.custom_notifications", "notifications", m) for m in months],
    )
    for column in (*fy[-1:], "FYTD"):
        links.same(
            ("vip.custom_notifications", "notifications", column), ("vip.fytd_totals", "Custom notifications", column)
        )
        links.same(("vip.custom_notifications", "persons", column), ("vip.fytd_totals", "Persons notified", column))
    for key in ("vip.engagement_trend", "vip.engagement", "vip.engagement_change"):
        if key in tables:
            for m in tables[key].index:
                links.same(("vip.custom_notifications", "persons", m), (key, m, "notified"))


def _rates(links: _Links, tables: dict[str, pd.DataFrame]) -> None:
    for key, (denominator, numerator) in RATES.items():
        if key not in tables:
            continue
        table = tables[key]
        counts = [c for c in PUBLIC_RATE_COUNTS[key] if c in table.columns]
        links.add(key, table, counts)
        if "open" in table.columns:  # persons whose window is still open: printed as a share of the notified
            links.add(key, table, ["open"])
        if key == "vip.engagement" and "days_count" in table.columns:  # persons engaged, with days to engage
            links.add(key, table, ["days_count"])
            for m in table.index:
                links.same((key, m, "engaged"), (key, m, "days_count"))
        for row in table.index:
            n, k = (key, row, denominator), (key, row, numerator)
            if n not in links.values or k not in links.values:
                continue
            parts = [k] + ([(key, row, "failures")] if (key, row, "failures") in links.values else [])
            rest = links.values[n] - sum(links.values[p] for p in parts)
            if rest:  # a count printed nowhere that the denominator and the printed parts give away
                parts.append(links.derived((f"{key} rest", row, numerator), rest))
            links.sum_line(n, parts)
        other = SAME_MONTHS.get(key)
        if other in tables:
            for row in table.index:
                for column in counts:
                    links.same((other, row, column), (key, row, column))
    if "vip.success_by_age" in tables:
        by_age = tables["vip.success_by_age"]
        groups = [g for g in by_age.index if g != "All"]
        if "All" in by_age.index:
            for column in PUBLIC_RATE_COUNTS["vip.success_by_age"]:
                links.sum_line(
                    ("vip.success_by_age", "All", column), [("vip.success_by_age", g, column) for g in groups]
                )
                if "vip.success_trend" in tables:
                    last = tables["vip.success_trend"].index[-1]
                    links.same(("vip.success_trend", last, column), ("vip.success_by_age", "All", column))


def public_masks(
    tables: dict[str, pd.DataFrame], scalars: dict[str, Any], config: Config, month: str | None = None
) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """Per table, the cells the public edition hides; and the headline numbers it hides."""
    month = month or _report_month(tables)
    hidden = _links(tables, scalars, config, month).hidden()
    masks: dict[str, pd.DataFrame] = {}
    for key, table in tables.items():
        if key in RATE_TABLES or key in ("vip.survival_curve", "vip.area_trends"):
            continue
        mask = pd.DataFrame(
            [[(key, row, column) in hidden for column in table.columns] for row in table.index],
            index=table.index,
            columns=table.columns,
            dtype=bool,
        )
        if key in RATES:
            counts = list(PUBLIC_RATE_COUNTS[key])
            # A rate, its interval and any share beside hidden counts would give them back: hide the row's numbers.
            rest = [
                c
                for c in table.columns
                if c not in (*counts, "open", "open_share", "days_count") and pd.api.types.is_numeric_dtype(table[c])
            ]
            rest = [c for c in rest if not pd.api.types.is_bool_dtype(table[c])]
            rows = mask[counts].any(axis=1).to_numpy()
            mask.loc[rows, rest] = True
            if "open" in table.columns:  # the share of windows still open, with the notified, gives the count
                mask.loc[mask["open"].to_numpy() | rows, ["open", "open_share"]] = True
            if "days_count" in table.columns:
                mask.loc[mask["days_count"].to_numpy() | rows, [c for c in table.columns if c.startswith("days_")]] = (
                    True
                )
            if "deaths" in table.columns:
                mask["deaths"] = True  # not printed in the public edition (see PUBLIC_RATE_COUNTS)
        if mask.to_numpy().any() or key in CATEGORY_TABLES or key in MEASURE_TABLES or key in RATES:
            masks[key] = mask
    for key, (internal_counts, rows_add_up, columns_add_up) in RATE_TABLES.items():
        if key in tables:
            masks[key] = _rate_mask(tables[key], internal_counts, rows_add_up, columns_add_up, config)
    if "vip.survival" in masks and masks["vip.survival"]["events"].any() and "vip.survival_curve" in tables:
        # Each step of the curve is an event: hide the curve with the counts it would reveal.
        curve = tables["vip.survival_curve"]
        masks["vip.survival_curve"] = pd.DataFrame(True, index=curve.index, columns=curve.columns)
    hidden_scalars = {k for k in COUNT_SCALARS if ("scalar", k, "") in hidden}
    if "vip.engagement" in masks and masks["vip.engagement"].to_numpy().any():
        hidden_scalars.add("vip.engagement_rate")
    if "vip.success_trend" in masks:
        last = masks["vip.success_trend"].drop(columns="deaths", errors="ignore").iloc[-1]
        if last.any():
            hidden_scalars.add("vip.success_rate")
        deaths = tables["vip.success_trend"]["deaths"].iloc[-1] if "deaths" in tables["vip.success_trend"] else 0
        if primary_mask(np.array([deaths], dtype=float), config)[0]:
            hidden_scalars.add("vip.success_deaths")  # the cohort's deaths, named in the headline when not small
    return masks, hidden_scalars


def _report_month(tables: dict[str, pd.DataFrame]) -> str:
    """The report month: the last month column of vip.fytd_totals, or of any month-by-category table."""
    for key in ("vip.fytd_totals", *CATEGORY_TABLES, *MEASURE_TABLES):
        if key in tables:
            months = [str(c) for c in tables[key].columns if c != "FYTD"]
            if months:
                return months[-1]
    return "2000-01"  # no month-by-category table: no FYTD sums to link


def _rate_mask(
    table: pd.DataFrame, counts: tuple[str, ...], rows_add_up: bool, columns_add_up: bool, config: Config
) -> pd.DataFrame:
    """Per-table rules for the tables only the internal edition prints (methods appendix, survival)."""
    counts_mask = suppression_mask(table[list(counts)], config, rows_add_up=rows_add_up, columns_add_up=columns_add_up)
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    mask[list(counts)] = counts_mask
    rates = [c for c in table.columns if c not in counts and pd.api.types.is_float_dtype(table[c])]
    mask.loc[counts_mask.any(axis=1).to_numpy(), rates] = True
    return mask


def unstable_rows(tables: dict[str, pd.DataFrame], config: Config) -> dict[str, np.ndarray]:
    """Per rate table, the rows whose denominator is below ``publication.unstable_below``."""
    return {key: unstable(tables[key][column], config) for key, column in DENOMINATOR.items() if key in tables}
