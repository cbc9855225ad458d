"""The command line: validate and table, including wrong arguments."""

import pandas as pd
import pytest

from vipreport.cli import main
from vipreport.datasets import write_exports


def test_table_from_demo(capsys):
    assert main(["table", "referrals-by-area", "--month", "2024-11", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "Southeast" in out and "FYTD" in out and "2024-09" in out


def test_table_csv_matches_api(capsys, demo):
    import io

    import vipreport as vr

    assert main(["table", "referrals-by-area", "--month", "2023-07", "--demo", "--format", "csv"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col=0, keep_default_na=False)
    expected = vr.referrals_by_area(demo, "2023-07")
    assert printed.to_numpy().tolist() == expected.to_numpy().tolist()


def test_validate_lists_every_planted_error(tmp_path, capsys, demo_raw):
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


def test_validate_prints_quality_summary(tmp_path, capsys):
    write_exports(tmp_path)
    assert main(["validate", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "valid" in out and "rows read from referrals.csv" in out and "blank recoded as 'N/A'" in out


@pytest.mark.parametrize("argv, code, message", [
    (["table", "referrals-by-area", "--month", "2024-13", "--demo"], 2, "YYYY-MM"),
    (["table", "referrals-by-area", "--month", "2024-11", "--data", "/nonexistent"], 2, "not found"),
    (["validate", "--data", "/nonexistent"], 2, "not found"),
])
def test_wrong_arguments_give_a_clear_message(capsys, argv, code, message):
    assert main(argv) == code
    assert message in capsys.readouterr().err


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["table", "no-such-table", "--month", "2024-11", "--demo"])
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        main(["table", "referrals-by-area", "--month", "2024-11"])  # neither --data nor --demo
