"""科目 label -> code, or an honest ``none``.

Order, recorded in ``code_match``: a printed code (checked against its label: ``printed``) → the
document's own printed code/name pairs (``document``: the tables teach the narrative) → the codebook
by name under the known parent, and the 项 suffix conventions (``path``) → similarity of jieba tokens
and characters above a threshold (``fuzzy``) → ``none`` with the reason. When unsure: ``none``.

A name is only looked up among the codes its context allows: the parent code (a 款 under its 类, a 项
under its 款), the level and the classification (function/economic). A name the codebook lists only
for other years resolves only where the same code is vouched for in the document's year (a renamed
code); otherwise it stays ``none``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from normalize.codebook import (
    LENGTH_OF_LEVEL,
    CodeEntry,
    by_code,
    by_name_key,
    children_of,
    code_alive,
    entries,
    level_of,
    names_of,
    suffix_rules,
    system_of,
)
from normalize.fuzzy import plausible, similarity
from normalize.labels import label_to_canonical
from normalize.text import fold_text, han_count, match_key

_PREFIX = re.compile(r"^(?:其中[:：]?|[#＃*※△▲]+)")
_LEVEL_MARK = re.compile(r"\s*[（(【\[]\s*(类|款|项)\s*[）)】\]]\s*")
# Labels that are totals or sub-totals never take a code by similarity.
# Nor do sources of funds (一般公共预算, 财政拨款收入, 上年结转): 科目 name what money is spent on.
_NO_FUZZY = re.compile(r"合计|小计|总计|共计|其中|以上|以下|(?:收入|拨款|预算|资金|结余|结转)$")
# 科目 names hold no digits or Latin letters; a label with them is several cells run together.
_NOT_A_NAME = re.compile(r"[0-9A-Za-z]")
_MATCH_RANK = {"printed": 0, "document": 1, "path": 2, "fuzzy": 3, "none": 4}


@dataclass(frozen=True)
class ResolveSettings:
    fuzzy_threshold: float = 0.88  # least similarity a fuzzy match needs
    fuzzy_margin: float = 0.05  # and its lead over the next code
    truncation_min_chars: int = 4  # a truncated name keeps at least this many characters
    truncation_min_share: float = 0.6  # and this share of the full name
    renamed_confidence: float = 0.9  # a name of another edition whose code is vouched for in the year
    observed_confidence: float = 0.95  # a name printed with its code by real documents (observed_codes.csv)
    default_suffix_confidence: float = 0.9  # a 项 derived by a suffix convention that is a default

    def __post_init__(self) -> None:
        for name in ("fuzzy_threshold", "truncation_min_share", "renamed_confidence", "observed_confidence"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {value}")
        if not 0 <= self.fuzzy_margin < 1:
            raise ValueError(f"fuzzy_margin must be in [0, 1), got {self.fuzzy_margin}")
        if self.truncation_min_chars < 2:
            raise ValueError("truncation_min_chars must be at least 2")


@dataclass(frozen=True)
class Resolution:
    code: str | None
    system: str | None  # function / economic
    level: str | None  # 类 / 款 / 项
    match: str  # printed / document / path / fuzzy / none
    confidence: float
    reason: str
    disagreement: str = ""  # a printed code whose label contradicts the codebook: what the audit reports

    @property
    def class_code(self) -> str | None:
        return self.code[:3] if self.code else None


NONE = Resolution(None, None, None, "none", 0.0, "no code found")


def _none(reason: str) -> Resolution:
    return Resolution(None, None, None, "none", 0.0, reason)


def _found(code: str, match: str, confidence: float, reason: str) -> Resolution:
    return Resolution(code, system_of(code), level_of(code), match, confidence, reason)


def label_key(label: str) -> str:
    """The match key of a row label or a narrative name: ordinals, '其中：' and level marks removed."""
    text = label_to_canonical(label)
    while (stripped := label_to_canonical(_PREFIX.sub("", text))) != text:
        text = stripped
    text = _LEVEL_MARK.sub("", text)
    return match_key(text)


def other_name(kuan_name: str) -> str:
    """The 99 项 name of a 款 by the convention in item_suffixes.csv."""
    if kuan_name.startswith("其他"):
        return kuan_name
    if kuan_name.endswith("支出"):
        return f"其他{kuan_name}"
    return f"其他{kuan_name}支出"


@dataclass(frozen=True)
class _Scope:
    parent: str | None
    length: int | None
    system: str | None

    def allows(self, code: str) -> bool:
        if self.parent and not code.startswith(self.parent):
            return False
        if self.length is not None:
            if len(code) != self.length:
                return False
        elif self.parent and len(code) != len(self.parent) + 2:
            return False
        return self.system is None or system_of(code) == self.system


class Resolver:
    """Resolves labels for one document: its year and the code/name pairs its tables print.

    Pairs whose name contradicts the codebook (an extraction slip, a misprint) are not learnt;
    they are kept in ``rejected_pairs``.
    """

    def __init__(
        self, year: int | None, pairs: Iterable[tuple[str, str]] = (), settings: ResolveSettings | None = None
    ) -> None:
        self.year = year
        self.settings = settings or ResolveSettings()
        self.pairs: dict[str, set[str]] = {}
        self.names: dict[str, set[str]] = {}  # code -> name keys the document prints with it
        self.rejected_pairs: list[tuple[str, str, str]] = []
        self._memo: dict[tuple[str, _Scope, bool], Resolution] = {}
        for code, name in pairs:
            key = label_key(name)
            if not key or han_count(key) == 0 or system_of(code) is None or level_of(code) is None:
                continue
            if _NOT_A_NAME.search(key):
                continue  # '50101工资奖金津补贴30102津贴补贴', 'C0903气象服务': cells of a cross-tabulation
            disagreement = self._contradiction(code, key)
            if disagreement:
                self.rejected_pairs.append((code, name, disagreement))
                continue
            self.pairs.setdefault(key, set()).add(code)
            self.names.setdefault(code, set()).add(key)

    # -- public API -------------------------------------------------------------------------

    def resolve(
        self, label: str, parent: str | None = None, level: str | None = None, system: str | None = None
    ) -> Resolution:
        """A row label or narrative name -> code, looked up among the codes its context allows."""
        return self._resolve(label_key(label), parent, level, system, allow_fuzzy=True)

    def resolve_chain(self, text: str, system: str | None = None) -> Resolution:
        """'一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）' -> 2010350."""
        folded = fold_text(text)
        parts: list[tuple[str, str]] = []
        pos = 0
        for m in _LEVEL_MARK.finditer(folded):
            parts.append((folded[pos : m.start()], m.group(1)))
            pos = m.end()
        if not parts:
            return _none("no 类/款/项 chain in the text")
        parent: str | None = None
        weakest: Resolution | None = None
        result = NONE
        for i, (name, level) in enumerate(parts):
            if i == 0:
                result = self._chain_head(name, level, system)
            else:
                result = self._resolve(label_key(name), parent, level, system, allow_fuzzy=True)
            if result.code is None:
                return _none(f"{level} {name.strip()!r}: {result.reason}")
            parent = result.code
            if weakest is None or _MATCH_RANK[result.match] > _MATCH_RANK[weakest.match]:
                weakest = result
        assert weakest is not None
        return replace(
            result, match=weakest.match, confidence=min(result.confidence, weakest.confidence), reason=weakest.reason
        )

    def check_printed(self, code: str, label: str) -> Resolution:
        """A printed code, kept as printed, with how its label compares with the codebook."""
        key = label_key(label)
        if not by_code().get(code):
            return _found(code, "printed", 1.0, "code not in the codebook (not evidence that it is wrong)")
        if not key:
            return _found(code, "printed", 1.0, "printed without a name")
        disagreement = self._contradiction(code, key)
        if disagreement:
            return replace(_found(code, "printed", 1.0, disagreement), disagreement=disagreement)
        if not code_alive(code, self.year):
            years = ", ".join(e.years for e in by_code()[code])
            return _found(code, "printed", 1.0, f"the codebook lists {code} for {years} only")
        return _found(code, "printed", 1.0, "agrees with the codebook")

    def candidates(
        self, label: str, parent: str | None = None, level: str | None = None, system: str | None = None, n: int = 5
    ) -> list[tuple[float, CodeEntry]]:
        """The closest codebook entries by similarity, best first (for ``juesuan codes``)."""
        key = label_key(label)
        scope = _Scope(parent, LENGTH_OF_LEVEL.get(level or ""), system or (system_of(parent) if parent else None))
        scored = []
        for e in self._pool(scope):
            if plausible(key, e.key):
                sim = similarity(key, e.key, self.settings.truncation_min_chars, self.settings.truncation_min_share)
                scored.append((round(sim.score, 3), e))
        scored.sort(key=lambda t: (-t[0], t[1].code))
        return scored[:n]

    # -- steps ------------------------------------------------------------------------------

    def _resolve(
        self, key: str, parent: str | None, level: str | None, system: str | None, allow_fuzzy: bool
    ) -> Resolution:
        if not key or han_count(key) == 0:
            return _none("no name to resolve")
        if system is None and parent:
            system = system_of(parent)
        scope = _Scope(parent, LENGTH_OF_LEVEL.get(level or ""), system)
        memo_key = (key, scope, allow_fuzzy)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._lookup(key, scope, allow_fuzzy)
        return self._memo[memo_key]

    def _lookup(self, key: str, scope: _Scope, allow_fuzzy: bool) -> Resolution:
        doc = sorted(c for c in self.pairs.get(key, ()) if scope.allows(c))
        if len(doc) == 1:
            return _found(doc[0], "document", 1.0, "printed with this name in the document's tables")
        if len(doc) > 1:
            return _none(f"ambiguous: the document prints this name with {', '.join(doc)}")
        exact = self._exact(key, scope)
        if exact is not None:
            return exact
        if scope.parent and len(scope.parent) == 5 and scope.length in (None, 7):
            derived = self._suffix(key, scope.parent)
            if derived is not None:
                return derived
        if not allow_fuzzy:
            return _none("no exact name match")
        return self._fuzzy(key, scope)

    def _exact(self, key: str, scope: _Scope) -> Resolution | None:
        found = [e for e in by_name_key().get(key, ()) if scope.allows(e.code)]
        if not found:
            return None
        valid = sorted({e.code for e in found if e.valid_in(self.year)})
        if len(valid) == 1:
            entry = next(e for e in found if e.code == valid[0] and e.valid_in(self.year))
            if entry.origin == "observed":
                conf, why = self.settings.observed_confidence, f"name printed with this code by {entry.source}"
            else:
                conf, why = 1.0, f"codebook name ({entry.source})"
            return _found(entry.code, "path", conf, why)
        if len(valid) > 1:
            return _none(f"ambiguous without a parent: {', '.join(valid[:6])}")
        alive = sorted({e.code for e in found if code_alive(e.code, self.year)})
        years = "; ".join(f"{e.code} {e.years}" for e in found)
        if len(alive) == 1:
            now = names_of(alive[0], self.year)[0]
            reason = f"name of another edition ({years}); {alive[0]} is {now} in {self.year}"
            return _found(alive[0], "path", self.settings.renamed_confidence, reason)
        if len(alive) > 1:
            return _none(f"ambiguous without a parent: {', '.join(alive[:6])}")
        return _none(f"the codebook lists this name for other years only ({years}), not for {self.year}")

    def _kuan_names(self, kuan: str) -> set[str]:
        names = {e.name for e in by_code().get(kuan, ()) if e.valid_in(self.year)}
        if not names and code_alive(kuan, self.year):
            names = {e.name for e in by_code().get(kuan, ())}
        return {match_key(n) for n in names} | self.names.get(kuan, set())

    def _suffix(self, key: str, kuan: str) -> Resolution | None:
        kuan_names = self._kuan_names(kuan)
        if not kuan_names:
            return None
        for rule in suffix_rules():
            if kuan in rule.except_for:
                continue
            if "{款名}" in rule.name_pattern:
                if key not in {match_key(other_name(n)) for n in kuan_names}:
                    continue
            elif key != match_key(rule.name_pattern):
                continue
            certain = rule.certainty == "certain" and kuan in rule.certain_for
            if not certain and "{款名}" not in rule.name_pattern:
                continue  # 01/02/03/50 are derived only where the data file says they are certain
            code = kuan + rule.suffix
            known = {e.key for e in by_code().get(code, ()) if e.valid_in(self.year)}
            if known and key not in known:
                return None  # the codebook names this code otherwise: no derivation
            conf = 1.0 if certain else self.settings.default_suffix_confidence
            what = "certain" if certain else "a strong default"
            return _found(code, "path", conf, f"项 suffix {rule.suffix} by convention ({what}, item_suffixes.csv)")
        return None

    def _pool(self, scope: _Scope) -> list[CodeEntry]:
        if scope.parent:
            pool = [e for e in children_of(scope.parent) if scope.allows(e.code)] if scope.length is None else []
            if not pool:
                pool = [e for e in entries() if scope.allows(e.code)]
        else:
            pool = [e for e in entries() if scope.allows(e.code)]
        return [e for e in pool if e.valid_in(self.year) or code_alive(e.code, self.year)]

    def _fuzzy(self, key: str, scope: _Scope) -> Resolution:
        if _NO_FUZZY.search(key):
            return _none("a total or sub-total label")
        best: dict[str, tuple[float, str, str]] = {}
        pool = [(e.code, e.key) for e in self._pool(scope)]
        pool += [(c, k) for c, keys in self.names.items() if scope.allows(c) for k in keys]
        s = self.settings
        for code, name_key in pool:
            if not plausible(key, name_key):
                continue
            floor = s.fuzzy_threshold - s.fuzzy_margin  # below it a name can neither win nor tie
            sim = similarity(key, name_key, s.truncation_min_chars, s.truncation_min_share, floor)
            if sim.score > best.get(code, (0.0, "", ""))[0]:
                best[code] = (sim.score, name_key, sim.how)
        if not best:
            return _none("unknown name")
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        code, (score, name, how) = ranked[0]
        runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
        if score >= s.fuzzy_threshold and score - runner_up >= s.fuzzy_margin:
            return _found(code, "fuzzy", round(score, 3), f"similar to {name} ({how}, {score:.2f})")
        if score >= s.fuzzy_threshold:
            return _none(f"unsure: {code} ({score:.2f}) and {ranked[1][0]} ({runner_up:.2f}) are as close")
        return _none(f"unknown name (closest {code} {name}, {score:.2f})")

    def _chain_head(self, name: str, level: str, system: str | None) -> Resolution:
        """The first name of a chain may carry the words before it ('主要用于一般公共服务支出（类）')."""
        key = label_key(name)
        whole = self._resolve(key, None, level, system, allow_fuzzy=False)
        if whole.code:
            return whole
        for i in range(1, max(len(key) - 1, 1)):
            tail = self._resolve(key[i:], None, level, system, allow_fuzzy=False)
            if tail.code:
                return tail
        return self._resolve(key, None, level, system, allow_fuzzy=True)

    def _contradiction(self, code: str, key: str) -> str:
        """Why a printed code's label contradicts the codebook, or '' when it does not."""
        known = by_code().get(code, ())
        if not known:
            return ""
        if any(e.key == key for e in known):
            return ""
        s = self.settings
        for e in known:
            if plausible(key, e.key):
                sim = similarity(key, e.key, s.truncation_min_chars, s.truncation_min_share, s.fuzzy_threshold)
                if sim.score >= s.fuzzy_threshold:
                    return ""
        if code_alive(code, self.year):
            name = names_of(code, self.year)[0]
            return f"printed code {code} is {name} in the codebook for {self.year or 'any year'}; the label differs"
        listed = "; ".join(f"{e.name} ({e.years})" for e in known)
        return f"the label matches no name the codebook lists for printed code {code}: {listed}"


@lru_cache(maxsize=64)
def codebook_resolver(year: int | None) -> Resolver:
    """A resolver that knows the codebook only (no document), one per year."""
    return Resolver(year)


def printed_code_disagreement(code: str, label: str, year: int | None) -> str | None:
    """For the audit: why a printed code's label contradicts the codebook for that year, or None."""
    return codebook_resolver(year).check_printed(code, label).disagreement or None
