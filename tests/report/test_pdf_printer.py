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


def test_the_callers_work_meanwhile_fails_only_once_the_printer_has_ended(tmp_path):
    printer = pdf.Printer.start()
    assert printer is not None

    def broken() -> None:
        raise ValueError("hasil breaks its schema")

    try:
        render(sample_hasil(), tmp_path, printer=printer, meanwhile=broken)
    except ValueError as error:
        assert "schema" in str(error)
    else:
        raise AssertionError("the caller's failure was lost")
    assert printer.process.poll() is not None  # ended, not left behind
    assert (tmp_path / "laporan.pdf").read_bytes().startswith(b"%PDF")


def test_a_hasil_that_breaks_the_contract_is_never_written(tmp_path, monkeypatch):
    import jsonschema

    import tilik.report.pipeline as pipeline
    from tilik.core.bundle import read_bundle

    def refuse(hasil) -> None:
        raise jsonschema.ValidationError("broken")

    monkeypatch.setattr(pipeline, "validate_hasil", refuse)
    bundle = read_bundle(Path(__file__).parents[2] / "examples" / "kupang-2025")
    try:
        pipeline.build_report(bundle, tmp_path, formats=("html",))
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("an invalid hasil was accepted")
    assert not (tmp_path / "hasil.json").exists()
