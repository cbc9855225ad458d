"""Write docs/profile.md from the profile's JSON Schema and the bundled Albuquerque profile.

Run ``python docs/make_profile_md.py > docs/profile.md`` after changing
``python/vipreport/profiles/profile.schema.json``; a test fails while the page
is out of date.
"""

from __future__ import annotations

import json
from typing import Any

from vipreport._profile import _expected
from vipreport.config import _bundled_document, profile_schema

INTRO = """\
# The profile: every key

A profile is a TOML file holding every number and category of the report's
metric definitions. vipreport ships one, the Albuquerque profile
(`python/vipreport/profiles/albuquerque.toml`), and uses it unless told
otherwise. Another city writes its own and passes it with `--config` on the
command line or `vr.Config.from_toml(path)` in Python.

**A profile names only what differs.** A key the file leaves out keeps the
Albuquerque value shown below. Tables merge key by key, so a file holding just
`[engagement]` and `window_days = 14` changes that one number. An array
(`areas.commands`, the `[[age_groups]]` entries, ...) and the
`[areas.aliases]` table are replaced whole when the file gives them.

**A profile is checked strictly.** An unknown key is an error that names the
file and the full key and proposes the closest valid key, so
`window_day = 14` is refused instead of silently keeping the default. A value
of the wrong type, or out of range, is an error that names the key and says
what was expected (`true` is not an integer). Every problem in the file is
listed at once. Some rules relate one key to another: the age bands must not
overlap, each alias must map to an area, every engagement status must be a
service status, no offense may be both violent and nonviolent, and
`latest_date` must come after `earliest_date`. Those are checked as well.

Check a file before a scheduled run with `vipreport config --check springfield.toml`.
It exits 0 when the file is valid and 2 when it is not, listing every problem.
The rules are a JSON Schema (draft 2020-12), shipped in the package as
`vipreport/profiles/profile.schema.json` and printed by
`vipreport config --schema`. An editor that reads JSON Schemas for TOML
files, such as Taplo / Even Better TOML, can check a profile while it is being
written when the file begins with a `#:schema ./profile.schema.json` line.

This page is generated from the schema's descriptions by
`docs/make_profile_md.py`.
"""


def _default(value: Any) -> str:
    if isinstance(value, list) and len(value) > 4:
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in value[:3])
        return f"`[{shown}, ...]` ({len(value)} names)"
    if isinstance(value, dict):
        return f"{len(value)} entries" if value else "none"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rows(properties: dict[str, Any], defaults: dict[str, Any]) -> list[str]:
    rows = []
    for key, sub in properties.items():
        shown = _default(defaults[key]) if key in defaults else "(not set)"
        rows.append(f"| `{key}` | {_expected(sub)} | {_cell(sub['description'])} | {shown} |")
    return rows


def render() -> str:
    schema = profile_schema()
    document = _bundled_document()
    lines = [INTRO]
    header = ["| Key | Type | Meaning | Albuquerque |", "|---|---|---|---|"]
    top = {
        k: v
        for k, v in schema["properties"].items()
        if v.get("type") not in ("object", "array") and not v.get("deprecated")
    }
    lines += ["## Top-level keys", "", *header, *_rows(top, document), ""]
    for key, sub in schema["properties"].items():
        if key in top:
            continue
        if sub.get("deprecated"):  # an old name of another section ({"$ref": ...}): a line, not a table
            lines += [f"## `[{key}]` (deprecated)", "", sub["description"], ""]
            continue
        if sub["type"] == "array":
            entry = sub["items"]["properties"]
            lines += [
                f"## `[[{key}]]`",
                "",
                sub["description"],
                "",
                "Each entry needs all of:",
                "",
                "| Key | Type | Meaning |",
                "|---|---|---|",
                *(f"| `{k}` | {_expected(s)} | {_cell(s['description'])} |" for k, s in entry.items()),
                "",
            ]
            groups = ", ".join(f"{g['label']} ({g['min']}-{g['max']})" for g in document[key])
            lines += [f"Albuquerque: {groups}.", ""]
            continue
        lines += [f"## `[{key}]`", "", sub["description"], "", *header]
        lines += _rows(sub["properties"], document.get(key, {}))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
