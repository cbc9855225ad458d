"""The project ships its own words: no run of 12 words from the city's published reports.

tests/data/seed_shingles.txt holds hashes of every 12-word run of the five
published reports (tests/data/make_seed_shingles.py); the reports themselves
are not in the repository. Facts and figures carry over, sentences do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import vipreport as vr
from own_words import WINDOW, shingles, words

ROOT = Path(__file__).resolve().parents[1]
SEED_SHINGLES = set((Path(__file__).parent / "data" / "seed_shingles.txt").read_text().split())
PACKAGE = Path(vr.__file__).parent
SHIPPED = (".py", ".pyi", ".toml", ".md", ".json", ".txt")


def _shipped_files() -> list[Path]:
    """Every text file of the installed package, and the repository's docs, README, notebooks and tests."""
    files = [p for p in PACKAGE.rglob("*") if p.suffix in SHIPPED and "__pycache__" not in p.parts]
    for pattern in ("README.md", "docs/*.md", "notebooks/*.ipynb", "examples/*.py", "tests/**/*.py"):
        files += ROOT.glob(pattern)
    return sorted(files)


def test_the_hashes_of_the_published_reports_are_present() -> None:
    assert len(SEED_SHINGLES) > 500


def test_the_check_finds_a_copied_sentence() -> None:
    # A 12-word run is a match wherever it appears and however it is punctuated or wrapped.
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    hashed = shingles(text)
    reflowed = text.upper().replace(" ", ",\n ")
    assert len(hashed) == 1 and hashed <= shingles(f"Before. {reflowed}. After.")
    assert not shingles(" ".join(words(text)[: WINDOW - 1]))


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda p: str(p.relative_to(p.parents[1])))
def test_no_sentence_of_the_published_reports_is_shipped(path: Path) -> None:
    copied = shingles(path.read_text("utf-8", errors="replace")) & SEED_SHINGLES
    assert not copied, f"{path}: {len(copied)} run(s) of {WINDOW} words copied from a published report"
