"""`import vipreport` stays light: matplotlib and Typst load only when a report is drawn."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
# The renderer modules register themselves on import; what they draw with is imported when they draw.
HEAVY = ("matplotlib", "typst")

SCRIPT = """
import json, sys
from pathlib import Path
heavy = {heavy!r}
def loaded():
    return sorted(m for m in heavy if m in sys.modules)
import vipreport as vr
stages = {{"import": loaded()}}
report = vr.build_report(vr.datasets.demo(), "2024-11")
stages["build_report"] = loaded()
report.to_pdf(Path(sys.argv[1]) / "r.pdf")
stages["to_pdf"] = loaded()
print(json.dumps(stages))
"""


def test_matplotlib_and_typst_load_only_when_a_report_is_rendered(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY), str(tmp_path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr[-2000:]
    stages = json.loads(run.stdout.strip().splitlines()[-1])
    assert stages["import"] == []
    assert stages["build_report"] == []  # figures are drawn on first access, not when tables are built
    assert stages["to_pdf"] == ["matplotlib", "typst"]
    assert (tmp_path / "r.pdf").stat().st_size > 0
