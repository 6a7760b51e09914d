"""The units registry file, ``units.yaml``: read by the schema, new units appended in place.

::

    units:
      - name: 区政数局
        aliases: [政数局]
    collectives:
      - name: 各有关单位
        members: all          # every unit in the registry
    people:
      - email: office@example.gov.cn
        role: office          # the 政务公开办: may change everything
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from gktrack.domain.model import Collective, Registry, Unit
from gktrack.domain.units import DEFAULT_COLLECTIVES, EVERYONE, is_collective_name
from gktrack.storage import yamldoc
from gktrack.storage.planfile import Style, detect_style, item_splices
from gktrack.storage.reader import UNREADABLE, Problem, Reader

REGISTRY_FILE = "units.yaml"

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


def default_registry() -> Registry:
    """What a repository without units.yaml has: the collectives every unit belongs to."""
    return Registry(collectives=[Collective(name=n, members="all") for n in DEFAULT_COLLECTIVES], path=REGISTRY_FILE)


def read_registry(path: Path, where: str) -> Registry:
    return parse_registry(Path(path).read_bytes(), where)


def parse_registry(text: str | bytes, where: str = REGISTRY_FILE,
                   problems: list[Problem] | None = None) -> Registry | None:
    """The registry in ``text`` (bytes: decoded first). Without ``problems`` the first error is raised. With, every
    problem is collected there and what could be read is returned (None: nothing could)."""
    reader = Reader(where, problems)
    root = reader.compose(text)
    return None if root is UNREADABLE else registry_from_nodes(reader, root)


def registry_from_nodes(reader: Reader, root: Any) -> Registry:
    """The registry ``root`` (``Reader.compose``'s) holds, read by ``reader``."""
    if root is None:
        return Registry(path=reader.where)
    if not yamldoc.is_map(root):
        reader.fail("单位名册的顶层应为“键: 值”映射", root)
        return Registry(path=reader.where)
    registry = reader.record(Registry, root)
    registry.path = reader.where
    _cross_check(reader, registry)
    return registry


def _cross_check(reader: Reader, registry: Registry) -> None:
    """Names and aliases name one unit each; an email is one person."""
    seen: dict[str, int] = {}
    for unit in registry.all_units:
        if "name" in reader.lost(unit):
            continue
        node = reader.node_of(unit)
        for label in (unit.name, *unit.aliases):
            if label in seen:
                reader.fail(f"单位名称或别名“{label}”重复(另见第 {seen[label]} 行)", node)
            else:
                seen[label] = yamldoc.line_of(node)
    emails: dict[str, int] = {}
    for person in registry.people:
        email = person.email.strip().lower()
        if "email" in reader.lost(person):
            continue
        node = reader.node_of(person)
        if email in emails:
            reader.fail(f"邮箱“{person.email}”重复(另见第 {emails[email]} 行)", node)
        else:
            emails[email] = yamldoc.line_of(node)


def add_units_to_file(path: Path, names: list[str], *, write: Callable[[Path, bytes], None]) -> None:
    """Append new units (and 各… collectives) to ``units.yaml``, touching only the added lines;
    ``write``: a change's ``tx.write``, so its journal knows the bytes."""
    path = Path(path)
    raw = path.read_bytes() if path.exists() else None
    bom = "\ufeff" if raw is not None and raw.startswith(b"\xef\xbb\xbf") else ""
    text = yamldoc.decode(raw, REGISTRY_FILE) if raw is not None else INITIAL_TEXT
    parse_registry(text)
    style = detect_style(text)  # the line ends; the columns come from the list itself
    for key, collective in (("units", False), ("collectives", True)):
        records = [Collective(name=n, members="all" if n in EVERYONE else []) if collective else Unit(name=n)
                   for n in names if is_collective_name(n) == collective]
        if records:
            text = _append_items(text, key, records, style)
    parse_registry(text)
    write(path, (bom + text).encode("utf-8"))


def _append_items(text: str, key: str, records: list, style: Style) -> str:
    """``text`` with ``records`` added at the end of its list ``key`` (``item_splices``)."""
    root = yamldoc.compose(text, REGISTRY_FILE)
    splices = item_splices(text, root, Registry, key, None, records, style, gap=False, base=0)
    return yamldoc.apply_splices(text, splices)
