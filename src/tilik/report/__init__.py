"""Reports of an evaluation: narrative (Indonesian / English), charts, HTML, PDF and DOCX.

``render(hasil, out_dir)`` writes the full report; ``render_public_summary(hasil)`` gives
the short article an office posts on its website. This package never imports Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tilik.report.pdf import Printer

__all__ = ["FORMATS", "render", "render_public_summary"]

FORMATS = ("html", "pdf", "docx")


def render(
    hasil: Mapping[str, Any],
    out_dir: Path | str,
    lang: str = "id",
    formats: Iterable[str] = FORMATS,
    printer: Printer | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, Path]:
    """Write the report of an evaluation.

    Parameters
    ----------
    hasil
        Results (``hasil.json`` contract); the caller writes ``hasil.json`` itself.
    out_dir
        Folder to write into (created if missing).
    lang
        ``"id"`` (default) or ``"en"``.
    formats
        Any of ``"html"``, ``"pdf"``, ``"docx"``.
    printer
        A :class:`tilik.report.pdf.Printer` started ahead of time: the PDF is printed there
        while the DOCX is written here (same files).
    meanwhile
        Work of the caller's done here once the DOCX is written, while the printer may still
        be printing (before waiting for it); its exception is raised after the printer ends.

    Returns
    -------
    dict
        ``{"html": .../laporan.html, "pdf": .../laporan.pdf, "docx": .../laporan.docx,
        "grafik": .../grafik}`` for the formats written; ``grafik/*.svg`` is always written.
    """
    from tilik.report.charts import to_svg
    from tilik.report.html import render_html
    from tilik.report.narrative import build_report

    wanted = set(formats)
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report format(s): {', '.join(sorted(unknown))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(hasil, lang)
    grafik = out / "grafik"
    grafik.mkdir(exist_ok=True)
    for chart_id, chart in report.charts.items():
        (grafik / f"{chart_id}.svg").write_text(to_svg(chart), encoding="utf-8")
    paths: dict[str, Path] = {"grafik": grafik}
    if wanted & {"html", "pdf"}:
        html = render_html(report)
        html_file = out / ("laporan.html" if "html" in wanted else ".laporan-cetak.html")
        if "html" in wanted or printer is not None:
            html_file.write_text(html, encoding="utf-8")
        if "html" in wanted:
            paths["html"] = html_file
        if "pdf" in wanted and printer is not None:
            paths["pdf"] = out / "laporan.pdf"  # printed while the DOCX is written below
            printer.submit(html_file, paths["pdf"])
        elif "pdf" in wanted:
            from tilik.report.pdf import write_pdf

            paths["pdf"] = write_pdf(html, out / "laporan.pdf")
    if "docx" in wanted:
        from tilik.report.word import write_docx

        paths["docx"] = write_docx(report, out / "laporan.docx")
    failed: BaseException | None = None
    if meanwhile is not None:
        try:
            meanwhile()
        except BaseException as error:  # noqa: BLE001 - raised once the printer has ended
            failed = error
    if "pdf" in wanted and printer is not None:
        paths["pdf"] = printer.result()
        if "html" not in wanted:
            html_file.unlink(missing_ok=True)
    if failed is not None:
        raise failed
    return paths


def render_public_summary(
    hasil: Mapping[str, Any], lang: str = "id", standalone: bool = True
) -> str:
    """A short public article on the evaluation: aggregated numbers and masked quotes only.

    ``standalone=False`` returns just the ``<article>`` for embedding in a page.
    """
    from tilik.report.public import public_summary

    return public_summary(hasil, lang, standalone)
