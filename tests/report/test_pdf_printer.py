"""The PDF printer process: WeasyPrint imported and the PDF printed beside the analysis."""

from __future__ import annotations

from pathlib import Path

import tilik.report.pdf as pdf
from tilik.report import render
from tilik.report.sample import sample_hasil


def test_it_prints_the_pdf_in_the_printer_process(tmp_path, monkeypatch):
    printer = pdf.Printer.start()
    assert printer is not None

    def not_here(html: str, path: Path) -> Path:
        raise AssertionError("printed in this process")

    monkeypatch.setattr(pdf, "write_pdf", not_here)
    paths = render(sample_hasil(), tmp_path, printer=printer)
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    assert list(paths) == ["grafik", "html", "pdf", "docx"]


def test_it_prints_here_when_the_printer_process_fails(tmp_path):
    printer = pdf.Printer.start()
    assert printer is not None
    printer.process.kill()
    paths = render(sample_hasil(), tmp_path, formats=("pdf",), printer=printer)
    assert paths["pdf"].read_bytes().startswith(b"%PDF")
    assert not (tmp_path / ".laporan-cetak.html").exists()
