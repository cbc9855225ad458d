"""``reconstruct``: record-level tables consistent with a report the city has published.

The city's records are confidential, so the historical tests run on records
rebuilt from the published figures: every printed number is reproduced, the
FYTD remainder falls in the fiscal year's unprinted earlier months, and a
printed percentage becomes a cohort and a failure count that round to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, cast

import numpy as np
import pandas as pd

from ..calendar import first_day, fiscal_year_start, last_day, month_index, month_label
from ..config import Config
from ..errors import VipReportError
from ..io import EVENT_DATE
from ..report.numbers import percent
from .document import PublishedReport, read_document

# Tables that split one set of events, each with the column it fills and,
# for tables that may leave a row unprinted, the row that takes the rest.
EVENT_TABLES = {
    "referrals": {
        "vip.referrals_by_area": "area_command",
        "vip.referral_sources": "source",
        "vip.referrals_by_program": "program",
    },
    "cora_responses": {"cora.incidents_by_type": "incident_type", "cora.responses_by_area": "area_command"},
    "trc_referrals": {"trc.referrals_by_source": "source"},
}
UNPRINTED_ROW = {"area_command": "area_missing"}
SCALARS = {
    "vip.success_rate_pct",
    "vip.engagement_rate_pct",
    "vip.active_caseload",
    "cora.fytd.adults_assisted",
    "cora.fytd.children_assisted",
    "cora.fytd.referrals_made",
    "cora.fytd.outreach_operations",
}


class ReconstructionError(VipReportError, ValueError):
    """The document contradicts itself (or prints a figure with no rule); ``conflicts`` lists every one."""

    def __init__(self, doc: PublishedReport, conflicts: list[str]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{doc.label} cannot be reconstructed:\n" + "\n".join(f"  - {c}" for c in conflicts))


def reconstruct(doc: PublishedReport | str, *, seed: int = 0, config: Config | None = None) -> dict[str, pd.DataFrame]:
    """Record-level tables whose computed figures equal every figure in ``doc``.

    Parameters
    ----------
    doc
        A published document (or its path).
    seed
        Equal seeds give equal tables.

    Returns
    -------
    dict of DataFrame
        Raw tables for :func:`vipreport.load`. No record is dated after the
        report month, so give its last day as the export date:
        ``build_report(data, month, data_as_of=<the month's last day>)``.

    Raises
    ------
    ReconstructionError
        Naming every figure that conflicts with another, or that no rule rebuilds.
    """
    doc = doc if isinstance(doc, PublishedReport) else read_document(doc)
    config = config or Config.default()
    builder = _Builder(doc, config, np.random.default_rng(seed))
    for table_name, columns in EVENT_TABLES.items():
        printed = {name: column for name, column in columns.items() if name in doc.tables}
        if printed:
            builder.events(table_name, printed)
    builder.people()
    builder.cora_counts()
    unknown = sorted(set(doc.tables) - {n for c in EVENT_TABLES.values() for n in c}) + sorted(
        set(doc.scalars) - SCALARS
    )
    builder.conflicts += [f"{name}: no reconstruction rule for this figure" for name in unknown]
    if builder.conflicts:
        raise ReconstructionError(doc, builder.conflicts)
    return builder.tables


class _Builder:
    def __init__(self, doc: PublishedReport, config: Config, rng: np.random.Generator) -> None:
        self.doc, self.config, self.rng = doc, config, rng
        self.month = month_index(doc.report_month)
        self.fy_first = fiscal_year_start(self.month, config.fiscal_year_start_month)
        self.as_of = last_day(self.month)
        self.tables: dict[str, pd.DataFrame] = {}
        self.conflicts: list[str] = []
        self.next_person = 0

    def ids(self, n: int, prefix: str) -> list[str]:
        start = self.next_person
        self.next_person += n
        return [f"{prefix}{i:06d}" for i in range(start, start + n)]

    def days_in(self, months: np.ndarray) -> np.ndarray:
        first = np.array([first_day(int(m)) for m in months], dtype=np.int64)
        length = np.array([last_day(int(m)) for m in months], dtype=np.int64) - first + 1
        return first + (self.rng.random(len(months)) * length).astype(np.int64)

    # -- events split by one or more printed tables -------------------------
    def events(self, table_name: str, printed: dict[str, str]) -> None:
        frames = {name: self.doc.tables[name].copy() for name in printed}
        columns = [list(f.columns) for f in frames.values()]
        if any(c != columns[0] for c in columns):
            self.conflicts.append(f"{', '.join(frames)}: the tables print different columns")
            return
        months = [c for c in columns[0] if c != "FYTD"]
        has_fytd = "FYTD" in columns[0]
        fy_months = [m for m in months if self.fy_first <= month_index(m) <= self.month]
        self._fill_unprinted_rows(frames, printed)
        totals = {name: frame.sum() for name, frame in frames.items()}
        names = list(frames)
        for other in names[1:]:
            for column in columns[0]:
                if totals[other][column] != totals[names[0]][column]:
                    self.conflicts.append(
                        f"{names[0]} and {other}: totals for {column} differ "
                        f"({totals[names[0]][column]} vs {totals[other][column]})"
                    )
        unprinted = [m for m in range(self.fy_first, self.month + 1) if month_label(m) not in months]
        problems, remainders = [], {}
        for name, frame in frames.items():
            rest = frame["FYTD"] - frame[fy_months].sum(axis=1) if has_fytd else frame.iloc[:, 0] * 0
            for label, value in rest.items():
                row = cast(Any, label)  # a row label of the published table
                if value < 0:
                    problems.append(
                        f"{name}[{row}]: FYTD {frame.loc[row, 'FYTD']} is below the printed "
                        f"months of the fiscal year ({frame.loc[row, fy_months].sum()})"
                    )
                elif value > 0 and not unprinted:
                    problems.append(
                        f"{name}[{row}]: FYTD exceeds the printed months by {value}, and every "
                        "month of the fiscal year is printed"
                    )
            remainders[name] = rest.clip(lower=0)
        if problems or self.conflicts:
            self.conflicts += problems
            return
        total_rest = int(remainders[names[0]].sum())
        per_month: Sequence[int] | np.ndarray = (
            self.rng.multinomial(total_rest, [1 / len(unprinted)] * len(unprinted)) if total_rest else []
        )
        records = []
        for month in months:
            labels = {
                name: np.repeat(frame.index.to_numpy(), frame[month].to_numpy()) for name, frame in frames.items()
            }
            records.append(self._zip(labels, month_index(month)))
        rest_labels = {
            name: self.rng.permutation(np.repeat(r.index.to_numpy(), r.to_numpy())) for name, r in remainders.items()
        }
        offset = 0
        # per_month is empty when nothing is left to spread over the unprinted months.
        for unprinted_month, count in zip(unprinted, per_month, strict=False):
            labels = {name: lab[offset : offset + count] for name, lab in rest_labels.items()}
            records.append(self._zip(labels, unprinted_month))
            offset += count
        events = pd.concat(records, ignore_index=True).rename(columns=printed)
        self.tables[table_name] = self._complete(table_name, events)

    def _fill_unprinted_rows(self, frames: dict[str, pd.DataFrame], printed: dict[str, str]) -> None:
        """A table that leaves out its missing-value row (N/A) gets the difference to a complete table there."""
        names = list(frames)
        for name in names:
            fill = UNPRINTED_ROW.get(printed[name])
            label = getattr(self.config, fill) if fill else None
            if label is None or label in frames[name].index or len(names) < 2:
                continue
            other = next(n for n in names if n != name)
            difference = frames[other].sum() - frames[name].sum()
            if (difference < 0).any():
                self.conflicts.append(f"{name}: adds up to more than {other} although it leaves out {label!r}")
            frames[name].loc[label] = difference.clip(lower=0)

    def _zip(self, labels: dict[str, np.ndarray], month: int) -> pd.DataFrame:
        shuffled = {name: self.rng.permutation(values) for name, values in labels.items()}
        frame = pd.DataFrame(shuffled)
        frame["_month"] = month
        return frame

    def _complete(self, table_name: str, events: pd.DataFrame) -> pd.DataFrame:
        events["record_id"] = [f"{table_name}-{i}" for i in range(len(events))]
        day = self.days_in(events.pop("_month").to_numpy())
        events.insert(0, EVENT_DATE[table_name], pd.to_datetime(day, unit="D"))
        if table_name == "referrals":
            events.insert(0, "person_id", self.ids(len(events), "R"))
            if "source" not in events:
                events["source"] = self.config.referral_sources[0]
            if "area_command" not in events:
                events["area_command"] = self.config.area_missing
        if table_name == "trc_referrals":
            events["person_id"] = self.ids(len(events), "T")
        if table_name == "cora_responses" and "area_command" not in events:
            events["area_command"] = self.config.area_missing
        return events

    # -- people: success and engagement rates, caseload ----------------------
    def people(self) -> None:
        scalars = self.doc.scalars
        notices, incidents, services = [], [], []
        if "vip.engagement_rate_pct" in scalars:
            notified, not_engaged = _cohort_for(scalars["vip.engagement_rate_pct"])
            engaged = notified - not_engaged
            ids = self.ids(notified, "E")
            day = self.days_in(np.full(notified, self.month))
            notices.append(pd.DataFrame({"person_id": ids, "notification_date": day}))
            services.append(pd.DataFrame({"person_id": ids[:engaged], "service_date": day[:engaged]}))
        if "vip.success_rate_pct" in scalars:
            already = sum(len(n) for n in notices)
            persons, failures = _cohort_for(scalars["vip.success_rate_pct"], at_least=already + 1)
            while persons - already < failures:
                persons, failures = _cohort_for(scalars["vip.success_rate_pct"], at_least=persons + 1)
            first = self.month - self.config.success_cohort_months + 1
            months = self.rng.integers(first, self.month, size=persons - already)  # before the report month
            ids = self.ids(len(months), "S")
            day = self.days_in(months)
            notices.append(pd.DataFrame({"person_id": ids, "notification_date": day}))
            fail_day = day[:failures] + 1 + (self.rng.random(failures) * (self.as_of - day[:failures])).astype(np.int64)
            incidents.append(pd.DataFrame({"person_id": ids[:failures], "incident_date": fail_day}))
        if notices:
            frame = pd.concat(notices, ignore_index=True)
            frame["notification_date"] = pd.to_datetime(frame["notification_date"], unit="D")
            frame["age"] = self.rng.integers(16, 40, size=len(frame))
            self.tables["notifications"] = frame
            inc = (
                pd.concat(incidents, ignore_index=True)
                if incidents
                else pd.DataFrame({"person_id": [], "incident_date": np.array([], dtype=np.int64)})
            )
            inc["incident_date"] = pd.to_datetime(inc["incident_date"], unit="D")
            inc["offense"] = self.config.violent_offenses[0]
            self.tables["incidents"] = inc
            svc = (
                pd.concat(services, ignore_index=True)
                if services
                else pd.DataFrame({"person_id": [], "service_date": np.array([], dtype=np.int64)})
            )
            svc["service_date"] = pd.to_datetime(svc["service_date"], unit="D")
            svc["service_type"] = self.config.service_types[0]
            svc["status"] = self.config.engagement_statuses[-1]
            self.tables["services"] = svc
        if "vip.active_caseload" in scalars:
            n = int(scalars["vip.active_caseload"])
            self.tables["enrollments"] = pd.DataFrame(
                {
                    "person_id": self.ids(n, "C"),
                    "start_date": pd.to_datetime(self.days_in(np.full(n, self.month)), unit="D"),
                    "end_date": pd.NaT,
                }
            )

    def cora_counts(self) -> None:
        keys = [k for k in self.doc.scalars if k.startswith("cora.fytd.")]
        if not keys:
            return
        responses = self.tables.get("cora_responses")
        if responses is None:  # nothing printed per response: one response holds the totals
            responses = pd.DataFrame(
                {
                    "response_date": pd.to_datetime([self.as_of], unit="D"),
                    "incident_type": [self.config.cora_incident_types[-1]],
                    "area_command": [self.config.area_missing],
                }
            )
        month = responses["response_date"].dt.year * 12 + responses["response_date"].dt.month - 1
        in_fytd = ((month >= self.fy_first) & (month <= self.month)).to_numpy()
        for key in keys:
            column, total = key.removeprefix("cora.fytd."), int(self.doc.scalars[key])
            if in_fytd.sum() == 0 and total:
                self.conflicts.append(f"{key}: {total} with no CORA response in the fiscal year")
                continue
            values = np.zeros(len(responses), dtype=np.int64)
            if total:
                values[in_fytd] = self.rng.multinomial(total, [1 / in_fytd.sum()] * int(in_fytd.sum()))
            responses[column] = values
        self.tables["cora_responses"] = responses


def _cohort_for(pct: float, *, at_least: int = 1) -> tuple[int, int]:
    """The smallest cohort of at least ``at_least`` (and 50) persons, and how many of them are not
    successes, whose success share prints as ``pct``."""
    target = Fraction(str(pct))
    for persons in range(max(at_least, 50), 1_000_000):
        successes = round(persons * target / 100)
        for s in (successes - 1, successes, successes + 1):
            if 0 <= s <= persons and percent(s, persons) == float(target):
                return persons, persons - s
    raise ValueError(f"no cohort prints as {pct}%")  # unreachable for a percentage with one decimal
