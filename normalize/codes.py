"""科目 codes as printed: one 7-digit column, split 类|款|项 columns, or glued to the name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalize.codebook import level_of, system_of

_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class CodeInfo:
    code: str | None
    system: str | None  # function / economic
    level: str | None  # 类 / 款 / 项
    class_code: str | None
    match: str  # printed / path / document / fuzzy / none
    reason: str = ""


NO_CODE = CodeInfo(None, None, None, None, "none")


def code_level(code: str) -> str | None:
    return level_of(code)


def code_system(code: str, table_kind: str | None = None) -> str | None:
    """功能分类 codes start with 2, 经济分类 codes with 3 (部门) or 5 (政府); the table kind does not
    change what a code is, so ``table_kind`` is accepted for callers but not needed."""
    return system_of(code)


def code_info(code: str, match: str, table_kind: str | None = None, reason: str = "") -> CodeInfo:
    return CodeInfo(code, code_system(code, table_kind), code_level(code), code[:3], match, reason)


@dataclass
class SplitCodeContext:
    """Carries the last 类 and 款 down a table whose codes are split into 类 | 款 | 项 columns,
    where the 款 and 项 columns print only '03', '50'."""

    cls: str | None = None
    kuan: str | None = None

    def resolve(self, parts: tuple[str, ...]) -> str | None:
        parts = tuple(p.replace(" ", "") for p in parts)
        if len(parts) == 1:
            p = parts[0]
            if _DIGITS.match(p) and len(p) in (3, 5, 7):
                self._remember(p)
                return p
            return None
        cls, kuan, xiang = (*parts, "", "", "")[:3]
        if (
            (cls and not _DIGITS.match(cls))
            or (kuan and not _DIGITS.match(kuan))
            or (xiang and not _DIGITS.match(xiang))
        ):
            return None
        if len(cls) == 3:
            self.cls, self.kuan = cls, None
        elif len(cls) == 5:  # '20103' printed in the 类 column
            self.cls, self.kuan = cls[:3], cls[3:]
            cls = cls[:3]
            kuan = kuan or self.kuan or ""
        if kuan:
            if not self.cls:
                return None
            self.kuan = kuan[-2:]
        if xiang:
            if not (self.cls and self.kuan):
                return None
            return self.cls + self.kuan + xiang[-2:]
        if kuan:
            return (self.cls or "") + kuan[-2:]
        return cls if len(cls) == 3 else None

    def _remember(self, code: str) -> None:
        self.cls = code[:3]
        self.kuan = code[3:5] if len(code) >= 5 else None
