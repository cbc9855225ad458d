"""The record tables vipreport reads: their columns and what each column holds."""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds. PERSONAL columns never appear in a message, a log or an output.
ID = "id"  # a person's id (pseudonym, or a raw id hashed with a salt)
DATE = "date"
BIRTH_DATE = "birth_date"
AREA = "area"  # an area command, through the alias table; blank -> missing label
OFFENSE = "offense"  # an offense name, mapped to violent / nonviolent
BOOL = "bool"
COUNT = "count"  # a non-negative integer; blank -> 0
AGE = "age"  # age in whole years at the event; blank -> unknown
TEXT = "text"  # free text kept as given (not personal)
PERSONAL_KINDS = frozenset({ID, BIRTH_DATE})

# Names of personal columns that a loader drops on sight if they arrive as extra columns.
PERSONAL_EXTRA_COLUMNS = frozenset(
    {"name", "first_name", "last_name", "full_name", "dob", "date_of_birth", "raw_id", "ssn", "address", "phone"}
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    # For category columns: the Config attribute holding the allowed values.
    categories: str | None = None
    required: bool = True


def _cat(name: str, categories: str, *, required: bool = True) -> Column:
    return Column(name, "category", categories, required)


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[Column, ...]
    description: str

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


# Every table may carry the export's own row id. Without it, two rows with
# equal values are exact duplicates and one is dropped (and counted); with
# it, legitimately identical events (two responses on one day) stay distinct.
RECORD_ID = Column("record_id", TEXT, required=False)

TABLES: dict[str, TableSchema] = {
    t.name: TableSchema(t.name, (*t.columns, RECORD_ID), t.description)
    for t in (
        TableSchema(
            "referrals",
            (
                Column("person_id", ID),
                Column("referral_date", DATE),
                _cat("source", "referral_sources"),
                Column("area_command", AREA),
                _cat("program", "referral_programs", required=False),
            ),
            "one row per referral to the program",
        ),
        TableSchema(
            "notifications",
            (
                Column("person_id", ID),
                Column("notification_date", DATE),
                Column("birth_date", BIRTH_DATE, required=False),
                Column("age", AGE, required=False),
                Column("referral_id", TEXT, required=False),
            ),
            "one row per custom notification delivered",
        ),
        TableSchema(
            "services",
            (
                Column("person_id", ID),
                Column("service_date", DATE),
                _cat("service_type", "service_types"),
                _cat("status", "service_statuses"),
                _cat("program", "service_programs", required=False),
            ),
            "one row per service request, referral or connection",
        ),
        TableSchema(
            "enrollments",
            (
                Column("person_id", ID),
                Column("start_date", DATE),
                Column("end_date", DATE, required=False),
            ),
            "one row per caseload episode; a blank end_date is still open",
        ),
        TableSchema(
            "incidents",
            (
                Column("person_id", ID),
                Column("incident_date", DATE),
                Column("offense", OFFENSE),
                Column("violent", BOOL, required=False),
            ),
            "one row per law-enforcement event involving a participant",
        ),
        TableSchema(
            "deaths",
            (
                Column("person_id", ID),
                Column("death_date", DATE),
            ),
            "one row per participant known to have died; a competing risk for recidivism",
        ),
        TableSchema(
            "trc_referrals",
            (
                Column("referral_date", DATE),
                _cat("source", "trc_sources"),
                Column("person_id", ID, required=False),
                Column("discharge_date", DATE, required=False),
            ),
            "one row per Trauma Recovery Center referral; active until discharge_date",
        ),
        TableSchema(
            "cora_responses",
            (
                Column("response_date", DATE),
                _cat("incident_type", "cora_incident_types"),
                Column("area_command", AREA, required=False),
                Column("adults_assisted", COUNT, required=False),
                Column("children_assisted", COUNT, required=False),
                Column("referrals_made", COUNT, required=False),
                Column("outreach_operations", COUNT, required=False),
            ),
            "one row per CORA response",
        ),
        TableSchema(
            "oep_referrals",
            (
                Column("referral_date", DATE),
                Column("person_id", ID, required=False),
                Column("located_date", DATE, required=False),
                Column("treatment_date", DATE, required=False),
                Column("narcan_date", DATE, required=False),
            ),
            "one row per Opioid Education and Prevention referral",
        ),
    )
}

# The date that places each table's rows in a month.
EVENT_DATE = {
    "referrals": "referral_date",
    "notifications": "notification_date",
    "services": "service_date",
    "enrollments": "start_date",
    "incidents": "incident_date",
    "deaths": "death_date",
    "trc_referrals": "referral_date",
    "cora_responses": "response_date",
    "oep_referrals": "referral_date",
}
