"""Small-number rules: primary and complementary suppression, unstable rates, the public edition."""

from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from matplotlib.container import BarContainer

import vipreport as vr
from vipreport.suppression import suppression_mask


def test_complementary_suppression_hand_worked(config: vr.Config) -> None:
    table = pd.DataFrame({"A": [5, 30, 0], "B": [20, 40, 12]}, index=["x", "y", "z"])
    columns_only = suppression_mask(table, config)
    # Column A: 5 is hidden; its column total is printed elsewhere, so the
    # smallest other cell (the 0) is hidden too. Column B hides nothing.
    assert columns_only.to_numpy().tolist() == [[True, False], [False, False], [True, False]]
    both = suppression_mask(table, config, rows_add_up=True)
    # Row x now gives 5 away through B (20): hide it, then column B needs a second (12), and row z is safe.
    assert both.to_numpy().tolist() == [[True, True], [False, False], [True, True]]


def test_zero_and_large_counts_are_not_hidden(config: vr.Config) -> None:
    table = pd.DataFrame({"A": [0, 10, 250]})
    assert not suppression_mask(table, config).to_numpy().any()


@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 8), st.integers(1, 5)), elements=st.integers(0, 40)), st.booleans())
def test_no_line_leaves_a_single_hidden_cell(values: npt.NDArray[np.int64], rows_add_up: bool) -> None:
    config = vr.Config.default()
    table = pd.DataFrame(values)
    mask = suppression_mask(table, config, rows_add_up=rows_add_up).to_numpy()
    primary = (values >= 1) & (values <= 9)
    assert (mask | ~primary).all()  # every count from 1 to 9 is hidden
    lines = [mask[:, j] for j in range(mask.shape[1]) if mask.shape[0] > 1]
    if rows_add_up:
        lines += [mask[i, :] for i in range(mask.shape[0]) if mask.shape[1] > 1]
    assert all(line.sum() != 1 for line in lines)  # no subtraction from a total recovers a hidden cell


@pytest.fixture(scope="module")
def public_report() -> vr.Report:
    return vr.build_report(vr.datasets.demo(), "2024-11", public=True)


def test_public_edition_hides_what_the_rules_say(public_report: vr.Report) -> None:
    internal = vr.build_report(vr.datasets.demo(), "2024-11")
    areas = public_report.tables["vip.referrals_by_area"]
    pd.testing.assert_frame_equal(areas, internal.tables["vip.referrals_by_area"])  # numbers kept
    mask = public_report.masks["vip.referrals_by_area"].to_numpy()
    shown = public_report.display("vip.referrals_by_area").to_numpy()
    values = areas.to_numpy()
    assert mask[(values >= 1) & (values <= 9)].all()
    assert (shown[mask] == "*").all()
    assert (shown[~mask & (values == 0)] == "0").all()  # a true zero stays 0
    assert (shown[~mask] == values[~mask].astype(str)).all()
    assert not internal.masks


def test_public_charts_draw_no_hidden_value(public_report: vr.Report) -> None:
    for name, chart in public_report.charts.items():
        mask = public_report.masks.get(chart.table)
        if mask is None or chart.kind not in ("vbar", "hbar"):
            continue
        hidden = chart.data(mask).to_numpy(dtype=bool)
        ax = public_report.figures[name].ax
        labels = np.array([t.get_text() for t in ax.texts]).reshape(hidden.shape[1], hidden.shape[0]).T
        lengths = np.column_stack([np.asarray(cast(BarContainer, c).datavalues) for c in ax.containers])
        assert (labels[hidden] == "*").all(), name
        assert (lengths[hidden] == 0).all(), name


def test_rates_of_hidden_counts_are_hidden_and_small_denominators_flagged(public_report: vr.Report) -> None:
    by_age = public_report.tables["vip.success_by_age"]
    mask = public_report.masks["vip.success_by_age"]
    failures_hidden = mask["failures"]
    assert mask.loc[failures_hidden, "success_rate"].all()
    shown = public_report.display("vip.success_by_age")
    small = (by_age["persons"] > 0) & (by_age["persons"] < 30)
    for group in by_age.index[small & ~failures_hidden]:
        assert shown.loc[group, "success_rate"].endswith("\u2020")


def test_small_headline_counts_are_hidden() -> None:
    raw = vr.datasets.generate(seed=3, start="2024-01-01", end="2024-03-31", scale=0.2)
    report = vr.build_report(vr.load(raw), "2024-03", public=True, data_as_of="2024-03-31")  # exported then
    active = report.scalars["trc.active_clients"]
    assert active is not None and active <= 9  # TRC opened in Dec 2023: few clients yet
    assert "trc.active_clients" in report.hidden_scalars
    assert report.scalar_text("trc.active_clients") == "*"


def test_publication_config_is_checked(config: vr.Config) -> None:
    with pytest.raises(vr.ConfigError, match="suppress_max is below suppress_min"):
        config.replace(suppress_min=5, suppress_max=2)
    none = config.replace(suppress_max=0)
    assert not suppression_mask(pd.DataFrame({"A": [1, 2]}), none).to_numpy().any()


def test_cli_public_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from vipreport.cli import main

    out = tmp_path / "public.html"
    assert main(["build", "--month", "2024-11", "--demo", "--public", "--out", str(out)]) == 0
    assert "public edition" in out.read_text("utf-8")
