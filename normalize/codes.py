"""科目 codes: printed codes (one column, split 类|款|项, glued to the name) -> code records."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = re.compile(r"^\d+$")
# 经济分类 类 start with 3 (301 工资福利支出 … 399 其他支出); 功能分类 类 with 2.
ECONOMIC_TABLE_KINDS = ("by_economic",)


@dataclass(frozen=True)
class CodeInfo:
    code: str | None
    system: str | None  # function / economic
    level: str | None  # 类 / 款 / 项
    class_code: str | None
    match: str  # printed / path / document / fuzzy / none


NO_CODE = CodeInfo(None, None, None, None, "none")


def code_level(code: str) -> str | None:
    return {3: "类", 5: "款", 7: "项"}.get(len(code))


def code_system(code: str, table_kind: str | None = None) -> str | None:
    if table_kind in ECONOMIC_TABLE_KINDS or code.startswith("3"):
        return "economic" if code.startswith("3") else "function"
    if code.startswith("2"):
        return "function"
    return None


def code_info(code: str, match: str, table_kind: str | None = None) -> CodeInfo:
    return CodeInfo(code, code_system(code, table_kind), code_level(code), code[:3], match)


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
