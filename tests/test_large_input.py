"""A 1 GB export, generated here and never committed: streamed in chunks, with bounded memory."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROWS_PER_BLOCK = 100_000
TARGET_BYTES = 1 << 30


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """incidents.csv of about 1 GiB: 200,000 persons, many incidents each."""
    import numpy as np
    import pandas as pd

    folder = tmp_path_factory.mktemp("big")
    rng = np.random.default_rng(0)
    block = pd.DataFrame(
        {
            "case_number": [f"{i:012d}" for i in range(ROWS_PER_BLOCK)],  # first, so each copy can renumber it
            "person_id": [f"P{p:07d}" for p in rng.integers(0, 200_000, ROWS_PER_BLOCK)],
            "incident_date": (
                pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 5000, ROWS_PER_BLOCK), "D")
            ).strftime("%Y-%m-%d"),
            "offense": rng.choice(["Shooting", "Larceny", "Warrant", "Aggravated Assault"], ROWS_PER_BLOCK),
        }
    ).to_csv(index=False)
    header, body = block.split("\n", 1)
    with open(folder / "incidents.csv", "w") as handle:
        handle.write(header + "\n")
        written, copy = 0, 0
        while written < TARGET_BYTES:
            # Distinct case numbers in every copy: rows that differ only there are not duplicates.
            text = ("\n" + body).replace("\n0000", f"\n{copy:04d}")[1:]
            handle.write(text)
            written += len(text)
            copy += 1
    return folder


def run_load(folder: Path, max_rows: int | None = None) -> dict[str, Any]:  # a JSON object
    """Load in a fresh process and report rows, peak memory (ru_maxrss) and the error, as JSON."""
    script = textwrap.dedent(f"""
        import json, resource, vipreport as vr
        config = vr.Config.default()
        if {max_rows!r}:
            config = config.replace(max_rows={{**config.max_rows, "incidents": {max_rows!r}}})
        result = {{}}
        try:
            data = vr.load({str(folder)!r}, config=config)
            result["rows"] = len(data.table("incidents"))
            result["violent"] = int(data.table("incidents")["violent"].sum())
        except vr.ValidationError as error:
            result["error"] = str(error)
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(run.stdout)
    return result


@pytest.mark.slow
def test_a_1gb_export_loads_in_bounded_memory(big_export: Path) -> None:
    size = (big_export / "incidents.csv").stat().st_size
    assert size >= TARGET_BYTES
    result = run_load(big_export)
    print(f"\n1 GiB load: {result}")
    assert result["rows"] > 15_000_000
    # Typed columns (int32 codes, int64 days and keys, bools) hold the rows; raw text is never
    # held all at once. The bound is a measured property of this machine's run, not a timing.
    assert result["peak_mib"] < 4096


@pytest.mark.slow
def test_a_row_limit_stops_reading_early(big_export: Path) -> None:
    result = run_load(big_export, max_rows=2_000_000)
    assert "more than 2,000,000 rows" in result["error"]
    assert result["peak_mib"] < 1500
