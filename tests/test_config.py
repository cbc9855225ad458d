"""The TOML profile: Albuquerque defaults, another city's overrides, strict checks, the schema."""

import copy
import dataclasses
import datetime as dt
import importlib.util
import json
import pickle
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import vipreport as vr
from vipreport import cli
from vipreport.config import PROFILE_KEYS, ConfigProblem, profile_schema
from vipreport.io.crosstable import ORDER
from vipreport.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = resources.files("vipreport").joinpath("profiles/profile.schema.json")
BUNDLED_FILE = resources.files("vipreport").joinpath("profiles/albuquerque.toml")


def load(tmp_path: Path, text: str) -> vr.Config:
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    return vr.Config.from_toml(path)


def problems_of(tmp_path: Path, text: str) -> vr.ConfigError:
    with pytest.raises(vr.ConfigError) as info:
        load(tmp_path, text)
    return info.value


def schema_accepts(text: str) -> bool:
    """The shipped schema alone, run by jsonschema, on the TOML file's data (dates as strings)."""

    def plain(value: Any) -> Any:  # TOML data: tables, arrays, scalars
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if type(value) is dt.date else value

    validator = jsonschema.Draft202012Validator(
        json.loads(SCHEMA_FILE.read_text("utf-8")), format_checker=jsonschema.FormatChecker()
    )
    return validator.is_valid(plain(tomllib.loads(text)))


# Defaults and partial profiles ------------------------------------------------


def test_albuquerque_defaults(config: vr.Config) -> None:
    assert config.fiscal_year_start_month == 7
    assert config.area_rows == ("Southeast", "Northeast", "Northwest", "Foothills", "Southwest", "Valley", "N/A")
    assert config.success_window_days == 730
    assert config.success_cohort_months == 24
    assert config.age_group_labels[-1] == "Unknown"
    assert config.age_group_code(17) == 0 and config.age_group_code(18) == 1 and config.age_group_code(300) == 4
    assert config.earliest_date == dt.date(2000, 1, 1)
    assert config.max_rows["referrals"] == 50_000_000


def test_another_city_overrides_only_what_it_names(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        'name = "Springfield GVI"\n'
        "[calendar]\nfiscal_year_start_month = 10\n"
        '[areas]\ncommands = ["North", "South"]\nmissing = "Unknown"\n'
        '[areas.aliases]\n"N" = "North"\n'
        "[limits]\nincidents = 1000\n"
        "[[age_groups]]\nlabel = 'young'\nmin = 0\nmax = 25\n",
    )
    assert config.name == "Springfield GVI"
    assert config.fiscal_year_start_month == 10
    assert config.area_rows == ("North", "South", "Unknown")
    assert config.area_aliases == {"N": "North"}  # aliases replace, never merge with Albuquerque's
    assert config.age_groups == (vr.config.AgeGroup("young", 0, 25),)  # arrays replace whole
    assert config.max_rows["incidents"] == 1000 and config.max_rows["referrals"] == 50_000_000
    assert config.success_window_days == 730  # left out: Albuquerque's
    assert config.program_name == "VIOLENCE INTERVENTION PROGRAM"


def test_an_empty_profile_has_albuquerques_definitions_and_neutral_words(tmp_path: Path) -> None:
    empty, albuquerque = load(tmp_path, "# nothing differs\n"), vr.Config.default()
    words = {
        "name",
        "program_name",
        "department",
        "short_name",
        "area_label",
        "contact",
        "logo",
        "colour",
        "introduction_heading",
        "introduction",
        "success_sentence",
        "no_activities",
    }
    words |= {
        f"{page}_{key}"
        for page in ("trc", "cora", "oep")
        for key in ("show", "required", "title", "description", "services")
        if page == "trc" or key != "services"
    }
    same = [f.name for f in dataclasses.fields(vr.Config) if f.name not in words]
    assert {n: getattr(empty, n) for n in same} == {n: getattr(albuquerque, n) for n in same}
    assert empty.name == "Violence intervention program" and empty.department == "" and empty.short_name == ""
    assert empty.trc_title == "Trauma recovery" and not empty.trc_required
    assert all("Albuquerque" not in p.body for p in empty.introduction)


def test_toml_dates_and_date_strings_both_load(tmp_path: Path) -> None:
    config = load(tmp_path, "[validation]\nearliest_date = 2001-02-03\nlatest_date = '2050-01-01'\n")
    assert config.earliest_date == dt.date(2001, 2, 3) and config.latest_date == dt.date(2050, 1, 1)


# Unknown keys -------------------------------------------------------------------


def test_misspelt_key_is_refused_with_the_closest_key(tmp_path: Path) -> None:
    error = problems_of(tmp_path, "[engagement]\nwindow_day = 14\n")
    assert error.problems == [ConfigProblem("engagement.window_day", "unknown key; did you mean 'window_days'?")]
    assert str(error).startswith(str(tmp_path / "city.toml") + ": engagement.window_day: unknown key")


@pytest.mark.parametrize(
    "text, key, suggestion",
    [
        ("[engagment]\nwindow_days = 14\n", "engagment", "did you mean 'engagement'?"),
        ("[limits]\nrefferals = 10\n", "limits.refferals", "did you mean 'referrals'?"),
        (
            "[[age_groups]]\nlabel = 'a'\nmin = 0\nmax = 9\nmaximum = 3\n",
            "age_groups[0].maximum",
            "did you mean 'max'?",
        ),
        # A key written at the top level that belongs in a table:
        ("fiscal_year_start_month = 7\n", "fiscal_year_start_month", "did you mean calendar.fiscal_year_start_month?"),
        # TOML puts a key written after an [[age_groups]] entry into that entry:
        (
            "[[age_groups]]\nlabel = 'a'\nmin = 0\nmax = 9\nsuppress_min = 3\n",
            "age_groups[0].suppress_min",
            "did you mean publication.suppress_min?",
        ),
    ],
)
def test_unknown_keys_at_every_level(tmp_path: Path, text: str, key: str, suggestion: str) -> None:
    (problem,) = problems_of(tmp_path, text).problems
    assert problem.key == key
    assert problem.message.endswith(suggestion)
    assert not schema_accepts(text)


def test_an_unknown_key_with_nothing_close_lists_the_valid_keys(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "[trends]\nzzz = 1\n").problems
    assert problem == ConfigProblem("trends.zzz", "unknown key; valid keys here: months, confidence, min_months")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    error = problems_of(
        tmp_path,
        "window_day = 14\n"
        "[calendar]\nfiscal_year_start_month = 13\n"
        "[engagement]\nwindow_days = '30'\n"
        "[trends]\nconfidence = true\n"
        "[offenses]\nunknown = 'maybe'\n"
        "[[age_groups]]\nlabel = 'a'\nmin = 0\n",
    )
    assert [p.key for p in error.problems] == [
        "age_groups[0].max",
        "calendar.fiscal_year_start_month",
        "engagement.window_days",
        "offenses.unknown",
        "trends.confidence",
        "window_day",
    ]
    assert str(error).splitlines()[0].endswith("6 problems in the profile:")
    assert len(str(error).splitlines()) == 7


# Types, ranges and missing fields ------------------------------------------------


@pytest.mark.parametrize(
    "text, key, message",
    [
        (
            "[engagement]\nwindow_days = '30'\n",
            "engagement.window_days",
            "expected an integer from 1 to 3650, got a string",
        ),
        (
            "[engagement]\nwindow_days = true\n",
            "engagement.window_days",
            "expected an integer from 1 to 3650, got a boolean",
        ),
        ("[engagement]\nwindow_days = 0\n", "engagement.window_days", "expected an integer from 1 to 3650, got 0"),
        (
            "[calendar]\nfiscal_year_start_month = 13\n",
            "calendar.fiscal_year_start_month",
            "expected an integer from 1 to 12, got 13",
        ),
        (
            "[calendar]\nfiscal_year_start_month = 0\n",
            "calendar.fiscal_year_start_month",
            "expected an integer from 1 to 12, got 0",
        ),
        ("[trends]\nconfidence = 1.0\n", "trends.confidence", "expected a number between 0 and 1, got 1.0"),
        ("[trends]\nconfidence = '95%'\n", "trends.confidence", "expected a number between 0 and 1, got a string"),
        ("name = 5\n", "name", "expected a non-empty string, got an integer"),
        ("name = ''\n", "name", "expected a non-empty string, got an empty string"),
        ("calendar = 7\n", "calendar", "expected a table, got an integer"),
        (
            "[areas]\ncommands = 'Southeast'\n",
            "areas.commands",
            "expected an array of strings (at least one), got a string",
        ),
        ("[areas]\ncommands = ['Southeast', 3]\n", "areas.commands[1]", "expected a non-empty string, got an integer"),
        (
            "[areas]\ncommands = []\n",
            "areas.commands",
            "expected an array of strings (at least one), got an empty array",
        ),
        (
            "[services]\nstatuses = ['referred', 'connected', 'referred']\n",
            "services.statuses",
            "lists the same name more than once",
        ),
        ("[offenses]\nunknown = 'maybe'\n", "offenses.unknown", 'expected one of "error" or "nonviolent"'),
        (
            "[validation]\nearliest_date = '2001-02-30'\n",
            "validation.earliest_date",
            "expected a date written YYYY-MM-DD",
        ),
        (
            "[validation]\nearliest_date = 2001-02-03T04:05:06\n",
            "validation.earliest_date",
            "expected a date written YYYY-MM-DD, got a date-time",
        ),
        (
            '[areas.aliases]\n"South East" = 1\n',
            'areas.aliases."South East"',
            "expected a non-empty string, got an integer",
        ),
        ("[limits]\nincidents = 0\n", "limits.incidents", "expected an integer from 1 to 1000000000000, got 0"),
    ],
)
def test_wrong_types_and_ranges_name_the_key_and_what_was_expected(
    tmp_path: Path, text: str, key: str, message: str
) -> None:
    assert problems_of(tmp_path, text).problems == [ConfigProblem(key, message)]
    assert not schema_accepts(text)


def test_a_string_value_is_never_echoed(tmp_path: Path) -> None:
    error = problems_of(tmp_path, "[engagement]\nwindow_days = 'thirty days, or so we said'\n")
    assert "thirty" not in str(error)


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            "[[age_groups]]\nlabel = 'a'\nmin = 0\n",
            ConfigProblem("age_groups[0].max", "missing; expected an integer from 0 to 200"),
        ),
        (
            "[[age_groups]]\nlabel = 'a'\nmin = '0'\nmax = 20\n",
            ConfigProblem("age_groups[0].min", "expected an integer from 0 to 200, got a string"),
        ),
        (
            "[[age_groups]]\nlabel = 'a'\nmin = 30\nmax = 20\n",
            ConfigProblem("age_groups[0]", "'a' has min 30 above max 20"),
        ),
        (
            "[[age_groups]]\nlabel = 'a'\nmin = 0\nmax = 20\n[[age_groups]]\nlabel = 'b'\nmin = 20\nmax = 30\n",
            ConfigProblem("age_groups", "'a' and 'b' overlap (ages 20 to 20 are in both)"),
        ),
        (
            "[[age_groups]]\nlabel = 'a'\nmin = 0\nmax = 9\n[[age_groups]]\nlabel = 'a'\nmin = 10\nmax = 30\n",
            ConfigProblem("age_groups", "two bands are labelled 'a'"),
        ),
        (
            "age_groups = []\n",
            ConfigProblem("age_groups", "expected an array of tables (at least one), got an empty array"),
        ),
        ("age_groups = [5]\n", ConfigProblem("age_groups[0]", "expected a table, got an integer")),
    ],
)
def test_malformed_age_groups_are_config_errors(tmp_path: Path, text: str, problem: ConfigProblem) -> None:
    assert problems_of(tmp_path, text).problems == [problem]


@pytest.mark.parametrize(
    "text, problem",
    [
        (
            '[engagement]\nstatuses = ["finished"]\n',
            ConfigProblem("engagement.statuses", "'finished' is not one of services.statuses"),
        ),
        (
            '[areas.aliases]\n"X" = "Atlantis"\n',
            ConfigProblem(
                "areas.aliases.X", "maps to 'Atlantis', which is neither in areas.commands nor areas.missing"
            ),
        ),
        (
            "[offenses]\nnonviolent = ['homicide']\n",
            ConfigProblem("offenses", "listed as both violent and nonviolent: ['homicide']"),
        ),
        (
            "[referrals]\nsources = ['Self-Referral', 'self referral']\n",
            ConfigProblem(
                "referrals.sources",
                "'Self-Referral' and 'self referral' are the same name (case, spaces, dots and hyphens are ignored)",
            ),
        ),
        (
            "[publication]\nsuppress_min = 5\nsuppress_max = 2\n",
            ConfigProblem("publication", "suppress_max is below suppress_min (use 0 to suppress nothing)"),
        ),
        (
            "[validation]\nearliest_date = 2020-01-01\nlatest_date = 2020-01-01\n",
            ConfigProblem("validation.latest_date", "must be after validation.earliest_date"),
        ),
    ],
)
def test_rules_between_keys(tmp_path: Path, text: str, problem: ConfigProblem) -> None:
    assert problems_of(tmp_path, text).problems == [problem]


def test_a_rule_between_keys_is_reported_with_type_problems(tmp_path: Path) -> None:
    error = problems_of(
        tmp_path,
        "[engagement]\nwindow_days = 'x'\n"
        "[[age_groups]]\nlabel = 'a'\nmin = 0\nmax = 20\n"
        "[[age_groups]]\nlabel = 'b'\nmin = 10\nmax = 30\n",
    )
    assert [p.key for p in error.problems] == ["engagement.window_days", "age_groups"]


def test_accepted_values_at_the_edges(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "[calendar]\nfiscal_year_start_month = 12\n[engagement]\nwindow_days = 1\n"
        "[trends]\nconfidence = 0.5\n[publication]\nsuppress_max = 0\n[offenses]\nnonviolent = []\n",
    )
    assert (config.fiscal_year_start_month, config.engagement_window_days, config.suppress_max) == (12, 1, 0)
    assert config.nonviolent_offenses == ()


# The file itself --------------------------------------------------------------


def test_toml_syntax_error_names_the_file_line_and_column(tmp_path: Path) -> None:
    error = problems_of(tmp_path, "[calendar]\nfiscal_year_start_month = = 7\n")
    (problem,) = error.problems
    assert (problem.line, problem.column) == (2, 27)
    assert str(error).startswith(f"{tmp_path / 'city.toml'}: line 2, column 27: not valid TOML")


def test_toml_cut_short_names_the_last_line(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "name = 'x'\nlist = [1,\n").problems
    assert problem.line == 2 and "end of the file" in problem.message


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(vr.ConfigError, match=r"nope\.toml: file not found"):
        vr.Config.from_toml(tmp_path / "nope.toml")
    (tmp_path / "latin1.toml").write_bytes("name = 'Espa\xf1ola'\n".encode("latin-1"))
    with pytest.raises(vr.ConfigError, match="not UTF-8 text"):
        vr.Config.from_toml(tmp_path / "latin1.toml")


def test_a_long_list_of_problems_is_cut_short_in_the_message(tmp_path: Path) -> None:
    aliases = "".join(f'"a{i}" = {i}\n' for i in range(60))
    error = problems_of(tmp_path, "[areas.aliases]\n" + aliases)
    assert len(error.problems) == 60
    lines = str(error).splitlines()
    assert len(lines) == 52 and lines[-1] == "  ... and 10 more (see .problems)"


def test_config_error_pickles_with_its_problems(tmp_path: Path) -> None:
    error = problems_of(tmp_path, "window_day = 1\nname = 3\n")
    copy_ = pickle.loads(pickle.dumps(error))
    assert copy_.problems == error.problems and str(copy_) == str(error)


# Immutability and sharing ---------------------------------------------------------


def test_config_cannot_be_changed(config: vr.Config) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.engagement_window_days = 14  # type: ignore[misc]  # what mypy refuses, at run time too
    with pytest.raises(TypeError):
        config.area_aliases["X"] = "Southeast"  # type: ignore[index]
    with pytest.raises(TypeError):
        config.max_rows["referrals"] = 1  # type: ignore[index]
    assert isinstance(config.area_commands, tuple) and isinstance(config.age_groups, tuple)


def test_replace_keeps_no_link_to_the_callers_dict(config: vr.Config) -> None:
    limits = {**config.max_rows, "referrals": 7}
    changed = config.replace(max_rows=limits)
    limits["referrals"] = 8
    assert changed.max_rows["referrals"] == 7
    with pytest.raises(TypeError):
        changed.max_rows["referrals"] = 9  # type: ignore[index]


def test_bundled_profiles_are_parsed_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    vr.Config.default(), vr.Config.bundled("riverton")
    real = tomllib.loads
    parsed = []

    def counting(text: str, **kwargs: Any) -> dict[str, Any]:
        parsed.append(len(text))
        return real(text, **kwargs)

    monkeypatch.setattr(tomllib, "loads", counting)
    assert vr.Config.default() is vr.Config.default() is vr.Config.bundled("albuquerque")
    assert vr.Config.bundled("riverton") is vr.Config.bundled("riverton")
    assert parsed == []
    # A city's profile: its own file is read, the Albuquerque base and the neutral words it merges over are not.
    text = "[engagement]\nwindow_days = 14\n"
    load(tmp_path, text)
    assert parsed == [len(text)]


def test_equality_hashing_pickling_and_copies(tmp_path: Path) -> None:
    config = vr.Config.default()
    for other in (
        pickle.loads(pickle.dumps(config)),
        copy.deepcopy(config),
        copy.copy(config),
        vr.Config.from_dict(config.to_dict()),
    ):
        assert other == config and hash(other) == hash(config)
    restored = pickle.loads(pickle.dumps(config))
    with pytest.raises(TypeError):
        restored.area_aliases["X"] = "Southeast"
    assert len({config, restored, config.replace(trend_months=12)}) == 2
    assert config.replace(area_aliases={"SE": "Southeast"}) != config  # the tables count in equality
    assert dataclasses.asdict(config)["max_rows"] == dict(config.max_rows)


def test_to_dict_round_trips(tmp_path: Path) -> None:
    city = load(tmp_path, "[engagement]\nwindow_days = 14\n[limits]\nincidents = 99\n")
    for config in (vr.Config.default(), city):
        assert vr.Config.from_dict(config.to_dict()) == config
    assert schema_accepts_document(city.to_dict())


def schema_accepts_document(document: Any) -> bool:  # any JSON value
    return jsonschema.Draft202012Validator(profile_schema()).is_valid(document)


def test_replace_is_checked_like_a_profile(config: vr.Config) -> None:
    assert config.replace(engagement_window_days=14).engagement_window_days == 14
    with pytest.raises(vr.ConfigError, match=r"engagement\.window_days: expected an integer .*, got a boolean"):
        config.replace(engagement_window_days=True)
    with pytest.raises(
        vr.ConfigError,
        match=r"engagement_window_day: not a field of Config; "
        r"did you mean 'engagement_window_days'\?",
    ):
        config.replace(engagement_window_day=14)


# The schema ---------------------------------------------------------------------------


def test_bundled_profile_is_valid_under_the_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    document = tomllib.loads(BUNDLED_FILE.read_text("utf-8"))
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())


def _walk(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (dotted path, subschema) in the schema; array entries as `name[]`; deprecated names left out."""
    yield path, schema
    for name, sub in schema.get("properties", {}).items():
        if sub.get("deprecated"):
            continue
        yield from _walk(sub, f"{path}.{name}" if path else name)
    if isinstance(schema.get("items"), dict) and schema["items"].get("type") == "object":
        yield from _walk(schema["items"], f"{path}[]")


def test_bundled_profile_gives_every_key_of_the_schema() -> None:
    """So that every key a city leaves out has an Albuquerque value to keep."""
    document = tomllib.loads(BUNDLED_FILE.read_text("utf-8"))
    for path, _sub in _walk(profile_schema()):
        if not path or "[]" in path or (path.startswith("limits.") and path != "limits.default_max_rows"):
            continue
        node = document
        for part in path.split("."):
            assert part in node, path
            node = node[part]


def test_schema_and_config_fields_agree() -> None:
    fields = {f.name for f in dataclasses.fields(vr.Config)}
    assert set(PROFILE_KEYS) == fields
    leaves = {
        path
        for path, sub in _walk(profile_schema())
        if path and "properties" not in sub and "[]" not in path and not path.startswith(("limits.", "rules."))
    }
    assert leaves == set(PROFILE_KEYS.values()) - {"limits", "rules"}
    assert set(profile_schema()["properties"]["limits"]["properties"]) == {"default_max_rows", *TABLES}
    # [rules] names every data-quality rule the loader applies, and nothing else
    assert set(profile_schema()["properties"]["rules"]["properties"]) == {"exact_duplicate", *ORDER}


def test_every_key_is_described_and_closed_to_unknown_keys() -> None:
    for path, sub in _walk(profile_schema()):
        assert sub.get("description"), path or "(top)"
        if sub.get("type") == "object":
            # Tables keyed by the export's own names stay open: the aliases, and the reader's file
            # patterns and database tables and queries (keys checked against the tables by a rule)
            # and column mapping.
            open_tables = {
                "areas.aliases": {"type": "string", "minLength": 1},
                "files.columns": {"type": "string", "minLength": 1},
                "sql.tables": {"type": "string", "minLength": 1},
                "sql.queries": {"type": "string", "minLength": 1},
                "files.patterns": {"type": "array", "items": {"type": "string", "minLength": 1}},
            }
            expected = open_tables.get(path, False)
            assert sub["additionalProperties"] == expected, path


@pytest.mark.parametrize(
    "text",
    [
        "[engagement]\nwindow_days = 14\n",
        "[validation]\nearliest_date = 2001-01-01\n",
        "[[age_groups]]\nlabel = 'all'\nmin = 0\nmax = 200\n",
        '[areas.aliases]\n"S E" = "Southeast"\n',
    ],
)
def test_schema_accepts_what_the_loader_accepts(tmp_path: Path, text: str) -> None:
    load(tmp_path, text)
    assert schema_accepts(text)


# The command line -------------------------------------------------------------------


def test_cli_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "--schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(SCHEMA_FILE.read_text("utf-8"))


def test_cli_checks_a_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.toml"
    good.write_text("[engagement]\nwindow_days = 14\n")
    assert cli.main(["config", "--check", str(good)]) == 0
    assert "valid profile" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text("window_day = 14\n[trends]\nmonths = 'x'\n")
    assert cli.main(["config", "--check", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "window_day: unknown key" in err and "trends.months: expected an integer" in err


def test_cli_config_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config"]) == 2
    assert "one of the arguments --schema --check is required" in capsys.readouterr().err


# The docs ------------------------------------------------------------------------------


def test_profile_docs_are_generated_from_the_schema() -> None:
    spec = importlib.util.spec_from_file_location("make_profile_md", ROOT / "docs" / "make_profile_md.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "profile.md").read_text("utf-8") == module.render(), (
        "docs/profile.md is out of date: python docs/make_profile_md.py > docs/profile.md"
    )
