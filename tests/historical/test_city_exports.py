"""The same reconciliation on the city's real exports: VIPREPORT_DATA=<dir> pytest tests/historical.

Skipped when the variable is unset (the real data is confidential and never in the repo).
"""

import os
from pathlib import Path

import pandas as pd
import pytest

import vipreport as vr
from vipreport.published import read_document

FIXTURES = sorted(Path(__file__).parent.glob("*.json"))
DATA = os.environ.get("VIPREPORT_DATA")


@pytest.fixture(scope="module")
def city_data():
    if not DATA:
        pytest.skip("VIPREPORT_DATA is not set: no real exports to reconcile")
    return vr.load(DATA, salt=os.environ.get("VIPREPORT_SALT"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_city_exports_reproduce_the_published_figures(city_data, path):
    doc = read_document(path)
    result = vr.reconcile(vr.build_report(city_data, doc.report_month), doc)
    findings = vr.audit(FIXTURES)
    disputed = set(findings["table"])
    differs = result[result["difference"].fillna(1) != 0].copy()
    differs["explanation"] = [
        "the published reports disagree among themselves here (see vipreport audit)"
        if figure.split("[")[0] in disputed else
        ("not computed from these exports" if pd.isna(diff) else
         "the records changed since publication (late entries, corrections) or a definition differs")
        for figure, diff in zip(differs["figure"], differs["difference"], strict=True)
    ]
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(f"\n{path.name}: {len(differs)} of {len(result)} figures differ\n{differs.to_string(index=False)}")
    assert differs.empty, f"{len(differs)} published figures differ; the table above explains each"
