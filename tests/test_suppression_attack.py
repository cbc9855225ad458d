"""The linear-programming attack on the public edition (the sdcTable / Census practice).

An attacker reads every number the public edition prints and knows how the
report's numbers add up. Each hidden count is an unknown >= 0, each printed
number is fixed, each sum is an equality and each printed rate bounds its
numerator against its denominator. Minimising and maximising each hidden count
(HiGHS, through ``scipy.optimize.linprog``) gives the narrowest interval the
attacker can prove. Suppression holds when no hidden small count is pinned or
shut inside the suppressed range.

Nothing here reads the public edition's masks: the printed cells come from the
outline's text, and the sums are written out below from what each table counts.
The true values (``report.tables``) are used only to tell which derived counts
are small, and to check that each stated sum holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog  # type: ignore[import-untyped]

import vipreport as vr
from vipreport.calendar import fiscal_year_start, month_index, month_label
from vipreport.report.charts import column_text
from vipreport.report.outline import Figure, Table, Tiles, _flatten, header_text, outline

HIDDEN = "*"
Key = tuple[str, object, object]  # (table, row, column)


def reports() -> Iterator[tuple[str, vr.Report]]:
    """The demo at 2024-11 and at the first and third months of a fiscal year, and two other seeds."""
    cases: list[tuple[int | None, str, float]] = [
        (None, "2024-11", 1.0),
        (None, "2024-07", 1.0),
        (None, "2024-09", 1.0),
    ]
    cases += [(7, "2024-10", 1.0), (11, "2024-03", 0.6)]
    for seed, month, scale in cases:
        data = vr.datasets.demo() if seed is None else vr.load(vr.datasets.generate(seed=seed, scale=scale))
        name = "demo" if seed is None else str(seed)
        yield f"{name}-{month}", vr.build_report(data, month, public=True, data_as_of="2024-12-31")


CASES = ["demo-2024-11", "demo-2024-07", "demo-2024-09", "7-2024-10", "11-2024-03"]
_BUILT: dict[str, vr.Report] = {}


def report_for(case: str) -> vr.Report:
    if not _BUILT:
        _BUILT.update(dict(reports()))
    return _BUILT[case]


def number(text: str) -> float | None:
    """A printed cell's value: None for a hidden or absent value."""
    text = text.replace("\u2020", "").replace("%", "").replace(",", "").strip()
    if text in (HIDDEN, "n/a", ""):
        return None
    return float(text)


@dataclass
class Attack:
    """Variables, what the attacker read, and the sums the attacker knows."""

    report: vr.Report
    index: dict[Key, int] = field(default_factory=dict)
    printed: dict[Key, float] = field(default_factory=dict)
    hidden: set[Key] = field(default_factory=set)
    rates: list[tuple[Key, Key, float]] = field(default_factory=list)  # numerator, denominator, printed %
    parts: set[tuple[Key, Key]] = field(default_factory=set)  # numerator <= denominator
    equalities: list[dict[Key, float]] = field(default_factory=list)  # sum of coefficient * variable = 0

    def var(self, key: Key) -> Key:
        self.index.setdefault(key, len(self.index))
        return key

    def read(self, key: Key, text: str) -> None:
        """One printed cell: a count, or ``*``."""
        self.var(key)
        value = number(text)
        if value is None:
            if text.strip() == HIDDEN:
                self.hidden.add(key)
            return
        self.printed[key] = value

    def total(self, total: Key, parts: Sequence[Key]) -> None:
        """``total`` is the sum of ``parts``; checked against the true values where they are known."""
        self.equalities.append({self.var(total): 1.0} | {self.var(p): -1.0 for p in parts})

    def same(self, a: Key, b: Key) -> None:
        self.total(a, [b])

    # -- what the outline prints ------------------------------------------------------------------
    def read_outline(self) -> None:
        r = self.report
        for block in (b for s in outline(r).sections for b in _flatten(s.blocks)):
            if isinstance(block, Table) and block.key in r.tables:
                raw = r.tables[block.key]
                rates = r.rate_columns(block.key)
                columns = {header_text(c, percent=c in rates): c for c in raw.columns}
                for row, (_, line) in zip(raw.index, block.frame.iterrows(), strict=True):
                    for header, text in line.items():
                        self.read_cell(block.key, row, columns[str(header)], str(text))
            elif isinstance(block, Figure):
                chart = r.charts[block.name]
                table = r.tables[chart.table]
                rows = chart.rows(table).index
                for row, (_, line) in zip(rows, block.data.frame.iterrows(), strict=True):
                    for column, text in zip(chart.columns, line, strict=True):
                        # A chart of a table of measures by month draws the months as its rows.
                        cell = (row, column) if row in table.index else (column, row)
                        self.read_cell(chart.table, *cell, str(text))
            elif isinstance(block, Tiles):
                for tile in block.tiles:
                    self.read_tile(tile.value, tile.label)
            elif hasattr(block, "text"):
                self.read_sentence(str(block.text))

    def read_cell(self, key: str, row: object, column: object, text: str) -> None:
        if column in self.report.rate_columns(key):  # a rate: its numerator and denominator
            if key.startswith("vip.engagement"):
                self.rate((key, row, "engaged"), (key, row, "notified"), text)
            elif key.startswith("vip.success"):
                self.rate((key, row, "successes"), (key, row, "persons"), text)
            return
        self.read((key, row, column), text)

    def rate(self, numerator: Key, denominator: Key, text: str) -> None:
        value = number(text)
        self.var(numerator), self.var(denominator)
        self.parts.add((numerator, denominator))
        if value is not None:
            self.rates.append((numerator, denominator, value))
        elif text.strip() == HIDDEN:
            self.hidden.add((numerator[0], numerator[1], "rate"))

    def read_tile(self, value: str, label: str) -> None:
        r, month = self.report, self.report.month
        if label.startswith("referrals, fiscal"):
            self.read(("vip.fytd_totals", "Referrals", "FYTD"), value)
        elif label.startswith("custom notifications, fiscal"):
            self.read(("vip.fytd_totals", "Custom notifications", "FYTD"), value)
        elif "engagement rate" in label:
            self.rate(("vip.engagement", month, "engaged"), ("vip.engagement", month, "notified"), value)
            m = re.search(r"([\d,]+) of ([\d,]+) notified", label)
            if m:
                self.read(("vip.engagement", month, "engaged"), m.group(1))
                self.read(("vip.engagement", month, "notified"), m.group(2))
        elif label.startswith("of ") and "participants" in label:
            last = r.tables["vip.success_trend"].index[-1]
            self.rate(("vip.success_trend", last, "successes"), ("vip.success_trend", last, "persons"), value)
            m = re.search(r"of ([\d,]+) participants", label)
            assert m is not None
            self.read(("vip.success_trend", last, "persons"), m.group(1))
        elif label.startswith("hidden:"):
            pass
        elif "cora.totals" in r.tables and label.replace(" ", "_") in r.tables["cora.totals"].index:
            self.read(("cora.totals", label.replace(" ", "_"), "FYTD"), value)

    def read_sentence(self, text: str) -> None:
        m = re.search(
            r"Engagement (?:in )?(\w{3} \d{4})(?: against|:) .*?(\w{3} \d{4}):? ([\d.]+)%\S* vs ([\d.]+)%", text
        )
        m2 = re.search(r"Engagement in (\w{3} \d{4}): ([\d.]+)%\S*; in (\w{3} \d{4}): ([\d.]+)%", text)
        pairs = []
        if m:
            pairs = [(m.group(1), m.group(3)), (m.group(2), m.group(4))]
        elif m2:
            pairs = [(m2.group(1), m2.group(2)), (m2.group(3), m2.group(4))]
        labels = {column_text(i): i for i in self.report.tables.get("vip.engagement_change", pd.DataFrame()).index}
        for shown, value in pairs:
            row = labels[shown]
            self.rate(("vip.engagement_change", row, "engaged"), ("vip.engagement_change", row, "notified"), value)

    # -- the sums an attacker knows ---------------------------------------------------------------
    def write_sums(self) -> None:
        r, t = self.report, self.report.tables
        c = r.config
        start = fiscal_year_start(month_index(r.month), c.fiscal_year_start_month)
        fiscal = [month_label(i) for i in range(start, month_index(r.month) + 1)]

        def by_month(key: str, frame: pd.DataFrame, total: str | None, fytd_row: str | None) -> None:
            for column in frame.columns:
                cells = [(key, row, column) for row in frame.index]
                if total is not None:
                    self.total((total, "", column), cells)
                    if fytd_row is not None and "vip.fytd_totals" in t and column in t["vip.fytd_totals"].columns:
                        self.same(("vip.fytd_totals", fytd_row, column), (total, "", column))
            if "FYTD" in frame.columns:
                for row in frame.index:
                    months = [(key, row, m) for m in fiscal if m in frame.columns]
                    earlier = [(f"earlier {key}", row, m) for m in fiscal if m not in frame.columns]
                    self.total((key, row, "FYTD"), months + earlier)

        by_month("vip.referrals_by_area", t["vip.referrals_by_area"], "referrals", "Referrals")
        by_month("vip.referral_sources", t["vip.referral_sources"], "referrals", "Referrals")
        if "vip.referrals_by_program" in t:
            by_month("vip.referrals_by_program", t["vip.referrals_by_program"], "referrals", "Referrals")
        for status in c.service_statuses:
            part = pd.DataFrame(t["vip.services"][status])
            key = f"vip.services {status}"
            by_month(key, part, f"services {status}", f"Services {status}")
            for row in part.index:
                for column in part.columns:
                    self.same((key, row, column), ("vip.services", row, (status, column)))
                    if status == "connected":
                        self.same((key, row, column), ("vip.services_connected", row, column))
        if "trc.referrals_by_source" in t:
            by_month("trc.referrals_by_source", t["trc.referrals_by_source"], "trc referrals", None)
        if "cora.incidents_by_type" in t:
            by_month("cora.incidents_by_type", t["cora.incidents_by_type"], "cora responses", None)
            by_month("cora.responses_by_area", t["cora.responses_by_area"], "cora responses", None)
            by_month("cora.totals", t["cora.totals"], None, None)
        if "oep.summary" in t:
            by_month("oep.summary", t["oep.summary"], None, None)
        by_month("vip.fytd_totals", t["vip.fytd_totals"], None, None)
        notes = t["vip.custom_notifications"]  # notifications and persons by month, FYTD a column
        months = [m for m in notes.columns if m != "FYTD"]
        self.total(
            ("vip.custom_notifications", "notifications", "FYTD"),
            [("vip.custom_notifications", "notifications", m) for m in months],
        )
        for column in (r.month, "FYTD"):
            self.same(
                ("vip.fytd_totals", "Custom notifications", column),
                ("vip.custom_notifications", "notifications", column),
            )
            self.same(("vip.fytd_totals", "Persons notified", column), ("vip.custom_notifications", "persons", column))
        # Persons notified in a month are the engagement rate's denominator for that month.
        for key in ("vip.engagement_trend", "vip.engagement", "vip.engagement_change"):
            for m in t.get(key, pd.DataFrame()).index:
                for column in ("engaged", "notified"):
                    if key != "vip.engagement_trend" and m in t["vip.engagement_trend"].index:
                        self.same((key, m, column), ("vip.engagement_trend", m, column))
                if m in notes.columns:
                    self.same((key, m, "notified"), ("vip.custom_notifications", "persons", m))
        # Success: persons are those who failed and those who did not (deaths are outside the denominator);
        # the age groups add up to All, which is the trend's latest cohort.
        for key in ("vip.success_trend", "vip.success_by_age"):
            for row in t[key].index:
                self.total((key, row, "persons"), [(key, row, "failures"), (key, row, "successes")])
        by_age = t["vip.success_by_age"]
        last = t["vip.success_trend"].index[-1]
        for column in ("persons", "failures", "successes"):
            groups = [("vip.success_by_age", g, column) for g in by_age.index if g != "All"]
            self.total(("vip.success_by_age", "All", column), groups)
            self.same(("vip.success_by_age", "All", column), ("vip.success_trend", last, column))
        self.same(
            ("vip.caseload_trend", t["vip.caseload_trend"].index[-1], "active_last_day"), ("scalar", "caseload", "")
        )

    def truth(self, key: Key) -> float | None:
        """The true value of a variable, from the report's tables (None for sums and earlier months)."""
        table, row, column = key
        frame = self.report.tables.get(table)
        if table.startswith("vip.services "):
            frame = pd.DataFrame(self.report.tables["vip.services"][table.split(" ", 1)[1]])
        if frame is None or row not in frame.index or column not in frame.columns:
            return None
        value = cast(Any, frame).loc[row, column]
        return float(value) if pd.notna(value) else None

    # -- the linear programme ---------------------------------------------------------------------
    def bounds(self, objective: dict[Key, float]) -> tuple[float, float]:
        n = len(self.index)
        a_eq, b_eq = [], []
        for eq in self.equalities:
            row = np.zeros(n)
            for k, coefficient in eq.items():
                row[self.index[k]] += coefficient
            a_eq.append(row)
            b_eq.append(0.0)
        for k, value in self.printed.items():
            row = np.zeros(n)
            row[self.index[k]] = 1.0
            a_eq.append(row)
            b_eq.append(value)
        a_ub, b_ub = [], []
        for numerator, denominator, pct in self.rates:  # (pct - 0.05)% * n <= k <= (pct + 0.05)% * n
            for sign, edge in ((1.0, (pct + 0.05) / 100), (-1.0, (pct - 0.05) / 100)):
                row = np.zeros(n)
                row[self.index[numerator]] += sign
                row[self.index[denominator]] -= sign * edge
                a_ub.append(row)
                b_ub.append(0.0)
        for numerator, denominator in self.parts:
            row = np.zeros(n)
            row[self.index[numerator]], row[self.index[denominator]] = 1.0, -1.0
            a_ub.append(row)
            b_ub.append(0.0)
        c = np.zeros(n)
        for k, coefficient in objective.items():
            c[self.index[k]] += coefficient
        out = []
        for sense in (1.0, -1.0):
            result = linprog(
                sense * c,
                A_ub=np.array(a_ub) if a_ub else None,
                b_ub=b_ub or None,
                A_eq=np.array(a_eq),
                b_eq=b_eq,
                bounds=(0, None),
                method="highs",
            )
            if result.status == 3:  # unbounded
                out.append(-np.inf if sense > 0 else np.inf)
                continue
            assert result.status == 0, result.message
            out.append(sense * result.fun)
        return out[0], out[1]


def attack(report: vr.Report) -> Attack:
    a = Attack(report)
    a.read_outline()
    a.write_sums()
    return a


def targets(a: Attack) -> list[tuple[str, dict[Key, float], float]]:
    """What must stay hidden: each hidden count; and each small count a rate row hides (its numerator,
    or the rest of its denominator) where the row's rate is hidden."""
    out: list[tuple[str, dict[Key, float], float]] = []
    for key in sorted(a.hidden, key=str):
        if key[2] == "rate":
            table, row, _ = key
            n: Key = (table, row, "notified" if table.startswith("vip.engagement") else "persons")
            k: Key = (table, row, "engaged" if table.startswith("vip.engagement") else "successes")
            numerator: dict[Key, float] = {k: 1.0}
            rest: dict[Key, float] = {n: 1.0, k: -1.0}
            for name, objective in ((f"{table}[{row}] numerator", numerator), (f"{table}[{row}] rest", rest)):
                out.append((name, objective, sum(coef * (a.truth(v) or 0.0) for v, coef in objective.items())))
            continue
        value = a.truth(key)
        if value is not None:
            out.append((str(key), {key: 1.0}, value))
    return out


@pytest.mark.parametrize("case", CASES)
def test_the_attacker_knows_true_sums(case: str) -> None:
    """Every sum written above holds on the true values: the attack's model of the report is right."""
    a = attack(report_for(case))
    checked = 0
    for eq in a.equalities:
        values = {k: a.truth(k) for k in eq}
        known = {k: v for k, v in values.items() if v is not None}
        if len(known) == len(values):
            assert sum(eq[k] * v for k, v in known.items()) == 0, eq
            checked += 1
    assert checked > 20
    for k, v in a.printed.items():  # and the outline was read right: a printed count is the true one
        if a.truth(k) is not None and k[2] not in a.report.rate_columns(k[0]):
            assert a.truth(k) == v, k


@pytest.mark.parametrize("case", CASES)
def test_linear_programming_recovers_no_hidden_count(case: str) -> None:
    report = report_for(case)
    lo, hi = report.config.suppress_min, report.config.suppress_max
    a = attack(report)
    assert a.hidden, "the case should hide something, or it tests nothing"
    disclosed = []
    for name, objective, truth in targets(a):
        low, high = a.bounds(objective)
        assert low - 1e-6 <= truth <= high + 1e-6, (name, low, truth, high)
        small = lo <= round(truth) <= hi
        if (small and lo - 1e-6 <= low and high <= hi + 1e-6) or (truth > 0 and high - low < 1 - 1e-6):
            disclosed.append((name, round(low, 2), round(high, 2)))
    assert not disclosed


def test_without_complementary_suppression_the_attack_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack can fail: with primary suppression only, a hidden count is worked out."""
    import vipreport.report.public_edition as public

    def primary_only(
        values: dict[Key, float],
        relations: list[list[Key]],
        config: vr.Config,
        *,
        shown: set[Key],
        unknown: frozenset[Key] = frozenset(),
    ) -> set[Key]:
        return {c for c in shown if config.suppress_min <= values[c] <= config.suppress_max}

    monkeypatch.setattr(public, "linked_suppression", primary_only)
    report = vr.build_report(vr.datasets.demo(), "2024-11", public=True, data_as_of="2024-12-31")
    a = attack(report)
    lo, hi = report.config.suppress_min, report.config.suppress_max
    recovered = []
    for name, objective, truth in targets(a):
        low, high = a.bounds(objective)
        if lo <= round(truth) <= hi and lo - 1e-6 <= low and high <= hi + 1e-6:
            recovered.append(name)
    assert recovered


@pytest.mark.parametrize("case", CASES)
def test_no_rate_is_printed_beside_its_hidden_count(case: str) -> None:
    """A printed rate and a printed denominator give the numerator: a hidden count's rate is hidden too."""
    a = attack(report_for(case))
    for numerator, denominator, _ in a.rates:
        rest = (numerator[0], numerator[1], "failures" if numerator[2] == "successes" else "not engaged")
        hidden = numerator in a.hidden or rest in a.hidden
        assert not (hidden and denominator in a.printed), (numerator, denominator)
