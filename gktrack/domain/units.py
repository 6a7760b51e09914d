"""Units and collectives by name: canonical names, aliases, suggestions, who belongs to which
collective. Pure lookups over a ``Registry`` (read from units.yaml by ``gktrack.storage.registry``).
"""

from __future__ import annotations

import difflib
import os

from gktrack.domain.model import Person, Registry, Unit, UnitRef
from gktrack.errors import InputError, NotFoundError

DEFAULT_COLLECTIVES = ("各有关单位",)


class Units:
    """Lookups over a registry: canonical names, suggestions, collectives."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.by_label: dict[str, Unit] = {}
        # Worked out once per name: a city's ten thousand tasks name a few hundred units.
        self._resolved: dict[str, str] = {}
        self._collectives: dict[str, list[str]] = {}
        for unit in registry.all_units:
            self.by_label[normalize_name(unit.name)] = unit
            for alias in unit.aliases:
                self.by_label[normalize_name(alias)] = unit

    def canonical(self, name: str) -> str | None:
        unit = self.by_label.get(normalize_name(name))
        return unit.name if unit else None

    def resolve(self, name: str) -> str:
        """The canonical name of a registered unit, else the name as the registry compares it."""
        found = self._resolved.get(name)
        if found is None:
            found = self._resolved[name] = self.canonical(name) or normalize_name(name)
        return found

    def get(self, name: str) -> Unit | None:
        return self.by_label.get(normalize_name(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        labels = list(self.by_label)
        close = difflib.get_close_matches(normalize_name(name), labels, n=n, cutoff=0.5)
        contains = [label for label in labels if name and (name in label or label in name)]
        return list(dict.fromkeys(self.by_label[label].name for label in close + contains))[:n]

    def require(self, name: str, *, registering: bool = True) -> str:
        canonical = self.canonical(name)
        if canonical is None:
            raise unknown_unit(name, self.suggest(name), registering=registering)
        return canonical

    def collectives_of(self, name: str) -> list[str]:
        """The collectives ``name`` belongs to (every unit belongs to a ``members: all`` one)."""
        found = self._collectives.get(name)
        if found is None:
            found = self._collectives[name] = self._find_collectives(name)
        return list(found)

    def _find_collectives(self, name: str) -> list[str]:
        unit = self.get(name)
        if unit is None or unit.is_collective:
            return []
        return [c.name for c in self.registry.collectives if c.members == "all"
                or (isinstance(c.members, list) and any(self.canonical(m) == unit.name for m in c.members))]

    def person(self, email: str | None) -> Person | None:
        if not email:
            return None
        return next((p for p in self.registry.people if p.email.lower() == email.lower()), None)


_BRACKETS = str.maketrans({"\uff08": "(", "\uff09": ")", "\u3014": "(", "\u3015": ")", "\u3010": "(",
                           "\u3011": ")", " ": None, "\u3000": None, "\t": None})


def normalize_name(name: str) -> str:
    """A unit name as the registry compares it: brackets in one form (full-width （）, 〔〕 and 【】
    as ASCII), no spaces."""
    return name.strip().translate(_BRACKETS)


def typed_form(name: str) -> str:
    """A unit name as people type it and as it is shown to them: with full-width brackets, which
    a shell takes as they are (各村(社区) unquoted is a shell syntax error, 各村（社区） is not)."""
    return name.replace("(", "\uff08").replace(")", "\uff09")


def unknown_unit(name: str, suggestions: list[str], *, registering: bool = True) -> NotFoundError:
    """``registering``: the command can register a new unit (``--new-unit``); the read commands cannot."""
    hint = f"是否指:{'、'.join(typed_form(s) for s in suggestions)}?" if suggestions else None
    extra = ";如确是新单位,请加 --new-unit 登记" if registering else ";可用 gktrack units 查看全部单位"
    return NotFoundError(f"单位名册中没有“{name}”" + (f",{hint}" if hint else "") + extra)


def resolve_refs(units: Units, refs: list[UnitRef], *, register_new: bool) -> tuple[list[UnitRef], list[str]]:
    """Canonical names for ``refs``; unknown names are refused, or collected when registering."""
    resolved: list[UnitRef] = []
    new: list[str] = []
    for ref in refs:
        canonical = units.canonical(ref.name)
        if canonical is None:
            if not register_new:
                raise unknown_unit(ref.name, units.suggest(ref.name))
            canonical = normalize_name(ref.name)
            if not canonical:
                raise InputError("单位名称不能为空")
            if canonical not in new:
                new.append(canonical)
        resolved.append(UnitRef(canonical, ref.role))
    return resolved, new


# Collectives that every unit belongs to; other "各…" names start with no members listed.
EVERYONE = ("各有关单位", "各相关单位", "各单位", "各部门", "各有关部门", "各相关部门", "各级各部门")


def is_collective_name(name: str) -> bool:
    """"各村(社区)", "各有关单位", "区直相关部门": documents name groups of units so."""
    from gktrack.domain.unitphrase import is_group_word

    return name.startswith("各") or is_group_word(name)


_LEVELS = "省市区县镇乡"
_SUFFIXES = ("分局", "局", "委员会", "委", "办公室", "办", "中心", "所", "站", "队", "院", "处", "科", "股")
# Words many unit names share without being the same unit
_GENERIC = {"管理", "服务", "发展", "建设", "工作", "事务", "综合", "行政", "保障", "人民", "政府", "改革", "执法", "监督"}


def _parts(name: str) -> tuple[str, str, str]:
    prefix = name[0] if name and name[0] in _LEVELS else ""
    rest = name[len(prefix):]
    suffix = next((s for s in _SUFFIXES if rest.endswith(s) and len(rest) > len(s)), "")
    return prefix, rest[: len(rest) - len(suffix)] if suffix else rest, suffix


def likely_same(registry: Registry) -> list[tuple[str, str]]:
    """Pairs of units whose names suggest one unit written two ways (区资源规划分局 / 区自然资源分局):
    the same level, the same kind of body, names of about the same length, and a distinctive
    word in common where the names differ (``_same_core``): 市金融监管局 and 市市场监管局 share only
    their common ending and are two bodies."""
    groups: dict[tuple[str, str], list[tuple[Unit, str, set[str]]]] = {}
    for unit in registry.units:
        prefix, core, suffix = _parts(unit.name)
        if not suffix or len(core) < 2:
            continue
        groups.setdefault((prefix, suffix), []).append((unit, core, _words(core)))
    pairs = []
    for members in groups.values():
        for i, (a, core_a, words_a) in enumerate(members):
            for b, core_b, words_b in members[i + 1:]:
                # names already shared (a duplicate, an alias) are another problem, said elsewhere
                if {a.name, *a.aliases} & {b.name, *b.aliases}:
                    continue
                if words_a & words_b and abs(len(core_a) - len(core_b)) <= 2 and _same_core(core_a, core_b):
                    pairs.append((a.name, b.name))
    return pairs


def _same_core(a: str, b: str) -> bool:
    """Whether what tells two cores apart, once the start and end they share are set aside, still
    names one thing: one adds words to the other (自然资源 / 自然资源规划), is its short form (市场监管 /
    市场监督管理), or both name the same subject in another order (资源规划 / 自然资源). 金融监管 /
    市场监管 differ in their whole subject."""
    start = len(os.path.commonprefix([a, b]))
    end = len(os.path.commonprefix([a[start:][::-1], b[start:][::-1]]))
    rest_a, rest_b = a[start:len(a) - end], b[start:len(b) - end]
    if not rest_a or not rest_b:
        return True
    short, long = sorted((rest_a, rest_b), key=len)
    letters = iter(long)
    if all(char in letters for char in short):  # every character of the short one, in order
        return True
    return bool(_words(rest_a) & _words(rest_b))


def _words(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} - _GENERIC
