"""The report as one self-contained HTML file: tables as HTML, charts inline as SVG."""

from __future__ import annotations

import html as html_escape
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .cells import cell_text
from .charts import column_text
from .methodology import definitions, notes
from .model import NOTEBOOK_VIEW, WRITERS, Report
from .summary import engagement_caption, engagement_change_sentence, headline, methods_rows
from .trends_table import area_trends_display
from .words import caseload_caption

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BRAND = "#0B3C5D"  # replaced by the profile's branding.colour
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
header img.logo{float:right;max-height:48px}
"""


def _svg(fig: Figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable and small
        fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _table(frame: pd.DataFrame, index_label: str) -> str:
    head = "".join(f"<th>{html_escape.escape(column_text(c))}</th>" for c in frame.columns)
    rows = []
    for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = "".join(f"<td>{html_escape.escape(cell_text(v))}</td>" for v in values)
        rows.append(f"<tr><td>{html_escape.escape(str(label))}</td>{cells}</tr>")
    return (
        f'<table class="vr"><thead><tr><th>{html_escape.escape(index_label)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _tiles(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="tiles">'
        + "".join(
            f'<div class="tile"><b>{html_escape.escape(n)}</b><span>{html_escape.escape(c)}</span></div>'
            for n, c in items
        )
        + "</div>"
    )


def render_html(report: Report, *, standalone: bool = True) -> str:
    t = report.tables
    esc = html_escape.escape

    def chart(name: str) -> str:
        return f"<figure>{_svg(report.figures[name].figure)}</figure>" if name in report.figures else ""

    def table(key: str, label: str, columns: list[str] | None = None) -> str:
        return _table(report.display(key, columns), label) if key in t else ""

    config, words = report.config, report.text
    edition = "public edition" if report.public else "internal edition"
    logo = _logo(config.logo) if config.logo else ""
    byline = " | ".join(
        p for p in ("MONTHLY INFORMATIONAL REPORT", report.title_month, config.department, edition) if p
    )
    parts = [f"<header>{logo}<h1>{esc(config.program_name)}</h1><p>{esc(byline)}</p></header>"]

    parts.append(f"<h2>{esc(words['introduction_heading'])}</h2>")
    parts += [f"<p><b>{esc(k)}</b><br>{esc(v)}</p>" for k, v in words["introduction"]]
    if "vip.fytd_totals" in t:
        parts.append("<h2>Fiscal year-to-date totals</h2>" + table("vip.fytd_totals", "Measure"))
    tiles: list[tuple[str, str]] = []
    if "vip.active_caseload" in report.scalars:
        tiles.append((report.scalar_text("vip.active_caseload"), caseload_caption(config)))
    if "vip.engagement" in t:
        tiles.append((report.scalar_text("vip.engagement_rate_pct", percent=True), engagement_caption(report)))
    if tiles:
        parts.append(_tiles(tiles))
    parts += [chart(n) for n in ("custom_notifications", "referral_sources", "caseload_trend", "engagement")]
    if "vip.engagement_change" in t:
        parts.append(f"<p>{esc(engagement_change_sentence(report))}</p>")
    parts += [chart(n) for n in ("services_requested_referred", "services_connected")]
    if "vip.success_trend" in t:
        number, caption, sentence = headline(report)
        heading = esc(f"{config.short_name} running success rate".strip())
        parts.append(f"<h2>{heading}</h2>" + _tiles([(number, caption)]) + f"<p>{esc(sentence)}</p>")
        parts.append(_table(methods_rows(report), "Method"))
        parts += [chart("success_trend"), chart("survival_curve"), chart("success_by_age")]
        parts.append(table("vip.success_by_age", "Age group", ["persons", "failures", "successes", "success_rate_pct"]))
    if "vip.referrals_by_area" in t:
        parts.append(
            f"<h2>Referrals by {esc(config.area_label.lower())}</h2>"
            + table("vip.referrals_by_area", config.area_label)
        )
        parts.append(chart("referrals_by_area"))
        if not report.public:
            trends = area_trends_display(t["vip.area_trends"], report.config.trend_confidence)
            parts.append(f"<h3>{esc(config.area_label)} trends</h3>" + _table(trends, config.area_label))
    if "trc.referrals_by_source" in t:
        parts.append(
            f"<h2>{esc(config.trc_title)}</h2>" + "".join(f"<p>{esc(p)}</p>" for p in words["trc_description"])
        )
        if words["trc_services"]:
            parts.append(f"<p>{esc(config.trc_title)} provides: {esc(', '.join(words['trc_services']))}.</p>")
        parts.append(_tiles([(report.scalar_text("trc.active_clients"), "active clients")]))
        parts.append(table("trc.referrals_by_source", "Referred from") + chart("trc_referrals"))
    if "cora.totals" in t:
        parts.append(f"<h2>{esc(config.cora_title)}: fiscal year to date</h2>")
        parts += [f"<p>{esc(p)}</p>" for p in words["cora_description"]]
        parts.append(
            _tiles([(report.scalar_text(f"cora.fytd.{m}"), m.replace("_", " ")) for m in t["cora.totals"].index])
        )
        parts.append(table("cora.incidents_by_type", "Incident type") + chart("cora_incidents"))
        parts.append(table("cora.responses_by_area", config.area_label) + chart("cora_areas"))
        activities = report.activities or words["no_activities"]
        parts.append(
            "<h3>Significant response activities</h3>"
            + "".join(f"<p>{esc(p.strip())}</p>" for p in activities.split("\n\n") if p.strip())
        )
    if "oep.summary" in t:
        parts.append(f"<h2>{esc(config.oep_title)}</h2>")
        parts += [f"<p>{esc(p)}</p>" for p in words["oep_description"]]
        parts.append(table("oep.summary", "Measure") + chart("oep"))
    parts += [f'<p class="note">{esc(n)}</p>' for n in report.footnotes()]
    parts.append("<h2>Methodology</h2>")
    for measure, definition in definitions(report.config):
        parts.append(
            f"<h3>{esc(measure)}</h3>" + "".join(f"<p><b>{esc(k)}:</b> {esc(v)}</p>" for k, v in definition.items())
        )
    parts += [f"<p>{esc(n)}</p>" for n in notes(report.config)]
    parts.append("<h2>Data quality</h2>" + _table(report.quality.set_index("table"), "Table"))
    if report.missing_sections:
        parts.append(f'<p class="note">Left out for lack of data: {esc("; ".join(report.missing_sections))}</p>')
    if words["contact"]:
        parts.append(f"<p>{esc(words['contact'])}</p>")
    body = "\n".join(p for p in parts if p)
    css = CSS.replace(BRAND, config.colour)
    if not standalone:
        return f"<div><style>{css}</style>{body}</div>"
    title = esc(f"{config.name}: Monthly Informational Report, {report.title_month.title()}")
    author = f'<meta name="author" content="{esc(config.department or config.name)}">'
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{author}'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


def _logo(path: str) -> str:
    """The profile's PNG logo, inlined so the file stays self-contained."""
    import base64
    from pathlib import Path

    from ..errors import ArgumentError

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ArgumentError(f"the profile's branding.logo {path} cannot be read ({exc.strerror})") from None
    if not data.startswith(b"\x89PNG"):
        raise ArgumentError(f"the profile's branding.logo {path} is not a PNG image")
    encoded = base64.b64encode(data).decode()
    return f'<img class="logo" alt="" src="data:image/png;base64,{encoded}">'


def _write_html(report: Report, path: Path) -> None:
    path.write_text(render_html(report), encoding="utf-8")


WRITERS["html"] = _write_html
NOTEBOOK_VIEW.append(lambda report: render_html(report, standalone=False))
