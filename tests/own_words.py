"""12-word runs of text, hashed: how the project checks that it ships no sentence of the city's reports."""

from __future__ import annotations

import hashlib
import re

WINDOW = 12  # words: longer than any stock phrase, shorter than any copied sentence


def words(text: str) -> list[str]:
    """Lower-case words, punctuation, numbers and line breaks ignored: reflowed or re-punctuated copies
    still match, and a row of figures (facts, which carry over) is not prose."""
    return re.findall(r"[a-z]+", text.lower().replace("\u2019", "").replace("'", ""))


def shingles(text: str) -> set[str]:
    tokens = words(text)
    return {
        hashlib.sha256(" ".join(tokens[i : i + WINDOW]).encode()).hexdigest()[:20]
        for i in range(len(tokens) - WINDOW + 1)
    }
