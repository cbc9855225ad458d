"""Write docs/schema.md, the input tables and their columns, from the code's table definitions.

Run ``python docs/make_schema_md.py > docs/schema.md`` after changing
``python/vipreport/schema.py`` or a category of the Albuquerque profile;
``nox -s docs`` fails while the page is out of date.
"""

from __future__ import annotations

from vipreport.config import Config
from vipreport.io.columns import FALSE_WORDS, MISSING_WORDS, TRUE_WORDS
from vipreport.schema import (
    AGE,
    AREA,
    BIRTH_DATE,
    BOOL,
    COUNT,
    DATE,
    EVENT_DATE,
    ID,
    OFFENSE,
    PERSONAL_EXTRA_COLUMNS,
    PERSONAL_KINDS,
    TABLES,
    TEXT,
    Column,
)

INTRO = """\
# The input tables: every column

vipreport reads up to nine record-level tables, one row per event. This page
lists each table's columns: the type each column holds, whether a file for that
table must have it, and the values a category column allows. The allowed values
shown are the Albuquerque profile's; another city's profile
([the profile](profile.md)) gives its own. How files are found, how their
columns are renamed (`column_map`) and what happens to a value that does not fit
is in [loading the exports](loading.md).

Every table may also have a `record_id` column, the export's own row id. With
it, two rows with equal values stay two events (two responses on one day);
without it, a repeated row is an exact duplicate and is dropped, and the drop is
counted.

Columns not listed are ignored. A column whose name marks it as personal
({personal}) is dropped as soon as it is read, without being looked at.

Category values are matched ignoring case, spaces, dots and hyphens
(`law-enforcement` is `Law Enforcement`), and a blank cell is any of: empty,
{missing}.

This page is generated from `python/vipreport/schema.py` by
`docs/make_schema_md.py`.
"""

KINDS = {
    ID: "person id: a pseudonym, or a raw id that loading hashes with a salt (personal: never shown)",
    DATE: "date: ISO (`2024-11-05`), a timestamp, an Excel serial number or the profile's `date_formats`",
    BIRTH_DATE: "date of birth: used only to compute an age (personal: never shown)",
    AGE: "whole years at the event, 0 to the profile's `max_age`; blank is unknown",
    BOOL: "true or false: " + ", ".join(sorted(TRUE_WORDS)) + " / " + ", ".join(sorted(FALSE_WORDS)),
    COUNT: "a whole number of 0 or more; blank is 0",
    TEXT: "text, kept as given",
}


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _allowed(column: Column, config: Config) -> str:
    if column.categories is not None:
        values: tuple[str, ...] = getattr(config, column.categories)
        return f"one of {_list(values)} (`Config.{column.categories}`)"
    if column.kind == AREA:
        aliases = ", ".join(f"`{k}` → `{v}`" for k, v in config.area_aliases.items())
        return (
            f"an area command: {_list(config.area_commands)}, or `{config.area_missing}`; "
            f"a blank is `{config.area_missing}`. Aliases: {aliases}"
        )
    if column.kind == OFFENSE:
        return (
            f"an offense name. Violent: {_list(config.violent_offenses)}. "
            f"Not violent: {_list(config.nonviolent_offenses)}. "
            'Another name is a data problem when the profile\'s `offenses.unknown` is `"error"` '
            f'(Albuquerque: `{config.unknown_offense}`), not violent when it is `"nonviolent"`'
        )
    return KINDS[column.kind]


def _type(column: Column) -> str:
    if column.categories is not None:
        return "category"
    return {ID: "id", BIRTH_DATE: "date", AREA: "category", OFFENSE: "category"}.get(column.kind, column.kind)


def render() -> str:
    config = Config.default()
    personal = ", ".join(f"`{n}`" for n in sorted(PERSONAL_EXTRA_COLUMNS))
    missing = ", ".join(f"`{w}`" for w in MISSING_WORDS if w)
    lines = [INTRO.format(personal=personal, missing=missing)]
    for table in TABLES.values():
        lines += [
            f"## `{table.name}`",
            "",
            f"{table.description[0].upper()}{table.description[1:]}. "
            f"A row's month is the month of its `{EVENT_DATE[table.name]}`.",
            "",
            "| Column | Type | Required | Values |",
            "|---|---|---|---|",
        ]
        for column in table.columns:
            if column.name == "record_id":
                continue
            personal_mark = " (personal)" if column.kind in PERSONAL_KINDS else ""
            required = "yes" if column.required else "no"
            lines.append(
                f"| `{column.name}` | {_type(column)}{personal_mark} | {required} | {_allowed(column, config)} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
