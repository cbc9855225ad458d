"""Which months a dataset covers, and the named error for a month it does not."""

import datetime as dt
import re

import pandas as pd
import pytest

import vipreport as vr
from vipreport.io import coverage


@pytest.fixture
def small() -> vr.Dataset:
    """Referrals from 5 Mar to 10 May 2024; incidents (another agency's) reach back to 2023."""
    return vr.load(
        {
            "referrals": pd.DataFrame(
                {
                    "person_id": ["a", "b", "c"],
                    "referral_date": ["2024-03-05", "2024-04-20", "2024-05-10"],
                    "source": ["Hospital"] * 3,
                    "area_command": ["Valley"] * 3,
                }
            ),
            "incidents": pd.DataFrame(
                {"person_id": ["a", "b"], "incident_date": ["2023-01-15", "2024-02-01"], "offense": ["Homicide"] * 2}
            ),
        }
    )


def test_coverage_from_the_records(small: vr.Dataset) -> None:
    found = small.coverage()
    assert (found.first_month, found.last_record_month, found.last_complete_month) == ("2024-03", "2024-05", "2024-04")


@pytest.mark.parametrize(
    "as_of, complete",
    [
        ("2024-05-30", "2024-04"),  # May has not ended on the export date
        ("2024-05-31", "2024-05"),  # exported on May's last day: May is complete
        (dt.date(2024, 6, 15), "2024-05"),
        ("2024-04-02", "2024-04"),  # an export date before the last record adds nothing
    ],
)
def test_the_export_date_completes_months(small: vr.Dataset, as_of: str | dt.date, complete: str) -> None:
    assert small.coverage(data_as_of=as_of).last_complete_month == complete


@pytest.mark.parametrize(
    "month, message",
    [
        ("2024-05", "2024-05 is after the last complete month of the data (2024-04)"),
        ("2024-02", "2024-02 is before the first record (2024-03)"),
        ("2023-06", "before the first record"),
    ],
)
def test_months_out_of_range_are_named_errors(small: vr.Dataset, month: str, message: str) -> None:
    with pytest.raises(vr.MonthOutOfRangeError, match=re.escape(message)) as info:
        vr.build_report(small, month)
    assert "the records run from 2024-03 to 2024-05; months 2024-03 to 2024-04 can be reported" in str(info.value)
    assert "Valley" not in str(info.value) and "Hospital" not in str(info.value)


def test_months_in_range_build(small: vr.Dataset) -> None:
    assert vr.build_report(small, "2024-04").month == "2024-04"
    assert vr.build_report(small, "2024-03").month == "2024-03"
    assert vr.build_report(small, "2024-05", data_as_of="2024-06-01").month == "2024-05"


def test_a_future_month_is_an_error_even_with_future_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coverage, "today", lambda: dt.date(2024, 5, 20))
    tables = {
        "referrals": pd.DataFrame(
            {
                "person_id": ["a", "b"],
                "referral_date": ["2024-03-05", "2024-08-01"],  # one mistyped into August
                "source": ["Hospital"] * 2,
                "area_command": ["Valley"] * 2,
            }
        )
    }
    with pytest.raises(vr.ValidationError, match="rule event_after_as_of"):  # refused by default
        vr.load(tables)
    data = vr.load(tables, config=vr.Config.default().replace(quality_rules={"event_after_as_of": "keep"}))
    assert data.coverage().last_complete_month == "2024-07"
    with pytest.raises(vr.MonthOutOfRangeError, match=r"2024-06 is in the future \(today is 2024-05-20\)"):
        data.check_month("2024-06")
    data.check_month("2024-04")
    with pytest.raises(vr.ArgumentError, match="after today"):
        data.coverage(data_as_of="2024-05-21")


@pytest.mark.parametrize("as_of", ["2024-13-01", "May 31", "2024-05"])
def test_a_malformed_export_date_is_an_argument_error(small: vr.Dataset, as_of: str) -> None:
    with pytest.raises(vr.ArgumentError, match="YYYY-MM-DD"):
        small.coverage(data_as_of=as_of)


def test_data_without_dated_records_cover_no_month() -> None:
    data = vr.load({"referrals": pd.DataFrame(columns=["person_id", "referral_date", "source", "area_command"])})
    assert data.coverage().first_month is None
    with pytest.raises(vr.MonthOutOfRangeError, match="no dated record"):
        vr.build_report(data, "2024-04")


def test_incidents_alone_still_give_a_coverage() -> None:
    data = vr.load(
        {
            "incidents": pd.DataFrame(
                {"person_id": ["a", "b"], "incident_date": ["2023-01-15", "2023-03-01"], "offense": ["Homicide"] * 2}
            )
        }
    )
    assert data.coverage().first_month == "2023-01"
    assert data.coverage().last_complete_month == "2023-02"


def test_the_demo_covers_july_2021_to_november_2024(demo: vr.Dataset) -> None:
    assert demo.coverage().first_month == "2021-07"
    assert demo.coverage().last_complete_month == "2024-11"
    assert vr.build_report(demo, "2024-11").month == "2024-11"
