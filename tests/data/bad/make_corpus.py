"""Writes the bad-input corpus (run once; the files are committed). Expected behaviour: cases.toml."""

from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).parent
HEADER = "person_id,referral_date,source,area_command\n"


def write(case: str, name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    folder = HERE / case
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.replace("\n", newline).encode(encoding))


def referrals(case: str, rows: list[str], **kw: str) -> None:
    write(case, "referrals.csv", HEADER + "".join(r + "\n" for r in rows), **kw)


referrals(
    "impossible_dates",
    [
        "a,2024-02-30,Hospital,Valley",
        "b,1900-01-01,Hospital,Valley",
        "c,2200-05-01,Hospital,Valley",
        "d,last tuesday,Hospital,Valley",
        "e,2024-02-29,Hospital,Valley",
    ],
)
write(
    "wrong_types",
    "cora_responses.csv",
    "response_date,incident_type,adults_assisted,children_assisted\n"
    "2024-03-01,Homicide,many,0\n2024-03-02,Homicide,-2,0\n2024-03-03,Suicide,1.5,0\n2024-03-04,Other,3,\n",
)
write(
    "end_before_start",
    "enrollments.csv",
    "person_id,start_date,end_date\na,2024-03-01,2024-02-01\nb,2024-03-01,\nc,2024-03-01,2024-03-01\n",
)
referrals(
    "dates_after_as_of",
    [
        "a,2024-10-15,Hospital,Valley",
        "b,2024-11-30,Hospital,Valley",
        "c,2024-12-01,Hospital,Valley",
        "d,2025-01-20,Hospital,Valley",
    ],
)
referrals(
    "unknown_categories",
    ["a,2024-01-02,Carrier pigeon,Valley", "b,2024-01-02,Hospital,Atlantis", "c,2024-01-02,hospital,valley"],
)
write("missing_column", "referrals.csv", "person_id,referral_date,source\na,2024-01-02,Hospital\n")
write(
    "extra_columns",
    "referrals.csv",
    "person_id,name,referral_date,source,area_command,notes\na,Jane Roe,2024-01-02,Hospital,Valley,called twice\n",
)
write("empty_file", "referrals.csv", "")
write("header_only", "referrals.csv", HEADER)
write("utf8_bom_crlf", "referrals.csv", "\ufeff" + HEADER + "a,2024-01-02,Hospital,Valley\n", newline="\r\n")
write("latin1", "incidents.csv", "person_id,incident_date,offense\nJos\u00e9,2024-01-02,Shooting\n", encoding="latin-1")
write(
    "title_row",
    "referrals.csv",
    "VIP referrals export,,,\nNovember 2024,,,\n" + HEADER + "a,2024-01-02,Hospital,Valley\n",
)
referrals(
    "duplicates",
    [
        "a,2024-01-02,Hospital,Valley",
        "a,2024-01-02,Hospital,Valley",
        "b,2024-01-02,Hospital,Valley",
        "a,2024-01-02,Hospital,Valley",
    ],
)
write(
    "negative_age",
    "notifications.csv",
    "person_id,notification_date,age\na,2024-01-02,-3\nb,2024-01-02,19\nc,2024-01-02,\n",
)
referrals(
    "nan_and_blanks",
    [
        "a,2024-01-02,Hospital,",
        "b,,Hospital,Valley",
        ",2024-01-02,Hospital,Valley",
        "d,2024-01-02,Hospital,NaN",
        "e,2024-01-02,Hospital,NULL",
    ],
)
referrals(
    "id_variants",
    ["P-001,2024-01-02,Hospital,Valley", "p001,2024-02-02,Hospital,Valley", "P002,2024-02-03,Hospital,Valley"],
)
write("id_variants", "notifications.csv", "person_id,notification_date\n P001 ,2024-01-05\n")

# Malformed structure, named at the physical line (blank and continued lines counted).
write(
    "unterminated_quote",
    "referrals.csv",
    HEADER + 'a,2024-01-02,Hospital,Valley\n\nb,2024-01-03,"Hospital,Valley\nc,2024-01-04,Hospital,Valley\n',
)
write(
    "ragged_rows",
    "referrals.csv",
    HEADER.strip() + ",notes\na,2024-01-02,Hospital,Valley,x\n\n"
    'b,2024-01-03,Hospital,Valley,"two\nlines"\nc,2024-01-04,Hospital,Valley,x,Jane Roe\n'
    "d,2024-01-05,Hospital\n",
)
write(
    "duplicate_header",
    "referrals.csv",
    "person_id,referral_date,source,Source,area_command\na,2024-01-02,Hospital,Jane Roe,Valley\n",
)
write(
    "lines_after_blanks",
    "referrals.csv",
    "VIP export\n\n" + HEADER.strip() + ",notes\n"
    'a,2024-01-02,Hospital,Valley,"multi\nline"\n\nb,1961-07-04,Hospital,Valley,x\n'
    "c,2024-01-02,Hospital,Jane Roe,x\n",
)
# Typed deliberately: zones, leading zeros, system file names.
write(
    "tz_timestamps",
    "referrals.csv",
    HEADER + "a,2024-03-10T06:30:00Z,Hospital,Valley\n"
    "b,2024-11-03T06:30:00-00:00,Hospital,Valley\nc,2024-03-10 23:30:00,Hospital,Valley\n",
)
referrals("leading_zeros", ["00123,2024-01-02,Hospital,Valley", "123,2024-01-02,Hospital,Valley"])
write("leading_zeros", "notifications.csv", "person_id,notification_date\n00123,2024-01-05\n")
write("dated_names", "Referrals_Export_2024-10-31.csv", HEADER + "a,2024-01-02,Hospital,Valley\n")
write(
    "dated_names",
    "Referrals_Export_2024-11-30.csv",
    HEADER + "a,2024-01-02,Hospital,Valley\nb,2024-02-02,Hospital,Valley\n",
)
write("dated_names", "README.txt", "exports from the case system\n")

# Impossibilities across tables (io/crosstable.py), under the profile's default actions.
referrals("event_after_death", ["a,2024-01-02,Hospital,Valley", "b,2024-01-03,Hospital,Valley"])
write("event_after_death", "notifications.csv", "person_id,notification_date\na,2024-01-10\nb,2024-01-11\n")
write(
    "event_after_death",
    "incidents.csv",
    "person_id,incident_date,offense\na,2024-02-01,Shooting\na,2024-04-01,Shooting\nb,2024-03-01,Larceny\n",
)
write("event_after_death", "deaths.csv", "person_id,death_date\na,2024-03-01\nb,2024-03-01\n")
referrals("event_years_after_export", ["a,2024-01-02,Hospital,Valley", "b,2099-01-02,Hospital,Valley"])
referrals("notification_without_referral", ["a,2024-01-02,Hospital,Valley"])
write(
    "notification_without_referral",
    "notifications.csv",
    "person_id,notification_date\na,2024-01-10\nb,2024-01-11\nc,2024-01-12\n",
)
write("never_notified", "notifications.csv", "person_id,notification_date\na,2024-01-10\n")
write(
    "never_notified",
    "services.csv",
    "person_id,service_date,service_type,status\na,2024-01-12,Housing,connected\nb,2024-01-12,Housing,requested\n",
)
write(
    "never_notified",
    "incidents.csv",
    "person_id,incident_date,offense\nb,2024-02-01,Shooting\nc,2024-02-01,Larceny\na,2024-02-01,Larceny\n",
)
referrals(
    "near_duplicates",
    [
        "a,2024-01-02,Hospital,Valley",
        "a,2024-01-02,Hospital,Southeast",
        "a,2024-01-02,Community,Valley",
        "a,2024-01-02,Hospital,Valley",
    ],
)
write(
    "conflicting_birth_dates",
    "notifications.csv",
    "person_id,notification_date,birth_date\n"
    "a,2024-01-02,1990-04-01\na,2024-03-02,1991-04-01\nb,2024-01-02,1985-01-01\nb,2024-02-02,1985-01-01\n",
)


def excel_serials(ws: Worksheet) -> None:
    for r in (
        ["person_id", "referral_date", "source", "area_command"],
        ["a", 45231, "Hospital", "Valley"],
        ["b", "2024-01-02", "Hospital", "Valley"],
    ):
        ws.append(r)


def merged_cells(ws: Worksheet) -> None:
    for r in (
        ["Referrals by area, Q1"],
        ["person_id", "referral_date", "source", "area_command"],
        ["a", "2024-01-02", "Hospital", "Valley"],
        ["b", "2024-01-03", "Hospital", None],
        ["c", "2024-01-04", "Hospital", None],
    ):
        ws.append(r)
    ws.merge_cells("A1:D1")
    ws.merge_cells("D3:D5")


SHEETS: dict[str, Callable[[Worksheet], None]] = {"excel_serials": excel_serials, "merged_cells": merged_cells}
for case, build in SHEETS.items():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    build(sheet)
    (HERE / case).mkdir(exist_ok=True)
    workbook.save(HERE / case / "referrals.xlsx")
