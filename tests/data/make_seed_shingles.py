"""Write tests/data/seed_shingles.txt: hashes of every 12-word run of the city's published reports.

The reports' text is the city's, so the repository keeps only these hashes,
from which no sentence can be read back; tests/test_own_words.py checks that
no run of 12 words in anything the project ships hashes to one of them.

Run with the published texts at hand: python tests/data/make_seed_shingles.py ../shared/seeds
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from own_words import shingles

seeds = Path(sys.argv[1])
found: set[str] = set()
for path in sorted(seeds.glob("*.txt")):
    found |= shingles(path.read_text("utf-8", errors="replace"))
out = Path(__file__).with_name("seed_shingles.txt")
out.write_text("".join(f"{h}\n" for h in sorted(found)))
print(f"{len(found)} shingles from {len(list(seeds.glob('*.txt')))} reports -> {out}")
