"""``--json`` of validate and build: one object on stdout, parsed and checked field by field."""

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from vipreport.cli import main
from vipreport.datasets import write_exports
from vipreport.errors import RULES

CORPUS = Path(__file__).parent / "data" / "bad"
KEYS = {
    "vipreport",
    "command",
    "status",
    "exit_status",
    "month",
    "source",
    "files",
    "unmatched_files",
    "rows",
    "quality_rules",
    "coverage",
    "problems",
    "problem_totals",
    "missing_sections",
    "outputs",
    "error",
}
PROBLEM_KEYS = {"table", "row", "column", "rule", "description", "file", "line"}


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    result = json.loads(captured.out)  # stdout holds the object and nothing else
    assert set(result) == KEYS
    assert result["exit_status"] == code
    return result, captured.err


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, demo_raw: dict[str, pd.DataFrame]) -> Path:
    return write_exports(tmp_path_factory.mktemp("exports"), demo_raw)


def test_validate_json_on_valid_data(
    exports: Path, capsys: pytest.CaptureFixture[str], demo_raw: dict[str, pd.DataFrame]
) -> None:
    result, _ = run_json(["validate", "--data", str(exports)], capsys)
    assert result["command"] == "validate" and result["status"] == "ok" and result["exit_status"] == 0
    assert result["source"] == str(exports) and result["month"] is None
    assert sorted(f["table"] for f in result["files"]) == sorted(demo_raw)
    for entry in result["files"]:
        assert entry["path"] == str(exports / f"{entry['table']}.csv")
    assert set(result["rows"]) == set(demo_raw)
    for table, frame in demo_raw.items():
        assert result["rows"][table]["read"] == len(frame)
        assert 0 < result["rows"][table]["loaded"] <= len(frame)
    assert result["coverage"] == {
        "first_month": "2021-07",
        "last_record_month": "2024-12",
        "last_complete_month": "2024-11",
    }
    assert result["problems"] == [] and result["missing_sections"] == [] and result["outputs"] == []
    assert result["error"] is None


def test_validate_json_lists_every_problem_without_cell_values(capsys: pytest.CaptureFixture[str]) -> None:
    folder = CORPUS / "impossible_dates"
    result, err = run_json(["validate", "--data", str(folder)], capsys)
    assert result["status"] == "invalid-data" and result["exit_status"] == 1
    assert result["files"] == [{"table": "referrals", "path": str(folder / "referrals.csv")}]
    with open(folder / "referrals.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert result["rows"] == {"referrals": {"read": len(rows) - 1, "loaded": None}}
    assert result["problems"] == [
        {
            "table": "referrals",
            "row": row,
            "column": "referral_date",
            "rule": "invalid_date",
            "description": RULES["invalid_date"],
            "file": "referrals.csv",
            "line": row + 1,
        }  # header on line 1
        for row in (1, 2, 3, 4)
    ]
    assert result["error"] == {"type": "ValidationError", "message": "4 problem(s) in the input:"}
    assert result["problem_totals"] == {"invalid_date": 4} and result["quality_rules"] == []
    text = json.dumps(result)
    cells = {cell for row in rows[1:] for cell in row if len(cell) > 3}  # the dates, sources and areas
    assert cells and not [cell for cell in cells if cell in text]
    assert "4 problem(s) in the input" in err  # and the human-readable list on stderr


def test_validate_json_names_rules_files_and_spreadsheet_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_raw: dict[str, pd.DataFrame]
) -> None:
    """Several kinds of problem at once; each row's physical line is known, in CSV as in a spreadsheet."""
    referrals = demo_raw["referrals"].head(20).astype(object)
    referrals.loc[3, "source"] = "Carrier pigeon"
    referrals.loc[6, "referral_date"] = ""
    enrollments = demo_raw["enrollments"].head(10).copy()
    enrollments.at[2, "end_date"] = enrollments["start_date"][2] - pd.Timedelta(3, unit="D")
    notifications = demo_raw["notifications"].head(5).drop(columns="notification_date")
    write_exports(tmp_path, {"referrals": referrals}, file_format="excel")
    write_exports(tmp_path, {"enrollments": enrollments, "notifications": notifications})
    result, _ = run_json(["validate", "--data", str(tmp_path)], capsys)
    assert result["exit_status"] == 1
    found = sorted(
        (p["table"], p["row"] or 0, p["column"], p["rule"], p["file"], p["line"]) for p in result["problems"]
    )
    assert found == [
        ("enrollments", 3, "end_date", "end_before_start", "enrollments.csv", 4),
        ("notifications", 0, "notification_date", "missing_column", "notifications.csv", None),
        ("referrals", 4, "source", "unknown_category", "referrals.xlsx", 5),  # header on line 1
        ("referrals", 7, "referral_date", "blank_value", "referrals.xlsx", 8),
    ]
    for problem in result["problems"]:
        assert set(problem) == PROBLEM_KEYS and problem["description"] == RULES[problem["rule"]]
    assert "Carrier pigeon" not in json.dumps(result)


def test_validate_json_on_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result, _ = run_json(["validate", "--data", str(tmp_path)], capsys)
    assert result["status"] == "invalid-data" and result["exit_status"] == 1
    assert result["files"] == [] and result["rows"] == {}
    assert result["error"]["type"] == "NoDataError"


def test_build_json_on_the_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    result, _ = run_json(["build", "--month", "2024-11", "--demo", "--out", str(out)], capsys)
    assert result["command"] == "build" and result["status"] == "ok" and result["exit_status"] == 0
    assert result["month"] == "2024-11" and result["source"] == "demo" and result["files"] == []
    assert result["outputs"] == [str(out)] and out.stat().st_size > 10_000
    assert result["missing_sections"] == [] and result["problems"] == [] and result["error"] is None
    assert len(result["rows"]) == 9 and all(r["loaded"] > 0 for r in result["rows"].values())
    assert result["coverage"]["last_complete_month"] == "2024-11"


def test_build_json_lists_left_out_sections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_raw: dict[str, pd.DataFrame]
) -> None:
    data = write_exports(tmp_path / "data", {"referrals": demo_raw["referrals"]})
    out = tmp_path / "report.html"
    result, _ = run_json(["build", "--month", "2024-11", "--data", str(data), "--out", str(out)], capsys)
    assert result["exit_status"] == 0 and result["outputs"] == [str(out)]
    assert "CORA (needs cora_responses)" in result["missing_sections"]
    assert len(result["missing_sections"]) == 9
    result, _ = run_json(
        ["build", "--month", "2024-11", "--data", str(data), "--out", str(tmp_path / "s.html"), "--strict"], capsys
    )
    assert result["exit_status"] == 1 and result["status"] == "invalid-data"
    assert result["outputs"] == [] and result["error"]["type"] == "MissingSectionsError"
    assert len(result["missing_sections"]) == 9


def test_build_json_when_the_month_is_not_covered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result, _ = run_json(["build", "--month", "2024-12", "--demo", "--out", str(tmp_path / "r.pdf")], capsys)
    assert result["exit_status"] == 1 and result["status"] == "invalid-data"
    assert result["error"]["type"] == "MonthOutOfRangeError"
    assert "2024-12 is after the last complete month of the data (2024-11)" in result["error"]["message"]
    assert result["outputs"] == [] and result["coverage"]["last_record_month"] == "2024-12"


def test_build_json_on_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result, err = run_json(["build", "--month", "November", "--demo", "--out", "r.pdf"], capsys)
    assert result["command"] == "build" and result["status"] == "usage-error" and result["exit_status"] == 2
    assert result["error"]["type"] == "UsageError" and "YYYY-MM" in result["error"]["message"]
    assert err.startswith("usage: vipreport build")


def test_build_json_on_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("vipreport.report.build._Sections.cora", broken)
    result, _ = run_json(["build", "--month", "2024-11", "--demo", "--out", str(tmp_path / "r.pdf")], capsys)
    assert result["status"] == "internal-error" and result["exit_status"] == 70
    assert result["error"]["type"] == "ZeroDivisionError"
    assert result["error"]["message"].startswith("internal error: ZeroDivisionError at vipreport/report/")
