"""The importer: a published plan document read into plain data.

``read_document`` handles every input format (``sources``); ``parse_document`` finds the plan in
it (``parse``); ``plan`` writes it to a plan file in one commit.
"""

from __future__ import annotations

from pathlib import Path

from gktrack.features.importer.parse import parse_document
from gktrack.features.importer.result import ImportedPlan, ImportedSection, ImportedTask
from gktrack.features.importer.sources import Document, Line, read_document

__all__ = ["Document", "ImportedPlan", "ImportedSection", "ImportedTask", "Line", "import_file",
           "parse_document", "read_document"]


def import_file(path: str | Path) -> ImportedPlan:
    """``parse_document(read_document(path))``."""
    return parse_document(read_document(path))
