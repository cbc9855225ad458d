"""Data-quality rules across rows and tables (io/crosstable.py), each under each of its actions.

Every expected count below is worked out by hand from the planted rows; the comments say which rows.
"""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import vipreport as vr
from vipreport.io import coverage

RULES = (
    "exact_duplicate",
    "near_duplicate",
    "conflicting_birth_date",
    "notification_without_referral",
    "never_notified",
    "event_after_death",
    "event_after_as_of",
)
AS_OF = "2024-06-30"
MARK = "ZQXID"  # every planted id starts with it; no message may show it


def pid(letter: str) -> str:
    return f"{MARK}{letter}"


def planted() -> dict[str, pd.DataFrame]:
    """One small program, with one planted case per rule (row numbers are 1-based, as messages give them)."""
    referrals = pd.DataFrame(
        {
            "person_id": [pid("A"), pid("B"), pid("C"), pid("A")],
            "referral_date": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-02"],
            "source": ["Hospital"] * 4,
            # row 4 repeats row 1's person, day and source in another area: a near duplicate
            "area_command": ["Valley", "Valley", "Valley", "Southeast"],
        }
    )
    notifications = pd.DataFrame(
        {
            "person_id": [pid("A"), pid("B"), pid("D"), pid("A")],
            "notification_date": ["2024-01-10", "2024-01-12", "2024-01-15", "2024-02-10"],
            # A's two notifications disagree (rows 1 and 4); D (row 3) was never referred
            "birth_date": ["2000-05-05", "1990-01-01", None, "2000-06-06"],
        }
    )
    services = pd.DataFrame(
        {
            "person_id": [pid("A"), pid("E"), pid("A")],
            # row 2: E was never notified; row 3 is dated after the export date
            "service_date": ["2024-01-20", "2024-01-21", "2024-07-15"],
            "service_type": ["Housing"] * 3,
            "status": ["connected", "requested", "connected"],
        }
    )
    incidents = pd.DataFrame(
        {
            "person_id": [pid("B"), pid("F"), pid("B"), pid("D")],
            # row 2: F never notified; row 3: after B's death on 2024-03-01; row 4: D, notified but never referred
            "incident_date": ["2024-02-01", "2024-02-02", "2024-03-05", "2024-02-03"],
            "offense": ["Shooting", "Larceny", "Shooting", "Larceny"],
        }
    )
    deaths = pd.DataFrame({"person_id": [pid("B")], "death_date": ["2024-03-01"]})
    return {
        "referrals": referrals,
        "notifications": notifications,
        "services": services,
        "incidents": incidents,
        "deaths": deaths,
    }


def with_actions(action: str, config: vr.Config) -> vr.Config:
    return config.replace(quality_rules={rule: action for rule in RULES})


def rule_rows(data: vr.Dataset) -> list[tuple[str, str, str, int]]:
    q = data.quality
    rules = q[q.reason.str.split(":").str[0].isin(RULES)]
    return sorted((t, a, r.split(":")[0], n) for t, a, r, n in rules.itertuples(index=False))


def test_keep_counts_every_planted_row_and_keeps_it(config: vr.Config) -> None:
    data = vr.load(planted(), config=with_actions("keep", config), data_as_of=AS_OF)
    assert rule_rows(data) == sorted(
        [
            ("services", "kept", "event_after_as_of", 1),  # A's service on 2024-07-15
            ("incidents", "kept", "event_after_death", 1),  # B's incident on 2024-03-05
            ("referrals", "kept", "near_duplicate", 1),  # A, 2024-01-02, Hospital again
            ("notifications", "kept", "conflicting_birth_date", 2),  # both of A's notifications
            ("notifications", "kept", "notification_without_referral", 1),  # D
            ("services", "kept", "never_notified", 1),  # E
            ("incidents", "kept", "never_notified", 1),  # F (D was notified)
        ]
    )
    assert {n: len(t) for n, t in data.tables.items()} == {
        "referrals": 4,
        "notifications": 4,
        "services": 3,
        "incidents": 4,
        "deaths": 1,
    }


def test_exclude_drops_in_order_and_later_rules_see_only_what_is_left(config: vr.Config) -> None:
    data = vr.load(planted(), config=with_actions("exclude", config), data_as_of=AS_OF)
    assert rule_rows(data) == sorted(
        [
            ("services", "dropped", "event_after_as_of", 1),
            ("incidents", "dropped", "event_after_death", 1),
            ("referrals", "dropped", "near_duplicate", 1),
            ("notifications", "dropped", "conflicting_birth_date", 2),  # A is no longer notified...
            ("notifications", "dropped", "notification_without_referral", 1),  # ...nor is D
            ("services", "dropped", "never_notified", 2),  # A's service on 2024-01-20 and E's
            ("incidents", "dropped", "never_notified", 2),  # F's and D's (B's late one is already gone)
        ]
    )
    tables = data.tables
    assert list(tables["referrals"].referral_date.dt.day) == [2, 3, 4]
    assert list(tables["notifications"].notification_date.dt.strftime("%m-%d")) == ["01-12"]  # B only
    assert len(tables["services"]) == 0
    assert list(tables["incidents"].incident_date.dt.strftime("%m-%d")) == ["02-01"]  # B's first
    # rows read = rows loaded + rows dropped, per table
    q = data.quality
    for name, frame in tables.items():
        read = q[(q.table == name) & (q.action == "read")].rows.sum()
        dropped = q[(q.table == name) & (q.action == "dropped")].rows.sum()
        assert read == len(frame) + dropped


def test_error_lists_every_row_by_file_line_and_column_never_by_value(tmp_path: Path, config: vr.Config) -> None:
    for name, frame in planted().items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    with pytest.raises(vr.ValidationError) as info:
        vr.load(tmp_path, config=with_actions("error", config), data_as_of=AS_OF)
    found = sorted((p.table, p.row, p.line, p.column, p.rule, p.file) for p in info.value.problems)
    assert found == sorted(
        [  # line = row + 1 (the header is line 1)
            ("services", 3, 4, "service_date", "event_after_as_of", "services.csv"),
            ("incidents", 3, 4, "incident_date", "event_after_death", "incidents.csv"),
            ("referrals", 4, 5, "person_id", "near_duplicate", "referrals.csv"),
            ("notifications", 1, 2, "birth_date", "conflicting_birth_date", "notifications.csv"),
            ("notifications", 4, 5, "birth_date", "conflicting_birth_date", "notifications.csv"),
            ("notifications", 3, 4, "person_id", "notification_without_referral", "notifications.csv"),
            ("services", 2, 3, "person_id", "never_notified", "services.csv"),
            ("incidents", 2, 3, "person_id", "never_notified", "incidents.csv"),
        ]
    )
    text = str(info.value) + repr([p.to_dict() for p in info.value.problems])
    values = {
        str(cell)
        for frame in planted().values()
        for cell in frame.to_numpy().ravel()
        if isinstance(cell, str) and cell not in ("Hospital", "Valley", "Housing", "connected", "requested")
    }
    assert MARK in "".join(values) and not [v for v in values if v in text]
    assert "(rule event_after_death)" in text
    # the counts of the failed load are still there, for validate
    assert ("incidents", "error", "event_after_death") in {
        (t, a, r.split(":")[0]) for t, a, r, _ in info.value.quality.itertuples(index=False)
    }


@pytest.mark.parametrize("action, rows, dropped", [("keep", 4, 0), ("exclude", 2, 2)])
def test_exact_duplicates_are_not_counted_again_as_near_duplicates(
    config: vr.Config, action: str, rows: int, dropped: int
) -> None:
    referrals = pd.DataFrame(
        {
            "person_id": ["a", "a", "b", "a"],
            "referral_date": ["2024-01-02"] * 4,
            "source": ["Hospital"] * 4,
            "area_command": ["Valley"] * 4,
        }
    )
    data = vr.load({"referrals": referrals}, config=config.replace(quality_rules={"exact_duplicate": action}))
    word = "kept" if action == "keep" else "dropped"
    assert rule_rows(data) == [("referrals", word, "exact_duplicate", 2)]  # rows 2 and 4 repeat row 1
    assert len(data.tables["referrals"]) == rows


def test_exact_duplicates_as_errors(config: vr.Config) -> None:
    referrals = pd.DataFrame(
        {
            "person_id": ["a", "a", "b", "a"],
            "referral_date": ["2024-01-02"] * 4,
            "source": ["Hospital"] * 4,
            "area_command": ["Valley"] * 4,
        }
    )
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"referrals": referrals}, config=config.replace(quality_rules={"exact_duplicate": "error"}))
    assert sorted((p.row, p.rule) for p in info.value.problems) == [(2, "exact_duplicate"), (4, "exact_duplicate")]


def test_near_duplicates_need_the_same_person_day_and_type(config: vr.Config) -> None:
    services = pd.DataFrame(
        {
            "person_id": ["a", "a", "a", "a", "b", "a"],
            "service_date": ["2024-01-02", "2024-01-02", "2024-01-02", "2024-01-03", "2024-01-02", "2024-01-02"],
            "service_type": ["Housing", "Housing", "Housing", "Housing", "Housing", "Legal"],
            "status": ["requested", "requested", "connected", "requested", "requested", "requested"],
            "program": ["VIP", "HVIP", "VIP", "VIP", "VIP", "VIP"],
        }
    )
    # row 2 repeats row 1 in another program: near. Row 3 is the same service's progress (another status),
    # row 4 another day, row 5 another person, row 6 another type: none of them.
    data = vr.load({"services": services}, config=config.replace(quality_rules={"near_duplicate": "exclude"}))
    assert rule_rows(data) == [("services", "dropped", "near_duplicate", 1)]
    assert list(data.tables["services"].program) == ["VIP"] * 5


def test_one_birth_date_or_a_blank_is_no_conflict(config: vr.Config) -> None:
    notifications = pd.DataFrame(
        {
            "person_id": ["x", "x", "y", "y", "z"],
            "notification_date": ["2024-01-02", "2024-02-02", "2024-01-02", "2024-02-02", "2024-01-05"],
            "birth_date": ["1999-01-01", "1999-01-01", "1998-03-03", None, "1970-01-01"],
        }
    )
    data = vr.load({"notifications": notifications}, config=config)
    assert rule_rows(data) == []
    notifications.loc[4, "person_id"] = "x"  # now x has 1999-01-01 twice and 1970-01-01 once: 3 rows
    data = vr.load({"notifications": notifications}, config=config)
    assert rule_rows(data) == [("notifications", "kept", "conflicting_birth_date", 3)]


def test_without_an_export_date_the_limit_is_today(monkeypatch: pytest.MonkeyPatch, config: vr.Config) -> None:
    monkeypatch.setattr(coverage, "today", lambda: dt.date(2024, 6, 30))
    data = vr.load(planted(), config=with_actions("keep", config))
    assert ("services", "kept", "event_after_as_of", 1) in rule_rows(data)
    with pytest.raises(vr.ArgumentError, match="after today"):
        vr.load(planted(), config=config, data_as_of="2024-07-01")


def test_rules_between_tables_wait_for_both_tables(config: vr.Config) -> None:
    """Without referrals, a notification cannot be judged unreferred; without deaths, nothing is after one."""
    tables = planted()
    data = vr.load(
        {"notifications": tables["notifications"], "incidents": tables["incidents"]},
        config=with_actions("keep", config),
        data_as_of=AS_OF,
    )
    assert {rule for _, _, rule, _ in rule_rows(data)} == {"conflicting_birth_date", "never_notified"}


def test_the_defaults_and_the_profile_section(config: vr.Config) -> None:
    assert dict(config.quality_rules) == {
        "exact_duplicate": "exclude",
        "near_duplicate": "keep",
        "conflicting_birth_date": "keep",
        "notification_without_referral": "keep",
        "never_notified": "keep",
        "event_after_death": "error",
        "event_after_as_of": "error",
    }
    changed = vr.Config.from_dict({"rules": {"never_notified": "exclude"}})
    assert changed.quality_rules["never_notified"] == "exclude"
    assert changed.quality_rules["event_after_death"] == "error"  # the other keys keep their default
    with pytest.raises(vr.ConfigError) as info:
        vr.Config.from_dict({"rules": {"never_notifed": "keep", "event_after_death": "drop"}})
    text = str(info.value)
    assert "rules.never_notifed: unknown key; did you mean 'never_notified'?" in text
    assert "rules.event_after_death" in text


def test_default_actions_on_the_planted_program(config: vr.Config) -> None:
    """The defaults: impossibilities (after death, after the export date) stop the load; the rest count."""
    with pytest.raises(vr.ValidationError) as info:
        vr.load(planted(), config=config, data_as_of=AS_OF)
    assert sorted(p.rule for p in info.value.problems) == ["event_after_as_of", "event_after_death"]
    tables = planted()
    tables["services"] = tables["services"].head(2)
    tables["incidents"] = tables["incidents"].drop(index=2)
    data = vr.load(tables, config=config, data_as_of=AS_OF)
    assert rule_rows(data) == sorted(
        [
            ("referrals", "kept", "near_duplicate", 1),
            ("notifications", "kept", "conflicting_birth_date", 2),
            ("notifications", "kept", "notification_without_referral", 1),
            ("services", "kept", "never_notified", 1),
            ("incidents", "kept", "never_notified", 1),
        ]
    )


def test_the_demo_breaks_no_rule(demo: vr.Dataset) -> None:
    q = demo.quality
    assert not q.reason.str.split(":").str[0].isin(RULES).any(), q


def test_tables_without_person_ids_are_judged_only_by_date(config: vr.Config) -> None:
    # Two TRC referrals without ids on one day from one source: not near duplicates (no person);
    # one OEP referral with a blank id. Nothing to count but the exact repeat of TRC row 1.
    data = vr.load(
        {
            "trc_referrals": pd.DataFrame(
                {
                    "referral_date": ["2024-01-02"] * 3,
                    "source": ["ACS"] * 3,
                    "discharge_date": ["2024-02-01", "2024-02-01", "2024-03-01"],
                }
            ),
            "oep_referrals": pd.DataFrame({"referral_date": ["2024-01-02"], "person_id": [None]}),
        },
        config=config,
    )
    assert rule_rows(data) == [("trc_referrals", "dropped", "exact_duplicate", 1)]
