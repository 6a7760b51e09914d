"""The units registry, ``units.yaml``: canonical unit names, aliases, collectives and people.

::

    schema: 1
    units:
      - name: 区政数局
        aliases: [政数局]
      - name: 司法所
    collectives:
      - name: 各有关单位
        members: all          # every unit in the registry
      - name: 各村(社区)
        members: [横东村, 横西村]
    people:
      - email: zhang@example.gov.cn
        name: 张三
        units: [司法所]
      - email: office@example.gov.cn
        role: office          # the 政务公开办: may change everything
"""

from __future__ import annotations

import difflib
from pathlib import Path

from gktrack.errors import InputError, NotFoundError, PlanFileError
from gktrack.domain.model import LINE_KEY, Person, Registry, Unit, UnitRef

REGISTRY_FILE = "units.yaml"
DEFAULT_COLLECTIVES = ("各有关单位",)

INITIAL_TEXT = """\
# gktrack 单位名册:单位的规范名称、别名,集体(各有关单位、各村(社区))的成员,以及人员与单位的对应。
# 可直接手工编辑;members: all 表示名册中的所有单位。
schema: 1
units: []
collectives:
  - name: 各有关单位
    members: all
people: []
"""


def read_registry(path: Path, where: str = REGISTRY_FILE) -> Registry:
    if not Path(path).exists():
        return Registry(units=[Unit(name=n, members="all") for n in DEFAULT_COLLECTIVES], path=where)
    # The YAML machinery only here: a read command gets the registry from the cache without it.
    from gktrack.storage.yamlfile import decode, safe_load

    data = safe_load(decode(Path(path).read_bytes(), where), where)
    return registry_from_data(data, where)


def registry_from_data(data, where: str) -> Registry:
    def fail(message: str, line=None) -> PlanFileError:
        return PlanFileError(message, where=f"{where}:{line}" if line else where)

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise fail("单位名册的顶层应为“键: 值”映射", 1)
    registry = Registry(path=where)
    seen: dict[str, int | None] = {}

    def names(value, key, line) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        raise fail(f"“{key}”应为名称列表", line)

    for section, collective in (("units", False), ("collectives", True)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise fail(f"“{section}”应为列表")
        for raw in entries:
            if isinstance(raw, str):
                raw = {"name": raw}
            if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
                line = raw.get(LINE_KEY) if isinstance(raw, dict) else None
                raise fail(f"“{section}”的每一项应有 name(单位名称)", line)
            line = raw.get(LINE_KEY)
            name = raw["name"].strip()
            aliases = names(raw.get("aliases"), "aliases", line)
            for label in (name, *aliases):
                if label in seen:
                    raise fail(f"单位名称或别名“{label}”重复(另见第 {seen[label]} 行)", line)
                seen[label] = line
            members = None
            if collective:
                members_raw = raw.get("members", [])
                members = "all" if members_raw == "all" else names(members_raw, "members", line)
            registry.units.append(Unit(name=name, aliases=aliases, members=members))
    people = data.get("people") or []
    if not isinstance(people, list):
        raise fail("“people”应为列表")
    for raw in people:
        line = raw.get(LINE_KEY) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(raw.get("email"), str):
            raise fail("“people”的每一项应有 email", line)
        role = raw.get("role")
        if role not in (None, "office", "unit"):
            raise fail(f"人员角色应为 office 或 unit,而不是“{role}”", line)
        registry.people.append(
            Person(email=raw["email"].strip(), name=raw.get("name"),
                   units=names(raw.get("units"), "units", line), role=role)
        )
    return registry


class Units:
    """Lookups over a registry: canonical names, suggestions, collectives."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.by_label: dict[str, Unit] = {}
        for unit in registry.units:
            self.by_label[unit.name] = unit
            for alias in unit.aliases:
                self.by_label[alias] = unit

    def canonical(self, name: str) -> str | None:
        unit = self.by_label.get(normalize_name(name))
        return unit.name if unit else None

    def get(self, name: str) -> Unit | None:
        return self.by_label.get(normalize_name(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        labels = list(self.by_label)
        close = difflib.get_close_matches(normalize_name(name), labels, n=n, cutoff=0.5)
        contains = [label for label in labels if name and (name in label or label in name)]
        out: list[str] = []
        for label in close + contains:
            canonical = self.by_label[label].name
            if canonical not in out:
                out.append(canonical)
        return out[:n]

    def require(self, name: str) -> str:
        canonical = self.canonical(name)
        if canonical is None:
            raise unknown_unit(name, self.suggest(name))
        return canonical

    def collectives_of(self, name: str) -> list[str]:
        """The collectives ``name`` belongs to (every unit belongs to a ``members: all`` one)."""
        unit = self.get(name)
        if unit is None or unit.is_collective:
            return []
        out = []
        for candidate in self.registry.units:
            if candidate.members == "all":
                out.append(candidate.name)
            elif isinstance(candidate.members, list):
                if any(self.canonical(m) == unit.name for m in candidate.members):
                    out.append(candidate.name)
        return out

    def person(self, email: str | None) -> Person | None:
        if not email:
            return None
        for person in self.registry.people:
            if person.email.lower() == email.lower():
                return person
        return None


def normalize_name(name: str) -> str:
    return name.strip().replace("(", "(").replace(")", ")").replace(" ", "").replace("\u3000", "")


def unknown_unit(name: str, suggestions: list[str]) -> NotFoundError:
    hint = f"是否指:{'、'.join(suggestions)}?" if suggestions else None
    extra = ";如确是新单位,请加 --new-unit 登记"
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


def add_units_to_file(path: Path, names: list[str], where: str = REGISTRY_FILE) -> None:
    """Append new units (and 各… collectives) to ``units.yaml``, touching only the added lines."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from gktrack.storage.yamlfile import BlockFile, atomic_write, decode, safe_load

    path = Path(path)
    raw = path.read_bytes() if path.exists() else None
    bom = "\ufeff" if raw is not None and raw.startswith(b"\xef\xbb\xbf") else ""
    text = decode(raw, where) if raw is not None else INITIAL_TEXT
    data = safe_load(text, where) or {}
    registry_from_data(data, where)
    block = BlockFile(text, where)
    for key in ("units", "collectives"):
        new_lines: list[str] = []
        for name in names:
            if is_collective_name(name) != (key == "collectives"):
                continue
            item = CommentedMap()
            item["name"] = name
            if key == "collectives":
                members = CommentedSeq()
                members.fa.set_flow_style()
                item["members"] = "all" if name in EVERYONE else members
            new_lines += block.dump_item(key, item)
        block.append_items(key, new_lines, bool(data.get(key)))
    registry_from_data(safe_load(block.text(), where), where)
    atomic_write(path, bom + block.text())
