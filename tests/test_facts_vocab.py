"""The fact vocabularies: every metric the extractor can emit is documented; cue and unit tables are valid."""

from __future__ import annotations

from conftest import ROOT

from extract.subjects import cue_words, subject_rows
from normalize.fact_units import FACT_UNITS, fact_units
from schemas.vocab import metrics, read_rows

_ROLES = ("down", "up", "share", "completion", "budget", "actual", "prior", "trigger", "gap")


def test_subject_rows_name_documented_metrics_and_units():
    known = metrics()
    for row in subject_rows():
        for metric in (*row.metrics, *([row.items] if row.items else [])):
            assert metric in known, (row.phrase, metric)
        assert row.unit in FACT_UNITS, row
        assert row.qualifier in ("", "budget", "actual"), row
        assert row.position in ("before", "after"), row


def test_metric_vocabulary_is_complete_and_in_the_dictionary():
    rows = read_rows("metrics.csv")
    assert len({r["key"] for r in rows}) == len(rows)
    dictionary = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    for r in rows:
        assert r["label_zh"] and r["family"] and r["meaning"], r["key"]
        assert r["unit"] in ("", *FACT_UNITS), r["key"]
        assert r["code_kind"] in ("", "chain", "class", "economic"), r["key"]
        assert f"| `{r['key']}` | {r['label_zh']} |" in dictionary


def test_cue_roles_and_units():
    for role in _ROLES:
        assert cue_words(role), role
    roles = {r["role"] for r in read_rows_extract("fact_cues.csv")}
    assert roles == set(_ROLES)
    printed = [u.printed for u in fact_units()]
    assert len(printed) == len(set(printed))
    assert printed.index("人次") < printed.index("人") and printed.index("个百分点") < printed.index("个")


def read_rows_extract(name: str) -> list[dict[str, str]]:
    import csv

    text = (ROOT / "extract" / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))
