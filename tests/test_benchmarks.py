"""The benchmark code runs at the small size and agrees across implementations (no timing is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import metric_set as ms  # noqa: E402


@pytest.mark.slow
def test_small_benchmark_runs_and_every_baseline_agrees(tmp_path):
    run = subprocess.run([sys.executable, "-m", "benchmarks.run", "--size", "small", "--data", str(tmp_path / "data"),
                          "--repeat", "1", "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    runs = report["sizes"]["small"]["runs"]
    assert [(r["impl"], r["threads"] == 1) for r in runs] == [
        ("vipreport", True), ("pandas", True), ("polars", False), ("polars", True), ("duckdb", False), ("duckdb", True)]
    assert all(r["ratio_to_vipreport"] > 0 for r in runs)
    assert (tmp_path / "out" / "results.md").read_text().startswith("| size |")
    assert (tmp_path / "out" / "scaling.png").stat().st_size > 0


def test_a_difference_between_implementations_is_reported():
    import pandas as pd

    frame = pd.DataFrame({"month": [str(m) for m in ms.months()], "persons": 5, "failures": 1})
    results = {"running": frame.assign(group=0), "fixed": frame,
               "engagement": frame.rename(columns={"persons": "notified", "failures": "engaged"}),
               "caseload": frame.rename(columns={"persons": "active_last_day", "failures": "average_daily"}),
               "areas": frame.assign(area_command="Valley").rename(columns={"persons": "referrals", "failures": "fytd"})}
    expected = ms.normalise(results)
    altered = {k: v.copy() for k, v in expected.items()}
    altered["fixed"].loc[3, "failures"] = 2
    problems = ms.differences(expected, altered)
    assert len(problems) == 1 and problems[0].startswith("fixed[3].failures: 2 instead of 1")
    assert ms.differences(expected, expected) == []
