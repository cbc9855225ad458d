"""`import vipreport` stays light: matplotlib and Typst load only when a report is drawn."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
# What draws and writes the report: imported when a report is rendered, never by `import vipreport`.
HEAVY = ("matplotlib", "typst")
RENDERERS = ("vipreport.report.html", "vipreport.report.notebook", "vipreport.report.package", "vipreport.report.pdf")

SCRIPT = """
import json, sys
from pathlib import Path
heavy = {heavy!r}
def loaded():
    return sorted(m for m in heavy if m in sys.modules)
def renderers():
    return sorted(m for m in {renderers!r} if m in sys.modules)
import vipreport as vr
stages = {{"import": loaded(), "import renderers": renderers()}}
report = vr.build_report(vr.datasets.demo(), "2024-11")
stages["build_report"] = loaded() + renderers()
report.to_pdf(Path(sys.argv[1]) / "r.pdf")
stages["to_pdf"] = loaded()
stages["to_pdf renderers"] = renderers()
print(json.dumps(stages))
"""


def test_matplotlib_and_typst_load_only_when_a_report_is_rendered(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY, renderers=RENDERERS), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    stages = json.loads(run.stdout.strip().splitlines()[-1])
    assert stages["import"] == []
    assert stages["import renderers"] == []
    assert stages["build_report"] == []  # figures are drawn on first access, not when tables are built
    assert stages["to_pdf"] == ["matplotlib", "typst"]
    assert stages["to_pdf renderers"] == ["vipreport.report.pdf"]  # the PDF's writer, not the others
    assert (tmp_path / "r.pdf").stat().st_size > 0
