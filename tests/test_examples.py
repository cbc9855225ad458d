"""The example scripts run."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"


def test_build_from_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import vipreport as vr

    exports = vr.datasets.write_exports(tmp_path / "exports")
    (exports / "activities.md").write_text("**Outreach:** a test paragraph.")
    monkeypatch.setattr(sys, "argv", ["build_from_csv.py", str(exports), "2024-10", str(tmp_path / "out")])
    runpy.run_path(str(EXAMPLES / "build_from_csv.py"), run_name="__main__")
    assert (tmp_path / "out" / "report-2024-10.pdf").stat().st_size > 10_000
    assert "Outreach" in (tmp_path / "out" / "report-2024-10.html").read_text("utf-8")
    assert "rows read from referrals.csv" in capsys.readouterr().out
