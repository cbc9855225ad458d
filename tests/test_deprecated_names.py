"""Old public names still work for one release, and say where the code went."""

import importlib
import sys
from pathlib import Path

import pandas as pd
import pytest

import vipreport as vr
from vipreport import cli


def test_vipreport_testing_warns_and_gives_the_moved_reconstruct() -> None:
    from vipreport.published import reconstruct as moved

    sys.modules.pop("vipreport.testing", None)
    with pytest.warns(DeprecationWarning, match=r"vipreport\.published\.reconstruct"):
        old = importlib.import_module("vipreport.testing")
    assert old.reconstruct is moved.reconstruct
    assert old.ReconstructionError is moved.ReconstructionError


def test_vipreport_publication_warns_and_gives_the_suppression_rules() -> None:
    import vipreport.suppression as moved

    sys.modules.pop("vipreport.publication", None)
    with pytest.warns(DeprecationWarning, match=r"vipreport\.suppression"):
        old = importlib.import_module("vipreport.publication")
    for name in old.__all__:
        assert getattr(old, name) is getattr(moved, name), name
    assert set(old.__all__) >= {"suppression_mask", "linked_suppression", "primary_mask", "unstable", "SUPPRESSED"}


# The success rate's profile section and Config fields were called "recidivism" ------------------------------


def _profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_old_profile_section_is_read_with_a_warning_naming_the_new_one(tmp_path: Path) -> None:
    path = _profile(tmp_path, "[recidivism]\nwindow_days = 365\ncohort_months = 12\ndeaths = 'failure'\n")
    with pytest.warns(DeprecationWarning, match=r"\[recidivism\] is deprecated: rename it \[success\]") as caught:
        config = vr.Config.from_toml(path)
    assert caught[0].filename == __file__  # points at the caller, where Python shows it
    assert (config.success_window_days, config.success_cohort_months, config.success_deaths) == (365, 12, "failure")
    renamed = vr.Config.from_toml(_profile(tmp_path, "[success]\nwindow_days = 365\ncohort_months = 12\n"))
    assert config == renamed.replace(success_deaths="failure")
    assert config.to_dict()["success"] == {"window_days": 365, "cohort_months": 12, "deaths": "failure"}
    assert "recidivism" not in config.to_dict()


def test_a_profile_with_both_sections_is_refused_naming_both(tmp_path: Path) -> None:
    path = _profile(tmp_path, "[recidivism]\nwindow_days = 365\n[success]\nwindow_days = 400\n")
    with pytest.raises(vr.ConfigError) as info:
        vr.Config.from_toml(path)
    assert [p.key for p in info.value.problems] == ["recidivism"]
    assert "[success]" in str(info.value) and "recidivism" in str(info.value)


def test_a_problem_in_the_old_section_is_named_as_the_file_writes_it(tmp_path: Path) -> None:
    with pytest.raises(vr.ConfigError) as info:
        vr.Config.from_toml(_profile(tmp_path, "[recidivism]\nwindow_days = 0\nwindow_day = 3\n"))
    keys = sorted(p.key for p in info.value.problems)
    assert keys == ["recidivism.window_day", "recidivism.window_days"]
    assert "did you mean 'window_days'?" in str(info.value)


def test_the_old_field_names_read_and_replace_with_a_warning(config: vr.Config) -> None:
    for old, new in (
        ("recidivism_window_days", "success_window_days"),
        ("recidivism_cohort_months", "success_cohort_months"),
        ("recidivism_deaths", "success_deaths"),
    ):
        with pytest.warns(DeprecationWarning, match=rf"Config\.{old} is deprecated: use Config\.{new}") as caught:
            assert getattr(config, old) == getattr(config, new)
        assert caught[0].filename == __file__
    with pytest.warns(DeprecationWarning, match=r"use Config\.success_window_days") as caught:
        changed = config.replace(recidivism_window_days=60)
    assert caught[0].filename == __file__
    assert changed.success_window_days == 60 and changed == config.replace(success_window_days=60)
    with pytest.raises(vr.ConfigError, match=r"recidivism_cohort_months: is the deprecated name of success_cohort"):
        config.replace(recidivism_cohort_months=6, success_cohort_months=12)


def test_the_cli_logs_the_old_section_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _profile(tmp_path, "[recidivism]\ncohort_months = 12\n")
    assert cli.main(["config", "--check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "a valid profile" in out
    assert "warning" in err and "[recidivism] is deprecated: rename it [success]" in err


def test_the_old_series_names_give_the_renamed_series_with_a_warning(demo: vr.Dataset) -> None:
    for old, new, method in (
        ("success_rate", "success_rate_running", "running"),
        ("fixed_success_rate", "success_rate_fixed", "fixed"),
    ):
        with pytest.warns(DeprecationWarning, match=rf"'{old}' is deprecated: use '{new}'") as caught:
            frame = vr.series(demo, old, months=3, end="2024-11")
        assert caught[0].filename == __file__
        pd.testing.assert_frame_equal(frame, vr.series(demo, new, months=3, end="2024-11"))
        assert set(frame["method"]) == {method}
        assert old not in vr.metrics.series_metrics() and new in vr.metrics.series_metrics()


def test_the_old_cli_series_tables_still_print(capsys: pytest.CaptureFixture[str]) -> None:
    for old, new in (
        ("series-success-rate", "series-success-rate-running"),
        ("series-fixed-success-rate", "series-success-rate-fixed"),
    ):
        assert cli.main(["table", new, "--month", "2024-11", "--demo", "--format", "csv"]) == 0
        current = capsys.readouterr()
        assert cli.main(["table", old, "--month", "2024-11", "--demo", "--format", "csv"]) == 0
        renamed = capsys.readouterr()
        assert renamed.out == current.out and current.out.count("\n") == 37  # header and 36 months
        assert f"table {old} is deprecated: use {new}" in renamed.err
