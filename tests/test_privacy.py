"""Personal data stays in: planted raw ids, names and birth dates reach no output channel."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

import vipreport as vr
from vipreport.datasets import write_exports

ID_MARK, NAME_MARK, BIRTH_MARK = "ZQXID", "Zqxname Plantedsurname", "1961-07-04"
SALT = "test-salt-not-secret"


def planted_tables() -> dict[str, pd.DataFrame]:
    tables = vr.datasets.generate(seed=11, start="2022-07-01", end="2024-11-30", scale=0.5)
    for frame in tables.values():
        if "person_id" in frame:
            frame["person_id"] = ID_MARK + frame["person_id"].astype(str)
    tables["referrals"]["name"] = NAME_MARK
    notes = tables["notifications"]
    notes["name"] = NAME_MARK
    notes["birth_date"] = pd.Timestamp(BIRTH_MARK)
    return tables


def assert_clean(text: str, where: str) -> None:
    for mark in (ID_MARK, NAME_MARK, "Zqxname", BIRTH_MARK, "07/04/1961"):
        assert mark.lower() not in text.lower(), f"{mark!r} found in {where}"


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_exports(tmp_path_factory.mktemp("exports"), planted_tables())


def test_markers_are_really_in_the_input(exports: Path) -> None:
    text = (exports / "notifications.csv").read_text()
    assert ID_MARK in text and NAME_MARK in text and BIRTH_MARK in text


def test_no_marker_in_dataset_tables_report_or_logs(
    exports: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="vipreport")
    data = vr.load(exports, salt=SALT)
    for name, frame in data.tables.items():
        assert_clean(frame.to_csv(), f"the {name} table")
    assert_clean(data.quality.to_csv(), "the quality summary")
    report = vr.build_report(data, "2024-11", data_as_of="2024-11-30")  # generated up to that day
    for key, table in report.tables.items():
        assert_clean(table.to_csv(), f"report table {key}")
    pdf = report.to_pdf(tmp_path / "r.pdf")
    assert_clean("\n".join(p.extract_text() for p in PdfReader(pdf).pages), "the PDF text")
    assert_clean(pdf.read_bytes().decode("latin-1"), "the PDF bytes")
    assert_clean(report.to_html(tmp_path / "r.html").read_text("utf-8"), "the HTML")
    assert_clean(
        vr.build_report(data, "2024-11", public=True, data_as_of="2024-11-30")._repr_html_(), "the notebook view"
    )
    assert_clean(caplog.text, "the log")
    assert caplog.records  # the loader does log


def test_no_marker_in_error_messages(exports: Path, tmp_path: Path) -> None:
    broken = planted_tables()
    notes = broken["notifications"].astype({"birth_date": object})
    notes.loc[3, "birth_date"] = "1961-07-44"  # an impossible birth date
    notes.loc[4, "person_id"] = ""  # a blank id beside planted ones
    broken["notifications"] = notes
    broken["referrals"].loc[2, "referral_date"] = pd.NaT
    with pytest.raises(vr.ValidationError) as info:
        vr.load(broken, salt=SALT)
    assert {p.column for p in info.value.problems} == {"birth_date", "person_id", "referral_date"}
    assert_clean(str(info.value), "the ValidationError")
    assert_clean(repr(info.value.problems), "the problem list")


def test_no_marker_on_the_command_line(exports: Path, tmp_path: Path) -> None:
    env = {**os.environ, "VIP_SALT": SALT}
    as_of = ["--as-of", "2024-11-30"]  # the planted tables end on that day
    for args in (
        ["validate", "--data", str(exports), "--salt-env", "VIP_SALT", "-vv"],
        ["validate", "--data", str(exports), "--json"],
        [
            "build",
            "--month",
            "2024-11",
            "--data",
            str(exports),
            "--salt-env",
            "VIP_SALT",
            "--out",
            str(tmp_path / "r.pdf"),
            *as_of,
            "-v",
            "--json",
        ],
        ["table", "success-by-age", "--month", "2024-11", "--data", str(exports), "--salt-env", "VIP_SALT", *as_of],
        ["build", "--month", "2024-11", "--data", str(exports), "--out", str(tmp_path / "r.html"), *as_of],
    ):
        run = subprocess.run([sys.executable, "-m", "vipreport.cli", *args], capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr
        assert_clean(run.stdout + run.stderr, f"vipreport {args[0]} output")


def test_pseudonyms_are_deterministic_and_unlinkable(exports: Path) -> None:
    one = vr.load(exports, salt="salt-one").table("notifications")["person_id"]
    again = vr.load(exports, salt="salt-one").table("notifications")["person_id"]
    other = vr.load(exports, salt="salt-two").table("notifications")["person_id"]
    assert one.tolist() == again.tolist()
    assert not set(one) & set(other)
    assert one.astype(str).str.fullmatch(r"[0-9a-f]{20}").all()
