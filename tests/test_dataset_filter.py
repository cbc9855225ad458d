"""Dataset.filter and by="area_command" / by="program", against plain pandas on the demo data.

The references pick persons with groupby/idxmin on the raw tables and count with
the definitions of tests/reference.py; they share nothing with the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import reference as ref
import vipreport as vr

AS_OF = pd.Timestamp("2024-11-30")
MONTH = "2024-11"


@pytest.fixture(scope="module")
def data() -> vr.Dataset:
    return vr.datasets.demo()


@pytest.fixture(scope="module")
def no_deaths(data: vr.Dataset) -> vr.Dataset:
    # The pandas reference does not model deaths: compare on the same tables without them.
    return vr.Dataset({k: v for k, v in data.tables.items() if k != "deaths"}, data.quality, data.config)


def first_referral(data: vr.Dataset, column: str) -> pd.Series:
    """Per person key: ``column`` of their earliest referral (the earlier row on a tie)."""
    referrals = data.tables["referrals"]
    referrals = referrals[referrals["person_key"] >= 0]
    rows = referrals.groupby("person_key")["referral_date"].idxmin()
    return referrals.loc[rows.to_numpy()].set_index("person_key")[column].astype(object)


def persons_in(data: vr.Dataset, column: str, value: str) -> set[int]:
    first = first_referral(data, column)
    return set(first.index[first == value].tolist())


def rows_of(frame: pd.DataFrame, persons: set[int]) -> pd.DataFrame:
    return frame[frame["person_key"].isin(list(persons))].reset_index(drop=True)


def test_filter_to_an_area_keeps_its_persons_rows_in_every_table(data: vr.Dataset) -> None:
    valley = data.filter(area="Valley")
    persons = persons_in(data, "area_command", "Valley")
    assert persons
    for name, frame in data.tables.items():
        if "person_key" in frame:
            expected = rows_of(frame, persons)
        else:  # CORA responses name no person: their own area column decides
            expected = frame[frame["area_command"] == "Valley"].reset_index(drop=True)
        pd.testing.assert_frame_equal(valley.tables[name], expected, check_categorical=True)
    assert len(valley.tables["cora_responses"]) == int(
        (data.tables["cora_responses"]["area_command"] == "Valley").sum()
    )
    assert valley.config is data.config and valley.synthetic == data.synthetic
    assert data.tables["referrals"].shape[0] > valley.tables["referrals"].shape[0]  # the original is untouched


def test_quality_summary_notes_the_filter(data: vr.Dataset) -> None:
    valley = data.filter(area="Valley")
    pd.testing.assert_frame_equal(valley.quality.iloc[: len(data.quality)], data.quality)
    notes = valley.quality.iloc[len(data.quality) :]
    assert list(notes["table"]) == list(data.tables)
    assert set(notes["action"]) == {"filtered"}
    for table, reason, dropped in zip(
        notes["table"].tolist(), notes["reason"].tolist(), notes["rows"].tolist(), strict=True
    ):
        kept = len(valley.tables[table])
        assert dropped == len(data.tables[table]) - kept
        assert f"kept {kept:,} of {len(data.tables[table]):,} rows" in reason
        assert "'Valley'" in reason


def test_figures_on_an_area_agree_with_pandas(data: vr.Dataset, no_deaths: vr.Dataset) -> None:
    persons = persons_in(data, "area_command", "Valley")
    notices = rows_of(data.tables["notifications"], persons)
    incidents = rows_of(data.tables["incidents"], persons)
    services = rows_of(data.tables["services"], persons)
    referrals = rows_of(data.tables["referrals"], persons)

    success = vr.success_rate(no_deaths.filter(area="Valley"), MONTH).set_index("group").loc["All"]
    assert (success.persons, success.failures) == ref.running_success(notices, incidents, AS_OF)

    valley = data.filter(area="Valley")
    c = data.config
    for month in ("2024-03", "2024-06", "2024-09"):
        engagement = vr.engagement_rate(valley, month).iloc[0]
        as_of = pd.Period(month, "M").end_time.normalize()
        expected = ref.engagement(
            notices, services, month, window_days=c.engagement_window_days, statuses=c.engagement_statuses, as_of=as_of
        )
        assert (engagement.notified, engagement.engaged) == expected

    tidy = vr.referrals_by_area(valley, MONTH)
    table = tidy[tidy["month"] == MONTH].set_index("area_command")
    fy_start = pd.Timestamp("2024-07-01")  # the demo profile's fiscal year starts in July
    assert c.fiscal_year_start_month == 7
    in_fy = referrals[(referrals["referral_date"] >= fy_start) & (referrals["referral_date"] <= AS_OF)]
    expected_fytd = in_fy["area_command"].astype(object).value_counts()
    for area in table.index:
        assert table.loc[area, "fytd"] == expected_fytd.get(area, 0), area
    # Persons follow their first referral: a Valley person's later referral elsewhere still counts.
    assert table["fytd"].sum() == len(in_fy)


def test_filter_by_program_persons_and_period(data: vr.Dataset) -> None:
    hvip = data.filter(program="HVIP")
    persons = persons_in(data, "program", "HVIP")
    pd.testing.assert_frame_equal(hvip.tables["notifications"], rows_of(data.tables["notifications"], persons))
    assert len(hvip.tables["cora_responses"]) == 0  # CORA responses belong to no program

    keys = sorted(data.tables["notifications"]["person_key"].unique())[:5]
    few = data.filter(persons=keys)
    assert set(few.tables["notifications"]["person_key"]) == set(keys)
    pd.testing.assert_frame_equal(few.tables["incidents"], rows_of(data.tables["incidents"], set(keys)))

    half = data.filter(period=("2024-01", "2024-06-30"))
    referrals = data.tables["referrals"]
    dates = referrals["referral_date"]
    expected = referrals[(dates >= "2024-01-01") & (dates <= "2024-06-30")].reset_index(drop=True)
    pd.testing.assert_frame_equal(half.tables["referrals"], expected)
    episodes = data.tables["enrollments"]
    open_in = (episodes["start_date"] <= "2024-06-30") & (
        episodes["end_date"].isna() | (episodes["end_date"] > "2024-01-01")
    )
    assert len(half.tables["enrollments"]) == int(open_in.sum())
    assert vr.series(half, "referrals", months=6, end="2024-06")["referrals"].sum() == len(expected)

    both = data.filter(area="Valley", period=("2024-01", "2024-06"))
    valley_persons = persons_in(data, "area_command", "Valley")
    in_half = expected[expected["person_key"].isin(list(valley_persons))]
    assert len(both.tables["referrals"]) == len(in_half)


def test_bad_filters_list_every_problem(data: vr.Dataset) -> None:
    with pytest.raises(vr.errors.ArgumentError) as caught:
        data.filter(area="Atlantis", program="Nope", period=("2024-13", "2024-01"))
    message = str(caught.value)
    assert "'Atlantis'" in message and "'Valley'" in message and "'N/A'" in message
    assert "'Nope'" in message and "'HVIP'" in message
    assert "period=" in message
    with pytest.raises(vr.errors.ArgumentError, match=r"ends .* before it starts"):
        data.filter(period=("2024-06", "2024-01"))
    with pytest.raises(vr.errors.ArgumentError, match="person_key"):
        data.filter(persons=["P0001"])  # type: ignore[list-item]
    with pytest.raises(vr.errors.ArgumentError, match="1 of the 2 person keys given are in no table"):
        data.filter(persons=[0, 10**12])


@pytest.mark.parametrize("by", ["area_command", "program"])
def test_success_by_referral_group_agrees_with_pandas(no_deaths: vr.Dataset, by: str) -> None:
    result = vr.success_rate(no_deaths, MONTH, by=by).set_index("group")
    people = ref.first_failures(no_deaths.tables["notifications"], no_deaths.tables["incidents"])
    first = first_referral(no_deaths, by)
    missing = "No referral" if by == "area_command" else "No program"
    people["group"] = first.reindex(people.index).fillna(missing).to_numpy()
    start = (AS_OF.to_period("M") - 23).start_time
    cohort = people[(people["t0"] >= start) & (people["t0"] <= AS_OF)]
    failed = cohort["fail"].notna() & (cohort["fail"] <= AS_OF)
    expected_persons = cohort.groupby("group").size()
    expected_failures = failed.groupby(cohort["group"]).sum()
    labels = list(no_deaths.tables["referrals"][by].cat.categories)
    assert list(result.index) == [*labels, missing, "All"]
    for label in [*labels, missing]:
        assert result.loc[label, "persons"] == expected_persons.get(label, 0), label
        assert result.loc[label, "failures"] == expected_failures.get(label, 0), label
    assert result.loc["All", "persons"] == len(cohort)
    # The same persons as filtering to each group.
    for label in labels[:3]:
        sliced_rates = vr.success_rate(no_deaths.filter(**{by.replace("_command", ""): label}), MONTH)
        sliced = sliced_rates.set_index("group").loc["All"]
        assert (sliced.persons, sliced.failures) == (result.loc[label, "persons"], result.loc[label, "failures"])


def test_survival_by_area_matches_lifelines(no_deaths: vr.Dataset) -> None:
    lifelines = pytest.importorskip("lifelines")
    fit = vr.SurvivalFitter(by="area_command").fit(no_deaths, MONTH)
    curve = vr.survival_curve(no_deaths.filter(area="Southeast"), MONTH)
    people = ref.first_failures(no_deaths.tables["notifications"], no_deaths.tables["incidents"])
    people = people[people.index.isin(list(persons_in(no_deaths, "area_command", "Southeast")))]
    people = people[people["t0"] <= AS_OF]
    event = people["fail"].notna() & (people["fail"] <= AS_OF)
    end = people["fail"].where(event, AS_OF)
    durations = (end - people["t0"]).dt.days
    km = lifelines.KaplanMeierFitter().fit(durations, event)
    expected = km.survival_function_at_times([180, 365, 700]).to_numpy()
    got = fit.survival_at((180, 365, 700)).query("group == 'Southeast'")["survival"].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert fit.summary.loc["Southeast", "persons"] == len(people)
    assert curve["survival"].iloc[-1] == pytest.approx(fit.curve_.query("group == 'Southeast'")["survival"].iloc[-1])


def test_by_rejects_unknown_groupings(data: vr.Dataset) -> None:
    with pytest.raises(vr.errors.ArgumentError, match="area_command"):
        vr.success_rate(data, MONTH, by="area")
    with pytest.raises(vr.errors.ArgumentError, match="area_command"):
        vr.SurvivalFitter(by="city")
    no_program = vr.Dataset(
        {**data.tables, "referrals": data.tables["referrals"].drop(columns="program")}, data.quality, data.config
    )
    with pytest.raises(vr.errors.ArgumentError, match="'program' column"):
        vr.success_rate(no_program, MONTH, by="program")
    with pytest.raises(vr.errors.ArgumentError, match="'program' column"):
        no_program.filter(program="VIP")


def test_a_one_area_slice_builds_a_report(data: vr.Dataset) -> None:
    # Other areas hold one or two referrals of Valley persons: no finite trend, said in words, no warning.
    valley = data.filter(area="Valley")
    trends = vr.area_trends(valley, MONTH).set_index("area_command")
    totals = vr.area_series(valley, MONTH).groupby("area_command")["referrals"].sum()
    unfitted = trends["rate_ratio_per_year"].isna()
    assert unfitted.any() and not unfitted.all()
    for area in trends.index[unfitted]:
        expected = "too few referrals to say" if totals[area] else "no referrals"
        assert trends.loc[area, "trend"] == expected, area
    assert np.isfinite(trends.loc[~unfitted, ["rr_ci_low", "rr_ci_high"]].to_numpy()).all()
    report = vr.build_report(valley, MONTH)
    in_report = report.tables["vip.success_by_age"]["persons"].to_dict()
    assert in_report["All"] == vr.success_rate(valley, MONTH).set_index("group")["persons"].to_dict()["All"]
