"""The loaders' contract (loaders/schemas.py) holds whatever format a document comes in: the
samples (text), the Word and workbook fixtures. (PDFs: tests/regions/test_*_tables.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.loaders import load
from budget_audit.loaders.schemas import validate

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([*(ROOT / "samples").glob("*.txt"), *(ROOT / "tests" / "data" / "docx").glob("*.docx"),
                    *(ROOT / "tests" / "data" / "xlsx").glob("*.xls*")])


def test_every_format_has_documents():
    assert {p.suffix for p in DOCUMENTS} == {".txt", ".docx", ".xlsx", ".xls"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_tables_meet_their_schemas(path):
    document = load(path)
    assert document.tables
    for table in document.tables.values():
        validate(table)
