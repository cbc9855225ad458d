"""One cold run of one end-to-end pipeline, in its own process (see e2e.py).

Prints one JSON line: the seconds of each stage (import, load, metrics, and for
vipreport report) and the headline numbers.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

LIBRARIES = {
    "vipreport": ["vipreport"],
    "vipreport-4": ["vipreport"],  # the same library, loading the 4 tables the headline numbers read
    "duckdb": ["duckdb"],
    "polars": ["polars"],
    # pq.read_table imports pyarrow.dataset on first use (about 1.4 s here): an import, not reading
    "pyarrow": ["pyarrow.csv", "pyarrow.parquet", "pyarrow.dataset"],
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", required=True, choices=sorted(LIBRARIES))
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--month", required=True)
    parser.add_argument("--report", action="store_true", help="vipreport: also time the report to PDF")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    for module in LIBRARIES[args.impl]:
        importlib.import_module(module)
    out: dict = {"impl": args.impl, "import": time.perf_counter() - start}
    from . import e2e_pipelines as pipelines  # after the timed import: it imports nothing heavy itself

    load, metrics = pipelines.PIPELINES[args.impl]
    start = time.perf_counter()
    state = load(args.folder)
    out["load"] = time.perf_counter() - start
    if metrics is not None:
        start = time.perf_counter()
        out["numbers"] = metrics(state, args.month)
        out["metrics"] = time.perf_counter() - start
    if args.report:
        start = time.perf_counter()
        pipelines.vipreport_report(state, args.month)
        out["report"] = time.perf_counter() - start
    print(json.dumps(out))


if __name__ == "__main__":
    main()
