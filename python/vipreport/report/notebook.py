"""The report's notebook view (``Report._repr_html_``): headline tiles, contents, and how to see the rest.

A notebook shows this every time a cell ends with the report, so it stays
small (no charts: each would add tens of kilobytes) and touches nothing around
it: every CSS rule sits under the ``vr-nb`` class, and it has no ids at all, so
two reports in one notebook cannot clash.
"""

from __future__ import annotations

from .html import brand_colour, table_html
from .html import esc as _e
from .model import NOTEBOOK_VIEW, Report
from .outline import DEMO_MARK, Heading, Outline, Table, Tiles, outline

CSS = """
.vr-nb{font-family:Helvetica,Arial,sans-serif;color:#1F2328;background:#fff;padding:10px 14px;
border-left:4px solid %(brand)s;max-width:980px;line-height:1.4;font-size:14px}
.vr-nb .vr-nb-title{font-weight:bold;color:%(brand)s;font-size:16px;margin:0}
.vr-nb .vr-nb-by{margin:2px 0 8px;font-size:12px}
.vr-nb .vr-nb-demo{background:#FFF4CC;color:#3D2E00;border:1px solid #8A6D00;padding:3px 8px;font-weight:bold;
display:inline-block;margin:4px 0}
.vr-nb .vr-tiles{list-style:none;display:flex;flex-wrap:wrap;gap:8px;padding:0;margin:8px 0}
.vr-nb .vr-tiles li{background:#EAF2F8;padding:6px 10px;flex:1 1 150px;min-width:0;font-size:12px}
.vr-nb .vr-tile-value{display:block;font-size:20px;font-weight:bold;color:%(brand)s}
.vr-nb .vr-nb-label{font-weight:bold;margin:10px 0 2px}
.vr-nb ol{margin:0;padding-left:22px;columns:2 220px}
.vr-nb .vr-scroll{max-width:100%%;overflow-x:auto;margin-top:10px}
.vr-nb table{border-collapse:collapse;font-size:12px}
.vr-nb caption{text-align:left;font-weight:bold}
.vr-nb th,.vr-nb td{border:1px solid #B8BEC4;padding:2px 6px;text-align:left}
.vr-nb .vr-num{text-align:right}
.vr-nb code{background:#F4F6F8;color:#1F2328;padding:0 3px}
"""


def headline_tiles(doc: Outline) -> list[Tiles]:
    """The tile groups of the report's main sections (not the appendices), in order."""
    return [b for s in doc.sections if not s.appendix for b in s.blocks if isinstance(b, Tiles)]


def quality_table(doc: Outline) -> Table | None:
    """The data-quality table, where the outline prints one (the internal edition's appendix)."""
    for section in doc.sections:
        after_heading = False
        for block in section.blocks:
            if isinstance(block, Heading):
                after_heading = block.text == "Data quality"
            elif after_heading and isinstance(block, Table):
                return block
    return None


def notebook_view(report: Report) -> str:
    """A light HTML summary of the report for Jupyter: no charts, CSS scoped under ``vr-nb``."""
    doc = outline(report)
    brand = brand_colour(doc.colour)
    tiles = "".join(
        '<ul class="vr-tiles">'
        + "".join(
            f'<li><span class="vr-tile-value">{_e(t.value)}</span> <span class="vr-tile-label">{_e(t.label)}</span>'
            "</li>"
            for t in group.tiles
        )
        + "</ul>"
        for group in headline_tiles(doc)
    )
    contents = "".join(f"<li>{_e(s.title)}</li>" for s in doc.sections)
    quality = quality_table(doc)
    demo = f'<p class="vr-nb-demo">{_e(DEMO_MARK)}</p>' if doc.demo else ""
    return (
        f'<div class="vr-nb"><style>{CSS % {"brand": brand}}</style>'
        f'<p class="vr-nb-title">{_e(doc.program)}: {_e(doc.month_title.title())}</p>'
        f'<p class="vr-nb-by">{_e(doc.byline)}</p>{demo}{tiles}'
        f'<p class="vr-nb-label">Contents</p><ol>{contents}</ol>'
        + (table_html(quality) if quality is not None else "")
        + "<p>The full report, with every chart and table: <code>report.to_html(&quot;report.html&quot;)</code> "
        "or <code>report.to_pdf(&quot;report.pdf&quot;)</code>. One chart: "
        "<code>report.figures[&quot;engagement&quot;]</code>; its numbers: "
        "<code>report.tables[&quot;vip.engagement_trend&quot;]</code>.</p></div>"
    )


NOTEBOOK_VIEW.append(notebook_view)
