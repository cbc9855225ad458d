"""Every published figure is a test: reconstruct -> compute -> reconcile gives zero differences."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import vipreport as vr
from plugin_runner import run
from vipreport.published import DocumentError, PublishedReport, parse_document, read_document
from vipreport.published.reconstruct import ReconstructionError, reconstruct

FIXTURES = sorted(Path(__file__).parent.glob("*.json"))


def test_fixtures_are_the_published_reports() -> None:
    assert [p.stem for p in FIXTURES] == ["2022-11", "2023-01", "2023-06", "2023-11", "2024-11"]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_matches_the_schema(path: Path) -> None:
    doc = read_document(path)
    assert doc.report_month == path.stem
    assert doc.scalars or doc.tables


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_published_figure_is_reproduced(pytester: pytest.Pytester, path: Path, seed: int) -> None:
    """Through the pytest plugin, as a city runs it: one passing item per printed figure."""
    doc = read_document(path)
    exports = pytester.path / "exports"
    vr.datasets.write_exports(exports, reconstruct(doc, seed=seed))
    n_figures = len(doc.scalars) + sum(t.size for t in doc.tables.values())
    # The rebuilt records end on the report month's last day, as if exported that evening.
    as_of = pd.Period(doc.report_month, "M").end_time.date().isoformat()
    result = run(
        pytester, "--vipreport-published", str(path), "--vipreport-data", str(exports), "--vipreport-as-of", as_of, "-q"
    )
    result.assert_outcomes(passed=n_figures)


def test_reconstruction_is_deterministic_for_a_seed() -> None:
    doc = read_document(FIXTURES[-1])
    first, again, other = reconstruct(doc, seed=3), reconstruct(doc, seed=3), reconstruct(doc, seed=4)
    for name in first:
        assert first[name].equals(again[name])
    assert not first["referrals"].equals(other["referrals"])


def _doc(**tables_and_scalars: Any) -> PublishedReport:  # a JSON document's parts
    return parse_document(
        {
            "report_month": "2024-09",
            "source": "test",
            "scalars": tables_and_scalars.pop("scalars", {}),
            "tables": tables_and_scalars,
        }
    )


def test_remainder_goes_to_the_unprinted_months_of_the_fiscal_year() -> None:
    doc = _doc(**{"vip.referrals_by_area": {"columns": ["2024-08", "2024-09", "FYTD"], "rows": {"Valley": [2, 3, 9]}}})
    referrals = reconstruct(doc)["referrals"]
    months = referrals["referral_date"].dt.strftime("%Y-%m").value_counts().to_dict()
    assert months == {"2024-07": 4, "2024-08": 2, "2024-09": 3}


def test_a_self_contradicting_document_names_the_conflicting_figures() -> None:
    doc = _doc(
        **{
            "vip.referrals_by_area": {
                "columns": ["2024-07", "2024-08", "2024-09", "FYTD"],
                "rows": {"Valley": [2, 3, 1, 5], "Foothills": [1, 1, 1, 4]},
            },
            "cora.incidents_by_type": {"columns": ["2024-09", "FYTD"], "rows": {"Suicide": [2, 2]}},
            "cora.responses_by_area": {"columns": ["2024-09", "FYTD"], "rows": {"Valley": [3, 3]}},
            "scalars": {"trc.active_clients": 4},
        }
    )
    with pytest.raises(ReconstructionError) as info:
        reconstruct(doc)
    text = "\n".join(info.value.conflicts)
    assert "vip.referrals_by_area[Valley]: FYTD 5 is below the printed months" in text
    assert "every month of the fiscal year is printed" in text  # Foothills: 4 > 3 with no month left
    assert "cora.responses_by_area: adds up to more than cora.incidents_by_type" in text
    assert "trc.active_clients: no reconstruction rule" in text


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(report_month="2024-13"), "report_month must be 'YYYY-MM'"),
        (lambda d: d["tables"]["vip.referrals_by_area"]["rows"]["Valley"].pop(), "must list 4 values"),
        (lambda d: d["tables"]["vip.referrals_by_area"]["columns"].__setitem__(0, "Sept"), "'Sept' is neither"),
        (lambda d: d["scalars"].update({"vip.success_rate_pct": "94%"}), "must be a number"),
        (lambda d: d.update(figures={}), "unknown key 'figures'"),
    ],
)
def test_malformed_fixture_fails_with_a_clear_message(change: Callable[[dict[str, Any]], object], message: str) -> None:
    raw = json.loads(FIXTURES[-1].read_text())
    raw["scalars"]["vip.success_rate_pct"] = 94.4
    change(raw)
    with pytest.raises(DocumentError, match=message):
        parse_document(raw, name="broken.json")
