"""``vipreport validate`` reports everything in one pass: per-file counts, every rule, capped problems, strays."""

import json
from pathlib import Path

import pytest

from vipreport.cli import main

HEADER = "person_id,referral_date,source,area_command"


def write(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, "utf-8")
    return folder


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_each_file_shows_rows_read_loaded_and_each_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # referrals: row 2 repeats row 1 exactly (dropped), row 3 is row 1's person, day and source in
    # another area (a near duplicate, kept): 4 read, 3 loaded. notifications: c was never referred (kept).
    write(
        tmp_path,
        "referrals.csv",
        f"{HEADER}\nZQa,2024-01-02,Hospital,Valley\nZQa,2024-01-02,Hospital,Valley\n"
        "ZQa,2024-01-02,Hospital,Southeast\nZQb,2024-01-03,Hospital,Valley\n",
    )
    write(tmp_path, "notifications.csv", "person_id,notification_date\nZQa,2024-01-05\nZQc,2024-01-06\n")
    code, out, _ = run(["validate", "--data", str(tmp_path)], capsys)
    assert code == 0
    lines = out.splitlines()
    start = lines.index("referrals.csv (referrals): 4 rows read, 3 loaded")
    assert lines[start + 1 : start + 3] == ["    exact_duplicate: 1 dropped", "    near_duplicate: 1 kept"]
    start = lines.index("notifications.csv (notifications): 2 rows read, 2 loaded")
    assert lines[start + 1] == "    notification_without_referral: 1 kept"
    code = main(["validate", "--data", str(tmp_path), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["rows"] == {
        "referrals": {"read": 4, "loaded": 3},
        "notifications": {"read": 2, "loaded": 2},
    }
    assert sorted(map(tuple, (r.values() for r in result["quality_rules"]))) == [
        ("notifications", "notification_without_referral", "kept", 1),
        ("referrals", "exact_duplicate", "dropped", 1),
        ("referrals", "near_duplicate", "kept", 1),
    ]
    assert "ZQ" not in out + json.dumps(result)


def test_problems_are_capped_per_rule_with_a_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 230 impossible dates: the loader lists 200 and counts 30 more; the message shows 20 and says 210 more.
    # 3 unknown areas are all shown. 233 problems in all.
    rows = [f"ZQ{i},2024-02-30,Hospital,Valley" for i in range(230)] + [
        f"ZQx{i},2024-01-02,Hospital,Atlantis" for i in range(3)
    ]
    write(tmp_path, "referrals.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    code, out, err = run(["validate", "--data", str(tmp_path)], capsys)
    assert code == 1
    assert "233 problem(s) in the input:" in err
    assert err.count("(rule") == 0 and err.count("column 'referral_date': expected") == 20
    assert "  ... and 210 more invalid_date problem(s)" in err
    assert err.count("column 'area_command'") == 3 and "more unknown_category" not in err
    assert "referrals.csv (referrals): 233 rows read, not loaded" in out  # counts of the failed load too
    assert "ZQ" not in out + err and "Atlantis" not in err.split("problem(s) in the input:")[0]
    code = main(["validate", "--data", str(tmp_path), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert result["problem_totals"] == {"invalid_date": 230, "unknown_category": 3}
    assert len(result["problems"]) == 200 + 1 + 3  # 200 listed dates, the line counting 30 more, 3 areas
    assert result["rows"] == {"referrals": {"read": 233, "loaded": None}}


def test_an_impossibility_fails_validate_with_its_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "referrals.csv", f"{HEADER}\nZQa,2024-01-02,Hospital,Valley\nZQa,2024-05-02,Hospital,Valley\n")
    write(tmp_path, "deaths.csv", "person_id,death_date\nZQa,2024-03-01\n")
    code = main(["validate", "--data", str(tmp_path), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1 and result["problem_totals"] == {"event_after_death": 1}
    assert [(p["table"], p["row"], p["line"], p["column"], p["rule"]) for p in result["problems"]] == [
        ("referrals", 2, 3, "referral_date", "event_after_death")
    ]
    assert {"table": "referrals", "rule": "event_after_death", "action": "error", "rows": 1} in result["quality_rules"]
    assert "ZQa" not in json.dumps(result) and "2024-05-02" not in json.dumps(result)
    code, out, err = run(["validate", "--data", str(tmp_path), "-v"], capsys)
    assert code == 1 and "referrals.csv line 3, column 'referral_date': dated after the person's recorded death" in err
    for planted in ("ZQa", "2024-05-02", "2024-03-01", "05/02/2024"):  # every channel: stdout, stderr, debug log
        assert planted not in out + err


def test_unmatched_files_warn_and_fail_under_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "referrals.csv", f"{HEADER}\nZQa,2024-01-02,Hospital,Valley\n")
    write(tmp_path, "Payroll 2024.csv", "x\n1\n")
    code, _, err = run(["validate", "--data", str(tmp_path)], capsys)
    assert code == 0 and "Payroll 2024.csv matches no table" in err
    code, _, err = run(["validate", "--data", str(tmp_path), "--strict"], capsys)
    assert code == 1
    assert "1 file(s) in the data folder match no table and would not be read (--strict): Payroll 2024.csv" in err
    code = main(["validate", "--data", str(tmp_path), "--strict", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1 and result["status"] == "invalid-data"
    assert result["unmatched_files"] == ["Payroll 2024.csv"] and result["error"]["type"] == "UnmatchedFilesError"
    assert result["rows"] == {"referrals": {"read": 1, "loaded": 1}}


def test_as_of_on_the_command_line_limits_event_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "referrals.csv", f"{HEADER}\nZQa,2024-01-02,Hospital,Valley\nZQb,2024-12-02,Hospital,Valley\n")
    assert main(["validate", "--data", str(tmp_path)]) == 0
    code, _, err = run(["validate", "--data", str(tmp_path), "--as-of", "2024-11-30"], capsys)
    assert code == 1 and "referrals.csv line 3, column 'referral_date': dated after the date the exports" in err
