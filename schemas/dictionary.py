"""Generate ``docs/data-dictionary.md`` from the vocabulary files.

Run ``python -m schemas.dictionary > docs/data-dictionary.md``; a test keeps the committed
file equal to the generated one.
"""

from __future__ import annotations

import sys

from schemas.arrow import TABLES, schema
from schemas.vocab import check_ids, column_keys, metrics, table_kinds


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dictionary_markdown() -> str:
    out: list[str] = [
        "# Data dictionary",
        "",
        "Generated from `schemas/data/*.csv` by `python -m schemas.dictionary`; do not edit by hand.",
        "",
        "The dataset is four Parquet tables, hive-partitioned by `fiscal_year`",
        "(`<table>/fiscal_year=2023/*.parquet`; documents without a year go to",
        "`fiscal_year=__HIVE_DEFAULT_PARTITION__`). Money is `decimal128(20,2)` in 元 whatever unit",
        "the document printed; every row carries `doc_id` (sha256 of the file bytes).",
        "",
    ]
    for table in TABLES:
        out += [f"## {table}", "", "| column | type | null | meaning |", "|---|---|---|---|"]
        for f in schema(table):
            desc = (f.metadata or {}).get(b"description", b"").decode()
            out.append(f"| `{f.name}` | {f.type} | {'yes' if f.nullable else 'no'} | {_escape(desc)} |")
        out.append("")
    out += ["## Table keys", "", "| table_key | table_no | title | aliases | kind |", "|---|---|---|---|---|"]
    for t in table_kinds():
        out.append(f"| `{t.key}` | {t.table_no or ''} | {t.title} | {_escape('、'.join(t.aliases))} | {t.kind} |")
    out += ["", "## Column keys", "", "| column_key | label | aliases |", "|---|---|---|"]
    for c in column_keys():
        out.append(f"| `{c.key}` | {c.label} | {_escape('、'.join(c.aliases))} |")
    out += ["", "## Metrics", "", "| metric | label | unit | family | meaning |", "|---|---|---|---|---|"]
    for m in metrics().values():
        out.append(f"| `{m.key}` | {m.label} | {m.unit} | {m.family} | {_escape(m.meaning)} |")
    out += ["", "## Checks", "", "| check | severity | label | meaning |", "|---|---|---|---|"]
    for key, row in check_ids().items():
        out.append(f"| `{key}` | {row['severity']} | {row['label_zh']} | {_escape(row['meaning'])} |")
    out.append("")
    return "\n".join(out)


def main() -> int:
    sys.stdout.write(dictionary_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
