"""The report as a PDF: the seeds' sections in order, on US Letter pages."""

from __future__ import annotations

from pathlib import Path

from . import text
from .layout import Document, area_trends_display, cell_text
from .model import Report
from .numbers import percent_text


def write_pdf(report: Report, path: Path) -> None:
    config = report.config
    doc = Document(path, header=f"{config.program_name}", month_title=report.title_month,
                   footer=f"{config.department}  |  {config.name}  |  figures as of the last day of {report.title_month.title()}")
    try:
        _vip(doc, report)
        _trc(doc, report)
        _cora(doc, report)
        _oep(doc, report)
        _appendix(doc, report)
    finally:
        doc.close()


def _table(report: Report, key: str):
    return report.tables.get(key)


def _vip(doc: Document, report: Report) -> None:
    doc.new_page()
    doc.heading("Introduction to VIP")
    for lead, body in text.VIP_INTRODUCTION.items():
        doc.paragraph(body, bold_lead=lead)
    tiles = []
    totals = _table(report, "vip.fytd_totals")
    if totals is not None:
        tiles += [(cell_text(totals.loc["Referrals", "FYTD"]), "referrals, fiscal year to date"),
                  (cell_text(totals.loc["Custom notifications", "FYTD"]), "custom notifications, fiscal year to date")]
    if "vip.active_caseload" in report.scalars:
        tiles.append((cell_text(report.scalars["vip.active_caseload"]), "VIP's active caseload"))
    engagement = _table(report, "vip.engagement")
    if engagement is not None:
        row = engagement.iloc[0]
        note = " (window still open)" if row.provisional else ""
        tiles.append((percent_text(row.engaged, row.notified),
                      f"{report.month_short} engagement rate: {row.engaged} of {row.notified} notified{note}"))
    if tiles:
        doc.heading("Fiscal year-to-date totals")
        doc.tiles(tiles)
    if totals is not None:
        doc.table(totals)

    for name in ("custom_notifications", "referral_sources", "caseload_trend", "engagement",
                 "services_requested_referred", "services_connected"):
        _chart(doc, report, name)

    success = _table(report, "vip.success_trend")
    if success is not None:
        doc.new_page()
        doc.heading("VIP running success rate")
        last = success.iloc[-1]
        doc.tiles([(percent_text(last.successes, last.persons),
                    f"of {last.persons:,} participants notified in the past "
                    f"{report.config.recidivism_cohort_months} months")])
        doc.paragraph(text.success_sentence(percent_text(last.successes, last.persons),
                                            report.config.recidivism_cohort_months), size=10.5)
        fixed = report.tables["vip.success_fixed"].loc["All"]
        doc.paragraph(
            f"Fixed window: of the {fixed.persons:,} participants whose full "
            f"{report.config.recidivism_window_days}-day follow-up has ended, "
            f"{percent_text(fixed.successes, fixed.persons)} had no violent incident within it. The running "
            "rate includes recently notified participants, who have had less time to fail.", size=8.5)
        _chart(doc, report, "success_trend")
        _chart(doc, report, "success_by_age")
        by_age = report.tables["vip.success_by_age"][["persons", "failures", "successes", "success_rate_pct"]]
        doc.table(by_age.rename(columns={"success_rate_pct": "success rate %"}), index_label="Age group")

    areas = _table(report, "vip.referrals_by_area")
    if areas is not None:
        doc.new_page()
        doc.heading("Referrals by area command")
        doc.table(areas, index_label="Area command")
        _chart(doc, report, "referrals_by_area", height=3.0)
        trends = report.tables["vip.area_trends"]
        doc.heading("Area trends")
        doc.paragraph(
            f"Last three months against the same months a year earlier, and a least-squares trend over "
            f"{report.config.trend_months} months with a {report.config.trend_confidence:.0%} interval. "
            "Only a trend whose interval excludes zero is marked significant.", size=8.5)
        doc.table(area_trends_display(trends, report.config.trend_confidence), index_label="Area command", font=7.5)


def _chart(doc: Document, report: Report, name: str, *, height: float = 2.6) -> None:
    chart = report.charts.get(name)
    if chart is not None:
        doc.chart(chart, report.tables[chart.table], height=height)


def _trc(doc: Document, report: Report) -> None:
    table = _table(report, "trc.referrals_by_source")
    if table is None:
        return
    doc.new_page()
    doc.heading("Trauma Recovery Center: referrals and active clients")
    doc.paragraph(text.TRC_DESCRIPTION)
    doc.paragraph("The Trauma Recovery Center provides: " + ", ".join(text.TRC_SERVICES) + ".")
    doc.tiles([(cell_text(report.scalars["trc.active_clients"]), "active clients on the last day of the month")])
    doc.table(table, index_label="Referred from")
    _chart(doc, report, "trc_referrals")


def _cora(doc: Document, report: Report) -> None:
    totals = _table(report, "cora.totals")
    if totals is None:
        return
    doc.new_page()
    doc.heading("CORA: FYTD impact by the numbers")
    captions = {"adults_assisted": "adults assisted", "children_assisted": "children assisted",
                "referrals_made": "referrals made", "outreach_operations": "outreach operations"}
    doc.tiles([(cell_text(totals.loc[m, "FYTD"]), captions[m]) for m in totals.index])
    doc.table(report.tables["cora.incidents_by_type"], index_label="Incident type")
    _chart(doc, report, "cora_incidents")
    doc.table(report.tables["cora.responses_by_area"], index_label="Area command")
    _chart(doc, report, "cora_areas")
    doc.heading("Significant response activities")
    for paragraph in _paragraphs(report.activities or text.NO_ACTIVITIES):
        doc.paragraph(paragraph)


def _paragraphs(markdown: str) -> list[str]:
    blocks = [" ".join(line.strip().lstrip("#").strip() for line in block.splitlines())
              for block in markdown.strip().split("\n\n")]
    return [b.replace("**", "") for b in blocks if b]


def _oep(doc: Document, report: Report) -> None:
    table = _table(report, "oep.summary")
    if table is None:
        return
    doc.new_page()
    doc.heading("Opioid Education and Prevention")
    for paragraph in text.OEP_DESCRIPTION:
        doc.paragraph(paragraph)
    doc.table(table, index_label="Measure")
    _chart(doc, report, "oep")


def _appendix(doc: Document, report: Report) -> None:
    doc.new_page()
    doc.heading("Definitions")
    for lead, body in definitions(report):
        doc.paragraph(body, bold_lead=lead, size=8.5)
    doc.heading("Data quality")
    doc.paragraph("Rows read, dropped and recoded while loading the month's exports.", size=8.5)
    quality = report.quality.set_index("table")
    doc.table(quality, index_label="Table", font=7)
    if report.missing_sections:
        doc.paragraph("Sections left out for lack of data: " + "; ".join(report.missing_sections), size=8.5)


def definitions(report: Report) -> list[tuple[str, str]]:
    c = report.config
    return [
        ("Fiscal year", f"The city's fiscal year starts in month {c.fiscal_year_start_month}; FYTD runs from "
                        "its first day through the end of the report month."),
        ("Running success rate", f"Participants whose first custom notification fell in the "
                                 f"{c.recidivism_cohort_months} months ending with the report month; a failure is "
                                 "a violent incident after that notification and on or before the month's end."),
        ("Fixed-window success rate", f"Only participants notified at least {c.recidivism_window_days} days "
                                      f"before the month's end; a failure is a violent incident within "
                                      f"{c.recidivism_window_days} days after the notification."),
        ("Engagement rate", f"Of the persons notified in the month, those with a service of status "
                            f"{' or '.join(c.engagement_statuses)} within {c.engagement_window_days} days of "
                            "their notification, observed up to the month's end."),
        ("Active caseload", "Distinct persons with an enrollment open on the month's last day."),
    ]
