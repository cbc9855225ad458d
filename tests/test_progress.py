"""Progress while loading: drawn on a terminal, never into a pipe or a log file."""

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

import vipreport as vr
from vipreport.datasets import write_exports
from vipreport.io.progress import progress_wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    assert progress_wanted(Terminal()) is True
    assert progress_wanted(io.StringIO()) is False
    with open(tmp_path / "log.txt", "w") as log_file:
        assert progress_wanted(log_file) is False
    closed = open(tmp_path / "closed.txt", "w")  # noqa: SIM115 - closed by hand: the test needs a closed file
    closed.close()
    assert progress_wanted(closed) is False  # isatty on a closed file raises ValueError
    assert progress_wanted(object()) is False  # type: ignore[arg-type]  # a stream without isatty


def test_load_draws_nothing_on_a_non_terminal_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_raw: dict[str, pd.DataFrame]
) -> None:
    write_exports(tmp_path, {"referrals": demo_raw["referrals"]})
    vr.load(tmp_path)
    assert capsys.readouterr().err == ""


def test_load_counts_rows_per_file_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_raw: dict[str, pd.DataFrame]
) -> None:
    write_exports(tmp_path, {"referrals": demo_raw["referrals"]}, file_format="parquet")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    vr.load(tmp_path)
    drawn = terminal.getvalue()
    rows = len(demo_raw["referrals"])
    # A parquet file says how many rows it holds, so the bar has a total.
    assert "\rreferrals.parquet:   0%|" in drawn and f"| 0/{rows} [00:00" in drawn
    vr.load(tmp_path, progress=False)
    assert terminal.getvalue() == drawn  # progress=False draws nothing more
