"""Check that every file the README and the docs name is in the repository.

Run ``python docs/check_paths.py`` from anywhere (``nox -s docs`` does): it
prints each reference to a missing file, with the page and line, and exits 1
if there is one. A reference is a Markdown link target, a path that starts
with one of the repository's top-level folders (``docs/...``, ``tests/...``),
or a bare file name in backticks (``noxfile.py``), which must name a tracked
file somewhere. A glob (``tests/historical/*.json``) must match at least one
file. Export-file names used as examples (``referrals.csv``) are not checked, nor
names in italics (a page writes planned names that way).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md", "SECURITY.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
TOP_FOLDERS = ("docs", "tests", "python", "cpp", "benchmarks", "examples", "notebooks", ".ci", "shared", "vipreport")
CHECKED_SUFFIXES = (".md", ".py", ".pyi", ".toml", ".json", ".ipynb", ".cpp", ".hpp", ".png", ".txt", ".yaml")

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
_FOLDERS = "|".join(re.escape(f) for f in TOP_FOLDERS)
PATH = re.compile(rf"(?<![\w./-])((?:{_FOLDERS})/[\w./*-]*[\w*])")
BACKTICKED = re.compile(r"`([\w.-]+)`")


def tracked_files() -> list[str]:
    """Every file git tracks, as repository-relative POSIX paths."""
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def exists(path: str, files: list[str]) -> bool:
    """Whether ``path`` (a file, folder or glob, relative to the root) matches a tracked file."""
    path = path.rstrip("/.")
    if path.startswith("vipreport/"):  # a path inside the package, as users see it
        path = "python/" + path
    pattern = PurePosixPath(path)
    return any(f == path or f.startswith(path + "/") or PurePosixPath(f).match(str(pattern)) for f in files)


def problems() -> list[str]:
    """One line per reference to a file that is not in the repository."""
    files = tracked_files()
    names = {PurePosixPath(f).name for f in files}
    found = []
    for page in PAGES:
        for number, line in enumerate((ROOT / page).read_text().splitlines(), start=1):
            for target in LINK.findall(line):
                if "://" in target or target.startswith("mailto:"):
                    continue
                resolved = (ROOT / page).parent / target
                if not resolved.exists():
                    found.append(f"{page}:{number}: link to {target}, which is not in the repository")
            for path in PATH.findall(line):
                if "YYYY" in path:  # a placeholder for a file the reader makes
                    continue
                if path.startswith("shared/") or not exists(path, files):
                    found.append(f"{page}:{number}: {path} is not in the repository")
            for name in BACKTICKED.findall(line):
                if name.endswith(CHECKED_SUFFIXES) and not name.startswith(".") and name not in names:
                    found.append(f"{page}:{number}: {name} is not in the repository")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
