"""Runs one implementation in its own process: load (untimed), then time the metric set.

Thread settings must be fixed before polars or DuckDB start, so each
implementation and thread count gets a fresh process (see run.py).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import importlib
import json
import pickle
import time
from pathlib import Path

from . import metric_set as ms


def _status(field: str) -> int:
    """A VmRSS-style field of /proc/self/status, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def _release_free_memory() -> None:
    """Hand freed heap pages back to the OS (glibc), so memory freed after loading and
    reused by the computation is not hidden from the peak."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (the peak RSS)
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", required=True, choices=["vipreport", "pandas", "polars", "duckdb"])
    parser.add_argument("--threads", type=int, default=0, help="0 = the library's default")
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args()

    impl = importlib.import_module(f"benchmarks.impl_{args.impl}")
    state = impl.prepare(args.folder, threads=args.threads) if args.impl == "duckdb" else impl.prepare(args.folder)
    threads = args.threads
    if args.impl == "polars":
        import polars as pl

        threads = pl.thread_pool_size()
    elif args.impl == "duckdb":
        threads = int(state.execute("SELECT current_setting('threads')").fetchone()[0])
    gc.collect()
    _release_free_memory()
    resident = _status("VmRSS")
    peak_reset = _reset_peak()
    times, results = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        results = impl.compute(state)
        times.append(time.perf_counter() - start)
        gc.collect()
    peak = _status("VmHWM") if peak_reset else None
    with open(args.result, "wb") as handle:
        pickle.dump(ms.normalise(results), handle)
    print(
        json.dumps(
            {
                "impl": args.impl,
                "threads": threads,
                "times": times,
                "resident_bytes": resident,
                "peak_extra_bytes": None if peak is None else max(0, peak - resident),
            }
        )
    )


if __name__ == "__main__":
    main()
