"""A build killed partway leaves the previous report untouched."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def test_killed_build_leaves_the_previous_report(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    build = [sys.executable, "-m", "vipreport.cli", "build", "--month", "2024-11", "--demo", "--out", str(out)]
    subprocess.run(build, check=True, capture_output=True)
    good = out.read_bytes()
    assert good.startswith(b"%PDF")

    process = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    partial: list[object] = []
    while not partial and process.poll() is None and time.monotonic() < deadline:
        partial = list(tmp_path.glob(".report.pdf.*.partial"))
        time.sleep(0.005)
    if not partial:
        process.kill()
        pytest.fail("the build finished before it could be killed mid-write")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert out.read_bytes() == good  # the previous report, byte for byte
