"""The ledger of claims (build --record), diff between records, and vipreport reconcile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import vipreport as vr
from vipreport.cli import main
from vipreport.published import parse_document, read_document
from vipreport.published.diff import changes_between
from vipreport.published.ledger import record_document, table_fingerprints

LATE_REFERRAL = "P0000000,2024-10-15,Community,Valley,VIP\n"  # one Valley / Community / VIP referral in October


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    vr.datasets.write_exports(folder, vr.datasets.generate(seed=0))
    return folder


def _record(data: Path, folder: Path, month: str = "2024-11", *extra: str) -> Path:
    assert (
        main(
            [
                "-q",
                "build",
                "--data",
                str(data),
                "--month",
                month,
                "--out",
                str(folder / "r.html"),
                "--record",
                str(folder / "rec"),
                *extra,
            ]
        )
        == 0
    )
    return folder / "rec" / f"{month}.json"


def _late(exports: Path, tmp_path: Path) -> Path:
    late = tmp_path / "late"
    late.mkdir()
    for file in exports.iterdir():
        (late / file.name).write_bytes(file.read_bytes())
    with (late / "referrals.csv").open("a") as f:
        f.write(LATE_REFERRAL)
    return late


def test_record_holds_every_printed_count_table_and_headline(exports: Path, tmp_path: Path) -> None:
    path = _record(exports, tmp_path)
    doc = read_document(path)  # readable by the published-figures reader, so audit reads it too
    report = vr.build_report(vr.load(exports, progress=False), "2024-11")
    assert set(doc.tables) >= {"vip.referrals_by_area", "vip.referral_sources", "cora.incidents_by_type"}
    for name, table in doc.tables.items():
        pd.testing.assert_frame_equal(table, report.tables[name], check_names=False, check_index_type=False)
    assert doc.scalars["vip.active_caseload"] == report.scalars["vip.active_caseload"]
    provenance = doc.provenance
    assert provenance is not None
    assert provenance["as_of"] == "2024-11-30" and provenance["package"] == vr.__version__
    assert provenance["tables"]["referrals"]["rows"] == (exports / "referrals.csv").read_text().count("\n") - 1
    engagement = report.tables["vip.engagement"].iloc[-1]
    assert provenance["figure_rows"]["vip.engagement_rate_pct"] == {
        "numerator": int(engagement["engaged"]),
        "denominator": int(engagement["notified"]),
    }
    assert vr.audit([path]).empty


def test_record_carries_no_identifier(exports: Path, tmp_path: Path) -> None:
    text = _record(exports, tmp_path).read_text()
    ids = pd.read_csv(exports / "referrals.csv", dtype=str)["person_id"]
    assert not any(i in text for i in ids.unique())


def test_fingerprints_ignore_row_order_and_see_one_changed_cell(demo: vr.Dataset) -> None:
    tables = dict(demo.tables)
    shuffled = vr.Dataset(
        {**tables, "referrals": tables["referrals"].sample(frac=1, random_state=1)},
        demo.quality,
        demo.config,
        demo.activities_text,
    )
    edited_referrals = tables["referrals"].copy()
    dates = edited_referrals["referral_date"].to_numpy().copy()
    dates[0] = dates[0] + np.timedelta64(1, "D")  # one day later, in one row
    edited_referrals["referral_date"] = dates
    edited = vr.Dataset({**tables, "referrals": edited_referrals}, demo.quality, demo.config, demo.activities_text)
    before = table_fingerprints(demo)
    assert table_fingerprints(shuffled) == before
    after = table_fingerprints(edited)
    assert after["referrals"]["sha256"] != before["referrals"]["sha256"]
    assert {k: v for k, v in after.items() if k != "referrals"} == {k: v for k, v in before.items() if k != "referrals"}


def _doc(scalars: dict[str, float], provenance: dict[str, Any] | None = None) -> vr.published.PublishedReport:
    raw: dict[str, Any] = {"report_month": "2024-11", "scalars": scalars}
    if provenance is not None:
        raw["provenance"] = provenance
    return parse_document(raw)


def test_diff_sizes_and_thresholds_by_hand() -> None:
    # Profile default: flagged when the change is above 1 AND above 5% of the old value.
    old = _doc({"a": 48, "b": 7, "c": 100, "d": 0, "same": 3})
    new = _doc({"a": 49, "b": 12, "c": 103, "d": 2, "same": 3})
    changes = vr.diff(old, new).set_index("figure")
    assert list(changes.index) == ["a", "b", "c", "d"]
    assert changes["change"].tolist() == [1, 5, 3, 2]
    assert changes.loc["b", "relative_change"] == pytest.approx(5 / 7)
    # a: 1 is not above 1; b: 5 > 1 and 71% > 5%; c: 3 > 1 but 3% < 5%; d: from zero, any change above 1.
    assert changes["beyond_threshold"].tolist() == [False, True, False, True]
    looser = vr.Config.default().replace(restatement_absolute=0.0, restatement_relative=0.0)
    assert vr.diff(old, new, config=looser)["beyond_threshold"].all()


def test_diff_names_what_changed_in_the_provenance() -> None:
    base: dict[str, Any] = {
        "package": "0.1.0",
        "edition": "internal",
        "profile_sha256": "p1",
        "data_sha256": "d1",
        "profile": {"engagement": {"window_days": 30}, "name": "X"},
        "tables": {"referrals": {"rows": 10, "sha256": "r1"}, "deaths": {"rows": 2, "sha256": "x"}},
    }
    late = {**base, "data_sha256": "d2", "tables": {**base["tables"], "referrals": {"rows": 11, "sha256": "r2"}}}
    assert changes_between(base, late) == [
        "the data changed (referrals: 10 rows then, 11 now)",
        "the definitions did not",
    ]
    redefined = {**base, "profile_sha256": "p2", "profile": {"engagement": {"window_days": 45}, "name": "X"}}
    assert changes_between(base, redefined) == ["the definitions changed (engagement.window_days: 30 to 45)"]
    assert changes_between(base, dict(base)) == ["neither the data nor the definitions changed"]
    # A record from before [recidivism] was renamed [success]: the same definitions under the old name.
    before = {**base, "profile_sha256": "p0", "profile": {**base["profile"], "recidivism": {"cohort_months": 24}}}
    after = {**base, "profile": {**base["profile"], "success": {"cohort_months": 24}}}
    assert changes_between(before, after) == ["neither the data nor the definitions changed"]
    shorter = {**after, "profile": {**base["profile"], "success": {"cohort_months": 12}}}
    assert changes_between(before, shorter) == ["the definitions changed (success.cohort_months: 24 to 12)"]
    assert "no provenance" in vr.diff(_doc({"a": 1}), _doc({"a": 5}))["cause"].iloc[0]


def test_a_late_entry_changes_exactly_the_cells_it_belongs_to(exports: Path, tmp_path: Path) -> None:
    first = _record(exports, tmp_path / "first")
    second = _record(_late(exports, tmp_path), tmp_path / "second")
    changes = vr.diff(first, second)
    # One October referral from Valley, source Community, program VIP: its month and FYTD cells, and the total.
    assert sorted(changes["figure"]) == sorted(
        [
            "vip.referrals_by_area[Valley, 2024-10]",
            "vip.referrals_by_area[Valley, FYTD]",
            "vip.referral_sources[Community, 2024-10]",
            "vip.referral_sources[Community, FYTD]",
            "vip.referrals_by_program[VIP, 2024-10]",
            "vip.referrals_by_program[VIP, FYTD]",
            "vip.fytd_totals[Referrals, FYTD]",
        ]
    )
    assert changes["change"].eq(1).all()
    rows = (exports / "referrals.csv").read_text().count("\n") - 1
    assert set(changes["cause"]) == {
        f"the data changed (referrals: {rows:,} rows then, {rows + 1:,} now); the definitions did not"
    }


def test_diff_command_json_and_exit_status(exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _record(exports, tmp_path)
    raw = json.loads(path.read_text())
    raw["tables"]["vip.referrals_by_area"]["rows"]["Valley"][3] += 10
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(raw))
    capsys.readouterr()
    assert main(["diff", str(path), str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == 0
    assert main(["diff", str(path), str(edited), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["beyond_threshold"] == 1
    assert out["figures"][0]["figure"] == "vip.referrals_by_area[Valley, FYTD]"
    assert out["figures"][0]["change"] == 10


def test_reconcile_exits_1_on_an_unexplained_difference(
    exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _record(exports, tmp_path)
    assert main(["-q", "reconcile", str(path), "--data", str(exports)]) == 0
    raw = json.loads(path.read_text())
    raw["scalars"]["vip.active_caseload"] += 3
    edited = tmp_path / "edited" / "2024-11.json"
    edited.parent.mkdir()
    edited.write_text(json.dumps(raw))
    capsys.readouterr()
    assert main(["-q", "reconcile", str(edited.parent), "--data", str(exports), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["unexplained"] == 1
    (row,) = [r for r in out["rows"] if r["status"] != "agrees"]
    assert row["figure"] == "vip.active_caseload" and row["published"] == row["computed"] + 3
    expected = tmp_path / "expected.toml"
    expected.write_text('[[restatement]]\nfigure = "2024-11::vip.active_caseload"\nreason = "hand edit"\n')
    assert main(["-q", "reconcile", str(edited), "--data", str(exports), "--expected", str(expected)]) == 0
    assert "known restatement: hand edit" in capsys.readouterr().out


def test_reconcile_after_a_late_entry_says_the_data_changed(
    exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _record(exports, tmp_path)
    capsys.readouterr()
    assert main(["-q", "reconcile", str(path), "--data", str(_late(exports, tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "7 differ" in out
    assert "the data changed (referrals:" in out and "the definitions did not" in out


def test_record_of_the_public_edition_lists_the_hidden_cells(demo: vr.Dataset) -> None:
    report = vr.build_report(demo, "2024-11", public=True)
    provenance = record_document(report, demo)["provenance"]
    assert provenance["edition"] == "public"
    hidden = {
        f"{name}[{row}, {column}]"
        for name, mask in report.masks.items()
        for row in mask.index
        for column in mask.columns
        if mask.loc[row, column]
    }
    recorded = {f for f in provenance["suppressed"] if "[" in f}
    assert hidden and recorded == {f for f in hidden if f.split("[")[0] in record_document(report, demo)["tables"]}


def test_build_record_warns_when_it_restates_recorded_months(
    exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _record(exports, tmp_path, "2024-10")
    _record(exports, tmp_path, "2024-11")
    assert "restates" not in capsys.readouterr().err
    late = _late(exports, tmp_path)
    with (late / "referrals.csv").open("a") as f:
        # Five late October referrals from Valley in all (an exact repeat would be dropped as a duplicate),
        # so Valley's October moves by 5: beyond both thresholds (above 1, and above 5% of the old value).
        f.writelines(LATE_REFERRAL.replace("2024-10-15", f"2024-10-{day}") for day in (11, 12, 13, 14))
    _record(late, tmp_path, "2024-11")
    err = capsys.readouterr().err
    assert "2024-11: " in err and "differ from the record this build replaced" in err
    assert "2024-11 restates" in err and "recorded in 2024-10.json" in err
    assert "vip.referrals_by_area[Valley, 2024-10]" in err
