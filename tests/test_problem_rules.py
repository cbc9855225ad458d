"""Every problem names a stable rule: the identifiers that machine-readable output carries."""

import tomllib
from pathlib import Path

import pytest

import vipreport as vr
from vipreport.errors import RULES

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))

# The rule each failing case of the bad-input corpus breaks, read from its description in cases.toml.
EXPECTED_RULES = {
    "impossible_dates": {"invalid_date"},
    "wrong_types": {"invalid_count"},  # a blank count is zero, not an error
    "negative_age": {"invalid_age"},
    "nan_and_blanks": {"blank_value"},  # a blank date and a blank id
    "end_before_start": {"end_before_start"},
    "unknown_categories": {"unknown_category"},
    "missing_column": {"missing_column"},
    "empty_file": {"empty_file"},
    "unterminated_quote": {"unterminated_quote"},
    "ragged_rows": {"field_count"},
    "duplicate_header": {"duplicate_column"},
    "lines_after_blanks": {"invalid_date", "unknown_category"},
    "event_after_death": {"event_after_death"},  # rules across tables, errors by default
    "event_years_after_export": {"event_after_as_of"},
}


def test_every_failing_case_has_its_rules_listed() -> None:
    assert set(EXPECTED_RULES) == {name for name, spec in CASES.items() if spec["expect"] == "error"}


@pytest.mark.parametrize("case", sorted(EXPECTED_RULES))
def test_problems_name_their_rule_and_file(case: str) -> None:
    with pytest.raises(vr.ValidationError) as info:
        vr.load(CORPUS / case)
    problems = info.value.problems
    assert {p.rule for p in problems} == EXPECTED_RULES[case]
    files = {p.name for p in (CORPUS / case).iterdir()}
    for problem in problems:
        assert problem.rule in RULES and problem.file in files
        record = problem.to_dict()
        assert record["description"] == RULES[problem.rule] and "message" not in record


def test_rows_read_are_kept_on_failure() -> None:
    with pytest.raises(vr.ValidationError) as info:
        vr.load(CORPUS / "impossible_dates")
    assert info.value.rows_read == {"referrals": 5}


def test_files_that_cannot_be_parsed_are_problems_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "referrals.csv").write_text(
        "person_id,referral_date,source,area_command\n"
        "a,2024-01-02,Hospital,Valley\n"
        "b,2024-01-03,Hospital,Valley,Jane Roe,extra\n"
    )
    (tmp_path / "incidents.parquet").write_text("not a parquet file")
    (tmp_path / "services.xlsx").write_text("not a workbook")
    with pytest.raises(vr.ValidationError) as info:
        vr.load(tmp_path)
    found = sorted((p.table, p.rule, p.file, p.line) for p in info.value.problems)
    assert found == [
        ("incidents", "malformed_file", "incidents.parquet", None),
        ("referrals", "field_count", "referrals.csv", 3),  # the kind of malformation, named
        ("services", "malformed_file", "services.xlsx", None),
    ]
    assert "Jane Roe" not in str(info.value)
