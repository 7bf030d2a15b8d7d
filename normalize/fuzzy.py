"""Similarity of two 科目 names, for the last resort of the resolver: jieba tokens and characters.

Both names are match keys (normalize.text.match_key). Before comparing, glyphs that OCR confuses
(data/ocr_confusions.csv) are mapped to one of the pair, so '一般公共服务攴出' equals
'一般公共服务支出'. A name cut off at the end (a wrapped cell, '机关事业单位基本养老保险缴') is recognised
as a truncation when enough of it is left.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import Any

from normalize.codebook import entries, ocr_confusions


@dataclass(frozen=True)
class Similarity:
    score: float  # 0..1
    how: str  # ocr / truncated / tokens / characters (tokens not compared) / catch-all


def confusion_key(key: str) -> str:
    """A match key with OCR-confusable glyphs mapped to one of each pair."""
    table = ocr_confusions()
    return "".join(table.get(ch, ch) for ch in key)


VOCABULARY = "jieba_vocabulary.tsv"


def vocabulary_lines() -> list[str]:
    """The 科目 vocabulary: every word jieba's default dictionary cuts the codebook names into, with
    its default frequency, tab-separated (``data/jieba_vocabulary.tsv`` is this list; regenerate with
    ``python -m normalize.fuzzy > normalize/data/jieba_vocabulary.tsv`` when a codebook changes)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    words = {t for e in entries() for t in jieba.lcut(e.key, HMM=False) if t.strip()}
    return ["word\tfreq"] + [f"{w}\t{max(jieba.dt.FREQ.get(w, 1), 1)}" for w in sorted(words)]


@cache
def _tokenizer() -> Any:
    """jieba with the 科目 vocabulary only: built in memory in milliseconds (the default dictionary
    takes over a second in every worker process, and writes a cache file), and it cuts labels and
    names the same way."""
    import jieba

    text = resources.files("normalize").joinpath("data", VOCABULARY).read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(
        io.BytesIO("".join(f"{r['word']} {r['freq']}\n" for r in rows).encode("utf-8"))
    )
    tokenizer.initialized = True
    return tokenizer


@cache
def tokens(key: str) -> frozenset[str]:
    return frozenset(t for t in _tokenizer().lcut(key, HMM=False) if t.strip())


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def plausible(a: str, b: str) -> bool:
    """A cheap screen before the real comparison: similar length and mostly the same characters."""
    if not a or not b:
        return False
    shorter, longer = sorted((len(a), len(b)))
    if shorter * 2 < longer:
        return False
    common = len(set(a) & set(b))
    return common * 2 >= min(len(set(a)), len(set(b)))


def similarity(label: str, name: str, min_chars: int, min_share: float, floor: float = 0.0) -> Similarity:
    """How well a label (match key) fits a codebook name (match key). Below ``floor`` the score is
    only a lower bound: the tokens are not compared when they could not lift it to ``floor``."""
    a, b = confusion_key(label), confusion_key(name)
    if a.startswith("其他") != b.startswith("其他"):
        return Similarity(0.0, "catch-all")  # 'X' and '其他X' are different 科目, however alike
    if a == b:
        return Similarity(0.97 if label != name else 1.0, "ocr")
    if b.startswith(a) and len(a) >= min_chars and len(a) / len(b) >= min_share:
        return Similarity(0.8 + 0.2 * len(a) / len(b), "truncated")
    ratio = SequenceMatcher(None, a, b).ratio()
    if (ratio + 1) / 2 < floor:
        return Similarity(ratio / 2, "characters")
    return Similarity((ratio + _dice(tokens(a), tokens(b))) / 2, "tokens")


if __name__ == "__main__":
    print("\n".join(vocabulary_lines()))
