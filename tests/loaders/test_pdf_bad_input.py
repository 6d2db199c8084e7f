"""Bad PDFs through the CLI: one clear message naming file and reason, exit 2, the rest of the
batch still checked. The bad files are made from a corpus PDF with real tools: pages rendered
to images (Pillow) for a scan, pages copied (pypdfium2) for a PDF without tables, the first
third of the bytes for a truncated file, and a standard-security-handler PDF whose user
password we do not have."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.loaders.pdf_bytes import pdf

GOOD = Path(__file__).parents[1] / "data" / "pdf" / "sh_putuo_zhengfuban_2025_budget_unit.pdf"
CLI = [sys.executable, "-m", "budget_audit.reports.cli"]


def _encrypted() -> bytes:
    """A one-page PDF encrypted (RC4, revision 2) with a user password: /U does not match ""."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)]
    return pdf(objects, b" /Encrypt 4 0 R /ID [<%s> <%s>]" % (b"01" * 16, b"01" * 16))


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    import pypdfium2 as pdfium

    folder = tmp_path_factory.mktemp("bad_pdfs")
    source = pdfium.PdfDocument(GOOD)
    images = [source[i].render(scale=1).to_pil().convert("RGB") for i in (0, 7)]
    files = {name: folder / f"{name}.pdf" for name in ("scanned", "encrypted", "truncated", "no_tables")}
    images[0].save(files["scanned"], save_all=True, append_images=images[1:])
    narrative = pdfium.PdfDocument.new()
    narrative.import_pages(source, [2])  # p.3: 主要职能, text only
    narrative.save(files["no_tables"])
    files["truncated"].write_bytes(GOOD.read_bytes()[: GOOD.stat().st_size // 3])
    files["encrypted"].write_bytes(_encrypted())
    return files


@pytest.fixture(scope="module")
def batch(bad):
    env = {**os.environ, "BUDGET_AUDIT_NO_CACHE": "1"}
    before = {name: path.read_bytes() for name, path in bad.items()}
    out = subprocess.run([*CLI, "check", "--lang", "en", "--format", "json", *map(str, bad.values()), str(GOOD)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert {name: path.read_bytes() for name, path in bad.items()} == before  # inputs untouched
    return out


def test_batch_exits_2_and_still_checks_the_good_pdf(batch):
    assert batch.returncode == 2 and "Traceback" not in batch.stderr
    documents = {Path(d["path"]).name: d for d in json.loads(batch.stdout)["documents"]}
    assert documents[GOOD.name]["status"] != "error" and documents[GOOD.name]["tables"]


@pytest.mark.parametrize("name, reason", [
    ("scanned", "no text layer on page(s) 1-2 of 2: a scanned PDF"),
    ("encrypted", "the PDF is encrypted (password protected)"),
    ("truncated", "damaged or truncated PDF"),
    ("no_tables", "no budget table could be recognised"),
])
def test_each_bad_pdf_gets_one_clear_message(batch, bad, name, reason):
    documents = {Path(d["path"]).name: d for d in json.loads(batch.stdout)["documents"]}
    document = documents[bad[name].name]
    assert document["status"] == "error"
    assert document["load_error"].startswith(f"{bad[name]}: {reason}")
    assert batch.stderr.count(str(bad[name])) == 1
