"""The report's numbers as a Frictionless data package: ``datapackage.json`` and one tidy CSV per table and chart.

A city's open-data portal takes CSV with a schema, and an analyst wants the
tables rather than a PDF. The package holds the same numbers as the pages, in
long form (one row per observation), typed: counts are integers, months are
``YYYY-MM`` strings, rates are proportions from 0 to 1 (as in
``Report.tables``; the pages print them as percents) with their numerator,
denominator and interval, and a ``flags`` field says which values are provisional, hidden,
unstable or empty.

The public edition obeys the same small-number rules as its pages (the
report's ``masks``): a hidden cell is empty and flagged ``suppressed``, the
rates of a row with a hidden count are empty too, hidden headline numbers are
left out, and it holds only the tables and charts the public pages show.

The descriptor is written as plain JSON (the ``frictionless`` library, a test
dependency, checks it in the tests), and this module draws nothing: it imports
no renderer and no drawing library.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..calendar import month_text
from ..errors import VipReportError
from ..files import atomic_path
from ..suppression import primary_mask
from .charts import Chart, column_text
from .model import WRITERS, Report
from .outline import DEMO_MARK, Figure, Table, shared
from .public_edition import unstable_rows
from .rates import RATE_SCALARS

log = logging.getLogger(__name__)

DESCRIPTOR = "datapackage.json"
DATA_FOLDER = "data"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
FLAGS = ("provisional", "suppressed", "unstable", "empty")
FLAGS_PATTERN = rf"^(({'|'.join(FLAGS)})( ({'|'.join(FLAGS)}))*)?$"
PERIODS = ("month", "fytd")
# Enough digits for any count or rate, few enough that 0.1 + 0.2 prints as 0.3, not 0.30000000000000004.
FLOAT_FORMAT = "%.12g"
PROPORTION = "a proportion 0-1, not rounded (the report prints it as a percent)"


class PackageError(VipReportError):
    """The data package cannot be written where it was asked for."""


# -- what each column means ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    """Which columns of a rate table are the rate, its numerator, denominator and interval."""

    rate: str
    meaning: str
    numerator: str | None = None
    denominator: str | None = None
    ci: tuple[str, str] | None = None


_ENGAGEMENT = "Engagement rate: of the people notified, the share who took up a service within the window"
_SUCCESS = "Success rate: of the people notified, the share with no new violent incident since"
_SURVIVAL = "Kaplan-Meier estimate: the share still without a new violent incident"
_CI = ("ci_low", "ci_high")
RATES = {
    "vip.engagement": Rate("engagement_rate", _ENGAGEMENT, "engaged", "notified", _CI),
    "vip.engagement_trend": Rate("engagement_rate", _ENGAGEMENT, "engaged", "notified", _CI),
    "vip.engagement_change": Rate("engagement_rate", _ENGAGEMENT, "engaged", "notified"),
    "vip.success_trend": Rate("success_rate", _SUCCESS, "successes", "persons", _CI),
    "vip.success_by_age": Rate("success_rate", _SUCCESS, "successes", "persons", _CI),
    "vip.success_methods": Rate("success_rate", _SUCCESS + ", by each method", None, "persons", _CI),
    "vip.survival": Rate("survival", _SURVIVAL, ci=_CI),
    "vip.survival_curve": Rate("survival", _SURVIVAL, ci=_CI),
}

# Columns that hold counts even where the table stores them as floats (a blank makes pandas use float).
COUNT_COLUMNS = {"deaths", "events", "at_risk"}

WORDS = {
    "persons": "People in the group",
    "failures": "People with a new violent incident",
    "successes": "People with no new violent incident",
    "deaths": "People who died of another cause (left out of the rate)",
    "notified": "People given a custom notification",
    "engaged": "People who took up a service within the window",
    "open": "People whose window is still open, so the rate can still change",
    "open_share": "Share of the people notified whose window is still open: a proportion 0-1",
    "notifications": "Custom notifications given",
    "active_last_day": "People on the active caseload on the last day of the month",
    "average_daily": "Average number of people on the active caseload per day",
    "at_risk": "People still followed at that time",
    "events": "New violent incidents up to that time",
    "as_of": "The date the rate is measured on",
    "method": "How the rate is measured",
    "deaths_rule": "How deaths of other causes are treated",
    "group": "The group measured",
    "reason": "Why a value is missing, when it is",
    "difference": "Change against a year earlier: a difference of two proportions (-1 to 1; 0.032 is 3.2 points)",
    "difference_ci_low": "Lower end of the interval of the change: a difference of proportions (-1 to 1)",
    "difference_ci_high": "Upper end of the interval of the change: a difference of proportions (-1 to 1)",
    "last_3_months": "Referrals in the last three months",
    "same_3_months_year_before": "Referrals in the same three months a year earlier",
    "change": "Difference between the two (a count)",
    "relative_change": "Difference between the two, relative to the year before: a proportion (0.25 is 25% more)",
    "months_observed": "Months of data the trend uses",
    "seasonal": "Whether the trend allows for the season of the year",
    "rate_ratio_per_year": "Trend: the ratio of monthly counts one year apart",
    "rr_ci_low": "Lower end of the interval of the trend",
    "rr_ci_high": "Upper end of the interval of the trend",
    "dispersion": "How much more the monthly counts vary than chance alone would make them",
    "p_value": "p-value of the trend",
    "p_adjusted": "p-value adjusted for testing every area together (Benjamini-Hochberg)",
    "significant": "Whether the trend is clear after that adjustment",
    "trend": "The trend in words",
    "days_count": "People who took up a service (with a known number of days)",
    "days_mean": "Mean days from notification to the first service",
    "days_median": "Median days from notification to the first service",
    "days_min": "Fewest days from notification to the first service",
    "days_max": "Most days from notification to the first service",
    "time": "Days since the first custom notification",
}
STATUS_WORDS = "Which count: services requested, referred to, or connected to"
FLAGS_WORDS = (
    "Space-separated marks on this row: provisional (a window is still open, so the number can still change), "
    "suppressed (a small count, or a number from which one could be worked out, is left empty), "
    "unstable (a rate over fewer people than the report's threshold: read with care), "
    "empty (nothing to measure)."
)

# Headline numbers: what each one says.
SCALAR_WORDS = {
    "vip.engagement_rate": "Engagement rate of the people notified in the month",
    "vip.active_caseload": "People on the active caseload on the last day of the month",
    "vip.success_rate": "Success rate at the end of the month (the running rate)",
    "trc.active_clients": "Active clients of the partner's program on the last day of the month",
}


# -- the schema of one resource -----------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date
    description: str
    constraints: tuple[tuple[str, Any], ...] = ()

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.constraints:
            out["constraints"] = dict(self.constraints)
        return out


def month_field(description: str = "The month, as YYYY-MM") -> Field:
    return Field("month", "string", description, (("pattern", MONTH_PATTERN),))


def _period_field() -> Field:
    return Field(
        "period",
        "string",
        "month: the value of that month alone; fytd: from the start of the fiscal year to the end of that month",
        (("enum", list(PERIODS)),),
    )


def flags_field() -> Field:
    return Field("flags", "string", FLAGS_WORDS, (("pattern", FLAGS_PATTERN),))


@dataclass(frozen=True)
class Resource:
    """One CSV of the package: its rows (columns named as the fields) and their schema."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: pd.DataFrame

    @property
    def path(self) -> str:
        return f"{DATA_FOLDER}/{self.name}.csv"

    def descriptor(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "title": self.title,
            "description": self.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": [f.descriptor() for f in self.fields], "missingValues": [""]},
        }


# -- report tables as tidy rows -----------------------------------------------------------------------
def _period(column: object) -> str | None:
    """``"month"`` for a ``YYYY-MM`` column, ``"fytd"`` for the fiscal year to date, else None."""
    text = str(column)
    if text == "FYTD":
        return "fytd"
    return "month" if re.fullmatch(MONTH_PATTERN, text) else None


def _periods(columns: pd.Index) -> bool:
    """True when every column is a month or FYTD (a tuple's last part, for ``(status, period)`` pairs)."""
    last = [c[-1] if isinstance(c, tuple) else c for c in columns]
    return bool(last) and all(_period(c) is not None for c in last)


def _label_field(index: pd.Index, what: str) -> Field:
    name = str(index.name or "label")
    if name == "month":
        fytd = "; for the fiscal year to date, the report month it runs up to" if "FYTD" in set(map(str, index)) else ""
        return month_field(f"The month of the {what}, as YYYY-MM{fytd}")
    if pd.api.types.is_integer_dtype(index):
        return Field(name, "integer", WORDS.get(name, name.replace("_", " ").capitalize()))
    return Field(name, "string", f"The {name.replace('_', ' ')} (a row of the report's table)")


def _flag_text(*marks: tuple[str, np.ndarray]) -> np.ndarray:
    """Per row, the names of the marks that are set, space-separated."""
    n = len(marks[0][1]) if marks else 0
    out = np.array([""] * n, dtype=object)
    for name, on in marks:
        for i in np.flatnonzero(on):
            out[i] = f"{out[i]} {name}".strip()
    return out


class _Tidy:
    """Builds the package's resources from one report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.config = report.config
        self.unstable = unstable_rows(report.tables, report.config)

    def mask(self, key: str, table: pd.DataFrame) -> pd.DataFrame:
        """The cells to leave empty: the report's mask and, in the public edition, any count in the
        suppressed range that the mask missed (a second guard, so the package can never print one)."""
        mask = self.report.masks.get(key)
        hidden = (
            pd.DataFrame(False, index=table.index, columns=table.columns)
            if mask is None or not self.report.public
            else mask.reindex(index=table.index, columns=table.columns, fill_value=False).astype(bool)
        )
        if not self.report.public:
            return hidden
        for column in table.columns:
            if _is_count(table[column], column):
                values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
                guard = primary_mask(values, self.config) & ~hidden[column].to_numpy(dtype=bool)
                if guard.any():
                    log.warning("package: %s has counts in the suppressed range its mask did not hide", key)
                    hidden.loc[guard, column] = True
        return hidden

    # A table whose columns are months and FYTD: one row per (row label, [status,] period) cell.
    def crosstab(self, key: str, table: pd.DataFrame) -> tuple[pd.DataFrame, tuple[Field, ...]]:
        hidden = self.mask(key, table).to_numpy(dtype=bool)
        pairs = isinstance(table.columns, pd.MultiIndex)
        label = _label_field(table.index, "count")
        records: list[dict[str, Any]] = []
        columns: list[Any] = list(table.columns)  # names, or (status, period) pairs
        for i, row in enumerate(table.index):
            for j, column in enumerate(columns):
                period = column[-1] if isinstance(column, tuple) else column
                value: Any = table.iat[i, j]
                record: dict[str, Any] = {label.name: row}
                if pairs:
                    record["status"] = " ".join(str(c) for c in column[:-1])
                kind = _period(period)
                record["month"] = self.report.month if kind == "fytd" else str(period)
                record["period"] = kind
                record["count"] = pd.NA if hidden[i, j] or pd.isna(value) else int(value)
                record["flags"] = "suppressed" if hidden[i, j] else ("empty" if pd.isna(value) else "")
                records.append(record)
        fields = [label]
        if pairs:
            fields.append(Field("status", "string", STATUS_WORDS))
        fields += [
            month_field("The month counted, as YYYY-MM; for the fiscal year to date, the report month it runs up to"),
            _period_field(),
            Field("count", "integer", "The count, as printed in the report"),
            flags_field(),
        ]
        frame = pd.DataFrame.from_records(records, columns=[f.name for f in fields])
        return self._typed(frame, fields), tuple(fields)

    # Any other table: one row per row of the table, its columns typed, the rate's columns named alike.
    def record(self, key: str, table: pd.DataFrame) -> tuple[pd.DataFrame, tuple[Field, ...]]:
        spec = RATES.get(key)
        hidden = self.mask(key, table)
        if self.report.public:  # a row with a hidden count hides its rates (and any other derived number) too
            rows = hidden[[c for c in table.columns if _is_count(table[c], c)]].any(axis=1).to_numpy()
            for column in table.columns:
                if pd.api.types.is_float_dtype(table[column]) and not _is_count(table[column], column):
                    hidden.loc[rows, column] = True
        values = table.mask(hidden.to_numpy())
        label = _label_field(table.index, "row")
        frame = pd.DataFrame({label.name: table.index.to_numpy()})
        fields = [label]
        if label.name == "month" and (table.index == "FYTD").any():  # a fiscal-year-to-date row below the months
            frame["period"] = ["fytd" if m == "FYTD" else "month" for m in table.index]
            frame["month"] = [self.report.month if m == "FYTD" else m for m in table.index]
            fields.append(_period_field())
        for column in table.columns:
            if column in ("provisional", "empty"):
                continue  # they become flags
            field, data = self._column(key, str(column), values[column], spec)
            fields.append(field)
            frame[field.name] = data.reset_index(drop=True)
        n = len(table)
        unstable = self.unstable.get(key, np.zeros(n, dtype=bool))
        empty = table["empty"].to_numpy(dtype=bool) if "empty" in table else np.zeros(n, dtype=bool)
        if spec is not None and spec.denominator is not None:
            empty = empty | (table[spec.denominator].to_numpy(dtype=float) == 0)
        provisional = table["provisional"].to_numpy(dtype=bool) if "provisional" in table else np.zeros(n, bool)
        frame["flags"] = _flag_text(
            ("provisional", provisional),
            ("suppressed", np.asarray(hidden.to_numpy(dtype=bool).any(axis=1), dtype=bool)),
            ("unstable", np.asarray(unstable, dtype=bool)),
            ("empty", empty),
        )
        fields.append(flags_field())
        return self._typed(frame, fields), tuple(fields)

    def _column(self, key: str, column: str, values: pd.Series, spec: Rate | None) -> tuple[Field, pd.Series]:
        if spec is not None:
            if column == spec.rate:
                return Field("rate", "number", f"{spec.meaning}: {PROPORTION}"), _proportions(values)
            if spec.ci is not None and column in spec.ci:
                end = "Lower" if column == spec.ci[0] else "Upper"
                name = "ci_low" if column == spec.ci[0] else "ci_high"
                words = f"{end} end of the rate's 95% confidence interval: {PROPORTION}"
                return Field(name, "number", words), _proportions(values)
            if column == spec.numerator:
                return Field("numerator", "integer", f"{WORDS.get(column, column)}: the rate's numerator"), _ints(
                    values
                )
            if column == spec.denominator:
                return Field("denominator", "integer", f"{WORDS.get(column, column)}: the rate's denominator"), _ints(
                    values
                )
        words = WORDS.get(column, column.replace("_", " ").capitalize())
        if _is_count(values, column):
            return Field(column, "integer", words), _ints(values)
        if pd.api.types.is_bool_dtype(values):
            return Field(column, "boolean", words), values.map({True: "true", False: "false"}).astype(object)
        if pd.api.types.is_datetime64_any_dtype(values):
            return Field(column, "date", words), values.dt.strftime("%Y-%m-%d").astype(object)
        if pd.api.types.is_numeric_dtype(values):
            return Field(column, "number", words), values.astype(float)
        return Field(column, "string", words), values.astype(object).where(values.notna(), None)

    @staticmethod
    def _typed(frame: pd.DataFrame, fields: list[Field]) -> pd.DataFrame:
        frame = frame.reset_index(drop=True)
        for f in fields:
            if f.type == "integer":
                frame[f.name] = frame[f.name].astype("Int64")
        return frame

    def table(self, key: str, caption: str | None = None) -> Resource:
        table = self.report.tables[key]
        crosstab = _periods(table.columns) and all(pd.api.types.is_integer_dtype(t) for t in table.dtypes)
        frame, fields = self.crosstab(key, table) if crosstab else self.record(key, table)
        shape = "one row per cell of the report's table" if crosstab else "one row per row of the report's table"
        return Resource(key, caption or _table_title(key), f"The report's table {key}: {shape}.", fields, frame)

    def chart(self, chart: Chart) -> Resource:
        """The numbers a chart draws: one row per (category, series) point."""
        key = chart.table
        table = self.report.tables[key]
        rows = chart.rows(table)
        data = rows[list(chart.columns)]
        hidden_all = self.mask(key, table)
        hidden = chart.rows(hidden_all)[list(chart.columns)].to_numpy(dtype=bool)
        if self.report.public and chart.percent:  # a rate of a row with a hidden count
            hidden = hidden | chart.rows(hidden_all).any(axis=1).to_numpy()[:, None]
        provisional = chart.flags(table)
        unstable = (
            pd.Series(self.unstable[key], index=table.index).reindex(rows.index, fill_value=False).to_numpy(bool)
            if key in self.unstable
            else np.zeros(len(rows), dtype=bool)
        )
        label = _label_field(rows.index, "point")
        by_period = _periods(data.columns) and label.name != "month"
        pairs = isinstance(data.columns, pd.MultiIndex) or any(isinstance(c, tuple) for c in data.columns)
        series = list(chart.series_labels or [column_text(c) for c in chart.columns])
        counts = not chart.percent and all(pd.api.types.is_integer_dtype(data[c]) for c in data.columns)
        records: list[dict[str, Any]] = []
        columns: list[Any] = list(data.columns)  # names, or (status, period) pairs
        for i, row in enumerate(rows.index):
            for j, column in enumerate(columns):
                value: Any = data.iat[i, j]
                record: dict[str, Any] = {label.name: row}
                if by_period:
                    period = column[-1] if isinstance(column, tuple) else column
                    if pairs:
                        record["status"] = " ".join(str(c) for c in column[:-1])
                    record["month"] = self.report.month if _period(period) == "fytd" else str(period)
                    record["period"] = _period(period)
                else:
                    record["series"] = series[j]
                empty = pd.isna(value) and not hidden[i, j]
                record["value"] = pd.NA if hidden[i, j] or pd.isna(value) else value
                record["flags"] = " ".join(
                    name
                    for name, on in (
                        ("provisional", provisional[i]),
                        ("suppressed", hidden[i, j]),
                        ("unstable", unstable[i] and chart.percent),
                        ("empty", empty),
                    )
                    if on
                )
                records.append(record)
        fields = [label]
        if by_period:
            if pairs:
                fields.append(Field("status", "string", STATUS_WORDS))
            fields += [
                month_field("The month drawn, as YYYY-MM; for the fiscal year to date, the report month it runs up to"),
                _period_field(),
            ]
        else:
            fields.append(Field("series", "string", "The line or bars the value belongs to, as the legend names it"))
        fields += [
            Field("value", "integer", "The count drawn")
            if counts
            else Field("value", "number", f"The value drawn: {PROPORTION}")
            if chart.percent
            else Field("value", "number", "The value drawn"),
            flags_field(),
        ]
        frame = pd.DataFrame.from_records(records, columns=[f.name for f in fields])
        if not counts:
            frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
        return Resource(
            name=f"chart.{chart.name}",
            title=f"Chart: {chart.title}",
            description=f"The numbers drawn in the chart '{chart.title}' (from the table {key}). {chart.caption}".strip(),
            fields=tuple(fields),
            rows=self._typed(frame, fields),
        )

    def headline(self) -> Resource:
        """The headline numbers (the tiles and the sentences' figures), one row each."""
        r = self.report
        provisional_engagement = bool("vip.engagement" in r.tables and r.tables["vip.engagement"]["provisional"].any())
        records = []
        for key, value in r.scalars.items():
            if key in r.hidden_scalars:
                continue  # the public edition leaves it out, as its pages print *
            rate = key in RATE_SCALARS
            flags = []
            if key == "vip.engagement_rate" and provisional_engagement:
                flags.append("provisional")
            if value is None or (isinstance(value, float) and np.isnan(value)):
                flags.append("empty")
                value = None
            records.append(
                {
                    "measure": key,
                    "description": _scalar_words(key),
                    "month": r.month,
                    "count": None if rate or value is None else int(value),
                    "rate": float(value) if rate and value is not None else None,
                    "flags": " ".join(flags),
                }
            )
        fields = (
            Field("measure", "string", "Which headline number: its key in the report"),
            Field("description", "string", "What the number counts or measures, in words"),
            month_field("The report month, as YYYY-MM"),
            Field("count", "integer", "The number, when it is a count"),
            Field("rate", "number", f"The number, when it is a rate: {PROPORTION}"),
            flags_field(),
        )
        frame = pd.DataFrame.from_records(records, columns=[f.name for f in fields])
        frame["rate"] = pd.to_numeric(frame["rate"], errors="coerce").astype(float)
        return Resource(
            name="headline",
            title="Headline numbers",
            description="The report's headline numbers, one row each: the tiles and the figures its sentences quote.",
            fields=fields,
            rows=self._typed(frame, list(fields)),
        )


def _is_count(values: pd.Series, column: object) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_integer_dtype(values):
        return True
    return str(column) in COUNT_COLUMNS and pd.api.types.is_numeric_dtype(values)


def _ints(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").round().astype("Int64")


def _proportions(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float)


def _table_title(key: str) -> str:
    part, _, name = key.partition(".")
    return f"{part.upper()}: {name.replace('_', ' ')}"


def _scalar_words(key: str) -> str:
    if key in SCALAR_WORDS:
        return SCALAR_WORDS[key]
    if key.startswith("cora.fytd."):
        return f"Fiscal year to date: {key.removeprefix('cora.fytd.').replace('_', ' ')} (the partner's response team)"
    return key


# -- the package ------------------------------------------------------------------------------------------
def published_parts(report: Report) -> tuple[list[str], list[Chart], dict[str, str]]:
    """The tables and charts the package holds, and the tables' captions as the pages print them.

    In the public edition, what its pages show; in the internal edition, every table and chart of the report.
    """
    blocks = list(shared(report).blocks())
    captions = {b.key: b.caption for b in blocks if isinstance(b, Table) and b.key}
    if not report.public:
        return list(report.tables), list(report.charts.values()), captions
    drawn = {b.name for b in blocks if isinstance(b, Figure)}
    return [k for k in report.tables if k in captions], [c for c in report.charts.values() if c.name in drawn], captions


def resources(report: Report) -> list[Resource]:
    """Every resource of the report's package, in the report's order: tables, charts, headline numbers."""
    tidy = _Tidy(report)
    keys, charts, captions = published_parts(report)
    return [*(tidy.table(k, captions.get(k)) for k in keys), *(tidy.chart(c) for c in charts), tidy.headline()]


def descriptor(report: Report, parts: list[Resource], *, created: dt.datetime | None = None) -> dict[str, Any]:
    """The ``datapackage.json`` of the report's package (Frictionless Data Package, version 1)."""
    c = report.config
    edition = "public" if report.public else "internal"
    month = month_text(report.month, "%B %Y")
    name = re.sub(r"[^a-z0-9]+", "-", f"{c.name} monthly informational report {report.month} {edition}".lower())
    about = (
        f"The numbers of {c.name}'s Monthly Informational Report for {month} ({edition} edition), "
        "one tidy CSV per table and per chart, and the headline numbers."
    )
    if report.public:
        about += (
            f" Counts from {c.suppress_min} to {c.suppress_max}, and numbers from which such a count could be "
            "worked out, are left empty and flagged 'suppressed', as on the report's pages."
        )
    if report.demo:
        about = f"{DEMO_MARK} {about}"
    out: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name.strip("-"),
        "title": f"{c.name}: Monthly Informational Report, {month}" + (" (synthetic demo data)" if report.demo else ""),
        "description": about,
        "created": (created or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "keywords": ["violence intervention", "monthly informational report", edition],
        "contributors": [{"title": c.department or c.name, "role": "publisher"}],
        # Our own properties (the spec allows them): what a reader of the files needs to know about them.
        "vipreport": {
            "version": _version(),
            "month": report.month,
            # The date the numbers are counted through (Report.as_of); a rate whose window is still open on it
            # is flagged provisional.
            "as_of": report.as_of.isoformat(),
            "edition": edition,
            "city": c.name,
            "department": c.department,
            "program": c.program_name,
            "demo": report.demo,
            "suppressed_range": [c.suppress_min, c.suppress_max] if report.public else None,
            "unstable_below": c.unstable_below,
        },
        "resources": [r.descriptor() for r in parts],
    }
    return out


def _version() -> str:
    """``vipreport.__version__``, read from the loaded package: importing the package's top from this layer
    would make the report depend on every layer above it (import-linter's layers contract)."""
    top = sys.modules.get(__name__.split(".", 1)[0])
    return str(getattr(top, "__version__", "unknown"))


def paths(report: Report) -> set[str]:
    """The CSVs the report's package holds, as paths inside its folder."""
    keys, charts, _ = published_parts(report)
    return {f"{DATA_FOLDER}/{name}.csv" for name in (*keys, *(f"chart.{c.name}" for c in charts), "headline")}


def check_folder(report: Report, directory: str | Path) -> None:
    """Raise :class:`PackageError` unless the report's package can be written into ``directory``.

    The command line calls it before drawing anything, so that a folder it must not write into
    fails the run at once, not after the PDF and the HTML are written.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise PackageError(f"the data package's folder is a file: {directory}")
    data = directory / DATA_FOLDER
    if data.exists() and not data.is_dir():
        raise PackageError(f"the data package's data folder is a file: {data}")
    if data.exists():
        # A CSV this package writes, or one an earlier vipreport package here listed, is ours to replace.
        ours = _earlier_paths(directory / DESCRIPTOR) | paths(report)
        strangers = sorted(
            p.name for p in data.iterdir() if f"{DATA_FOLDER}/{p.name}" not in ours and not p.name.startswith(".")
        )
        if strangers:
            raise PackageError(
                f"{data} holds {len(strangers)} file(s) that no vipreport data package wrote "
                f"(first: {strangers[0]}); write the package into another folder"
            )


def write_package(report: Report, directory: str | Path) -> Path:
    """Write the report's data package into ``directory``: ``datapackage.json`` and ``data/*.csv``.

    Every number is computed before anything is written. The CSVs are written
    first, each atomically, and ``datapackage.json`` last, after the old one
    (if any) is removed: a run that fails part-way leaves no descriptor, so a
    half-written package never looks complete. CSVs a previous package listed
    and this one does not are removed; any other file in ``data/`` stops the
    run (they are not ours to overwrite: the folder may hold the city's exports).

    Returns
    -------
    Path
        The path of ``datapackage.json``.

    Raises
    ------
    PackageError
        ``directory`` is a file, or its ``data`` folder holds files this package did not write
        (see :func:`check_folder`).
    """
    directory = Path(directory)
    parts = resources(report)
    meta = descriptor(report, parts)
    check_folder(report, directory)
    target = directory / DESCRIPTOR
    earlier = _earlier_paths(target)
    target.unlink(missing_ok=True)  # from here until the end, the folder holds no complete package
    for part in parts:
        with atomic_path(directory / part.path) as temporary:
            part.rows.to_csv(temporary, index=False, na_rep="", float_format=FLOAT_FORMAT, lineterminator="\n")
    for stale in earlier - {r.path for r in parts}:
        (directory / stale).unlink(missing_ok=True)
    with atomic_path(target) as temporary:
        temporary.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _earlier_paths(descriptor_path: Path) -> set[str]:
    """The CSVs a vipreport package already in the folder lists (none when there is none, or it is not ours)."""
    try:
        earlier = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(earlier, dict) or "vipreport" not in earlier:
        return set()
    return {
        str(r["path"])
        for r in earlier.get("resources", [])
        if isinstance(r, dict) and re.fullmatch(rf"{DATA_FOLDER}/[a-z0-9._-]+\.csv", str(r.get("path", "")))
    }


def _write(report: Report, directory: Path) -> None:
    write_package(report, directory)


WRITERS["package"] = _write
