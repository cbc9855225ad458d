"""Benchmark runner: ``python -m benchmarks.run --size small,medium,large --data DIR``.

Times vipreport and the pandas, polars and DuckDB baselines on one metric set
(see metric_set.py) in the same run, checks that every baseline's results
equal vipreport's (and fails loudly if not), and writes a Markdown table, a
JSON file and a scaling chart to --out.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from . import metric_set as ms
from . import workloads

ROOT = Path(__file__).resolve().parents[1]
# (implementation, threads; 0 = the library's default)
CONFIGS = [("vipreport", 1), ("pandas", 1), ("polars", 0), ("polars", 1), ("duckdb", 0), ("duckdb", 1)]
# Bytes per row the metric set must read, in the core's column form (int64 person,
# int32 day, int32 or int8 codes and flags).
BYTES_PER_ROW = {
    "notifications": 8 + 4 + 4,
    "incidents": 8 + 4 + 1,
    "services": 8 + 4 + 1,
    "enrollments": 8 + 4 + 4,
    "referrals": 4 + 4,
}


class BenchmarkMismatch(SystemExit):
    pass


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--size", default="small", help="comma-separated: small, medium, large")
    parser.add_argument("--data", type=Path, required=True, help="where the Parquet workloads are kept")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--only", help="comma-separated implementations to run (default: all)")
    args = parser.parse_args(argv)
    sizes = args.size.split(",")
    unknown = set(sizes) - set(workloads.SIZES)
    if unknown:
        parser.error(f"unknown size(s) {sorted(unknown)}; choose from {list(workloads.SIZES)}")
    configs = [c for c in CONFIGS if not args.only or c[0] in args.only.split(",")]

    report = {"machine": machine(), "bandwidth_gb_s": memory_bandwidth(), "sizes": {}}
    for size in sizes:
        folder = workloads.ensure(args.data, size)
        rows = workloads.rows(folder)
        entry = {
            "rows": rows,
            "input_bytes": sum(BYTES_PER_ROW[t] * n for t, n in rows.items()),
            "runs": [],
            "load_average_before": os.getloadavg(),
        }  # the machine may be shared: say how busy it was
        with tempfile.TemporaryDirectory() as scratch:
            reference = None
            for impl, threads in configs:
                result = run_worker(impl, threads, folder, args.repeat, Path(scratch) / f"{impl}-{threads}.pkl")
                results = pickle.loads((Path(scratch) / f"{impl}-{threads}.pkl").read_bytes())
                if reference is None:
                    reference = results
                else:
                    problems = ms.differences(reference, results)
                    if problems:
                        raise BenchmarkMismatch(
                            f"{impl} ({threads or 'default'} threads) disagrees with "
                            f"{configs[0][0]} at size {size}:\n  " + "\n  ".join(problems[:20])
                        )
                entry["runs"].append(result)
                print(
                    f"{size:>6} {impl:>9} threads={result['threads']}: median {result['median']:.4f} s",
                    file=sys.stderr,
                    flush=True,
                )
        entry["load_average_after"] = os.getloadavg()
        report["sizes"][size] = entry
    report["report_build_seconds"] = report_build_time()
    summarise(report)
    write(report, args.out)
    return report


def run_worker(impl: str, threads: int, folder: Path, repeat: int, result: Path) -> dict:
    env = dict(os.environ)
    if threads:
        env.update(
            POLARS_MAX_THREADS=str(threads),
            OMP_NUM_THREADS=str(threads),
            OPENBLAS_NUM_THREADS=str(threads),
            MKL_NUM_THREADS=str(threads),
        )
    command = [
        sys.executable,
        "-m",
        "benchmarks.worker",
        "--impl",
        impl,
        "--threads",
        str(threads),
        "--folder",
        str(folder),
        "--repeat",
        str(repeat),
        "--result",
        str(result),
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"{impl} failed:\n{run.stderr[-3000:]}")
    out = json.loads(run.stdout.strip().splitlines()[-1])
    out.update(median=statistics.median(out["times"]), min=min(out["times"]), max=max(out["times"]))
    return out


def summarise(report: dict) -> None:
    for entry in report["sizes"].values():
        core = entry["runs"][0]["median"]
        for run in entry["runs"]:
            run["ratio_to_vipreport"] = run["median"] / core
        entry["floor_seconds"] = entry["input_bytes"] / (report["bandwidth_gb_s"] * 1e9)
        entry["vipreport_over_floor"] = core / entry["floor_seconds"]
        baselines = [r for r in entry["runs"][1:]]
        if baselines:
            fastest = min(baselines, key=lambda r: r["median"])
            entry["fastest_baseline"] = f"{fastest['impl']} ({fastest['threads']} threads)"
            entry["speedup_over_fastest"] = fastest["median"] / core
        peak = entry["runs"][0]["peak_extra_bytes"]
        entry["vipreport_extra_memory_over_input"] = None if peak is None else peak / entry["input_bytes"]
    sizes = list(report["sizes"])
    # Growth exponent of each implementation's time against total input rows, size to size
    # (1.0 is linear; n log n over these sizes would read about 1.1).
    report["growth_exponents"] = {}
    for a, b in itertools.pairwise(sizes):
        ratio_n = sum(report["sizes"][b]["rows"].values()) / sum(report["sizes"][a]["rows"].values())
        for ra, rb in zip(report["sizes"][a]["runs"], report["sizes"][b]["runs"], strict=False):
            key = f"{ra['impl']} ({ra['threads']} threads) {a}->{b}"
            report["growth_exponents"][key] = float(np.log(rb["median"] / ra["median"]) / np.log(ratio_n))


def markdown(report: dict) -> str:
    lines = [
        "| size | rows | implementation | threads | median s | min s | max s | x vipreport | peak extra MiB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, entry in report["sizes"].items():
        total = sum(entry["rows"].values())
        for run in entry["runs"]:
            peak = "n/a" if run["peak_extra_bytes"] is None else f"{run['peak_extra_bytes'] / 2**20:,.0f}"
            lines.append(
                f"| {size} | {total:,} | {run['impl']} | {run['threads']} | {run['median']:.4f} | "
                f"{run['min']:.4f} | {run['max']:.4f} | {run['ratio_to_vipreport']:.1f} | {peak} |"
            )
    lines.append("")
    for size, entry in report["sizes"].items():
        extra = entry["vipreport_extra_memory_over_input"]
        lines.append(
            f"- {size}: vipreport is {entry.get('speedup_over_fastest', float('nan')):.1f}x faster than the "
            f"fastest baseline ({entry.get('fastest_baseline', '-')}); input columns "
            f"{entry['input_bytes'] / 2**20:,.0f} MiB; physical floor {entry['floor_seconds'] * 1e3:.1f} ms "
            f"at {report['bandwidth_gb_s']:.1f} GB/s, vipreport at {entry['vipreport_over_floor']:.1f}x the "
            f"floor; extra memory {'n/a' if extra is None else f'{extra:.2f}'}x the input columns"
            + (
                f"; 1-minute load average {entry['load_average_before'][0]:.2f} before, "
                f"{entry['load_average_after'][0]:.2f} after."
                if "load_average_before" in entry
                else "."
            )
        )
    for key, exponent in report.get("growth_exponents", {}).items():
        if key.startswith("vipreport"):
            lines.append(f"- {key}: time grows as rows^{exponent:.2f}.")
    lines.append(
        f"- `vipreport build --demo` (cold process, import included): "
        f"{report['report_build_seconds']['median']:.2f} s median of 3."
    )
    return "\n".join(lines)


def write(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=2))
    table = markdown(report)
    (out / "results.md").write_text(table + "\n")
    print(table)
    chart(report, out / "scaling.png")


def chart(report: dict, path: Path) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.add_subplot()
    sizes = list(report["sizes"])
    rows = [sum(report["sizes"][s]["rows"].values()) for s in sizes]
    for impl, threads in [(r["impl"], r["threads"]) for r in report["sizes"][sizes[0]]["runs"]]:
        points = [
            (n, r["median"])
            for s, n in zip(sizes, rows, strict=False)
            for r in report["sizes"][s]["runs"]
            if (r["impl"], r["threads"]) == (impl, threads)
        ]
        ax.plot(
            *zip(*points, strict=False),
            marker="o",
            label=f"{impl} ({threads} thread{'s' if threads != 1 else ''})",
            linewidth=2.4 if impl == "vipreport" else 1.4,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("input rows (all tables)")
    ax.set_ylabel("median time for the metric set (s)")
    ax.set_title("Time against size, log scale", loc="left", fontweight="bold")
    ax.grid(True, which="both", color="#DDDDDD", linewidth=0.5)
    ax.legend(fontsize=8, frameon=False)
    fig.savefig(path, dpi=130)


def memory_bandwidth() -> float:
    """Read bandwidth in GB/s: the best of several sums over a 512 MiB array."""
    data = np.ones(1 << 26, dtype=np.float64)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        data.sum()
        best = min(best, time.perf_counter() - start)
    return data.nbytes / best / 1e9


def report_build_time() -> dict:
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "vipreport.cli",
                    "build",
                    "--month",
                    "2024-11",
                    "--demo",
                    "--out",
                    str(Path(scratch) / "r.pdf"),
                ],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return {"times": times, "median": statistics.median(times)}


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    versions = {}
    for package in ("vipreport", "numpy", "pandas", "polars", "duckdb", "pyarrow"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "versions": versions,
        "threads": "vipreport and pandas: 1 (single-threaded); polars and DuckDB: their default "
        "(all cores) and 1, as labelled",
    }


def rewrite(results_json: Path, out: Path) -> None:
    """Re-derive the table and chart from a saved results.json (no timing is repeated)."""
    report = json.loads(Path(results_json).read_text())
    summarise(report)
    write(report, out)


if __name__ == "__main__":
    main()
