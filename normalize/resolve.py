"""科目 label -> code, or an honest ``none``.

Order (recorded in ``code_match``): a printed code → the document's own printed code/name
pairs (``document``) → the codebook along a 类/款/项 path (``path``) → ``none`` with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from normalize.codebook import by_name_key
from normalize.labels import label_to_canonical
from normalize.text import match_key

_CHAIN = re.compile(r"(?P<name>[^（(）)]+?)[（(](?P<level>类|款|项)[）)]")


@dataclass(frozen=True)
class Resolution:
    code: str | None
    system: str | None
    level: str | None
    match: str  # printed / document / path / fuzzy / none
    confidence: float
    reason: str

    @property
    def class_code(self) -> str | None:
        return self.code[:3] if self.code else None


NONE = Resolution(None, None, None, "none", 0.0, "no code found")
_LEVEL_OF_LEN = {3: "类", 5: "款", 7: "项"}


def _system(code: str) -> str:
    return "economic" if code.startswith("3") else "function"


class Resolver:
    """Resolves labels for one document: its year and the code/name pairs its tables print."""

    def __init__(self, year: int | None, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.year = year
        self.pairs: dict[str, set[str]] = {}
        for code, name in pairs:
            self.pairs.setdefault(match_key(label_to_canonical(name)), set()).add(code)

    def _candidates(self, name: str, parent: str | None, length: int | None) -> tuple[list[str], str]:
        key = match_key(label_to_canonical(name))
        for source, codes in (
            ("document", sorted(self.pairs.get(key, ()))),
            ("path", sorted({e.code for e in by_name_key().get(key, ()) if e.valid_in(self.year)})),
            ("path", sorted({e.code for e in by_name_key().get(key, ())})),
        ):
            narrowed = [
                c for c in codes if (parent is None or c.startswith(parent)) and (length is None or len(c) == length)
            ]
            if narrowed:
                return narrowed, source
        return [], "none"

    def resolve(self, label: str, parent: str | None = None, level: str | None = None) -> Resolution:
        length = {"类": 3, "款": 5, "项": 7}.get(level or "")
        codes, source = self._candidates(label, parent, length)
        if len(codes) == 1:
            code = codes[0]
            return Resolution(
                code, _system(code), _LEVEL_OF_LEN.get(len(code)), source, 1.0, f"name matched ({source})"
            )
        if len(codes) > 1:
            return Resolution(None, None, None, "none", 0.0, f"ambiguous: {', '.join(codes[:5])}")
        return Resolution(None, None, None, "none", 0.0, f"unknown name {label!r}")

    def resolve_chain(self, text: str) -> Resolution:
        """'一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）' -> 2010350."""
        parts = [(m.group("name"), m.group("level")) for m in _CHAIN.finditer(text.replace("（室）", "[室]"))]
        parent: str | None = None
        result = NONE
        for name, level in parts:
            result = self.resolve(name.replace("[室]", "（室）"), parent=parent, level=level)
            if result.code is None:
                return result
            parent = result.code
        return result
