"""The data package beside every report: valid Frictionless, typed, tidy, and as strict as the pages.

Expected values come from ``report.tables`` read with plain pandas, never from
the package code: sizes are worked out from each table's shape, and numbers
are looked up cell by cell.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import frictionless
import numpy as np
import pandas as pd
import pytest

import vipreport as vr
from vipreport.cli import main
from vipreport.report import Report, build_report
from vipreport.report.package import PackageError, paths, write_package

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PERIOD_COLUMN = re.compile(r"^(\d{4}-\d{2}|FYTD)$")


@pytest.fixture(scope="module", params=["public", "internal"])
def edition(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def reports(demo: vr.Dataset) -> dict[str, Report]:
    return {
        edition: build_report(demo, "2024-11", data_as_of="2024-12-31", public=edition == "public")
        for edition in ("public", "internal")
    }


@pytest.fixture(scope="module")
def packages(reports: dict[str, Report], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {e: reports[e].to_package(tmp_path_factory.mktemp(f"package-{e}")) for e in reports}


def _descriptor(path: Path) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return out


def _read(package: Path, resource: dict[str, Any]) -> pd.DataFrame:
    """A CSV as text cells (empty cells as NaN), so the test does its own typing."""
    return pd.read_csv(package.parent / resource["path"], dtype=str, keep_default_na=False, na_values=[""])


def _fields(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in resource["schema"]["fields"]}


def _is_crosstab(table: pd.DataFrame) -> bool:
    columns: list[Any] = list(table.columns)  # names, or (status, period) pairs
    last = [c[-1] if isinstance(c, tuple) else c for c in columns]
    return all(PERIOD_COLUMN.match(str(c)) for c in last) and all(t.kind in "iu" for t in table.dtypes)


# -- valid ----------------------------------------------------------------------------------------------


def test_the_demo_package_is_valid_frictionless(packages: dict[str, Path], edition: str) -> None:
    report = frictionless.validate(str(packages[edition]))
    errors = [e.message for t in report.tasks for e in t.errors] + [e.message for e in report.errors]
    assert report.valid, errors[:5]
    assert len(report.tasks) == len(_descriptor(packages[edition])["resources"])


def test_the_metadata_names_the_city_department_edition_and_demo(
    packages: dict[str, Path], reports: dict[str, Report], edition: str
) -> None:
    meta = _descriptor(packages[edition])
    config = reports[edition].config
    assert meta["title"].startswith(f"{config.name}: Monthly Informational Report, November 2024")
    assert meta["vipreport"]["edition"] == edition
    assert meta["vipreport"]["city"] == config.name
    assert meta["vipreport"]["department"] == config.department
    assert meta["vipreport"]["month"] == "2024-11"
    assert meta["vipreport"]["as_of"] == "2024-11-30"  # the last day of the report month, worked by hand
    assert meta["vipreport"]["version"] == vr.__version__
    assert meta["contributors"] == [{"title": config.department, "role": "publisher"}]
    assert "Synthetic demo data" in meta["description"]
    assert re.fullmatch(r"[a-z0-9-]+", meta["name"]) and meta["name"].endswith(f"2024-11-{edition}")
    assert meta["created"][:4] >= "2024"
    for resource in meta["resources"]:
        assert all(f["description"] for f in resource["schema"]["fields"]), resource["name"]


def test_a_real_data_package_says_nothing_of_demo_data(reports: dict[str, Report], tmp_path: Path) -> None:
    real = dataclasses.replace(reports["internal"], demo=False)
    meta = _descriptor(write_package(real, tmp_path))
    assert "ynthetic" not in meta["description"] + meta["title"]


# -- typed ----------------------------------------------------------------------------------------------


def test_fields_are_typed(packages: dict[str, Path], edition: str) -> None:
    package = packages[edition]
    for resource in _descriptor(package)["resources"]:
        fields = _fields(resource)
        frame = _read(package, resource)
        assert list(frame.columns) == list(fields), resource["name"]
        assert fields["flags"]["type"] == "string"
        for name, field in fields.items():
            cells = frame[name].dropna()
            if name == "month":
                assert field["type"] == "string" and "pattern" in field["constraints"]
                assert cells.map(lambda v: bool(MONTH.match(v))).all(), resource["name"]
            if name in ("count", "numerator", "denominator"):
                assert field["type"] == "integer", (resource["name"], name)
            if name in ("rate", "ci_low", "ci_high"):
                assert field["type"] == "number", (resource["name"], name)
                assert "percent" in field["description"]
                assert pd.to_numeric(cells).between(0, 100).all(), (resource["name"], name)
            if field["type"] == "integer":
                assert cells.map(lambda v: bool(re.fullmatch(r"-?\d+", v))).all(), (resource["name"], name)
            if name == "flags":
                words = {w for cell in cells for w in cell.split()}
                assert words <= {"provisional", "suppressed", "unstable", "empty"}


def test_a_small_table_by_hand(reports: dict[str, Report], tmp_path: Path) -> None:
    """Two areas, one month and the fiscal year to date, and one headline count: the files, worked by hand."""
    areas = pd.DataFrame({"2024-11": [12, 0], "FYTD": [40, 3]}, index=pd.Index(["North", "South"], name="area_command"))
    hand = dataclasses.replace(
        reports["internal"],
        tables={"vip.referrals_by_area": areas},
        charts={},
        scalars={"vip.active_caseload": 7, "vip.success_rate": None},
        masks={},
        hidden_scalars=set(),
    )
    write_package(hand, tmp_path)
    assert (tmp_path / "data" / "vip.referrals_by_area.csv").read_text("utf-8") == (
        "area_command,month,period,count,flags\n"
        "North,2024-11,month,12,\n"
        "North,2024-11,fytd,40,\n"
        "South,2024-11,month,0,\n"
        "South,2024-11,fytd,3,\n"
    )
    headline = pd.read_csv(tmp_path / "data" / "headline.csv", dtype=str, keep_default_na=False)
    assert headline[["measure", "month", "count", "rate", "flags"]].values.tolist() == [
        ["vip.active_caseload", "2024-11", "7", "", ""],
        ["vip.success_rate", "2024-11", "", "", "empty"],
    ]
    assert {r["name"] for r in _descriptor(tmp_path / "datapackage.json")["resources"]} == {
        "vip.referrals_by_area",
        "headline",
    }
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_every_count_column_of_a_table_is_an_integer_field(
    packages: dict[str, Path], reports: dict[str, Report]
) -> None:
    """Internal edition: each integer column of a record table keeps its name (or becomes numerator or
    denominator) and is an integer field."""
    report, package = reports["internal"], packages["internal"]
    for resource in _descriptor(package)["resources"]:
        table = report.tables.get(resource["name"])
        if table is None or _is_crosstab(table):
            continue
        fields = _fields(resource)
        for column in table.columns:
            if table[column].dtype.kind in "iu":
                integer_fields = {n for n, f in fields.items() if f["type"] == "integer"}
                assert column in integer_fields or {"numerator", "denominator"} & integer_fields, (
                    resource["name"],
                    column,
                )


# -- tidy -----------------------------------------------------------------------------------------------


def test_every_csv_has_the_tidy_size_of_its_table(
    packages: dict[str, Path], reports: dict[str, Report], edition: str
) -> None:
    report, package = reports[edition], packages[edition]
    resources = _descriptor(package)["resources"]
    for resource in resources:
        name = resource["name"]
        rows = len(_read(package, resource))
        if name in report.tables:
            table = report.tables[name]
            expected = table.shape[0] * table.shape[1] if _is_crosstab(table) else table.shape[0]
        elif name.startswith("chart."):
            chart = report.charts[name.removeprefix("chart.")]
            expected = chart.data(report.tables[chart.table]).size  # rows drawn x series drawn
        else:
            assert name == "headline"
            expected = len(set(report.scalars) - report.hidden_scalars)  # a hidden name need not be a scalar
        assert rows == expected, name
    assert paths(report) == {r["path"] for r in resources}  # what check_folder counts as ours
    if edition == "internal":  # every table and every chart of the report
        names = {r["name"] for r in resources}
        assert set(report.tables) <= names
        assert {f"chart.{c}" for c in report.charts} <= names


def _cell(table: pd.DataFrame, row: pd.Series, label: str) -> Any:
    column = "FYTD" if row["period"] == "fytd" else row["month"]
    if isinstance(table.columns, pd.MultiIndex):
        column = (row["status"], column)
    return table.loc[row[label], column]


def test_counts_equal_the_report_tables(packages: dict[str, Path], reports: dict[str, Report]) -> None:
    report, package = reports["internal"], packages["internal"]
    checked = 0
    for resource in _descriptor(package)["resources"]:
        table = report.tables.get(resource["name"])
        if table is None or not _is_crosstab(table):
            continue
        frame = _read(package, resource)
        label = resource["schema"]["fields"][0]["name"]
        for _, row in frame.iterrows():
            assert int(row["count"]) == _cell(table, row, label), (resource["name"], row[label])
            checked += 1
        # FYTD rows carry the report month; month rows their own.
        assert set(frame.loc[frame["period"] == "fytd", "month"]) <= {"2024-11"}
    assert checked > 100


# (table, numerator, denominator, rate as in the table, interval columns)
RATE_COLUMNS = [
    ("vip.success_trend", "successes", "persons", "success_rate", ("ci_low", "ci_high")),
    ("vip.success_by_age", "successes", "persons", "success_rate", ("ci_low", "ci_high")),
    ("vip.engagement_trend", "engaged", "notified", "engagement_rate", ("ci_low", "ci_high")),
    ("vip.engagement", "engaged", "notified", "engagement_rate", ("ci_low", "ci_high")),
    ("vip.engagement_change", "engaged", "notified", "engagement_rate", None),
    ("vip.success_methods", None, "persons", "success_rate", ("ci_low", "ci_high")),
]


@pytest.mark.parametrize("key, numerator, denominator, rate, interval", RATE_COLUMNS)
def test_rates_come_with_numerator_denominator_and_interval(
    packages: dict[str, Path],
    reports: dict[str, Report],
    key: str,
    numerator: str | None,
    denominator: str,
    rate: str,
    interval: tuple[str, str] | None,
) -> None:
    report, package = reports["internal"], packages["internal"]
    resource = next(r for r in _descriptor(package)["resources"] if r["name"] == key)
    frame = _read(package, resource).set_index(resource["schema"]["fields"][0]["name"])
    table = report.tables[key]
    table.index = table.index.astype(str)
    assert list(frame.index) == list(table.index)
    assert frame["denominator"].astype(int).tolist() == table[denominator].tolist()
    if numerator is not None:
        assert frame["numerator"].astype(int).tolist() == table[numerator].tolist()
    # Proportions (0-1), not percents: worked out from the counts where the table has them.
    if numerator is not None:
        persons = table[denominator].to_numpy(dtype=float)
        expected = np.divide(
            table[numerator].to_numpy(dtype=float), persons, where=persons > 0, out=np.full(len(table), np.nan)
        )
    else:
        expected = pd.to_numeric(table[rate]).to_numpy(dtype=float)
    np.testing.assert_allclose(pd.to_numeric(frame["rate"]).to_numpy(dtype=float), expected, rtol=1e-9)
    assert "proportion 0-1" in _fields(resource)["rate"]["description"]
    assert _fields(resource)["rate"]["type"] == "number"
    if interval is not None:
        for name, column in zip(("ci_low", "ci_high"), interval, strict=True):
            np.testing.assert_allclose(
                pd.to_numeric(frame[name]).to_numpy(dtype=float), table[column].to_numpy(dtype=float), rtol=1e-9
            )
            assert "proportion 0-1" in _fields(resource)[name]["description"]
    if "provisional" in table:
        flagged = frame["flags"].fillna("").str.split().map(lambda w: "provisional" in w)
        assert flagged.tolist() == table["provisional"].tolist()


def test_chart_values_equal_what_the_chart_draws(packages: dict[str, Path], reports: dict[str, Report]) -> None:
    report, package = reports["internal"], packages["internal"]
    for name, chart in report.charts.items():
        resource = next(r for r in _descriptor(package)["resources"] if r["name"] == f"chart.{name}")
        drawn = chart.data(report.tables[chart.table]).to_numpy(dtype=float).ravel()  # row by row, as written
        values = pd.to_numeric(_read(package, resource)["value"]).to_numpy(dtype=float)
        np.testing.assert_allclose(values, drawn, rtol=1e-9, err_msg=name)
        assert _fields(resource)["value"]["type"] == ("number" if chart.percent else "integer")


def test_headline_numbers_are_the_report_scalars(packages: dict[str, Path], reports: dict[str, Report]) -> None:
    report, package = reports["internal"], packages["internal"]
    resource = next(r for r in _descriptor(package)["resources"] if r["name"] == "headline")
    frame = _read(package, resource).set_index("measure")
    assert set(frame.index) == set(report.scalars)
    for key, value in report.scalars.items():
        column = "rate" if key in ("vip.engagement_rate", "vip.success_rate") else "count"
        assert float(frame.loc[key, column]) == pytest.approx(float(value))  # type: ignore[arg-type]


# -- as strict as the pages -----------------------------------------------------------------------------


def _integer_cells(package: Path) -> list[tuple[str, str, int]]:
    out = []
    for resource in _descriptor(package)["resources"]:
        frame = _read(package, resource)
        for name, field in _fields(resource).items():
            if field["type"] == "integer":
                out += [(resource["name"], name, int(v)) for v in frame[name].dropna()]
    return out


def test_the_public_package_has_no_count_in_the_suppressed_range(
    packages: dict[str, Path], reports: dict[str, Report]
) -> None:
    config = reports["public"].config
    cells = _integer_cells(packages["public"])
    small = [(r, f) for r, f, v in cells if config.suppress_min <= v <= config.suppress_max]
    assert cells and not small
    # the internal edition has them: the scan is not vacuous
    internal = _integer_cells(packages["internal"])
    assert any(config.suppress_min <= v <= config.suppress_max for _, _, v in internal)


def test_every_hidden_cell_is_empty_and_flagged(packages: dict[str, Path], reports: dict[str, Report]) -> None:
    report, package = reports["public"], packages["public"]
    hidden_cells = 0
    for resource in _descriptor(package)["resources"]:
        table = report.tables.get(resource["name"])
        if table is None:
            continue
        mask = report.masks[resource["name"]]
        frame = _read(package, resource)
        label = resource["schema"]["fields"][0]["name"]
        flags = frame["flags"].fillna("").str.split()
        if _is_crosstab(table):
            for (_, row), words in zip(frame.iterrows(), flags, strict=True):
                hidden = bool(_cell(mask, row, label))
                assert ("suppressed" in words) == hidden
                assert pd.isna(row["count"]) == hidden
                hidden_cells += hidden
        else:
            rows = mask.any(axis=1).to_numpy()
            assert flags.map(lambda w: "suppressed" in w).tolist() == rows.tolist()
            rate_fields = [c for c in ("rate", "ci_low", "ci_high") if c in frame]
            assert frame.loc[rows, rate_fields].isna().all().all()  # a hidden row's rates are empty too
            hidden_cells += int(mask.to_numpy().sum())
    assert hidden_cells > 20


def test_the_public_package_holds_what_the_pages_show(packages: dict[str, Path], reports: dict[str, Report]) -> None:
    report = reports["public"]
    resources = {r["name"]: r for r in _descriptor(packages["public"])["resources"]}
    for developer in ("vip.area_trends", "vip.success_methods", "vip.survival_curve", "chart.survival_curve"):
        assert developer not in resources
    headline = _read(packages["public"], resources["headline"])
    assert report.hidden_scalars and not set(report.hidden_scalars) & set(headline["measure"])


def test_cells_the_mask_hides_beyond_small_counts_are_hidden_too(reports: dict[str, Report], tmp_path: Path) -> None:
    """Complementary suppression hides cells of any size: the package follows the report's masks, not only
    the range. Hide a 12 and a whole row of zeros by hand and look for them."""
    report = reports["public"]
    masks = {k: m.copy() for k, m in report.masks.items()}
    assert report.tables["vip.referrals_by_area"].loc["Southeast", "2024-09"] == 12
    masks["vip.referrals_by_area"].loc["Southeast", "2024-09"] = True
    assert report.tables["vip.success_by_age"].loc["18-24", "persons"] == 270
    masks["vip.success_by_age"].loc["18-24", "persons"] = True
    package = write_package(dataclasses.replace(report, masks=masks), tmp_path)
    areas = pd.read_csv(tmp_path / "data" / "vip.referrals_by_area.csv", dtype=str, keep_default_na=False)
    cell = areas[(areas.area_command == "Southeast") & (areas.month == "2024-09") & (areas.period == "month")]
    assert cell[["count", "flags"]].values.tolist() == [["", "suppressed"]]
    ages = pd.read_csv(tmp_path / "data" / "vip.success_by_age.csv", dtype=str, keep_default_na=False)
    row = ages.set_index("group").loc["18-24"]
    assert row["denominator"] == "" and "suppressed" in row["flags"].split()
    assert row["rate"] == row["ci_low"] == row["ci_high"] == ""
    assert frictionless.validate(str(package)).valid


def test_a_count_the_mask_misses_is_still_hidden(reports: dict[str, Report], tmp_path: Path) -> None:
    """A second guard: with no masks at all, the public package still prints no count in the range."""
    unmasked = dataclasses.replace(reports["public"], masks={})
    package = write_package(unmasked, tmp_path)
    config = unmasked.config
    assert not [c for c in _integer_cells(package) if config.suppress_min <= c[2] <= config.suppress_max]
    assert frictionless.validate(str(package)).valid


# -- writing ---------------------------------------------------------------------------------------------


def test_a_failed_write_leaves_no_package_that_looks_complete(
    reports: dict[str, Report], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_package(reports["internal"], tmp_path)
    assert (tmp_path / "datapackage.json").exists()
    calls = []

    def failing(self: pd.DataFrame, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        original(self, *args, **kwargs)

    original = pd.DataFrame.to_csv
    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    with pytest.raises(OSError, match="disk full"):
        write_package(reports["public"], tmp_path)
    assert not (tmp_path / "datapackage.json").exists()
    assert not [p for p in (tmp_path / "data").iterdir() if p.name.startswith(".")]  # no partial file left


def test_rewriting_replaces_the_earlier_package(reports: dict[str, Report], tmp_path: Path) -> None:
    write_package(reports["internal"], tmp_path)
    assert (tmp_path / "data" / "vip.area_trends.csv").exists()
    write_package(reports["public"], tmp_path)
    listed = {r["path"] for r in _descriptor(tmp_path / "datapackage.json")["resources"]}
    on_disk = {f"data/{p.name}" for p in (tmp_path / "data").iterdir()}
    assert on_disk == listed  # the internal edition's developer tables are gone


def test_files_that_are_not_ours_stop_the_write(reports: dict[str, Report], tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "referrals.csv").write_text("person_id\n1\n")  # the city's exports, say
    with pytest.raises(PackageError, match=r"holds 1 file\(s\) that no vipreport data package wrote"):
        write_package(reports["public"], tmp_path)
    assert (tmp_path / "data" / "referrals.csv").read_text() == "person_id\n1\n"
    assert not (tmp_path / "datapackage.json").exists()


def test_the_package_module_imports_no_renderer() -> None:
    source = Path(vr.__file__).parent / "report" / "package.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    assert not {m for m in imported if m.split(".")[0] in ("matplotlib", "typst", "frictionless")}
    assert not imported & {".pdf", ".html", ".layout"}


def test_writing_a_package_draws_nothing(tmp_path: Path) -> None:
    """The package is numbers only: building it loads neither matplotlib nor typst."""
    script = (
        "import sys, vipreport as vr\n"
        "report = vr.build_report(vr.datasets.demo(), '2024-11', data_as_of='2024-12-31', public=True)\n"
        f"report.to_package({str(tmp_path)!r})\n"
        "print(sorted(m for m in ('matplotlib', 'typst') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "datapackage.json").exists()


# -- the command line ------------------------------------------------------------------------------------


def test_build_out_folder_writes_pdf_html_and_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nov"
    argv = ["build", "--month", "2024-11", "--demo", "--as-of", "2024-12-31", "--public", "--out", f"{out}/"]
    assert main(argv) == 0
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert "<html" in (out / "report.html").read_text("utf-8")
    meta = _descriptor(out / "datapackage.json")
    assert meta["vipreport"]["edition"] == "public"
    assert {f"data/{p.name}" for p in (out / "data").iterdir()} == {r["path"] for r in meta["resources"]}
    assert frictionless.validate(str(out / "datapackage.json")).valid
    assert f"wrote {out}/" in capsys.readouterr().out


@pytest.fixture(scope="module")
def small_exports(tmp_path_factory: pytest.TempPathFactory, demo_raw: dict[str, pd.DataFrame]) -> Path:
    folder = tmp_path_factory.mktemp("referrals_only")
    demo_raw["referrals"].to_csv(folder / "referrals.csv", index=False)
    return folder


@pytest.mark.parametrize("name", ["r.pdf", "r.html", "existing-folder"])
def test_build_out_file_or_existing_folder(small_exports: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    if name == "existing-folder":
        out.mkdir()  # an existing folder needs no trailing slash
    assert main(["build", "--month", "2024-11", "--data", str(small_exports), "--out", str(out), "-q"]) == 0
    if name == "existing-folder":
        assert {p.name for p in out.iterdir()} == {"report.pdf", "report.html", "datapackage.json", "data"}
        assert frictionless.validate(str(out / "datapackage.json")).valid
    else:
        assert out.is_file() and not (tmp_path / "datapackage.json").exists()
        assert out.read_bytes()[:5] == b"%PDF-" if name.endswith(".pdf") else "<html" in out.read_text("utf-8")


def test_bad_out_exits_2_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    cases = [
        (str(tmp_path / "report.txt"), "must end in .pdf or .html, or be a folder"),
        (f"{a_file}/", "the output folder is a file"),
        (f"{a_file}/inside/", "folder is a file"),
        (f"{a_file}/report.pdf", "folder is a file"),
    ]
    for out, message in cases:
        assert main(["build", "--month", "2024-11", "--demo", "--out", out]) == 2
        err = capsys.readouterr().err
        assert message in err, out
        assert "Traceback" not in err


def test_files_that_are_not_ours_exit_2(
    small_exports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "referrals.csv").write_text("x\n")
    assert main(["build", "--month", "2024-11", "--data", str(small_exports), "--out", f"{tmp_path}/"]) == 2
    err = capsys.readouterr().err
    assert "no vipreport data package wrote" in err and "Traceback" not in err
    assert not (tmp_path / "report.pdf").exists()  # checked before anything was drawn
