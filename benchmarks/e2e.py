"""End-to-end benchmark, run as users run it: ``python -m benchmarks.e2e --scales 30,100,300 --data DIR``.

For each scale, the generator's tables (``vipreport.datasets.generate``) are
written once as a CSV and a Parquet export folder under ``--data``. Then, in
fresh processes, interleaved repeat by repeat so that all see the same machine:
- vipreport: ``vr.load`` (load), the headline numbers (metrics), the whole
  report to PDF (report);
- expert DuckDB and polars pipelines reading the same files and computing the
  same headline numbers (see e2e_pipelines.py), which must equal vipreport's;
- pyarrow reading every file: the load floor;
- ``vipreport build`` to PDF from the command line.
Peak resident memory comes from ``/usr/bin/time -v`` (Debian package ``time``);
without it the benchmark says so and reports no memory. Writes ``e2e.json`` and
``e2e.md`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import e2e_pipelines as pipelines
from .run import machine

ROOT = Path(__file__).resolve().parents[1]
SEED = 2024
IMPLS = ("vipreport", "vipreport-4", "duckdb", "polars", "pyarrow")
FORMATS = ("csv", "parquet")
TIME = Path("/usr/bin/time")
NO_TIME = (
    "peak memory NOT measured: /usr/bin/time is missing (install the Debian package `time`, "
    "e.g. `apt-get install time`)"
)


class E2EMismatch(SystemExit):
    pass


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.e2e", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="30,100,300", help="comma-separated generator scales")
    parser.add_argument("--data", type=Path, required=True, help="where the export folders are kept")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument(
        "--impls",
        default=",".join(IMPLS),
        help="comma-separated subset of the implementations (vipreport is needed for the "
        "agreement check and the ratios)",
    )
    parser.add_argument("--month", default=pipelines.MONTH, help="the report month")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--no-build", action="store_true", help="skip the `vipreport build` runs")
    parser.add_argument("--demo-runs", type=int, default=5, help="cold `vipreport build --demo` runs to time (0: none)")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=None,
        metavar="L",
        help="before each scale, wait (up to --quiet-wait seconds) for a 1-minute load average below L",
    )
    parser.add_argument("--quiet-wait", type=float, default=600.0)
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",")]
    formats = args.formats.split(",")
    impls = tuple(i for i in IMPLS if i in args.impls.split(","))
    if set(formats) - set(FORMATS):
        parser.error(f"formats must be among {FORMATS}")
    has_time = peak_memory_available()
    if not has_time:
        print(NO_TIME, file=sys.stderr, flush=True)

    report = {
        "machine": machine(),
        "month": args.month,
        "repeat": args.repeat,
        "peak_memory_measured": has_time,
        "memory_note": None if has_time else NO_TIME,
        "runs": [],
    }
    for scale in scales:
        folder = ensure_exports(args.data, scale)
        manifest = json.loads((folder / "manifest.json").read_text())
        for fmt in formats:
            if args.quiet_load is not None:
                wait_for_quiet(args.quiet_load, args.quiet_wait)
            report["runs"].append(measure(folder / fmt, scale, fmt, manifest, args, has_time, impls))
    if args.demo_runs:
        if args.quiet_load is not None:
            wait_for_quiet(args.quiet_load, args.quiet_wait)
        report["demo_build"] = demo_build(args.month, args.demo_runs, has_time)
    summarise(report)
    write(report, args.out)
    return report


def demo_build(month: str, runs: int, has_time: bool) -> dict:
    """A cold ``vipreport build --demo`` to PDF, the whole command, ``runs`` times."""
    walls, peaks = [], []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(runs):
            wall, peak, _ = timed(
                [
                    sys.executable,
                    "-m",
                    "vipreport.cli",
                    "build",
                    "--demo",
                    "--month",
                    month,
                    "--out",
                    str(Path(scratch) / "demo.pdf"),
                ],
                has_time,
            )
            walls.append(wall)
            peaks.append(peak)
            print(f"vipreport build --demo {wall:.2f} s", file=sys.stderr, flush=True)
    return {
        "walls": walls,
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "peak_rss": _median(peaks),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }


def peak_memory_available() -> bool:
    if not TIME.exists():
        return False
    probe = subprocess.run([str(TIME), "-v", "true"], capture_output=True, text=True)
    return "Maximum resident set size" in probe.stderr


def wait_for_quiet(threshold: float, patience: float) -> None:
    """Wait for the 1-minute load average to fall below ``threshold`` (the machine is shared)."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        time.sleep(10)
    if os.getloadavg()[0] >= threshold:
        print(
            f"load average still {os.getloadavg()[0]:.2f} after {patience:.0f} s: measuring anyway "
            "(the load is recorded with the results)",
            file=sys.stderr,
            flush=True,
        )


def ensure_exports(data_dir: Path, scale: float) -> Path:
    """``DIR/scale-S/{csv,parquet}``: the generator's tables as export files, written on first use."""
    folder = Path(data_dir) / f"scale-{scale:g}"
    if (folder / "manifest.json").exists():
        return folder
    import vipreport as vr

    tables = vr.datasets.generate(seed=SEED, scale=scale)
    sizes = {}
    for fmt in FORMATS:
        vr.datasets.write_exports(folder / fmt, tables, file_format=fmt)
        sizes[fmt] = sum(p.stat().st_size for p in (folder / fmt).iterdir())
    manifest = {
        "seed": SEED,
        "scale": scale,
        "rows": {name: len(frame) for name, frame in tables.items()},
        "bytes": sizes,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def timed(command: list[str], has_time: bool) -> tuple[float, int | None, str]:
    """Run ``command``; its wall seconds, peak RSS in bytes (None without /usr/bin/time), stdout."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as usage:
        prefix = [str(TIME), "-v", "-o", usage.name] if has_time else []
        start = time.perf_counter()
        run = subprocess.run(prefix + command, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - start
        if run.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{run.stderr[-3000:]}")
        peak = None
        if has_time:
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", usage.read())
            peak = int(found.group(1)) * 1024 if found else None
    return wall, peak, run.stdout


def measure(
    folder: Path, scale: float, fmt: str, manifest: dict, args, has_time: bool, impls: tuple[str, ...] = IMPLS
) -> dict:
    entry = {
        "scale": scale,
        "format": fmt,
        "rows": sum(manifest["rows"].values()),
        "input_bytes": manifest["bytes"][fmt],
        "load_average_before": os.getloadavg(),
        "impls": {impl: [] for impl in impls},
        "build": [],
    }
    reference = None
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.repeat):
            for impl in impls:  # interleaved, so a busy moment hits every implementation alike
                command = [
                    sys.executable,
                    "-m",
                    "benchmarks.e2e_worker",
                    "--impl",
                    impl,
                    "--folder",
                    str(folder),
                    "--month",
                    args.month,
                ] + (["--report"] if impl == "vipreport" else [])
                wall, peak, stdout = timed(command, has_time)
                result = json.loads(stdout.strip().splitlines()[-1])
                result.update(wall=wall, peak_rss=peak)
                numbers = result.pop("numbers", None)
                if numbers is not None:
                    if reference is None:
                        reference, entry["numbers"] = numbers, numbers
                    problems = pipelines.differences(reference, numbers)
                    if problems:
                        raise E2EMismatch(
                            f"{impl} disagrees with vipreport at scale {scale:g} ({fmt}):\n  " + "\n  ".join(problems)
                        )
                entry["impls"][impl].append(result)
                print(
                    f"scale {scale:g} {fmt:7s} {impl:9s} load {result['load']:.3f} s"
                    + (f", metrics {result['metrics']:.3f} s" if "metrics" in result else ""),
                    file=sys.stderr,
                    flush=True,
                )
            if not args.no_build:
                command = [
                    sys.executable,
                    "-m",
                    "vipreport.cli",
                    "build",
                    "--data",
                    str(folder),
                    "--month",
                    args.month,
                    "--out",
                    str(Path(scratch) / "report.pdf"),
                ]
                wall, peak, _ = timed(command, has_time)
                entry["build"].append({"wall": wall, "peak_rss": peak})
                print(f"scale {scale:g} {fmt:7s} vipreport build {wall:.2f} s", file=sys.stderr, flush=True)
    entry["load_average_after"] = os.getloadavg()
    return entry


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(report: dict) -> None:
    for entry in report["runs"]:
        medians = {}
        for impl, runs in entry["impls"].items():
            m = {stage: _median([r.get(stage) for r in runs]) for stage in ("import", "load", "metrics", "report")}
            m["load_and_metrics"] = _median([r["load"] + r.get("metrics", 0.0) for r in runs])
            m["peak_rss"] = _median([r["peak_rss"] for r in runs])
            medians[impl] = m
        entry["medians"] = medians
        if entry["build"]:
            entry["build_median"] = {
                "wall": _median([b["wall"] for b in entry["build"]]),
                "peak_rss": _median([b["peak_rss"] for b in entry["build"]]),
            }
            rss = entry["build_median"]["peak_rss"]
            entry["build_median"]["rss_over_input"] = None if rss is None else rss / entry["input_bytes"]
        vip = medians.get("vipreport")
        if vip is not None:  # ratios need both sides in the run
            if "pyarrow" in medians:
                entry["vipreport_load_over_pyarrow"] = vip["load"] / medians["pyarrow"]["load"]
            for other in ("duckdb", "polars"):
                if other in medians:
                    entry[f"vipreport_over_{other}"] = vip["load_and_metrics"] / medians[other]["load_and_metrics"]
        needed = medians.get("vipreport-4")
        if needed is not None:  # the same 4 tables the DuckDB and polars pipelines read
            for other in ("duckdb", "polars"):
                if other in medians:
                    entry[f"vipreport4_over_{other}"] = needed["load_and_metrics"] / medians[other]["load_and_metrics"]
    # Growth exponent: the least-squares slope of log(time) on log(rows) over the scales measured.
    report["growth_exponents"] = {}
    for fmt in {e["format"] for e in report["runs"]}:
        entries = [e for e in report["runs"] if e["format"] == fmt]
        if len(entries) < 2:
            continue
        x = [math.log(e["rows"]) for e in entries]
        for impl in entries[0]["medians"]:
            for stage in ("load",) if impl == "pyarrow" else ("load", "metrics", "load_and_metrics"):
                y = [e["medians"][impl][stage] for e in entries]
                if None in y:
                    continue
                report["growth_exponents"][f"{impl} {stage} ({fmt})"] = _slope(x, [math.log(v) for v in y])
        builds = [e["build_median"]["wall"] for e in entries if "build_median" in e]
        if len(builds) == len(entries):
            report["growth_exponents"][f"vipreport build ({fmt})"] = _slope(x, [math.log(v) for v in builds])


def _slope(x: list[float], y: list[float]) -> float:
    mx, my = statistics.fmean(x), statistics.fmean(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=False)) / sum((a - mx) ** 2 for a in x)


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.0f}"


def markdown(report: dict) -> str:
    lines = [
        "Stages, medians of each implementation's fresh-process runs (seconds; peak RSS of the whole process):",
        "",
        "| scale | format | rows | input MB | implementation | load | metrics | load + metrics | report to PDF "
        "| peak RSS MiB |",
        "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for e in report["runs"]:
        for impl in e["medians"]:
            m = e["medians"][impl]
            lines.append(
                f"| {e['scale']:g} | {e['format']} | {e['rows']:,} | {e['input_bytes'] / 1e6:,.1f} | {impl} | "
                f"{_s(m['load'])} | {_s(m['metrics'])} | "
                f"{_s(m['load_and_metrics']) if m['metrics'] is not None else '–'} | {_s(m['report'])} | "
                f"{_mib(m['peak_rss'])} |"
            )
    if any("build_median" in e for e in report["runs"]):
        lines += [
            "",
            "`vipreport build` to PDF, the whole command (median wall seconds, peak RSS):",
            "",
            "| scale | format | rows | input MB | build s | peak RSS MiB | peak RSS / input |",
            "|---:|---|---:|---:|---:|---:|---:|",
        ]
        for e in report["runs"]:
            b = e.get("build_median")
            if b:
                ratio = "n/a" if b["rss_over_input"] is None else f"{b['rss_over_input']:.1f}×"
                lines.append(
                    f"| {e['scale']:g} | {e['format']} | {e['rows']:,} | {e['input_bytes'] / 1e6:,.1f} | "
                    f"{b['wall']:.2f} | {_mib(b['peak_rss'])} | {ratio} |"
                )
    lines.append("")
    for e in report["runs"]:
        before, after = e["load_average_before"][0], e["load_average_after"][0]
        ratios = []
        if "vipreport_load_over_pyarrow" in e:
            ratios.append(f"vipreport's load is {e['vipreport_load_over_pyarrow']:.1f}× pyarrow's read")
        for other, name in (("duckdb", "DuckDB's"), ("polars", "polars'")):
            if f"vipreport_over_{other}" in e:
                ratios.append(f"its load + metrics is {e[f'vipreport_over_{other}']:.2f}× {name}")
        for other, name in (("duckdb", "DuckDB's"), ("polars", "polars'")):
            if f"vipreport4_over_{other}" in e:
                ratios.append(f"with the same 4 tables, {e[f'vipreport4_over_{other}']:.2f}× {name}")
        lines.append(
            f"- scale {e['scale']:g} ({e['format']}): "
            + "; ".join(ratios)
            + f"{'; ' if ratios else ''}1-minute load average {before:.2f} before, {after:.2f} after."
        )
    for key, slope in sorted(report.get("growth_exponents", {}).items()):
        if key.split(" ")[1] == "metrics":  # the metrics stage alone is in the JSON only
            continue
        lines.append(f"- growth exponent, {key}: time ∝ rows^{slope:.2f}")
    demo = report.get("demo_build")
    if demo:
        lines.append(
            f"- cold `vipreport build --demo --month {report['month']}` to PDF: median {demo['median']:.2f} s "
            f"of {len(demo['walls'])} runs (min {demo['min']:.2f}, max {demo['max']:.2f}), peak RSS "
            f"{_mib(demo['peak_rss'])} MiB; load average {demo['load_average_before'][0]:.2f} before, "
            f"{demo['load_average_after'][0]:.2f} after."
        )
    if not report["peak_memory_measured"]:
        lines.append(f"- {NO_TIME}")
    return "\n".join(lines)


def write(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "e2e.json").write_text(json.dumps(report, indent=2, default=str))
    table = markdown(report)
    (out / "e2e.md").write_text(table + "\n")
    print(table)


def rewrite(results_json: Path, out: Path) -> None:
    """Re-derive the summary and table from a saved e2e.json (no timing is repeated)."""
    report = json.loads(Path(results_json).read_text())
    summarise(report)
    write(report, Path(out))


if __name__ == "__main__":
    main()
