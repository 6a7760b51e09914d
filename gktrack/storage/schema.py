"""JSON Schema for plan files and units.yaml, generated from the code's own field lists.

The keys come from ``planfile.PLAN_KEYS`` / ``TASK_KEYS`` / ``SECTION_KEYS`` / ``PROGRESS_KEYS`` and
the values allowed from ``model.ROLES`` / ``STATES``: a key added there without a description here
fails ``generate`` (and the tests) instead of silently missing from editors. The generated files
are shipped as ``gktrack/data/*.schema.json``; ``gktrack init`` copies them into the repository so
a clone validates in VS Code without gktrack installed.
"""

from __future__ import annotations

import json

from gktrack.domain.model import ROLE_LABELS, ROLES, SCHEMA_VERSION, STATE_LABELS, STATES
from gktrack.storage.planfile import PLAN_KEYS, PROGRESS_KEYS, SECTION_KEYS, TASK_KEYS

KINDS = ("plan", "units")
FILES = {"plan": "plan.schema.json", "units": "units.schema.json"}
DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft the YAML language server knows best
SCHEMA_BASE = "https://gktrack.invalid/schema"

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "日期,如 2024-06-30"}
_TEXT = {"type": "string"}
_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}
_ONE_OR_MORE = {"anyOf": [{"type": "string"}, _NAMES]}

_PLAN_FIELDS = {
    "schema": ({"type": "integer", "minimum": 1, "maximum": SCHEMA_VERSION}, "文件格式版本"),
    "id": ({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"}, "计划编号,与文件名一致,如 hl2022"),
    "year": ({"type": "integer", "minimum": 1949, "maximum": 2200}, "计划年度"),
    "title": ({"type": "string", "minLength": 1}, "计划标题"),
    "issuer": (_TEXT, "发文单位"),
    "doc_number": (_TEXT, "文号,如 新府办发〔2024〕30号"),
    "issued": (_DATE, "印发日期"),
    "source": (_TEXT, "原文地址"),
    "owner": (_TEXT, "未写明责任单位的任务由谁负责(通常为发文单位)"),
    "source_hash": (_TEXT, "导入时原文件的哈希(同一文件不重复导入)"),
    "sections": ({"type": "array", "items": {"$ref": "#/definitions/section"}}, "章节(一、/(一))"),
    "tasks": ({"type": "array", "items": {"$ref": "#/definitions/task"}}, "任务;每项一个段落,以空行分隔"),
}
_SECTION_FIELDS = {
    "key": ({"type": "string", "pattern": r"^\d+(\.\d+)*$"}, "章节编号:一、为 '1',其下(二)为 '1.2'"),
    "number": (_TEXT, "文中序号,如 一、 或 (二)"),
    "title": ({"type": "string", "minLength": 1}, "章节标题"),
}
_TASK_FIELDS = {
    "id": ({"type": "integer", "minimum": 1}, "任务编号(稳定,不随顺序变化);任务引用写作 计划/编号"),
    "number": (_TEXT, "文中序号,如 3."),
    "section": (_TEXT, "所属章节的 key,如 '1.2'"),
    "text": ({"type": "string", "minLength": 1}, "任务内容"),
    "units_text": (_TEXT, "原文中的责任单位写法"),
    "deadline": (_ONE_OR_MORE, "时限要求,照原文写,如 6月底前、每季度;多个时写成列表"),
    "state": ({"enum": list(STATES)}, "状态:" + "、".join(f"{s} {STATE_LABELS[s]}" for s in STATES)),
    "closed": (_DATE, "完成日期"),
    "note": (_TEXT, "完成情况说明"),
    "evidence": (_NAMES, "佐证材料,如信息公开的网址"),
    "progress": ({"type": "array", "items": {"$ref": "#/definitions/progress"}}, "进展记录"),
    **{role: (_ONE_OR_MORE, f"{ROLE_LABELS[role]}单位") for role in ROLES},
}
_PROGRESS_FIELDS = {
    "date": (_DATE, "工作日期"),
    "unit": (_TEXT, "记录进展的单位"),
    "by": (_TEXT, "记录人"),
    "note": (_TEXT, "进展内容"),
}
_REQUIRED = {"plan": ["id", "year", "title"], "section": ["key", "title"], "task": ["id", "text"],
             "progress": ["date"]}


def _object(keys: tuple[str, ...], fields: dict, name: str, *, closed: bool) -> dict:
    missing = [k for k in keys if k not in fields]
    extra = [k for k in fields if k not in keys]
    if missing or extra:  # the field lists moved on: describe the new keys here
        raise AssertionError(f"schema fields out of step for {name}: missing {missing}, extra {extra}")
    properties = {}
    for key in keys:
        spec, description = fields[key]
        properties[key] = {**spec, "description": description}
    out = {"type": "object", "properties": properties, "required": _REQUIRED[name]}
    # Hand-added keys are kept by gktrack in plans and tasks; sections and progress entries are ours.
    out["additionalProperties"] = not closed
    return out


def plan_schema() -> dict:
    schema = {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_BASE}/{FILES['plan']}",
        "title": "gktrack 计划文件(plans/<编号>.yaml)",
        **_object(PLAN_KEYS, _PLAN_FIELDS, "plan", closed=False),
        "definitions": {
            "section": _object(SECTION_KEYS, _SECTION_FIELDS, "section", closed=True),
            "task": _object(TASK_KEYS, _TASK_FIELDS, "task", closed=False),
            "progress": _object(PROGRESS_KEYS, _PROGRESS_FIELDS, "progress", closed=True),
        },
    }
    return schema


def units_schema() -> dict:
    names = {"anyOf": [{"type": "string"}, _NAMES]}
    unit = {
        "anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "object", "required": ["name"], "additionalProperties": False, "properties": {
                "name": {"type": "string", "minLength": 1, "description": "单位规范名称"},
                "aliases": {**names, "description": "别名(简称、旧名)"},
            }},
        ]
    }
    collective = {
        "type": "object", "required": ["name"], "additionalProperties": False, "properties": {
            "name": {"type": "string", "minLength": 1, "description": "集体名称,如 各村(社区)"},
            "aliases": {**names, "description": "别名"},
            "members": {"anyOf": [{"const": "all"}, _NAMES],
                        "description": "成员单位;all 表示名册中的所有单位"},
        },
    }
    person = {
        "type": "object", "required": ["email"], "additionalProperties": False, "properties": {
            "email": {"type": "string", "minLength": 3, "description": "git 提交所用的邮箱"},
            "name": {"type": "string", "description": "姓名"},
            "units": {**names, "description": "所属单位"},
            "role": {"enum": ["office", "unit"], "description": "office 政务公开办(可修改一切);unit 单位联络人"},
        },
    }
    return {
        "$schema": DRAFT,
        "$id": f"{SCHEMA_BASE}/{FILES['units']}",
        "title": "gktrack 单位名册(units.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "schema": {"type": "integer", "minimum": 1, "maximum": SCHEMA_VERSION, "description": "文件格式版本"},
            "units": {"type": "array", "items": unit, "description": "单位"},
            "collectives": {"type": "array", "items": collective, "description": "集体(各有关单位、各村(社区))"},
            "people": {"type": "array", "items": person, "description": "人员与单位的对应(用于权限)"},
        },
    }


def generate(kind: str) -> dict:
    if kind == "plan":
        return plan_schema()
    if kind == "units":
        return units_schema()
    from gktrack.errors import InputError

    raise InputError(f"没有“{kind}”的结构定义(可用 plan 或 units)")


def schema_text(kind: str) -> str:
    return json.dumps(generate(kind), ensure_ascii=False, indent=2) + "\n"


def shipped_text(kind: str) -> str:
    """The copy shipped in the package (what ``gktrack schema`` prints)."""
    from importlib import resources

    try:
        return (resources.files("gktrack") / "data" / FILES[kind]).read_text(encoding="utf-8")
    except (FileNotFoundError, KeyError):
        return schema_text(kind)


# --- the repository's copy, for editors ------------------------------------------------------

REPO_DIR = ".gktrack"
VSCODE_SETTINGS = ".vscode/settings.json"


def editor_files() -> dict[str, str]:
    """Files ``gktrack init`` writes so editors validate plans without gktrack installed.

    The schemas live in the repository and VS Code's YAML extension (yaml-language-server) is
    pointed at them by glob: that covers every plan file, also those imported or written by hand,
    without a comment line in each file, and works in a fresh clone.
    """
    settings = {
        "yaml.schemas": {
            f"./{REPO_DIR}/{FILES['plan']}": ["plans/*.yaml"],
            f"./{REPO_DIR}/{FILES['units']}": ["units.yaml"],
        },
        "files.encoding": "utf8",
    }
    files = {f"{REPO_DIR}/{FILES[kind]}": shipped_text(kind) for kind in KINDS}
    files[VSCODE_SETTINGS] = json.dumps(settings, ensure_ascii=False, indent=2) + "\n"
    return files


def write_editor_files(root) -> list[str]:
    """Write the missing ones of ``editor_files`` under ``root``; an existing file is left alone."""
    from pathlib import Path

    created = []
    for rel, text in editor_files().items():
        path = Path(root) / rel
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(rel)
    return created
