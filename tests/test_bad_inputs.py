"""The bad-input corpus (tests/data/bad): every case gets its documented behaviour."""

import tomllib
from pathlib import Path

import pytest

import vipreport as vr

CORPUS = Path(__file__).parent / "data" / "bad"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))


def test_every_folder_has_a_documented_behaviour() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_case(case: str) -> None:
    spec = CASES[case]
    if spec["expect"] == "error":
        with pytest.raises(vr.ValidationError) as info:
            vr.load(CORPUS / case)
        found = sorted((p.table, p.row or 0, p.column or "") for p in info.value.problems)
        assert found == sorted(tuple(p) for p in spec["problems"])
        if "lines" in spec:  # the physical line a person sees in an editor
            lines = sorted((p.table, p.line or 0, p.column or "") for p in info.value.problems)
            assert lines == sorted(tuple(p) for p in spec["lines"])
        for planted in ("Jane Roe", "1961"):  # cells never appear in a message
            assert planted not in str(info.value)
        for problem in info.value.problems:  # each message names its place and says what is wrong
            assert str(problem).startswith(problem.table) and len(problem.message) > 10
        return
    data = vr.load(CORPUS / case)
    rows = {tuple(r) for r in data.quality.itertuples(index=False)}
    for expected in spec["quality"]:
        assert tuple(expected) in rows, (expected, data.quality)
    if "report_month" in spec:
        report = vr.build_report(data, spec["report_month"])
        rows = {tuple(r) for r in report.quality.itertuples(index=False)}
        for expected in spec["report_quality"]:
            assert tuple(expected) in rows
        # Sep, Oct, Nov, FYTD: the December and January referrals are not counted.
        assert list(report.tables["vip.referrals_by_area"].loc["Valley"]) == [0, 1, 1, 2]


def test_every_row_is_accounted_for(tmp_path: Path) -> None:
    """Rows read = rows kept + rows dropped, for every table of every loadable case."""
    for case, spec in CASES.items():
        if spec["expect"] != "load":
            continue
        data = vr.load(CORPUS / case)
        q = data.quality
        for name, frame in data.tables.items():
            read = q[(q.table == name) & (q.action == "read")]["rows"].sum()
            dropped = q[(q.table == name) & (q.action == "dropped")]["rows"].sum()
            assert read == len(frame) + dropped, (case, name)


def test_row_limit_is_a_clear_error(config: vr.Config) -> None:
    small = config.replace(max_rows={**config.max_rows, "referrals": 2})
    with pytest.raises(vr.ValidationError, match="more than 2 rows"):
        vr.load(CORPUS / "duplicates", config=small)
