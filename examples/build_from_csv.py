"""Build a month's report from a directory of CSV exports.

    python examples/build_from_csv.py EXPORTS_DIR 2024-11 out/

EXPORTS_DIR holds one file per table (referrals.csv, notifications.csv,
services.csv, enrollments.csv, incidents.csv, trc_referrals.csv,
cora_responses.csv, oep_referrals.csv) and optionally activities.md.
Without arguments it writes the demo exports to a temporary folder first.
"""

import sys
import tempfile
from pathlib import Path

import vipreport as vr


def main(exports: Path, month: str, out: Path) -> None:
    try:
        data = vr.load(exports)
    except vr.ValidationError as error:
        sys.exit(str(error))  # every problem, with table, row and column
    print(data.quality.to_string(index=False))
    report = vr.build_report(data, month)
    print(report.tables["vip.referrals_by_area"])
    print("wrote", report.to_pdf(out / f"report-{month}.pdf"), report.to_html(out / f"report-{month}.html"))


if __name__ == "__main__":
    if len(sys.argv) == 4:
        main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
    else:
        scratch = Path(tempfile.mkdtemp())
        main(vr.datasets.write_exports(scratch / "exports"), "2024-11", scratch / "out")
