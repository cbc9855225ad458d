"""Loading and validating exports: formats, rules, recodings and the quality summary."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vipreport as vr
from vipreport.datasets import write_exports


@pytest.fixture(scope="module")
def small_raw() -> dict[str, pd.DataFrame]:
    return vr.datasets.generate(seed=7, start="2023-07-01", end="2024-03-31", scale=0.5)


def _assert_same_dataset(a: vr.Dataset, b: vr.Dataset) -> None:
    assert sorted(a.tables) == sorted(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_dtype=False, obj=name)


@pytest.mark.parametrize("file_format", ["csv", "parquet", "excel"])
def test_every_file_format_loads_the_same_data(
    tmp_path: Path, small_raw: dict[str, pd.DataFrame], file_format: str
) -> None:
    from_frames = vr.load(small_raw)
    from_files = vr.load(write_exports(tmp_path, small_raw, file_format=file_format))
    _assert_same_dataset(from_frames, from_files)
    assert vr.referrals_by_area(from_files, "2024-02").equals(vr.referrals_by_area(from_frames, "2024-02"))


def _referrals(**columns: list[str]) -> pd.DataFrame:
    base = {
        "person_id": ["a", "b", "c"],
        "referral_date": ["2024-01-02", "2024-01-03", "2024-01-04"],
        "source": ["Law Enforcement"] * 3,
        "area_command": ["Southeast"] * 3,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_every_problem_is_listed_with_table_row_and_column() -> None:
    frame = _referrals(
        referral_date=["2024-01-02", "2024-02-30", "soon"],
        area_command=["Southeast", "Mars", "Valley"],
        source=["Law Enforcement", "Law Enforcement", "Carrier pigeon"],
    )
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"referrals": frame})
    problems = {(p.table, p.row, p.column) for p in info.value.problems}
    assert problems == {
        ("referrals", 2, "referral_date"),
        ("referrals", 3, "referral_date"),
        ("referrals", 2, "area_command"),
        ("referrals", 3, "source"),
    }
    message = str(info.value)
    assert "4 problem(s)" in message
    # What was expected and what kind of value was found, never the value (issue 13: no raw value in messages).
    assert "referrals, row 2, column 'area_command': expected one of: Southeast," in message
    assert "found text of 4 characters" in message
    assert "Mars" not in message and "pigeon" not in message and "soon" not in message


def test_problems_across_tables_are_all_reported() -> None:
    with pytest.raises(vr.ValidationError) as info:
        vr.load(
            {
                "referrals": _referrals().drop(columns="source"),
                "enrollments": pd.DataFrame(
                    {"person_id": ["a"], "start_date": ["2024-03-01"], "end_date": ["2024-02-01"]}
                ),
            }
        )
    found = {(p.table, p.column) for p in info.value.problems}
    assert found == {("referrals", "source"), ("enrollments", "end_date")}


@pytest.mark.parametrize("date", ["1900-01-01", "2200-05-05", "13/45/2024", "2024"])
def test_implausible_or_unreadable_dates_are_errors(date: str) -> None:
    with pytest.raises(vr.ValidationError, match="referral_date"):
        vr.load({"referrals": _referrals(referral_date=["2024-01-01", date, "2024-01-01"])})


def test_us_dates_and_datetime_text_are_read() -> None:
    data = vr.load({"referrals": _referrals(referral_date=["01/02/2024", "2024-01-03 00:00:00", "2024-01-04"])})
    assert data.table("referrals")["referral_date"].dt.day.tolist() == [2, 3, 4]


def test_aliases_and_blanks_are_counted_recodings() -> None:
    frame = _referrals(area_command=["SE", "", "south east"], source=["law enforcement"] * 3)
    data = vr.load({"referrals": frame})
    assert data.table("referrals")["area_command"].tolist() == ["Southeast", "N/A", "Southeast"]
    quality = data.quality.set_index("reason")["rows"]
    assert quality["area_command: alias mapped to its canonical name"] == 1  # SE
    assert quality["area_command: spelling normalised (case, spaces, punctuation)"] == 1  # south east
    assert quality["area_command: blank recoded as 'N/A'"] == 1
    assert quality["source: spelling normalised (case, spaces, punctuation)"] == 3


def test_exact_duplicates_are_dropped_and_counted() -> None:
    frame = pd.concat([_referrals(), _referrals().iloc[[0, 0]]], ignore_index=True)
    data = vr.load({"referrals": frame})
    assert len(data.table("referrals")) == 3
    dropped = data.quality[data.quality.action == "dropped"]
    assert dropped["rows"].tolist() == [2]


def test_row_numbers_survive_dropped_duplicates() -> None:
    frame = pd.concat([_referrals().iloc[[0, 0]], _referrals(area_command=["Nowhere"] * 3).iloc[[0]]])
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"referrals": frame})
    assert [p.row for p in info.value.problems] == [3]


def test_extra_columns_are_not_loaded_and_are_reported() -> None:
    data = vr.load({"referrals": _referrals(name=["Ann", "Bo", "Cy"])})
    assert "name" not in data.table("referrals")
    assert (data.quality.reason == "column 'name' is not used and was not loaded").any()


def test_personal_values_never_appear_in_errors() -> None:
    frame = pd.DataFrame(
        {
            "person_id": ["SECRET-ID-1", ""],
            "notification_date": ["2024-01-01", "2024-01-02"],
            "birth_date": ["1961-13-13", "1990-01-01"],
        }
    )
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"notifications": frame})
    message = str(info.value)
    assert {(p.row, p.column) for p in info.value.problems} == {(1, "birth_date"), (2, "person_id")}
    assert "1961" not in message and "SECRET" not in message


def test_age_at_notification_from_birth_date_and_birth_date_dropped() -> None:
    frame = pd.DataFrame(
        {
            "person_id": ["a", "b", "c"],
            "notification_date": ["2024-02-28", "2024-02-29", "2024-03-01"],
            "birth_date": ["2000-02-29", "2000-02-29", "2000-02-29"],
        }
    )
    notices = vr.load({"notifications": frame}).table("notifications")
    assert "birth_date" not in notices
    # Born on a leap day: the birthday in a leap year is Feb 29.
    assert notices["age"].tolist() == [23, 24, 24]
    assert notices["age_group"].tolist() == ["18-24"] * 3


def test_salted_ids_are_deterministic_and_unlinkable() -> None:
    frame = _referrals()
    a1 = vr.load({"referrals": frame}, salt="one").table("referrals")["person_id"]
    a2 = vr.load({"referrals": frame}, salt="one").table("referrals")["person_id"]
    b = vr.load({"referrals": frame}, salt="two").table("referrals")["person_id"]
    assert a1.tolist() == a2.tolist()
    assert not set(a1) & set(b)
    assert not set(a1) & {"a", "b", "c"}


def test_person_keys_are_shared_across_tables() -> None:
    data = vr.load(
        {
            "referrals": _referrals(),
            "notifications": pd.DataFrame({"person_id": ["c", "a"], "notification_date": ["2024-01-05"] * 2}),
        }
    )
    refs = dict(zip(data.table("referrals").person_id, data.table("referrals").person_key, strict=True))
    notes = dict(zip(data.table("notifications").person_id, data.table("notifications").person_key, strict=True))
    assert notes == {k: refs[k] for k in notes}
    assert len(set(refs.values())) == 3


def test_unknown_offense_is_an_error_unless_mapped(config: vr.Config) -> None:
    incidents = pd.DataFrame(
        {"person_id": ["a", "b"], "incident_date": ["2024-01-01"] * 2, "offense": ["Shooting", "Jaywalking"]}
    )
    with pytest.raises(vr.ValidationError, match="row 2, column 'offense'"):
        vr.load({"incidents": incidents})
    lenient = config.replace(unknown_offense="nonviolent")
    data = vr.load({"incidents": incidents}, config=lenient)
    assert data.table("incidents")["violent"].tolist() == [True, False]
    assert data.quality.reason.str.contains("counted as nonviolent").any()
    explicit = vr.load({"incidents": incidents.assign(violent=["no", "yes"])})
    assert explicit.table("incidents")["violent"].tolist() == [False, True]


def test_csv_edge_cases(tmp_path: Path) -> None:
    (tmp_path / "referrals.csv").write_bytes(
        "\ufeffperson_id,referral_date,source,area_command\r\na,2024-01-02,Law Enforcement,Southeast\r\n".encode(
            "utf-8"
        )
    )
    (tmp_path / "services.csv").write_text("person_id,service_date,service_type,status\n")
    (tmp_path / "incidents.csv").write_bytes(
        "person_id,incident_date,offense\nJos\xe9,2024-01-02,Shooting\n".encode("latin-1")
    )
    data = vr.load(tmp_path)
    assert len(data.table("referrals")) == 1 and len(data.table("services")) == 0
    assert data.quality.reason.str.contains("Windows-1252").any()


def test_an_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "referrals.csv").write_text("")
    with pytest.raises(vr.ValidationError, match="no header row"):
        vr.load(tmp_path)


def test_directory_without_tables_is_a_no_data_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not an export")
    with pytest.raises(vr.NoDataError, match="no table files"):
        vr.load(tmp_path)
    with pytest.raises(vr.ArgumentError, match="not found"):
        vr.load(tmp_path / "missing")


def test_missing_table_is_named(demo: vr.Dataset) -> None:
    data = vr.load({"notifications": pd.DataFrame({"person_id": ["a"], "notification_date": ["2024-01-01"]})})
    with pytest.raises(vr.MissingTableError, match="'referrals' table"):
        vr.referrals_by_area(data, "2024-01")


def test_demo_is_deterministic_and_realistic(demo: vr.Dataset) -> None:
    again = vr.datasets.demo()
    _assert_same_dataset(demo, again)
    refs = demo.table("referrals")
    per_month = refs.groupby(refs.referral_date.dt.to_period("M")).size()
    assert per_month.between(25, 60).mean() > 0.9
    assert demo.date_range is not None
    first, last = demo.date_range
    assert first <= pd.Timestamp("2021-07-01") and last >= pd.Timestamp("2024-12-01")
    assert np.isin(["Southeast", "N/A"], refs.area_command.unique()).all()
