"""What ships: the sdist holds tracked files only, the installed wheel carries its licence and version."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

import vipreport as vr

ROOT = Path(__file__).resolve().parents[1]

# Files a careless work tree could hold next to the code: exports of real records.
PLANTED = (
    "exports/referrals.csv",
    "python/vipreport/referrals.csv",
    "python/vipreport/data/Referrals_Export_2024-11-30.xlsx",
    "python/vipreport/profiles/people.parquet",
    "python/vipreport/profiles/people.json",
    "python/vipreport/profiles/springfield.toml",
    "python/vipreport/data/people.md",
    "cpp/src/people.txt",
    "notes.md",
)


def _tracked_files() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name and (ROOT / name).is_file()]


def _sdist_members(source: Path, outdir: Path) -> set[str]:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
    )
    (sdist,) = outdir.glob("vipreport-*.tar.gz")
    with tarfile.open(sdist) as archive:
        # Members are "vipreport-<version>/<path>"; files only.
        return {member.name.split("/", 1)[1] for member in archive.getmembers() if member.isfile()}


@pytest.mark.slow
def test_sdist_holds_tracked_files_only(tmp_path: Path) -> None:
    tracked = _tracked_files()
    tree = tmp_path / "tree"
    for name in tracked:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tree / name)
    for name in PLANTED:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("person_id,name\n1,planted\n")

    members = _sdist_members(tree, tmp_path / "dist")

    generated = {"PKG-INFO"}
    assert members - generated <= set(tracked), sorted(members - generated - set(tracked))
    assert not members & set(PLANTED)
    # and it is complete: every tracked source of the build is in it
    needed = {
        name
        for name in tracked
        if name.startswith(("cpp/", "python/vipreport/"))
        or name in ("pyproject.toml", "CMakeLists.txt", "README.md", "LICENSE")
    }
    assert needed <= members, sorted(needed - members)


def test_installed_distribution_carries_licence_and_version() -> None:
    distribution = importlib.metadata.distribution("vipreport")
    assert distribution.metadata["License-Expression"] == "MIT"
    licences = [file for file in distribution.files or () if file.name == "LICENSE"]
    assert licences, "the installed distribution has no LICENSE file"
    assert licences[0].read_text() == (ROOT / "LICENSE").read_text()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" in project["dynamic"]  # one version, in vipreport/__init__.py
    assert distribution.version == vr.__version__
