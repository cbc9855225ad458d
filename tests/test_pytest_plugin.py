"""The pytest plugin shipped in the wheel: one test item per published figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vipreport as vr
from plugin_runner import run
from vipreport.cli import main


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """Exports, a record of 2024-11 built from them, and its number of figures counted from the JSON."""
    folder = tmp_path_factory.mktemp("plugin")
    exports = folder / "exports"
    vr.datasets.write_exports(exports, vr.datasets.generate(seed=5))
    assert (
        main(
            [
                "-q",
                "build",
                "--data",
                str(exports),
                "--month",
                "2024-11",
                "--out",
                str(folder / "r.html"),
                "--record",
                str(folder / "rec"),
            ]
        )
        == 0
    )
    raw = json.loads((folder / "rec" / "2024-11.json").read_text())
    figures = len(raw["scalars"]) + sum(len(t["columns"]) * len(t["rows"]) for t in raw["tables"].values())
    return exports, folder / "rec", figures


def test_one_passing_item_per_recorded_figure(pytester: pytest.Pytester, recorded: tuple[Path, Path, int]) -> None:
    exports, rec, figures = recorded
    result = run(pytester, "--vipreport-published", str(rec), "--vipreport-data", str(exports), "-q")
    result.assert_outcomes(passed=figures)
    assert f"vipreport: {figures} published figure(s) checked" in result.stdout.str()


def test_items_are_named_by_month_and_figure(pytester: pytest.Pytester, recorded: tuple[Path, Path, int]) -> None:
    exports, rec, _ = recorded
    result = run(
        pytester,
        "--vipreport-published",
        str(rec),
        "--vipreport-data",
        str(exports),
        "--collect-only",
        "-q",
        "-k",
        "referrals_by_area and Valley",
    )
    ids = [line for line in result.stdout.lines if line.startswith("2024-11::")]
    assert ids == [f"2024-11::vip.referrals_by_area[Valley, {c}]" for c in ("2024-09", "2024-10", "2024-11", "FYTD")]


def test_one_changed_figure_fails_one_item_naming_both_values(
    pytester: pytest.Pytester, recorded: tuple[Path, Path, int]
) -> None:
    exports, rec, figures = recorded
    raw = json.loads((rec / "2024-11.json").read_text())
    printed = raw["tables"]["cora.incidents_by_type"]["rows"]["Homicide"][1]
    raw["tables"]["cora.incidents_by_type"]["rows"]["Homicide"][1] = printed + 2
    edited = pytester.path / "edited.json"
    edited.write_text(json.dumps(raw))
    result = run(pytester, "--vipreport-published", str(edited), "--vipreport-data", str(exports))
    result.assert_outcomes(passed=figures - 1, failed=1)
    out = result.stdout.str()  # (fnmatch would read the brackets of a figure's name as a pattern)
    assert (
        f"2024-11::cora.incidents_by_type[Homicide, FYTD]: published {printed + 2}, computed {printed} "
        "(difference -2)\n  why: neither the data nor the definitions changed"
    ) in out


def test_a_known_restatement_is_an_expected_failure(
    pytester: pytest.Pytester, recorded: tuple[Path, Path, int]
) -> None:
    exports, rec, figures = recorded
    raw = json.loads((rec / "2024-11.json").read_text())
    raw["scalars"]["trc.active_clients"] += 1
    (pytester.path / "edited.json").write_text(json.dumps(raw))
    (pytester.path / "vipreport-expected.toml").write_text(
        '[[restatement]]\nfigure = "2024-11::trc.active_clients"\nreason = "a client entered late"\n'
    )
    result = run(pytester, "--vipreport-published", "edited.json", "--vipreport-data", str(exports), "-rx")
    result.assert_outcomes(passed=figures - 1, xfailed=1)
    result.stdout.fnmatch_lines(["*known restatement: a client entered late*"])


def test_a_changed_definition_is_named(pytester: pytest.Pytester, recorded: tuple[Path, Path, int]) -> None:
    exports, rec, _ = recorded
    profile = pytester.path / "wider.toml"
    profile.write_text("[success]\ncohort_months = 12\n")
    result = run(
        pytester,
        "--vipreport-published",
        str(rec),
        "--vipreport-data",
        str(exports),
        "--vipreport-config",
        str(profile),
        "-k",
        "success_rate_pct",
    )
    result.assert_outcomes(failed=1)
    assert "the definitions changed (success.cohort_months: 24 to 12)" in result.stdout.str()


def test_inert_without_its_options_and_clear_when_misused(
    pytester: pytest.Pytester, recorded: tuple[Path, Path, int]
) -> None:
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    run(pytester).assert_outcomes(passed=1)
    _, rec, _ = recorded
    missing = run(pytester, "--vipreport-published", str(rec))
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    missing.stderr.fnmatch_lines(["*--vipreport-published needs --vipreport-data*"])
    nothing = run(pytester, "--vipreport-published", str(pytester.path / "nowhere"), "--vipreport-data", ".")
    assert nothing.ret == pytest.ExitCode.USAGE_ERROR
