"""Metric definitions as configuration: every number and category of a metric.

The default is the Albuquerque profile (``profiles/albuquerque.toml``);
another city loads its own with :meth:`Config.from_toml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import VipReportError


class ConfigError(VipReportError, ValueError):
    """A config file or value breaks a rule; the message names the key."""


def category_key(text: str) -> str:
    """The form in which category spellings are compared: case, spaces, dots and hyphens ignored."""
    return re.sub(r"[\s.\-_]+", "", str(text)).casefold()


@dataclass(frozen=True)
class AgeGroup:
    label: str
    min: int
    max: int  # inclusive


@dataclass(frozen=True)
class Config:
    """The metric definitions of one program. Build with :meth:`default` or :meth:`from_toml`."""

    name: str
    program_name: str
    department: str
    fiscal_year_start_month: int
    earliest_date: dt.date
    latest_date: dt.date
    max_age: int
    area_commands: tuple[str, ...]
    area_missing: str
    area_aliases: dict[str, str] = field(hash=False)
    referral_sources: tuple[str, ...]
    referral_programs: tuple[str, ...]
    service_types: tuple[str, ...]
    service_statuses: tuple[str, ...]
    service_programs: tuple[str, ...]
    engagement_statuses: tuple[str, ...]
    engagement_window_days: int
    recidivism_window_days: int
    recidivism_cohort_months: int
    violent_offenses: tuple[str, ...]
    nonviolent_offenses: tuple[str, ...]
    unknown_offense: str
    age_groups: tuple[AgeGroup, ...]
    trc_sources: tuple[str, ...]
    cora_incident_types: tuple[str, ...]
    trend_months: int
    trend_confidence: float
    suppress_min: int
    suppress_max: int
    unstable_below: int
    max_rows: dict[str, int] = field(hash=False)
    # Reading exports (docs/loading.md). Defaults, so a profile may leave them out.
    timezone: str = "America/Denver"          # zoned timestamps become dates on this calendar
    date_formats: tuple[str, ...] = ("%m/%d/%Y",)  # tried after ISO dates, in order
    file_patterns: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    file_choice: str = "newest"               # several files for one table: "newest" or "all"
    column_map: dict[str, str] = field(default_factory=dict, hash=False)  # export name -> schema name

    @classmethod
    def default(cls) -> Config:
        """The Albuquerque Community Safety VIP profile."""
        return cls.from_dict(_default_profile(), source="albuquerque.toml")

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        """Load a profile from a TOML file; keys it leaves out keep the Albuquerque default."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path.name} is not valid TOML: {exc}") from None
        return cls.from_dict(_merge(_default_profile(), data), source=path.name)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> Config:
        reader = _Reader(data, source)
        groups = data.get("age_groups", [])
        if not isinstance(groups, list) or not groups:
            raise ConfigError(f"{source}: age_groups must be a non-empty array of tables")
        age_groups = tuple(
            AgeGroup(str(g["label"]), int(g["min"]), int(g["max"])) for g in groups
        )
        config = cls(
            name=reader.str("name"),
            program_name=reader.str("program_name"),
            department=reader.str("department"),
            fiscal_year_start_month=reader.int("calendar.fiscal_year_start_month", 1, 12),
            earliest_date=reader.date("validation.earliest_date"),
            latest_date=reader.date("validation.latest_date"),
            max_age=reader.int("validation.max_age", 1, 200),
            area_commands=reader.names("areas.commands"),
            area_missing=reader.str("areas.missing"),
            area_aliases={str(k): str(v) for k, v in reader.get("areas.aliases").items()},
            referral_sources=reader.names("referrals.sources"),
            referral_programs=reader.names("referrals.programs"),
            service_types=reader.names("services.types"),
            service_statuses=reader.names("services.statuses"),
            service_programs=reader.names("services.programs"),
            engagement_statuses=reader.names("engagement.statuses"),
            engagement_window_days=reader.int("engagement.window_days", 0, 3650),
            recidivism_window_days=reader.int("recidivism.window_days", 0, 36500),
            recidivism_cohort_months=reader.int("recidivism.cohort_months", 1, 1200),
            violent_offenses=reader.names("offenses.violent"),
            nonviolent_offenses=reader.names("offenses.nonviolent", allow_empty=True),
            unknown_offense=reader.choice("offenses.unknown", ("error", "nonviolent")),
            age_groups=age_groups,
            trc_sources=reader.names("trc.sources"),
            cora_incident_types=reader.names("cora.incident_types"),
            trend_months=reader.int("trends.months", 3, 1200),
            trend_confidence=reader.float("trends.confidence", 0.5, 0.999),
            suppress_min=reader.int("publication.suppress_min", 1, 1_000_000),
            suppress_max=reader.int("publication.suppress_max", 0, 1_000_000),
            unstable_below=reader.int("publication.unstable_below", 0, 1_000_000),
            max_rows=reader.limits(),
            **_reading_keys(data, source),
        )
        config._check(source)
        return config

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed, checked like a loaded config."""
        config = dataclasses.replace(self, **changes)
        config._check("replace()")
        return config

    # Derived views ---------------------------------------------------------

    @property
    def area_rows(self) -> tuple[str, ...]:
        """The area commands in report order, then the missing-area label."""
        return (*self.area_commands, self.area_missing)

    @property
    def age_group_labels(self) -> tuple[str, ...]:
        return (*(g.label for g in self.age_groups), "Unknown")

    def age_group_code(self, age: float) -> int:
        """Index into :attr:`age_group_labels`; the last one ("Unknown") when no group holds ``age``."""
        for i, g in enumerate(self.age_groups):
            if g.min <= age <= g.max:
                return i
        return len(self.age_groups)

    def _check(self, source: str) -> None:
        problems = []
        for name in ("engagement_window_days", "recidivism_window_days"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be zero or more, got {getattr(self, name)}")
        if not 1 <= self.recidivism_cohort_months <= 1200:
            problems.append("recidivism.cohort_months must be from 1 to 1200")
        missing_key = category_key(self.area_missing)
        canonical = {category_key(a) for a in self.area_commands} | {missing_key}
        for alias, target in self.area_aliases.items():
            if category_key(target) not in canonical:
                problems.append(f"areas.aliases: {alias!r} maps to {target!r}, which is not an area command")
        for status in self.engagement_statuses:
            if status not in self.service_statuses:
                problems.append(f"engagement.statuses: {status!r} is not one of services.statuses")
        overlap = {category_key(o) for o in self.violent_offenses} & {
            category_key(o) for o in self.nonviolent_offenses
        }
        if overlap:
            problems.append(f"offenses: listed as both violent and nonviolent: {sorted(overlap)}")
        for g in self.age_groups:
            if g.min > g.max:
                problems.append(f"age_groups: {g.label!r} has min {g.min} above max {g.max}")
        ordered = sorted(self.age_groups, key=lambda g: g.min)
        for a, b in zip(ordered, ordered[1:]):
            if b.min <= a.max:
                problems.append(f"age_groups: {a.label!r} and {b.label!r} overlap")
        if self.suppress_max and self.suppress_max < self.suppress_min:
            problems.append("publication: suppress_max is below suppress_min (use 0 to suppress nothing)")
        if self.earliest_date >= self.latest_date:
            problems.append("validation: earliest_date must be before latest_date")
        if problems:
            raise ConfigError(f"{source}: " + "; ".join(problems))


def _reading_keys(data: dict[str, Any], source: str) -> dict[str, Any]:
    """The optional keys of the export reader: ``timezone``, ``validation.date_formats`` and ``[files]``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    out: dict[str, Any] = {}
    if "timezone" in data:
        try:
            ZoneInfo(str(data["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{source}: timezone must be an IANA zone such as 'America/Denver', "
                              f"got {data['timezone']!r}") from None
        out["timezone"] = str(data["timezone"])
    formats = data.get("validation", {}).get("date_formats")
    if formats is not None:
        if not isinstance(formats, list) or not all(isinstance(f, str) and "%" in f for f in formats):
            raise ConfigError(f"{source}: validation.date_formats must be an array of strptime formats")
        out["date_formats"] = tuple(formats)
    files = data.get("files", {})
    if not isinstance(files, dict):
        raise ConfigError(f"{source}: files must be a table")
    if "choose" in files:
        if files["choose"] not in ("newest", "all"):
            raise ConfigError(f"{source}: files.choose must be 'newest' or 'all', got {files['choose']!r}")
        out["file_choice"] = files["choose"]
    from .io.schema import TABLES

    patterns = files.get("patterns", {})
    unknown = sorted(set(patterns) - set(TABLES))
    if unknown:
        raise ConfigError(f"{source}: files.patterns: unknown table(s) {unknown}")
    for table, globs in patterns.items():
        globs = [globs] if isinstance(globs, str) else globs
        if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            raise ConfigError(f"{source}: files.patterns.{table} must be a glob or an array of globs")
        out.setdefault("file_patterns", {})[table] = tuple(globs)
    columns = files.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ConfigError(f"{source}: files.columns must map export column names to schema column names")
    if columns:
        out["column_map"] = {str(k): v for k, v in columns.items()}
    return out


def _default_profile() -> dict[str, Any]:
    return tomllib.loads(resources.files("vipreport").joinpath("profiles/albuquerque.toml").read_text("utf-8"))


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key not in ("aliases", "columns"):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class _Reader:
    """Typed access to dotted keys, with errors that name the key."""

    def __init__(self, data: dict[str, Any], source: str) -> None:
        self.data = data
        self.source = source

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(f"{self.source}: missing key {dotted!r}")
            node = node[part]
        return node

    def fail(self, dotted: str, expected: str, value: Any) -> ConfigError:
        return ConfigError(f"{self.source}: {dotted} must be {expected}, got {value!r}")

    def str(self, dotted: str) -> str:
        value = self.get(dotted)
        if not isinstance(value, str):
            raise self.fail(dotted, "a string", value)
        return value

    def int(self, dotted: str, lo: int, hi: int) -> int:
        value = self.get(dotted)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(dotted, f"an integer from {lo} to {hi}", value)
        return value

    def float(self, dotted: str, lo: float, hi: float) -> float:
        value = self.get(dotted)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
            raise self.fail(dotted, f"a number from {lo} to {hi}", value)
        return float(value)

    def date(self, dotted: str) -> dt.date:
        value = self.get(dotted)
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(dotted, "a date YYYY-MM-DD", value) from None

    def limits(self) -> dict[str, int]:
        """Row limit per table: ``limits.<table>``, else ``limits.default_max_rows``."""
        from .io.schema import TABLES

        default = self.int("limits.default_max_rows", 1, 10**12)
        limits = self.get("limits")
        unknown = sorted(set(limits) - set(TABLES) - {"default_max_rows"})
        if unknown:
            raise ConfigError(f"{self.source}: limits: unknown table(s) {unknown}")
        return {name: self.int(f"limits.{name}", 1, 10**12) if name in limits else default for name in TABLES}

    def choice(self, dotted: str, options: tuple[str, ...]) -> str:
        value = self.get(dotted)
        if value not in options:
            raise self.fail(dotted, f"one of {options}", value)
        return value

    def names(self, dotted: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.get(dotted)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(dotted, "an array of strings", value)
        if not value and not allow_empty:
            raise self.fail(dotted, "a non-empty array of strings", value)
        keys = [category_key(v) for v in value]
        if len(set(keys)) != len(keys):
            raise self.fail(dotted, "an array without repeated names", value)
        return tuple(value)
