"""The report as a PDF: the published report's sections in order, on US Letter pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .methodology import definitions, notes
from .model import WRITERS, Report
from .summary import engagement_caption, engagement_change_sentence, headline, methods_rows
from .trends_table import area_trends_display
from .words import caseload_caption


def write_pdf(report: Report, path: Path) -> None:
    from .layout import Document

    config = report.config
    edition = "public edition" if report.public else "internal edition"
    footer = "  |  ".join(
        p for p in (config.department, edition, f"figures as of the last day of {report.title_month.title()}") if p
    )
    doc = Document(
        path,
        header=config.program_name,
        month_title=report.title_month,
        footer=footer,
        colour=config.colour,
        logo=config.logo or None,
        metadata={
            "Title": f"{config.name}: Monthly Informational Report, {report.title_month.title()}",
            "Author": config.department or config.name,
            "Subject": config.program_name,
        },
    )
    try:
        for section in (_introduction, _vip_counts, _success, _areas, _trc, _cora, _oep, _methodology):
            section(doc, report)
    finally:
        doc.close()


def _chart(doc: Any, report: Report, name: str, *, height: float = 2.6) -> None:
    chart = report.charts.get(name)
    if chart is not None:
        doc.chart(chart, report.tables[chart.table], mask=report.masks.get(chart.table), height=height)


def _footnotes(doc: Any, report: Report) -> None:
    for note in report.footnotes():
        doc.paragraph(note, size=7.5)


def _introduction(doc: Any, report: Report) -> None:
    doc.new_page()
    doc.heading(report.text["introduction_heading"])
    for lead, body in report.text["introduction"]:
        doc.paragraph(body, bold_lead=lead)
    t = report.tables
    tiles: list[tuple[str, str]] = []
    if "vip.fytd_totals" in t:
        totals = report.display("vip.fytd_totals")
        tiles += [
            (str(totals.loc["Referrals", "FYTD"]), "referrals, fiscal year to date"),
            (str(totals.loc["Custom notifications", "FYTD"]), "custom notifications, fiscal year to date"),
        ]
    if "vip.active_caseload" in report.scalars:
        tiles.append((report.scalar_text("vip.active_caseload"), caseload_caption(report.config)))
    if "vip.engagement" in t:
        tiles.append((report.scalar_text("vip.engagement_rate_pct", percent=True), engagement_caption(report)))
    if tiles:
        doc.heading("Fiscal year-to-date totals")
        doc.tiles(tiles)
    if "vip.fytd_totals" in t:
        doc.table(report.display("vip.fytd_totals"), index_label="Measure")


def _vip_counts(doc: Any, report: Report) -> None:
    for name in ("custom_notifications", "referral_sources", "caseload_trend", "engagement"):
        _chart(doc, report, name)
    if "vip.engagement_change" in report.tables:
        doc.paragraph(engagement_change_sentence(report), size=8.5)
    for name in ("services_requested_referred", "services_connected"):
        _chart(doc, report, name)
    _footnotes(doc, report)


def _success(doc: Any, report: Report) -> None:
    if "vip.success_trend" not in report.tables:
        return
    doc.new_page()
    doc.heading(f"{report.config.short_name} running success rate".strip())
    number, caption, sentence = headline(report)
    doc.tiles([(number, caption)])
    doc.paragraph(sentence, size=10.5)
    doc.table(methods_rows(report), index_label="Method", font=7.5)
    doc.paragraph(
        "The running rate counts people notified last month, who have had little time to fail. The "
        "fixed-window rate counts only people whose full follow-up has ended; the Kaplan-Meier "
        "estimate uses everyone's own follow-up. See the methodology page.",
        size=8,
    )
    _chart(doc, report, "success_trend")
    _chart(doc, report, "survival_curve")
    _chart(doc, report, "success_by_age")
    doc.table(
        report.display("vip.success_by_age", ["persons", "failures", "successes", "success_rate_pct"]).rename(
            columns={"success_rate_pct": "success rate %"}
        ),
        index_label="Age group",
    )
    _footnotes(doc, report)


def _areas(doc: Any, report: Report) -> None:
    if "vip.referrals_by_area" not in report.tables:
        return
    doc.new_page()
    doc.heading(f"Referrals by {report.config.area_label.lower()}")
    doc.table(report.display("vip.referrals_by_area"), index_label=report.config.area_label)
    _chart(doc, report, "referrals_by_area", height=3.0)
    doc.heading("Area trends")
    doc.paragraph(
        f"Last three months against the same months a year earlier (n/o: not observed, before the first "
        f"referral), and the trend of each area's monthly counts over up to {report.config.trend_months} observed "
        f"months: a quasi-Poisson model (with a yearly seasonal term from 24 months), as the rate ratio per year "
        f"with a {report.config.trend_confidence:.0%} interval. The areas are tested together "
        f"(Benjamini-Hochberg); 'no clear change' means the data do not show a change after allowing for that.",
        size=8.5,
    )
    if not report.public:  # the trend table prints small per-area counts the public edition hides
        doc.table(
            area_trends_display(report.tables["vip.area_trends"], report.config.trend_confidence),
            index_label=report.config.area_label,
            font=7.5,
        )
    _footnotes(doc, report)


def _trc(doc: Any, report: Report) -> None:
    if "trc.referrals_by_source" not in report.tables:
        return
    doc.new_page()
    doc.heading(f"{report.config.trc_title}: referrals and active clients")
    for paragraph in report.text["trc_description"]:
        doc.paragraph(paragraph)
    if report.text["trc_services"]:
        doc.paragraph(f"{report.config.trc_title} provides: " + ", ".join(report.text["trc_services"]) + ".")
    doc.tiles([(report.scalar_text("trc.active_clients"), "active clients on the last day of the month")])
    doc.table(report.display("trc.referrals_by_source"), index_label="Referred from")
    _chart(doc, report, "trc_referrals")
    _footnotes(doc, report)


def _cora(doc: Any, report: Report) -> None:
    if "cora.totals" not in report.tables:
        return
    doc.new_page()
    doc.heading(f"{report.config.cora_title}: fiscal year to date")
    for paragraph in report.text["cora_description"]:
        doc.paragraph(paragraph)
    totals = report.tables["cora.totals"]
    doc.tiles([(report.scalar_text(f"cora.fytd.{m}"), m.replace("_", " ")) for m in totals.index])
    doc.table(report.display("cora.incidents_by_type"), index_label="Incident type")
    _chart(doc, report, "cora_incidents")
    doc.table(report.display("cora.responses_by_area"), index_label=report.config.area_label)
    _chart(doc, report, "cora_areas")
    doc.heading("Significant response activities")
    for paragraph in _paragraphs(report.activities or report.text["no_activities"]):
        doc.paragraph(paragraph)
    _footnotes(doc, report)


def _paragraphs(markdown: str) -> list[str]:
    blocks = [
        " ".join(line.strip().lstrip("#").strip() for line in block.splitlines())
        for block in markdown.strip().split("\n\n")
    ]
    return [b.replace("**", "") for b in blocks if b]


def _oep(doc: Any, report: Report) -> None:
    if "oep.summary" not in report.tables:
        return
    doc.new_page()
    doc.heading(report.config.oep_title)
    for paragraph in report.text["oep_description"]:
        doc.paragraph(paragraph)
    doc.table(report.display("oep.summary"), index_label="Measure")
    _chart(doc, report, "oep")
    _footnotes(doc, report)


def _methodology(doc: Any, report: Report) -> None:
    doc.new_page()
    doc.heading("Methodology")
    for measure, parts in definitions(report.config):
        doc.subheading(measure)
        for part, body in parts.items():
            doc.paragraph(f"{part}: {body}", size=8)
    for note in notes(report.config):
        doc.paragraph(note, size=8)
    doc.heading("Data quality")
    doc.paragraph("Rows read, dropped and recoded while loading the month's exports.", size=8.5)
    doc.table(report.quality.set_index("table"), index_label="Table", font=7)
    if report.missing_sections:
        doc.paragraph("Sections left out for lack of data: " + "; ".join(report.missing_sections), size=8.5)
    if report.text["contact"]:
        doc.paragraph(report.text["contact"], size=8.5)


WRITERS["pdf"] = write_pdf
