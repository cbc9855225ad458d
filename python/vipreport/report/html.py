"""The report as one self-contained HTML file: tables as HTML, charts inline as SVG."""

from __future__ import annotations

import html as html_escape
import io

import matplotlib
import pandas as pd

from . import text
from .layout import area_trends_display, cell_text, column_text
from .model import Report
from .numbers import percent_text
from .pdf import definitions

CSS = """
body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:0 auto;padding:0 16px 40px}
header{background:#0B3C5D;color:#fff;padding:14px 20px;margin:0 -16px 10px}
header h1{font-size:20px;margin:0}header p{margin:4px 0 0;font-size:13px}
h2{color:#0B3C5D;border-bottom:2px solid #0B3C5D;padding-bottom:3px;margin-top:32px;text-transform:uppercase;font-size:17px}
.tiles{display:flex;gap:12px;flex-wrap:wrap}.tile{background:#EAF2F8;padding:10px 14px;min-width:150px;flex:1}
.tile b{display:block;font-size:26px;color:#0B3C5D}.tile span{font-size:12px}
table.vr{border-collapse:collapse;font-size:13px;margin:10px 0}
table.vr th,table.vr td{border:1px solid #bbb;padding:3px 8px;text-align:right}
table.vr th{background:#0B3C5D;color:#fff}table.vr td:first-child,table.vr th:first-child{text-align:left}
table.vr tr:nth-child(even) td{background:#F4F6F8}
figure{margin:10px 0}figure svg{max-width:100%;height:auto}
.note{font-size:12px;color:#555}
"""


def _svg(fig) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable and small
        fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _table(frame: pd.DataFrame, index_label: str) -> str:
    head = "".join(f"<th>{html_escape.escape(column_text(c))}</th>" for c in frame.columns)
    rows = []
    for label, values in zip(frame.index, frame.itertuples(index=False)):
        cells = "".join(f"<td>{html_escape.escape(cell_text(v))}</td>" for v in values)
        rows.append(f"<tr><td>{html_escape.escape(str(label))}</td>{cells}</tr>")
    return (f'<table class="vr"><thead><tr><th>{html_escape.escape(index_label)}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _tiles(items: list[tuple[str, str]]) -> str:
    return '<div class="tiles">' + "".join(
        f'<div class="tile"><b>{html_escape.escape(n)}</b><span>{html_escape.escape(c)}</span></div>'
        for n, c in items) + "</div>"


def render_html(report: Report, *, standalone: bool = True) -> str:
    parts = [f"<header><h1>{html_escape.escape(report.config.program_name)}</h1>"
             f"<p>MONTHLY INFORMATIONAL REPORT | {report.title_month}</p></header>"]
    chart = lambda name: f"<figure>{_svg(report.figures[name])}</figure>" if name in report.figures else ""  # noqa: E731
    t = report.tables

    parts.append("<h2>Introduction to VIP</h2>")
    parts += [f"<p><b>{html_escape.escape(k)}</b><br>{html_escape.escape(v)}</p>" for k, v in text.VIP_INTRODUCTION.items()]
    if "vip.fytd_totals" in t:
        parts.append("<h2>Fiscal year-to-date totals</h2>" + _table(t["vip.fytd_totals"], "Measure"))
    tiles = []
    if "vip.active_caseload" in report.scalars:
        tiles.append((cell_text(report.scalars["vip.active_caseload"]), "VIP's active caseload"))
    if "vip.engagement" in t:
        row = t["vip.engagement"].iloc[0]
        tiles.append((percent_text(row.engaged, row.notified),
                      f"{report.month_short} engagement rate: {row.engaged} of {row.notified} notified"
                      + (" (window still open)" if row.provisional else "")))
    if tiles:
        parts.append(_tiles(tiles))
    for name in ("custom_notifications", "referral_sources", "caseload_trend", "engagement",
                 "services_requested_referred", "services_connected"):
        parts.append(chart(name))
    if "vip.success_trend" in t:
        last = t["vip.success_trend"].iloc[-1]
        rate = percent_text(last.successes, last.persons)
        parts.append("<h2>VIP running success rate</h2>")
        parts.append(_tiles([(rate, f"of {last.persons:,} participants")]))
        parts.append(f"<p>{html_escape.escape(text.success_sentence(rate, report.config.recidivism_cohort_months))}</p>")
        parts.append(chart("success_trend") + chart("success_by_age"))
        by_age = t["vip.success_by_age"][["persons", "failures", "successes", "success_rate_pct"]]
        parts.append(_table(by_age, "Age group"))
    if "vip.referrals_by_area" in t:
        parts.append("<h2>Referrals by area command</h2>" + _table(t["vip.referrals_by_area"], "Area command"))
        parts.append(chart("referrals_by_area"))
        parts.append("<h3>Area trends</h3>" + _table(area_trends_display(t["vip.area_trends"], report.config.trend_confidence), "Area command"))
    if "trc.referrals_by_source" in t:
        parts.append("<h2>Trauma Recovery Center</h2>" + f"<p>{html_escape.escape(text.TRC_DESCRIPTION)}</p>")
        parts.append(_tiles([(cell_text(report.scalars["trc.active_clients"]), "active clients")]))
        parts.append(_table(t["trc.referrals_by_source"], "Referred from") + chart("trc_referrals"))
    if "cora.totals" in t:
        totals = t["cora.totals"]
        parts.append("<h2>CORA: FYTD impact by the numbers</h2>")
        parts.append(_tiles([(cell_text(totals.loc[m, "FYTD"]), m.replace("_", " ")) for m in totals.index]))
        parts.append(_table(t["cora.incidents_by_type"], "Incident type") + chart("cora_incidents"))
        parts.append(_table(t["cora.responses_by_area"], "Area command") + chart("cora_areas"))
        activities = report.activities or text.NO_ACTIVITIES
        parts.append("<h3>Significant response activities</h3>" + "".join(
            f"<p>{html_escape.escape(p.strip())}</p>" for p in activities.split("\n\n") if p.strip()))
    if "oep.summary" in t:
        parts.append("<h2>Opioid Education and Prevention</h2>")
        parts += [f"<p>{html_escape.escape(p)}</p>" for p in text.OEP_DESCRIPTION]
        parts.append(_table(t["oep.summary"], "Measure") + chart("oep"))
    parts.append("<h2>Definitions</h2>" + "".join(
        f"<p><b>{html_escape.escape(k)}</b>: {html_escape.escape(v)}</p>" for k, v in definitions(report)))
    parts.append("<h2>Data quality</h2>" + _table(report.quality.set_index("table"), "Table"))
    if report.missing_sections:
        parts.append(f'<p class="note">Left out for lack of data: {html_escape.escape("; ".join(report.missing_sections))}</p>')
    body = "\n".join(p for p in parts if p)
    if not standalone:
        return f"<div><style>{CSS}</style>{body}</div>"
    title = html_escape.escape(f"{report.config.program_name} | {report.title_month}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>")
