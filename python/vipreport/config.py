"""Metric definitions as configuration: every number and category of a metric.

The default is the Albuquerque profile (``profiles/albuquerque.toml``);
another city loads its own with :meth:`Config.from_toml`. A profile is
checked against the JSON Schema shipped beside it
(``profiles/profile.schema.json``, printed by ``vipreport config --schema``)
and against the rules that relate its keys; every problem is reported at once
in one :class:`ConfigError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from . import _profile
from ._frozen import FrozenMap
from ._profile import ConfigError, ConfigProblem
from ._profile_rules import category_key, relation_problems
from .schema import TABLES

__all__ = ["AgeGroup", "Config", "ConfigError", "ConfigProblem", "Passage", "category_key", "profile_schema"]

BUNDLED = "albuquerque.toml"
# The package's own wording, for a profile that does not give its own (docs/set-up-your-city.md).
NEUTRAL = "neutral.toml"


@dataclass(frozen=True)
class Passage:
    """One paragraph of the report's introduction: a bold lead and its text."""

    heading: str
    body: str


@dataclass(frozen=True)
class AgeGroup:
    """One age band of the by-age tables: ages ``min`` to ``max``, both included."""

    label: str
    min: int
    max: int  # inclusive


# Config field -> its dotted key in a profile. `max_rows` is read from the whole [limits] table.
PROFILE_KEYS: Mapping[str, str] = FrozenMap(
    {
        "name": "name",
        "program_name": "program_name",
        "department": "department",
        "short_name": "short_name",
        "area_label": "areas.label",
        "contact": "branding.contact",
        "logo": "branding.logo",
        "colour": "branding.colour",
        "introduction_heading": "text.introduction_heading",
        "introduction": "text.introduction",
        "success_sentence": "text.success_sentence",
        "no_activities": "text.no_activities",
        "trc_show": "trc.show",
        "trc_required": "trc.required",
        "trc_title": "trc.title",
        "trc_description": "trc.description",
        "trc_services": "trc.services",
        "cora_show": "cora.show",
        "cora_required": "cora.required",
        "cora_title": "cora.title",
        "cora_description": "cora.description",
        "oep_show": "oep.show",
        "oep_required": "oep.required",
        "oep_title": "oep.title",
        "oep_description": "oep.description",
        "fiscal_year_start_month": "calendar.fiscal_year_start_month",
        "earliest_date": "validation.earliest_date",
        "latest_date": "validation.latest_date",
        "max_age": "validation.max_age",
        "area_commands": "areas.commands",
        "area_missing": "areas.missing",
        "area_aliases": "areas.aliases",
        "referral_sources": "referrals.sources",
        "referral_programs": "referrals.programs",
        "service_types": "services.types",
        "service_statuses": "services.statuses",
        "service_programs": "services.programs",
        "engagement_statuses": "engagement.statuses",
        "engagement_window_days": "engagement.window_days",
        "success_window_days": "success.window_days",
        "success_cohort_months": "success.cohort_months",
        "success_deaths": "success.deaths",
        "violent_offenses": "offenses.violent",
        "nonviolent_offenses": "offenses.nonviolent",
        "unknown_offense": "offenses.unknown",
        "age_groups": "age_groups",
        "trc_sources": "trc.sources",
        "cora_incident_types": "cora.incident_types",
        "trend_months": "trends.months",
        "trend_confidence": "trends.confidence",
        "trend_min_months": "trends.min_months",
        "suppress_min": "publication.suppress_min",
        "suppress_max": "publication.suppress_max",
        "unstable_below": "publication.unstable_below",
        "max_rows": "limits",
        # Reading exports (docs/loading.md).
        "timezone": "timezone",
        "date_formats": "validation.date_formats",
        "file_choice": "files.choose",
        "file_patterns": "files.patterns",
        "column_map": "files.columns",
        # Comparing records of a month (docs/testing-your-numbers.md).
        "restatement_absolute": "restatement.absolute",
        "restatement_relative": "restatement.relative",
        # Data-quality rules across rows and tables (io/crosstable.py): rule name -> action.
        "quality_rules": "rules",
        "sql_tables": "sql.tables",
        "sql_queries": "sql.queries",
    }
)

# Renamed for one word per concept (docs/architecture.md, "Renames"): the success rate's section was
# [recidivism], and its Config fields recidivism_*. The old names are still read, each with a
# DeprecationWarning naming the new one.
RENAMED_SECTIONS: Mapping[str, str] = FrozenMap({"recidivism": "success"})
RENAMED_FIELDS: Mapping[str, str] = FrozenMap(
    {
        "recidivism_window_days": "success_window_days",
        "recidivism_cohort_months": "success_cohort_months",
        "recidivism_deaths": "success_deaths",
    }
)


@dataclass(frozen=True)
class Config:
    """The metric definitions of one program. Build with :meth:`default` or :meth:`from_toml`.

    A ``Config`` is immutable: its fields cannot be assigned, its arrays are
    tuples and its tables (``area_aliases``, ``max_rows``) are read-only
    mappings. :meth:`replace` gives a checked copy with some fields changed.

    Examples
    --------
    >>> import vipreport as vr
    >>> config = vr.Config.default()
    >>> config.engagement_window_days, config.area_commands[:2]
    (30, ('Southeast', 'Northeast'))

    A what-if: the engagement rate with a 14-day window instead of 30.

    >>> data = vr.datasets.demo()
    >>> short = config.replace(engagement_window_days=14)
    >>> for c in (config, short):
    ...     print(int(vr.engagement_rate(data, "2024-10", as_of="2024-11", config=c)["engaged"].iloc[0]))
    19
    17
    """

    name: str
    program_name: str
    department: str
    fiscal_year_start_month: int
    earliest_date: dt.date
    latest_date: dt.date
    max_age: int
    area_commands: tuple[str, ...]
    area_missing: str
    area_aliases: Mapping[str, str]
    referral_sources: tuple[str, ...]
    referral_programs: tuple[str, ...]
    service_types: tuple[str, ...]
    service_statuses: tuple[str, ...]
    service_programs: tuple[str, ...]
    engagement_statuses: tuple[str, ...]
    engagement_window_days: int
    success_window_days: int
    success_cohort_months: int
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
    max_rows: Mapping[str, int]
    # Reading exports (docs/loading.md); defaults, so a Config built by hand may leave them out.
    timezone: str = "America/Denver"  # zoned timestamps are dated on this calendar
    date_formats: tuple[str, ...] = ("%m/%d/%Y",)  # tried after ISO dates, in order
    file_choice: str = "newest"  # several files for one table: "newest" or "all"
    file_patterns: Mapping[str, tuple[str, ...]] = FrozenMap()  # table -> case-insensitive globs
    column_map: Mapping[str, str] = FrozenMap()  # export column name -> schema column name
    # A restated figure is flagged when it moves by more than both of these (docs/testing-your-numbers.md).
    restatement_absolute: float = 1.0
    restatement_relative: float = 0.05
    # The report's words and pages (docs/set-up-your-city.md); the defaults are the package's neutral ones.
    short_name: str = ""
    area_label: str = "Area"
    contact: str = ""
    logo: str = ""
    colour: str = "#0B3C5D"
    introduction_heading: str = "About the program"
    introduction: tuple[Passage, ...] = ()
    success_sentence: str = "{rate} of the people notified in the past {period} have had no new violent incident."
    no_activities: str = "No activities were recorded for this month."
    trc_show: bool = True
    trc_required: bool = False
    trc_title: str = "Trauma recovery"
    trc_description: tuple[str, ...] = ()
    trc_services: tuple[str, ...] = ()
    cora_show: bool = True
    cora_required: bool = False
    cora_title: str = "Crisis response"
    cora_description: tuple[str, ...] = ()
    oep_show: bool = True
    oep_required: bool = False
    oep_title: str = "Overdose prevention"
    oep_description: tuple[str, ...] = ()
    quality_rules: Mapping[str, str] = FrozenMap(
        {  # rule -> "error", "exclude" or "keep"
            "exact_duplicate": "exclude",
            "near_duplicate": "keep",
            "conflicting_birth_date": "keep",
            "notification_without_referral": "keep",
            "never_notified": "keep",
            "event_after_death": "error",
            "event_after_as_of": "error",
        }
    )
    sql_tables: Mapping[str, str] = FrozenMap()  # table -> database table or view (a database source)
    sql_queries: Mapping[str, str] = FrozenMap()  # table -> SELECT giving it (a database source)
    trend_min_months: int = 12  # fewer observed months: "too few months to say"
    success_deaths: str = "exclude"  # a death in the window: "exclude", "success" or "failure"

    def __post_init__(self) -> None:
        # A read-only copy: neither the caller's dict nor the Config's view of it can change it.
        for name in (
            "area_aliases",
            "max_rows",
            "file_patterns",
            "column_map",
            "quality_rules",
            "sql_tables",
            "sql_queries",
        ):
            value = getattr(self, name)
            if isinstance(value, Mapping) and not isinstance(value, FrozenMap):
                object.__setattr__(self, name, FrozenMap(value))

    # The deprecated field names (RENAMED_FIELDS): read-only views of the new fields, with a warning.

    @property
    def recidivism_window_days(self) -> int:
        """Deprecated name of :attr:`success_window_days`."""
        _warn_renamed_field("recidivism_window_days")
        return self.success_window_days

    @property
    def recidivism_cohort_months(self) -> int:
        """Deprecated name of :attr:`success_cohort_months`."""
        _warn_renamed_field("recidivism_cohort_months")
        return self.success_cohort_months

    @property
    def recidivism_deaths(self) -> str:
        """Deprecated name of :attr:`success_deaths`."""
        _warn_renamed_field("recidivism_deaths")
        return self.success_deaths

    @classmethod
    @functools.cache
    def default(cls) -> Config:
        """The Albuquerque Community Safety VIP profile, parsed once and shared (it is immutable)."""
        return cls._build(_bundled_document())

    @classmethod
    @functools.cache
    def bundled(cls, name: str) -> Config:
        """A profile shipped with the package, by name: ``"albuquerque"`` (the default) or ``"riverton"``.

        Riverton is fictional: the worked example of docs/set-up-your-city.md. Each is parsed once and
        shared (it is immutable).
        """
        names = bundled_profiles()
        if name not in names:
            raise ConfigError(
                name, [ConfigProblem("", f"no bundled profile of that name (bundled: {', '.join(names)})")]
            )
        if name + ".toml" == BUNDLED:
            return cls.default()
        with resources.as_file(resources.files("vipreport").joinpath("profiles", name + ".toml")) as path:
            return cls.from_toml(path)

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        """Load a profile from a TOML file.

        A profile need only name the definitions that differ from the
        Albuquerque profile: every definition it leaves out keeps the
        Albuquerque value. Its words are its own: names, introduction, page
        titles and descriptions it leaves out take the package's neutral
        wording, not Albuquerque's. A relative ``branding.logo`` is read
        from beside the profile file. An array it
        gives (``areas.commands``, ``[[age_groups]]``, ...) and the
        ``[areas.aliases]`` table replace the default whole; other tables
        are merged key by key. Every key it does give must be a known one
        with a value of the right type.

        Raises
        ------
        ConfigError
            The file is missing or not valid TOML (with line and column), or
            the profile breaks the schema or a rule between keys. ``problems``
            lists every one.
        """
        path = Path(path)
        source = str(path)
        try:
            text = path.read_text("utf-8")
            data = tomllib.loads(text)
        except FileNotFoundError:
            raise ConfigError(source, [ConfigProblem("", "file not found")]) from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or "cannot be read")
            raise ConfigError(source, [ConfigProblem("", reason)]) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(source, [_syntax_problem(exc, text)]) from None
        logo = data.get("branding", {}).get("logo") if isinstance(data.get("branding"), dict) else None
        if isinstance(logo, str) and logo and not Path(logo).is_absolute():
            data["branding"]["logo"] = str((path.parent / logo).resolve())
        return cls._from_data(data, source=source, stacklevel=3)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "config") -> Config:
        """A profile from its parsed data (as :func:`tomllib.load` gives it), over the Albuquerque defaults.

        Keys left out keep the default, as in :meth:`from_toml`; ``source``
        names the profile in error messages.
        """
        return cls._from_data(data, source=source, stacklevel=3)

    @classmethod
    def _from_data(cls, data: Mapping[str, Any], *, source: str, stacklevel: int) -> Config:
        # `stacklevel` makes a deprecation warning point at the caller of from_toml / from_dict.
        document = _profile.as_document(dict(data))
        problems = _profile.problems(document) + _section_clashes(document)  # keys as the file names them
        for old, new in RENAMED_SECTIONS.items():
            if old in document and not problems:
                warnings.warn(
                    f"{source}: the profile section [{old}] is deprecated: rename it [{new}] (its keys are unchanged)",
                    DeprecationWarning,
                    stacklevel=stacklevel,
                )
        document = current_sections(document)
        merged = _merge(_city_base(), document)
        problems += relation_problems(merged)
        if problems:
            raise ConfigError(source, problems)
        return cls._build(merged)

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed, checked like a loaded profile.

        Raises
        ------
        ConfigError
            A change names no field of ``Config``, or breaks a rule.
        """
        fields = [f.name for f in dataclasses.fields(self)]
        changes = _current_fields(changes)
        unknown = [ConfigProblem(name, _unknown_field(name, fields)) for name in changes if name not in fields]
        if unknown:
            raise ConfigError("replace()", unknown)
        changed = dataclasses.replace(self, **changes)
        return type(self).from_dict(changed.to_dict(), source="replace()")

    def to_dict(self) -> dict[str, Any]:
        """The profile as data, in the layout of the TOML file (dates as ``YYYY-MM-DD``).

        ``Config.from_dict(config.to_dict()) == config``; ``[limits]`` names
        every table's limit.
        """
        document: dict[str, Any] = {}
        for name, dotted in PROFILE_KEYS.items():
            value = getattr(self, name)
            if name in ("age_groups", "introduction") and isinstance(value, (tuple, list)):
                value = [dataclasses.asdict(g) if isinstance(g, (AgeGroup, Passage)) else g for g in value]
            elif isinstance(value, (tuple, list)):
                value = list(value)
            elif isinstance(value, Mapping):
                value = {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = value.isoformat()
            *tables, key = dotted.split(".")
            node = document
            for table in tables:
                node = node.setdefault(table, {})
            node[key] = value
        return document

    @classmethod
    def _build(cls, document: Mapping[str, Any]) -> Config:
        """A Config from a full, checked profile document."""
        values: dict[str, Any] = {}
        for name, dotted in PROFILE_KEYS.items():
            value: Any = document
            for part in dotted.split("."):
                value = value[part]
            values[name] = value
        values["age_groups"] = tuple(AgeGroup(g["label"], int(g["min"]), int(g["max"])) for g in values["age_groups"])
        values["introduction"] = tuple(Passage(p["heading"], p["body"]) for p in values["introduction"])
        limits = values["max_rows"]
        values["max_rows"] = {t: int(limits.get(t, limits["default_max_rows"])) for t in _table_names()}
        for name in ("earliest_date", "latest_date"):
            values[name] = dt.date.fromisoformat(values[name])
        for name, value in values.items():
            if isinstance(value, list):
                values[name] = tuple(value)
            elif isinstance(value, float) and name not in (
                "trend_confidence",
                "restatement_absolute",
                "restatement_relative",
            ):
                values[name] = int(value)  # JSON Schema counts 30.0 as an integer
        for name in ("trend_confidence", "restatement_absolute", "restatement_relative"):
            values[name] = float(values[name])
        values["file_patterns"] = {t: tuple(g) for t, g in values["file_patterns"].items()}
        return cls(**values)

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


def current_sections(document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with each renamed section (``RENAMED_SECTIONS``) under its new name, silently.

    For profiles recorded by earlier versions (a ledger's provenance); a profile
    a person wrote is read by :meth:`Config.from_toml`, which warns.
    """
    out = dict(document)
    for old, new in RENAMED_SECTIONS.items():
        if old in out and new not in out:
            out[new] = out.pop(old)
    return out


def _section_clashes(document: Mapping[str, Any]) -> list[ConfigProblem]:
    return [
        ConfigProblem(old, f"is the deprecated name of [{new}], and the profile has both: keep [{new}] only")
        for old, new in RENAMED_SECTIONS.items()
        if old in document and new in document
    ]


def _current_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """``replace()``'s keywords with the deprecated field names (``RENAMED_FIELDS``) renamed, with a warning."""
    out = dict(changes)
    clashes = []
    for old, new in RENAMED_FIELDS.items():
        if old not in out:
            continue
        if new in out:
            clashes.append(ConfigProblem(old, f"is the deprecated name of {new}, which is given too: give {new} only"))
            continue
        _warn_renamed_field(old, stacklevel=4)
        out[new] = out.pop(old)
    if clashes:
        raise ConfigError("replace()", clashes)
    return out


def _warn_renamed_field(old: str, *, stacklevel: int = 3) -> None:
    warnings.warn(
        f"Config.{old} is deprecated: use Config.{RENAMED_FIELDS[old]}", DeprecationWarning, stacklevel=stacklevel
    )


def bundled_profiles() -> tuple[str, ...]:
    """The names of the profiles shipped with the package."""
    return ("albuquerque", "riverton")


def profile_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a profile file, as a new dict."""
    import json

    schema: dict[str, Any] = json.loads(_profile.schema_text())
    return schema


@functools.cache
def _bundled_document() -> dict[str, Any]:
    # Shared by every load: _merge and _build copy what they take, so it is never changed.
    text = resources.files("vipreport").joinpath("profiles", BUNDLED).read_text("utf-8")
    document: dict[str, Any] = _profile.as_document(tomllib.loads(text))
    return document


@functools.cache
def _city_base() -> dict[str, Any]:
    """What another city's profile is merged over: Albuquerque's definitions, the package's own words.

    The metric definitions (categories, windows, thresholds) default to
    Albuquerque's, so a city names only what differs. The words (names,
    introduction, page titles and descriptions, branding) never do: a profile
    that leaves them out gets the neutral wording of ``neutral.toml``, so no
    report ever speaks in another city's name.
    """
    text = resources.files("vipreport").joinpath("profiles", NEUTRAL).read_text("utf-8")
    neutral = _profile.as_document(tomllib.loads(text))
    base = _merge(_bundled_document(), neutral)
    for section in ("text", "branding"):  # whole tables of words: nothing of Albuquerque's is left in them
        base[section] = dict(neutral[section])
    return base


@functools.cache
def _table_names() -> tuple[str, ...]:
    return tuple(TABLES)


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: tables merge key by key, except [areas.aliases], which replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key != "aliases":
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _syntax_problem(exc: tomllib.TOMLDecodeError, text: str) -> ConfigProblem:
    # tomllib ends its message with "(at line L, column C)" or "(at end of document)".
    message = str(exc)
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if where:
        return ConfigProblem(
            "", f"not valid TOML: {message[: where.start()]}", line=int(where.group(1)), column=int(where.group(2))
        )
    end = re.search(r"\s*\(at end of document\)$", message)
    if end:
        return ConfigProblem(
            "",
            f"not valid TOML: {message[: end.start()]} at the end of the file",
            line=text.count("\n") + (0 if text.endswith("\n") else 1),
        )
    return ConfigProblem("", f"not valid TOML: {message}")


def _unknown_field(name: str, fields: list[str]) -> str:
    close = difflib.get_close_matches(name, fields, n=1)
    return "not a field of Config" + (f"; did you mean {close[0]!r}?" if close else "")
