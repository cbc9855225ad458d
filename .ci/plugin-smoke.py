"""Smoke test of the pytest plugin from the installed wheel alone (run by noxfile.py in a fresh venv).

In an empty folder: record a month with `vipreport build --record`, then run
`pytest --vipreport-published rec/ --vipreport-data exports/`. It must collect
one item per figure of the record (counted here from the JSON) and pass; and
with one figure changed, exactly one item must fail, naming both values.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

folder = Path(sys.argv[1])
folder.mkdir(parents=True, exist_ok=True)
bin_dir = Path(sys.executable).parent


def run(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=folder, text=True, capture_output=True)
    if check and done.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


run(sys.executable, "-c", "import vipreport as vr; vr.datasets.write_exports('exports', vr.datasets.generate(seed=7))")
run(
    str(bin_dir / "vipreport"),
    "-q",
    "build",
    "--data",
    "exports",
    "--month",
    "2024-11",
    "--out",
    "report.html",
    "--record",
    "rec",
)
record = json.loads((folder / "rec" / "2024-11.json").read_text())
figures = len(record["scalars"]) + sum(len(t["columns"]) * len(t["rows"]) for t in record["tables"].values())
run(
    str(bin_dir / "pytest"),
    "--vipreport-published",
    "rec",
    "--vipreport-data",
    "exports",
    "-p",
    "no:cacheprovider",
    "--junitxml",
    "figures.xml",
    "-q",
)
suite = ET.parse(folder / "figures.xml").getroot().find("testsuite")
assert suite is not None
counts = {k: int(suite.get(k, "0")) for k in ("tests", "failures", "errors", "skipped")}
if counts != {"tests": figures, "failures": 0, "errors": 0, "skipped": 0}:
    sys.exit(f"expected {figures} passing items, got {counts}")

area = record["tables"]["vip.referrals_by_area"]
area["rows"]["Southeast"][-1] += 1
(folder / "edited").mkdir(exist_ok=True)
(folder / "edited" / "2024-11.json").write_text(json.dumps(record))
done = run(
    str(bin_dir / "pytest"),
    "--vipreport-published",
    "edited",
    "--vipreport-data",
    "exports",
    "-p",
    "no:cacheprovider",
    "-q",
    check=False,
)
published = area["rows"]["Southeast"][-1]
wanted = f"2024-11::vip.referrals_by_area[Southeast, FYTD]: published {published}, computed {published - 1}"
if done.returncode != 1 or f"1 failed, {figures - 1} passed" not in done.stdout or wanted not in done.stdout:
    sys.exit(f"one changed figure should fail one item:\n{done.stdout}\n{done.stderr}")
print(f"plugin smoke: {figures} items passed; one changed figure failed one item")
