"""Any city: the report's words, pages and identity come from the profile (the Riverton example)."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

import vipreport as vr
from vipreport.cli import main
from vipreport.report.html import render_html

# Words that belong to Albuquerque's program: the city, its departments' initials, its partner programs,
# its area commands and its program's short name.
ALBUQUERQUE_WORDS = [
    "Albuquerque",
    "APD",
    "ACS",
    "Community Safety",
    "CORA",
    "OEP",
    "Opioid",
    "Trauma Recovery Center",
    "Center for Healing",
    "Narcan",
    "RIWP",
    "UVNR",
    "area command",
    "Area command",
    "Southeast",
    "Northeast",
    "Foothills",
    "Valley",
    "VIP",
]


@pytest.fixture(scope="module")
def riverton() -> vr.Config:
    return vr.Config.bundled("riverton")


@pytest.fixture(scope="module")
def riverton_report(riverton: vr.Config) -> vr.Report:
    return vr.build_report(vr.datasets.demo(config=riverton), "2024-11")


def _visible_text(html: str) -> str:
    """What a reader sees: no markup, no embedded chart code (but chart text stays, as SVG text)."""
    return html_module.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", html, flags=re.S)))


def test_riverton_report_speaks_in_riverton_words_only(
    riverton: vr.Config, riverton_report: vr.Report, tmp_path: Path
) -> None:
    riverton_report.to_html(tmp_path / "r.html")
    text = _visible_text((tmp_path / "r.html").read_text())
    for word in ALBUQUERQUE_WORDS:
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    for own in (
        riverton.program_name,
        riverton.department,
        riverton.introduction_heading,
        riverton.introduction[0].body.split(". ")[0],
        "Referrals by district",
        "Victim services",
        riverton.contact,
    ):
        assert own in " ".join(text.split()), own
    assert (
        "<title>Riverton Hospital-Based Violence Intervention: Monthly Informational Report, November 2024"
        in (tmp_path / "r.html").read_text()
    )


def test_riverton_pdf_carries_its_identity_and_no_albuquerque_word(riverton_report: vr.Report, tmp_path: Path) -> None:
    riverton_report.to_pdf(tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    metadata = reader.metadata
    assert metadata is not None
    assert str(metadata["/Title"]) == (
        "Riverton Hospital-Based Violence Intervention: Monthly Informational Report, November 2024"
    )
    assert str(metadata["/Author"]) == "Riverton Department of Public Health"
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for word in ALBUQUERQUE_WORDS:
        assert not re.search(rf"\b{re.escape(word)}\b", text, flags=re.I if word.islower() else 0), word
    assert "RIVERTON PEACEKEEPERS" in text and "About Riverton Peacekeepers" in text


def test_riverton_has_its_own_sections_only(riverton_report: vr.Report) -> None:
    assert riverton_report.missing_sections == []  # the crisis and overdose pages are not its pages
    assert not any(k.startswith(("cora.", "oep.")) for k in riverton_report.tables)
    assert "trc.referrals_by_source" in riverton_report.tables
    assert list(riverton_report.tables["vip.referrals_by_area"].index) == [
        "District 1",
        "District 2",
        "District 3",
        "District 4",
        "District 5",
        "District 6",
        "Unassigned",
    ]


def test_riverton_fiscal_year_starts_in_october(riverton: vr.Config, riverton_report: vr.Report) -> None:
    raw = vr.datasets.generate(seed=2024, config=riverton)["referrals"]
    dates = pd.to_datetime(raw["referral_date"])
    area = raw["area_command"].replace({"": "Unassigned"})
    fytd = area[(dates >= pd.Timestamp("2024-10-01")) & (dates <= pd.Timestamp("2024-11-30"))].value_counts()
    table = riverton_report.tables["vip.referrals_by_area"]
    assert table["FYTD"].to_dict() == {a: int(fytd.get(a, 0)) for a in table.index}


def test_the_demo_for_a_profile_draws_its_categories(riverton: vr.Config) -> None:
    raw = vr.datasets.generate(seed=3, config=riverton)
    assert set(raw) == {"referrals", "notifications", "services", "enrollments", "incidents", "deaths", "trc_referrals"}
    assert set(raw["referrals"]["source"]) <= set(riverton.referral_sources)
    assert set(raw["referrals"]["area_command"]) <= {*riverton.area_commands, ""}
    assert set(raw["trc_referrals"]["source"]) <= set(riverton.trc_sources)
    # The draws are those of the default demo: only the labels differ.
    default = vr.datasets.generate(seed=3)
    assert len(default["referrals"]) == len(raw["referrals"])
    pd.testing.assert_series_equal(default["referrals"]["referral_date"], raw["referrals"]["referral_date"])


def test_a_hidden_page_is_left_out_even_with_its_data(demo: vr.Dataset) -> None:
    config = demo.config.replace(cora_show=False)
    report = vr.build_report(demo, "2024-11", config=config)
    assert "cora.totals" not in report.tables and report.missing_sections == []
    assert "CORA: fiscal year to date" not in _visible_text(render_html(report))


def test_a_missing_page_is_reported_only_when_required(demo: vr.Dataset) -> None:
    tables = {k: v for k, v in demo.tables.items() if k != "oep_referrals"}
    without = vr.Dataset(tables, demo.quality, demo.config, demo.activities_text)
    assert vr.build_report(without, "2024-11").missing_sections == [
        "Opioid Education and Prevention (needs oep_referrals)"
    ]
    optional = demo.config.replace(oep_required=False)
    assert vr.build_report(without, "2024-11", config=optional).missing_sections == []


def test_a_profile_without_words_gets_the_neutral_ones(tmp_path: Path) -> None:
    profile = tmp_path / "city.toml"
    profile.write_text('name = "Lakeside Safe Streets"\nprogram_name = "LAKESIDE SAFE STREETS"\n')
    config = vr.Config.from_toml(profile)
    assert config.introduction_heading == "About the program" and config.short_name == ""
    report = vr.build_report(vr.datasets.demo(config=config), "2024-11")
    report.to_html(tmp_path / "r.html")
    text = _visible_text((tmp_path / "r.html").read_text())
    # (Its categories, such as the program "VIP", are definitions it inherits; its words are not.)
    for words in (
        "Albuquerque",
        "APD",
        "Community Safety",
        "Center for Healing",
        "Trauma Recovery Center",
        "Introduction to VIP",
        "VIP success",
        "VIP active",
    ):
        assert words not in text, words
    assert "LAKESIDE SAFE STREETS" in text and "Success rate" in text


def test_albuquerque_demo_keeps_every_seed_section(demo: vr.Dataset, tmp_path: Path) -> None:
    report = vr.build_report(demo, "2024-11")
    report.to_html(tmp_path / "r.html")
    text = _visible_text((tmp_path / "r.html").read_text())
    for heading in (
        "Introduction to VIP",
        "Custom Notifications",
        "Referrals",
        "Engaging with Services",
        "Enforcement",
        "VIP success rate",
        "Referrals by area command",
        "Trauma Recovery Center",
        "CORA: fiscal year to date",
        "Significant response activities",
        "Opioid Education and Prevention",
    ):
        assert heading in text, heading


@pytest.mark.parametrize(
    "sentence, problem",
    [
        ("{rate} of people", "must contain {rate} and {period}"),
        ("{rate} in {period} for {city}", "must contain {rate} and {period}"),
    ],
)
def test_success_sentence_must_name_its_fields(tmp_path: Path, sentence: str, problem: str) -> None:
    profile = tmp_path / "city.toml"
    profile.write_text(f'[text]\nsuccess_sentence = "{sentence}"\n')
    with pytest.raises(vr.ConfigError, match=re.escape(problem)):
        vr.Config.from_toml(profile)


def test_a_brand_colour_too_light_for_white_text_is_refused(tmp_path: Path) -> None:
    profile = tmp_path / "city.toml"
    # Yellow #F0E442: relative luminance 0.2126*0.871 + 0.7152*0.775 + 0.0722*0.055 = 0.743, so white on it
    # has (1 + 0.05) / (0.743 + 0.05) = 1.3:1, against the 4.5:1 that WCAG 2.1 AA asks of normal text.
    profile.write_text('[branding]\ncolour = "#F0E442"\n')
    with pytest.raises(vr.ConfigError, match=r"contrast ratio of 1\.3;"):
        vr.Config.from_toml(profile)


def test_a_logo_beside_the_profile_reaches_both_outputs(demo: vr.Dataset, tmp_path: Path) -> None:
    import matplotlib.image
    import numpy as np

    matplotlib.image.imsave(tmp_path / "logo.png", np.zeros((10, 30, 3)))
    (tmp_path / "city.toml").write_text('[branding]\nlogo = "logo.png"\n')
    config = vr.Config.from_toml(tmp_path / "city.toml")
    assert Path(config.logo) == (tmp_path / "logo.png").resolve()
    report = vr.build_report(demo, "2024-11", config=config)
    report.to_html(tmp_path / "r.html")
    assert 'class="logo"' in (tmp_path / "r.html").read_text()
    report.to_pdf(tmp_path / "r.pdf")
    assert len(PdfReader(tmp_path / "r.pdf").pages[0].images) >= 1


def test_cli_builds_the_riverton_demo_by_name(tmp_path: Path) -> None:
    assert (
        main(["-q", "build", "--demo", "--config", "riverton", "--month", "2024-11", "--out", str(tmp_path / "r.html")])
        == 0
    )
    assert "RIVERTON PEACEKEEPERS" in (tmp_path / "r.html").read_text()
    assert (
        main(["-q", "build", "--demo", "--config", "nowhere", "--month", "2024-11", "--out", str(tmp_path / "r.html")])
        == 2
    )
