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
def test_small_benchmark_runs_and_every_baseline_agrees(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--size",
            "small",
            "--data",
            str(tmp_path / "data"),
            "--repeat",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads((tmp_path / "out" / "results.json").read_text())
    runs = report["sizes"]["small"]["runs"]
    assert [(r["impl"], r["threads"] == 1) for r in runs] == [
        ("vipreport", True),
        ("pandas", True),
        ("polars", False),
        ("polars", True),
        ("duckdb", False),
        ("duckdb", True),
    ]
    assert all(r["ratio_to_vipreport"] > 0 for r in runs)
    assert (tmp_path / "out" / "results.md").read_text().startswith("| size |")
    assert (tmp_path / "out" / "scaling.png").stat().st_size > 0


def test_a_difference_between_implementations_is_reported() -> None:
    import pandas as pd

    frame = pd.DataFrame({"month": [str(m) for m in ms.months()], "persons": 5, "failures": 1})
    results = {
        "running": frame.assign(group=0),
        "fixed": frame,
        "engagement": frame.rename(columns={"persons": "notified", "failures": "engaged"}),
        "caseload": frame.rename(columns={"persons": "active_last_day", "failures": "average_daily"}),
        "areas": frame.assign(area_command="Valley").rename(columns={"persons": "referrals", "failures": "fytd"}),
    }
    expected = ms.normalise(results)
    altered = {k: v.copy() for k, v in expected.items()}
    altered["fixed"].loc[3, "failures"] = 2
    problems = ms.differences(expected, altered)
    assert len(problems) == 1 and problems[0].startswith("fixed[3].failures: 2 instead of 1")
    assert ms.differences(expected, expected) == []


@pytest.mark.slow
def test_end_to_end_benchmark_runs_and_the_expert_pipelines_agree(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.e2e",
            "--scales",
            "1",
            "--data",
            str(tmp_path / "data"),
            "--repeat",
            "1",
            "--demo-runs",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads((tmp_path / "out" / "e2e.json").read_text())
    assert len(report["demo_build"]["walls"]) == 1
    assert [(r["scale"], r["format"]) for r in report["runs"]] == [(1.0, "csv"), (1.0, "parquet")]
    for entry in report["runs"]:
        assert set(entry["impls"]) == {"vipreport", "vipreport-4", "duckdb", "polars", "pyarrow"}
        assert all(len(runs) == 1 for runs in entry["impls"].values())
        assert len(entry["build"]) == 1
        numbers = entry["numbers"]  # vipreport's, which DuckDB's and polars' had to equal
        assert numbers["running"]["persons"] > numbers["running"]["failures"] > 0
        assert numbers["engagement"]["notified"] >= numbers["engagement"]["engaged"] > 0
        assert sum(fytd for _, fytd in numbers["areas"].values()) > 0
    assert report["runs"][0]["numbers"] == report["runs"][1]["numbers"]  # CSV and Parquet hold the same data
    for name in ("notifications", "incidents", "services", "referrals"):
        assert (tmp_path / "data" / "scale-1" / "csv" / f"{name}.csv").exists()
        assert (tmp_path / "data" / "scale-1" / "parquet" / f"{name}.parquet").exists()
    assert "| implementation |" in (tmp_path / "out" / "e2e.md").read_text()


def test_a_disagreeing_headline_number_is_reported() -> None:
    from benchmarks import e2e_pipelines as p

    expected = p.headline((100, 7), (20, 11), {"Valley": (3, 9), "N/A": (1, 2)})
    assert expected["areas"]["Southeast"] == [0, 0]
    assert p.differences(expected, expected) == []
    got = p.headline((100, 7), (20, 12), {"Valley": (3, 9), "N/A": (1, 2), "Elsewhere": (1, 1)})
    assert p.differences(expected, got) == [
        "engagement.engaged: 12 instead of 11",
        "areas outside the report's list: ['Elsewhere'] instead of []",
    ]


def test_the_end_to_end_report_says_when_peak_memory_cannot_be_measured(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from benchmarks import e2e

    monkeypatch.setattr(e2e, "TIME", tmp_path / "no-such-time")
    assert not e2e.peak_memory_available()
    _wall, peak, out = e2e.timed([sys.executable, "-c", "print('hi')"], has_time=False)
    assert peak is None and out.strip() == "hi"
    report = {"runs": [], "peak_memory_measured": False, "growth_exponents": {}}
    assert "peak memory NOT measured" in e2e.markdown(report)
