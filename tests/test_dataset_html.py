"""The Dataset's notebook view: light, self-contained styling, unique ids, no personal data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import vipreport as vr

LIMIT = 30_000


@pytest.fixture(scope="module")
def data() -> vr.Dataset:
    return vr.datasets.demo()


def selectors(html: str) -> list[str]:
    css = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    assert css
    rules = re.findall(r"([^{}]+)\{[^{}]*\}", css)
    return [s.strip() for rule in rules for s in rule.split(",")]


def test_small_and_scoped(data: vr.Dataset) -> None:
    html = data._repr_html_()
    assert len(html.encode()) < LIMIT
    found = selectors(html)
    assert found and all(s.startswith(".vr-dataset") for s in found), found
    assert html.startswith("<div class='vr-dataset'>")
    for unscoped in ("body", "h1", "h2", "h3", "table", "*"):
        assert not any(s.split()[0] == unscoped for s in found)


def test_ids_are_unique_within_and_across_views(data: vr.Dataset) -> None:
    first, second = data._repr_html_(), data._repr_html_()
    ids = re.findall(r"id='([^']+)'", first)
    assert ids and len(ids) == len(set(ids))
    assert not set(ids) & set(re.findall(r"id='([^']+)'", second))
    for ref in re.findall(r"aria-labelledby='([^']+)'", first):
        assert ref in ids


def test_shows_rows_dates_and_quality(data: vr.Dataset) -> None:
    html = data._repr_html_()
    referrals = data.tables["referrals"]
    assert f"<th scope='row'>referrals</th><td class='vr-num'>{len(referrals):,}</td>" in html
    span = f"{referrals['referral_date'].min():%Y-%m-%d} to {referrals['referral_date'].max():%Y-%m-%d}"
    assert span in html
    assert f"Data-quality summary ({len(data.quality):,} rows)" in html
    assert "blank recoded as &#x27;N/A&#x27;" in html
    assert "demo data" in html  # the demo is marked as made up
    valley = data.filter(area="Valley")
    assert "filter area &#x27;Valley&#x27;" in valley._repr_html_()


def test_no_personal_value_appears(data: vr.Dataset) -> None:
    html = data._repr_html_()
    ids = set()
    for frame in data.tables.values():
        if "person_id" in frame:
            ids |= set(frame["person_id"].dropna().astype(str))
    assert ids
    assert not [i for i in ids if i in html]


def test_stays_light_with_a_long_quality_summary(data: vr.Dataset) -> None:
    rows = [("referrals", "dropped", f"rule {i}: a long explanation of what was wrong " * 3, i) for i in range(2000)]
    noisy = vr.Dataset(data.tables, pd.DataFrame(rows, columns=["table", "action", "reason", "rows"]), data.config)
    html = noisy._repr_html_()
    assert len(html.encode()) < LIMIT
    assert "more rows: see <code>data.quality</code>" in html
