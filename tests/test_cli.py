"""The command line: its commands, its exit statuses and what a user reads on stderr."""

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import vipreport as vr
from vipreport.cli import main
from vipreport.datasets import write_exports

ROOT = Path(__file__).resolve().parents[1]
FUTURE_MONTH = f"{dt.date.today().year + 2}-01"


# The package under test, wherever it was imported from: an installed wheel in
# the nox sessions, the source tree (with a built core) on a developer's path.
IMPORTED_FROM = str(Path(vr.__file__).resolve().parents[1])


def run_module(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``python -m vipreport ...`` in a fresh interpreter that imports the package under test."""
    env = {**os.environ, "PYTHONPATH": IMPORTED_FROM}
    return subprocess.run(
        [sys.executable, "-m", "vipreport", *args], env=env, text=True, capture_output=True, timeout=300, **kwargs
    )


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's tables as CSV exports (every table present)."""
    return write_exports(tmp_path_factory.mktemp("exports"))


# -- commands that work -----------------------------------------------------------


def test_table_from_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "referrals-by-area", "--month", "2024-11", "--demo", "--wide"]) == 0
    out = capsys.readouterr().out
    assert "Southeast" in out and "FYTD" in out and "2024-09" in out


def test_table_csv_matches_api(capsys: pytest.CaptureFixture[str], demo: vr.Dataset) -> None:
    # Tidy rows by default: no row numbers, the month as YYYY-MM, one row per month and area.
    assert main(["table", "referrals-by-area", "--month", "2023-07", "--demo", "--format", "csv"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    expected = vr.referrals_by_area(demo, "2023-07")
    assert printed.columns.tolist() == ["month", "area_command", "referrals", "fytd", "as_of"]
    assert printed["month"].tolist() == expected["month"].astype(str).tolist()
    assert printed[["area_command", "referrals", "fytd"]].to_numpy().tolist() == (
        expected[["area_command", "referrals", "fytd"]].to_numpy().tolist()
    )
    # --wide: the report's layout, areas as rows.
    assert main(["table", "referrals-by-area", "--month", "2023-07", "--demo", "--format", "csv", "--wide"]) == 0
    wide = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col=0, keep_default_na=False)
    assert wide.columns.tolist() == ["2023-05", "2023-06", "2023-07", "FYTD"]
    assert wide.to_numpy().tolist() == expected.vip.wide().to_numpy().tolist()


def test_table_json_gives_months_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "engagement-rate", "--month", "2024-11", "--demo", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["data"][0][printed["columns"].index("month")] == "2024-11"


def test_table_wide_needs_one_figure_per_month(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "engagement-rate", "--month", "2024-11", "--demo", "--wide"]) == 2
    assert "leave out --wide" in capsys.readouterr().err
    assert main(["table", "success-rate", "--month", "2024-11", "--demo", "--wide"]) == 2
    assert "leave out --wide" in capsys.readouterr().err


def test_validate_prints_quality_summary_and_months(exports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--data", str(exports)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "rows read from referrals.csv" in out and "blank recoded as 'N/A'" in out
    # The demo's records run from July 2021 to December 2024: November is the last complete month.
    assert "the records run from 2021-07 to 2024-12; months 2021-07 to 2024-11 can be reported" in out


def test_version_through_python_m() -> None:
    done = run_module("--version")
    assert done.returncode == 0, done.stderr
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert re.fullmatch(r"vipreport \d+\.\d+\S*\n", done.stdout)
    if "version" in pyproject:  # a static version: the command reports the same one
        assert done.stdout == f"vipreport {pyproject['version']}\n"


def test_help_documents_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for line in ("0    success", "1    invalid data", "2    usage error", "70   internal error"):
        assert line in out
    assert main(["build", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--strict" in out and "--json" in out and "--as-of" in out and "70   internal error" in out


# -- 2: usage errors ------------------------------------------------------------------


def test_an_unknown_flag_exits_2_in_a_real_process() -> None:
    done = run_module("build", "--month", "2024-11", "--demo", "--out", "r.pdf", "--colour")
    assert done.returncode == 2
    assert "unrecognized arguments: --colour" in done.stderr
    assert done.stderr.startswith("usage: vipreport build")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--colour"], "required: COMMAND"),
        (["validate", "--data", ".", "--colour"], "unrecognized arguments: --colour"),
        (["table", "no-such-table", "--month", "2024-11", "--demo"], "invalid choice: 'no-such-table'"),
        (["table", "referrals-by-area", "--month", "2024-11"], "one of the arguments --data --demo is required"),
        (["table", "referrals-by-area", "--month", "2024-13", "--demo"], "YYYY-MM"),
        (["table", "referrals-by-area", "--month", "2024-11", "--data", "/nonexistent"], "not found"),
        (["validate", "--data", "/nonexistent"], "data directory not found: /nonexistent"),
        (["validate", "--data", __file__], "not a directory"),
        (["validate", "--data", ".", "--config", "/nonexistent.toml"], "file not found: /nonexistent.toml"),
        (["validate", "--data", ".", "--as-of", "2024-13-01"], "YYYY-MM-DD"),
        (["validate", "--data", ".", "--as-of", f"{dt.date.today().year + 1}-01-01"], "is in the future"),
        (["build", "--month", "2024-11", "--demo", "--out", "r.docx"], ".pdf or .html"),
        (["build", "--month", "2024-11", "--demo", "--out", f"{__file__}/out/r.pdf"], "folder is a file"),
    ],
)
def test_usage_errors_exit_2_with_the_usage_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.startswith("usage: vipreport")
    assert "Traceback" not in err


def test_an_invalid_profile_exits_2(tmp_path: Path, exports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "city.toml"
    profile.write_text("[calendar]\nfiscal_year_start_month = 13\n")
    assert main(["validate", "--data", str(exports), "--config", str(profile)]) == 2
    err = capsys.readouterr().err
    assert "fiscal_year_start_month" in err and "Traceback" not in err


def test_a_missing_salt_variable_exits_2(
    exports: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIPREPORT_TEST_SALT", raising=False)
    assert main(["validate", "--data", str(exports), "--salt-env", "VIPREPORT_TEST_SALT"]) == 2
    assert "VIPREPORT_TEST_SALT is not set" in capsys.readouterr().err


# -- 1: invalid data ---------------------------------------------------------------------


def test_validate_lists_every_planted_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_raw: dict[str, pd.DataFrame]
) -> None:
    tables = {k: v.copy() for k, v in demo_raw.items() if k in ("referrals", "incidents")}
    refs = tables["referrals"].astype({"referral_date": object, "area_command": object})
    refs.loc[4, "area_command"] = "Uptown"
    refs.loc[9, "referral_date"] = "not a date"
    refs.loc[11, "source"] = "Carrier pigeon"
    tables["referrals"] = refs
    tables["incidents"].loc[0, "offense"] = "Jaywalking"
    write_exports(tmp_path, tables)
    assert main(["validate", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "4 problem(s)" in err
    # Physical lines of the file (the header is line 1), and never the cell's value.
    assert "referrals, referrals.csv line 6, column 'area_command': expected one of: Southeast" in err
    assert "referrals, referrals.csv line 11, column 'referral_date'" in err
    assert "referrals, referrals.csv line 13, column 'source'" in err
    assert "incidents, incidents.csv line 2, column 'offense'" in err
    assert "Uptown" not in err and "pigeon" not in err and "Jaywalking" not in err


def test_validate_on_an_empty_folder_is_a_named_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "readme.txt").write_text("the exports go here")
    assert main(["validate", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vipreport: error: no table files in") and "Traceback" not in err
    with pytest.raises(vr.NoDataError):
        vr.load(tmp_path)


@pytest.mark.parametrize(
    "month, message",
    [
        ("2024-12", "2024-12 is after the last complete month of the data (2024-11)"),
        ("2031-01" if FUTURE_MONTH < "2031-01" else FUTURE_MONTH, "is in the future"),
        ("2021-06", "2021-06 is before the first record (2021-07)"),
    ],
)
def test_a_month_the_data_do_not_cover_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], month: str, message: str
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["build", "--month", month, "--demo", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "the records run from 2021-07 to 2024-12" in err  # says what the data cover
    assert "Traceback" not in err
    assert not out.exists()


def test_the_export_date_completes_the_last_month(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["build", "--month", "2024-12", "--demo", "--out", str(out), "--as-of", "2025-01-02"]) == 0
    assert out.exists()
    capsys.readouterr()
    # The demo holds records of 2024-12-31: with an export date before it, they break a rule...
    assert main(["build", "--month", "2024-12", "--demo", "--out", str(out), "--as-of", "2024-12-30"]) == 1
    assert "(rule event_after_as_of)" in capsys.readouterr().err
    # ...and kept, the export date still does not complete December.
    profile = tmp_path / "keep.toml"
    profile.write_text('[rules]\nevent_after_as_of = "keep"\n', "utf-8")
    assert (
        main(
            [
                "build",
                "--month",
                "2024-12",
                "--demo",
                "--out",
                str(out),
                "--as-of",
                "2024-12-30",
                "--config",
                str(profile),
            ]
        )
        == 1
    )
    assert "after the last complete month" in capsys.readouterr().err
    assert main(["table", "referrals-by-area", "--month", "2024-12", "--demo"]) == 1
    assert "after the last complete month" in capsys.readouterr().err


@pytest.fixture(scope="module")
def referrals_only(tmp_path_factory: pytest.TempPathFactory, demo_raw: dict[str, pd.DataFrame]) -> Path:
    return write_exports(tmp_path_factory.mktemp("referrals_only"), {"referrals": demo_raw["referrals"]})


def test_left_out_sections_are_listed_on_stderr_and_in_the_report(
    referrals_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    assert main(["build", "--month", "2024-11", "--data", str(referrals_only), "--out", str(html)]) == 0
    err = capsys.readouterr().err
    assert "vipreport: warning: left out CORA (needs cora_responses)" in err
    assert "vipreport: warning: left out VIP success rate (needs notifications, incidents)" in err
    assert "Left out for lack of data" in html.read_text("utf-8")
    assert main(["build", "--month", "2024-11", "--data", str(referrals_only), "--out", str(pdf)]) == 0
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Sections left out for lack of data" in " ".join(text.split())


def test_strict_turns_a_missing_table_into_exit_1(
    referrals_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.pdf"
    assert main(["build", "--month", "2024-11", "--data", str(referrals_only), "--out", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "vipreport: error: 9 section(s) would be left out for lack of data" in err
    assert not out.exists()
    assert main(["validate", "--data", str(referrals_only), "--strict"]) == 1
    assert "would be left out" in capsys.readouterr().err


def test_a_table_the_data_lack_exits_1(referrals_only: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "cora-totals", "--month", "2024-11", "--data", str(referrals_only)]) == 1
    err = capsys.readouterr().err
    assert "needs the 'cora_responses' table" in err and "Traceback" not in err


# -- 70: internal errors ---------------------------------------------------------------


def _broken_section(self: object) -> None:
    raise RuntimeError("a message quoting a cell value: Jane Roe")


def test_an_internal_error_exits_70_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vipreport.report.build._Sections.vip_referrals", _broken_section)
    out = tmp_path / "r.pdf"
    assert main(["build", "--month", "2024-11", "--demo", "--out", str(out), "-q"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("vipreport: error: internal error: RuntimeError at vipreport/report/build.py:")
    assert "--debug" in err
    assert "Jane Roe" not in err  # the exception's text may hold data: it is not shown
    assert not out.exists()


def test_debug_shows_the_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vipreport.report.build._Sections.vip_referrals", _broken_section)
    assert main(["--debug", "build", "--month", "2024-11", "--demo", "--out", str(tmp_path / "r.pdf")]) == 70
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: a message quoting" in err


def test_an_interrupt_exits_130(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("vipreport.report.build._Sections.vip_referrals", interrupted)
    assert main(["build", "--month", "2024-11", "--demo", "--out", str(tmp_path / "r.pdf")]) == 130
    assert "vipreport: error: interrupted" in capsys.readouterr().err


# -- logging and progress ------------------------------------------------------------------


def test_default_logging_says_what_was_read(
    exports: Path, capsys: pytest.CaptureFixture[str], demo_raw: dict[str, pd.DataFrame]
) -> None:
    assert main(["validate", "--data", str(exports)]) == 0
    err = capsys.readouterr().err
    assert f"vipreport: referrals.csv: {len(demo_raw['referrals']):,} rows read (table referrals)" in err
    assert "debug" not in err


@pytest.mark.parametrize("argv", [["-q", "validate"], ["validate", "--quiet"]])
def test_quiet_silences_info(exports: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main([*argv, "--data", str(exports)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "valid" in captured.out  # the result itself is still printed


@pytest.mark.parametrize("argv", [["-v", "validate"], ["validate", "--verbose"]])
def test_verbose_shows_debug(exports: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main([*argv, "--data", str(exports)]) == 0
    err = capsys.readouterr().err
    assert "vipreport: debug: vipreport.io.load: referrals.csv: table referrals" in err
    assert "vipreport: referrals.csv: " in err and " rows read (table referrals)" in err


def test_quiet_still_shows_warnings(referrals_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["-q", "build", "--month", "2024-11", "--data", str(referrals_only), "--out", str(tmp_path / "r.html")])
        == 0
    )
    err = capsys.readouterr().err
    assert "warning: left out CORA" in err and "rows read" not in err


def test_no_progress_on_a_pipe_and_progress_on_a_terminal(exports: Path) -> None:
    piped = run_module("validate", "--data", str(exports))
    assert piped.returncode == 0
    assert "\r" not in piped.stderr and "rows/s" not in piped.stderr

    import fcntl
    import pty
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 x 100 characters
    env = {**os.environ, "PYTHONPATH": IMPORTED_FROM}
    process = subprocess.Popen(
        [sys.executable, "-m", "vipreport", "validate", "--data", str(exports)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    drawn = b""
    while True:
        try:
            block = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not block:
            break
        drawn += block
    os.close(controller)
    assert process.wait(timeout=300) == 0
    assert b"\rreferrals.csv: 0 rows [00:00" in drawn  # a bar per file, redrawn in place


def test_the_library_does_not_print() -> None:
    import ast

    package = ROOT / "python" / "vipreport"
    printing = []
    for path in package.rglob("*.py"):
        if path.name in ("cli.py", "__main__.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                printing.append(f"{path.relative_to(package)}:{node.lineno}")
    assert printing == []


def test_build_makes_a_missing_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out" / "nested" / "report.html"
    assert main(["build", "--month", "2024-11", "--demo", "--out", str(out)]) == 0
    assert out.read_text("utf-8").lstrip().lower().startswith("<!doctype html")


@pytest.fixture
def arrow_pool() -> Iterator[Any]:  # pyarrow is Any to mypy (no stubs)
    """Restores the process's Arrow memory pool after a test that changes it."""
    pa = pytest.importorskip("pyarrow")
    before = pa.default_memory_pool()
    yield pa
    pa.set_memory_pool(before)


def test_the_command_makes_jemalloc_arrows_pool(arrow_pool: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from vipreport.cli import use_jemalloc

    pa = arrow_pool
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow without jemalloc: the pool is left as it was
        use_jemalloc()
        assert pa.default_memory_pool().backend_name == "system"
        return
    use_jemalloc()
    assert pa.default_memory_pool().backend_name == "jemalloc"


def test_a_pool_chosen_in_the_environment_is_kept(arrow_pool: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from vipreport.cli import use_jemalloc

    pa = arrow_pool
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    pa.set_memory_pool(pa.system_memory_pool())
    use_jemalloc()
    assert pa.default_memory_pool().backend_name == "system"


def test_a_library_call_of_main_leaves_arrows_pool_alone(
    arrow_pool: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pa = arrow_pool
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    pa.set_memory_pool(pa.system_memory_pool())
    assert main(["--version"]) == 0
    assert pa.default_memory_pool().backend_name == "system"
