"""The report as one self-contained, accessible HTML page, translated block by block from its outline.

Nothing here decides what the report says: :func:`outline` does, for the PDF
and this page alike. This module only maps each block to HTML: headings,
paragraphs, tiles as a list, tables with captions and header cells, and charts
as inline SVG with a title, a description and their numbers one click away.
Every CSS rule sits under the ``.vipreport`` class, so the page can be shown
inside another one (a notebook, an intranet page) without restyling it.
"""

from __future__ import annotations

import html
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .model import WRITERS, Report
from .outline import (
    DEMO_MARK,
    Block,
    Columns,
    Figure,
    Footnote,
    Heading,
    Note,
    Outline,
    Paragraph,
    Section,
    Table,
    Tiles,
    shared,
)
from .svg import write_svg

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

WHITE = "#FFFFFF"
TILE_BACKGROUND = "#EAF2F8"
# The fallback for a profile colour that white text (the header) or the tiles' background would not stand out
# from at 4.5:1 (WCAG 2.1 AA for normal text): a dark navy, 11:1 on white.
DARK = "#0B3C5D"
INK = "#1F2328"  # body text: 15:1 on white
MUTED = "#4A5058"  # notes and footnotes: 7.9:1 on white, still AA on the tiles' and stripes' backgrounds

CSS = """
.vipreport{font-family:Helvetica,Arial,sans-serif;color:%(ink)s;background:#fff;line-height:1.45;
max-width:980px;margin:0 auto;padding:0 16px 40px;box-sizing:border-box;font-size:16px}
.vipreport *,.vipreport *::before,.vipreport *::after{box-sizing:inherit}
.vipreport .vr-demo{background:#FFF4CC;color:#3D2E00;border:2px solid #8A6D00;font-weight:bold;
padding:8px 12px;margin:12px 0 0}
.vipreport .vr-header{background:%(brand)s;color:#fff;padding:16px 20px;margin:12px 0 0;overflow:hidden}
.vipreport .vr-header h1{font-size:1.45rem;margin:0;line-height:1.25}
.vipreport .vr-header h1 .vr-month{display:block;font-size:1rem;font-weight:normal;margin-top:2px}
.vipreport .vr-header p{margin:6px 0 0;font-size:.85rem}
.vipreport .logo{float:right;max-height:48px;max-width:30%%;margin-left:12px}
.vipreport nav{margin:16px 0;padding:10px 16px;background:#F4F6F8;border-left:4px solid %(brand)s}
.vipreport nav h2{margin:0 0 4px;font-size:1rem;border:0;padding:0;text-transform:none}
.vipreport nav ol{margin:0;padding-left:22px;columns:2 260px}
.vipreport a{color:%(brand)s}
.vipreport a:focus-visible,.vipreport [tabindex]:focus-visible,.vipreport summary:focus-visible{
outline:3px solid %(brand)s;outline-offset:2px}
.vipreport h2{color:%(brand)s;border-bottom:2px solid %(brand)s;padding-bottom:3px;margin:36px 0 12px;
text-transform:uppercase;font-size:1.1rem;letter-spacing:.02em}
.vipreport h3{color:%(brand)s;font-size:1rem;margin:24px 0 8px}
.vipreport p{margin:8px 0}
.vipreport .vr-small{font-size:.9rem}
.vipreport .vr-note{color:%(muted)s;font-style:italic}
.vipreport .vr-footnote{color:%(muted)s;font-size:.85rem;margin:4px 0}
.vipreport .vr-tiles{list-style:none;display:flex;flex-wrap:wrap;gap:12px;padding:0;margin:14px 0}
.vipreport .vr-tiles li{background:%(tile)s;padding:10px 14px;flex:1 1 150px;min-width:0}
.vipreport .vr-tile-value{display:block;font-size:1.6rem;font-weight:bold;color:%(brand)s}
.vipreport .vr-tile-label{display:block;font-size:.85rem}
.vipreport .vr-scroll{max-width:100%%;overflow-x:auto;margin:12px 0}
.vipreport table{border-collapse:collapse;font-size:.85rem;margin:0}
.vipreport caption{text-align:left;font-weight:bold;padding:0 0 4px;caption-side:top}
.vipreport th,.vipreport td{border:1px solid #B8BEC4;padding:3px 8px;text-align:left;vertical-align:top}
.vipreport thead th{background:%(brand)s;color:#fff}
.vipreport tbody th{font-weight:normal}
.vipreport .vr-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.vipreport tbody tr:nth-child(even) td,.vipreport tbody tr:nth-child(even) th{background:#F4F6F8}
.vipreport figure{margin:16px 0;min-width:0}
.vipreport figure svg{display:block;max-width:100%%;height:auto}
.vipreport figure.vr-wide svg{width:100%%}
.vipreport .vr-lead{display:block}
.vipreport figcaption{font-size:.9rem;margin:4px 0}
.vipreport details{font-size:.9rem}
.vipreport summary{cursor:pointer;color:%(brand)s;font-weight:bold;padding:2px 0}
.vipreport .vr-columns{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:20px}
.vipreport footer{margin-top:32px;border-top:1px solid #B8BEC4;padding-top:8px;font-size:.85rem;color:%(muted)s}
@media (max-width:700px){.vipreport .vr-columns{grid-template-columns:minmax(0,1fr)}
.vipreport{padding:0 10px 32px}.vipreport .vr-header{padding:12px 14px}
.vipreport th,.vipreport td{padding:3px 5px}}
"""


# -- colours -------------------------------------------------------------------------------------
def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def brand_colour(colour: str) -> str:
    """The profile colour, if white header text on it and it as text on the tiles both reach 4.5:1; else DARK.

    A pale profile colour (a light teal, say) would make the header and the
    headings unreadable, so the page keeps the profile's identity only where it is
    readable: the fallback is a dark navy.
    """
    try:
        ok = min(contrast(colour, WHITE), contrast(colour, TILE_BACKGROUND)) >= 4.5
    except ValueError:  # not #RRGGBB: the profile check lets named colours through for the PDF
        ok = False
    return colour if ok else DARK


def css(colour: str) -> str:
    return CSS % {"brand": brand_colour(colour), "ink": INK, "muted": MUTED, "tile": TILE_BACKGROUND}


# -- charts --------------------------------------------------------------------------------------
def svg_markup(fig: MplFigure, *, prefix: str, title: str, desc: str) -> str:
    """A chart as inline SVG for a page holding many: its own ids, no global style, a title and a description.

    Matplotlib writes ids (``figure_1``, clip paths, glyphs) that repeat from one
    chart to the next, and a ``*{...}`` style rule that would apply to the whole
    page; each id gets the chart's prefix (references follow) and the rule's two
    properties move onto the root as inherited attributes.
    """
    buffer = io.StringIO()
    write_svg(fig, buffer, fonttype="none", hashsalt=prefix)  # text stays text
    root = ET.fromstring(buffer.getvalue())
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, f"{prefix}-{value}")
            elif value.startswith("#") and value[1:] in ids:  # xlink:href="#m0a1b2c"
                element.set(name, f"#{prefix}-{value[1:]}")
            elif "url(#" in value:  # clip-path="url(#p1234)"
                for old in ids:
                    value = value.replace(f"url(#{old})", f"url(#{prefix}-{old})")
                element.set(name, value)
    root.attrib.update({"stroke-linejoin": "round", "stroke-linecap": "butt"})  # from the removed *{...} rule
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title {prefix}-desc")
    heading = ET.Element(f"{{{SVG_NS}}}title", id=f"{prefix}-title")
    heading.text = title
    description = ET.Element(f"{{{SVG_NS}}}desc", id=f"{prefix}-desc")
    description.text = desc
    root.insert(0, description)
    root.insert(0, heading)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


# -- blocks --------------------------------------------------------------------------------------
def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def table_html(table: Table, *, label: str | None = None) -> str:
    """A table with its caption, column and row header cells, in a focusable box that scrolls sideways."""
    numeric = list(table.numeric) + [False] * (len(table.frame.columns) - len(table.numeric))
    align = [""] + [' class="vr-num"' if n else "" for n in numeric]
    head = "".join(f'<th scope="col"{a}>{esc(h)}</th>' for h, a in zip(table.header(), align, strict=True))
    rows = []
    for row in table.rows():
        cells = "".join(f"<td{a}>{esc(v)}</td>" for v, a in zip(row[1:], align[1:], strict=True))
        rows.append(f'<tr><th scope="row">{esc(row[0])}</th>{cells}</tr>')
    return (
        f'<div class="vr-scroll" tabindex="0" role="region" aria-label="{esc(label or table.caption)}">'
        f"<table><caption>{esc(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def tiles_html(tiles: Tiles) -> str:
    items = "".join(
        f'<li><span class="vr-tile-value">{esc(t.value)}</span> <span class="vr-tile-label">{esc(t.label)}</span></li>'
        for t in tiles.tiles
    )
    return f'<ul class="vr-tiles">{items}</ul>'


def paragraph_html(block: Paragraph) -> str:
    cls = ' class="vr-small"' if block.size == "small" else ""
    # A lead that ends a sentence ("Referral.") runs into its text; a title-like one ("Referrals") sits above it.
    run_in = block.lead.rstrip().endswith((".", ":", "?", "!"))
    cls_lead = "" if run_in else ' class="vr-lead"'
    lead = f"<strong{cls_lead}>{esc(block.lead)}</strong> " if block.lead else ""
    return f"<p{cls}>{lead}{esc(block.text)}</p>"


def figure_html(block: Figure) -> str:
    prefix = f"vr-fig-{block.name.replace('_', '-')}"
    svg = svg_markup(block.draw(), prefix=prefix, title=block.title, desc=block.alt)
    data = table_html(block.data, label=f"Data table: {block.title}")
    wide = ' class="vr-wide"' if block.wide else ""
    return (
        f'<figure id="{prefix}"{wide}>{svg}<figcaption>{esc(block.caption)}</figcaption>'
        f"<details><summary>Data table</summary>{data}</details></figure>"
    )


def block_html(block: Block, *, heading_id: str = "") -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 2), 3)
        anchor = f' id="{esc(heading_id)}"' if heading_id else ""
        return f"<h{level}{anchor}>{esc(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        return paragraph_html(block)
    if isinstance(block, Tiles):
        return tiles_html(block)
    if isinstance(block, Table):
        return table_html(block)
    if isinstance(block, Figure):
        return figure_html(block)
    if isinstance(block, Note):
        return f'<p class="vr-note">{esc(block.text)}</p>'
    if isinstance(block, Footnote):
        return f'<p class="vr-footnote">{esc(block.text)}</p>'
    if isinstance(block, Columns):
        return '<div class="vr-columns">' + "".join(f"<div>{block_html(b)}</div>" for b in block.blocks) + "</div>"
    raise TypeError(f"no HTML for the outline block {type(block).__name__}")


def section_html(section: Section) -> str:
    heading = f"{section.id}-heading"
    parts: list[str] = []
    labelled = False
    for block in section.blocks:
        if isinstance(block, Heading) and block.level <= 2 and not labelled:
            parts.append(block_html(block, heading_id=heading))
            labelled = True
        else:
            parts.append(block_html(block))
    label = f' aria-labelledby="{esc(heading)}"' if labelled else f' aria-label="{esc(section.title)}"'
    return f'<section id="{esc(section.id)}"{label}>' + "\n".join(parts) + "</section>"


def _toc(sections: Iterable[Section]) -> str:
    items = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in sections)
    return f'<nav aria-labelledby="vr-contents"><h2 id="vr-contents">Contents</h2><ol>{items}</ol></nav>'


def demo_banner(doc: Outline) -> str:
    if not doc.demo:
        return ""
    return f'<p class="vr-demo" role="note">{esc(DEMO_MARK)}</p>'


def header_html(doc: Outline) -> str:
    logo = _logo(doc.logo) if doc.logo else ""
    month = doc.month_title.title()
    return (
        f'<header class="vr-header">{logo}<h1>{esc(doc.program)} <span class="vr-month">{esc(month)}</span></h1>'
        f"<p>{esc(doc.byline)}</p></header>"
    )


def render_html(report: Report, *, standalone: bool = True) -> str:
    """The report as HTML: a whole document, or (``standalone=False``) one ``div`` to place in another page."""
    doc = shared(report)
    colour = brand_colour(doc.colour)
    body = (
        '<div class="vipreport">'
        + demo_banner(doc)
        + header_html(doc)
        + _toc(doc.sections)
        + '<main id="vr-main">'
        + "\n".join(section_html(s) for s in doc.sections)
        + f"</main><footer><p>{esc(doc.footer)}</p></footer></div>"
    )
    fallback = "" if colour == doc.colour else f"<!-- the profile colour {esc(doc.colour)} is too pale for text -->"
    if not standalone:
        return f"{fallback}<style>{css(doc.colour)}</style>{body}"
    return (
        f'<!DOCTYPE html><html lang="{esc(doc.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(doc.title)}</title><meta name="author" content="{esc(doc.department)}">{fallback}'
        f"<style>body{{margin:0}}{css(doc.colour)}</style></head><body>{body}</body></html>"
    )


def _logo(path: str) -> str:
    """The profile's PNG logo, inlined so the file stays self-contained (decorative: the header names the program)."""
    import base64

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
