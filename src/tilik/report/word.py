"""DOCX output: the same report model written with python-docx, editable in Word/LibreOffice.

Real headings (Heading 1/2/3, so Word's navigation and contents work), real tables, and the
charts as PNG pictures (drawn by ``charts.to_png`` from the same shapes as the SVGs) with
their alt text in the picture description. Fonts are left to the reader's machine (Arial,
which LibreOffice maps to a metric-compatible font).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tilik.report.charts import to_png
from tilik.report.html import UI_TEXT
from tilik.report.narrative import (
    Bullets,
    Figure,
    Paragraph,
    Quote,
    RecommendationItem,
    Report,
    Section,
    Table,
)

__all__ = ["write_docx"]

MUTED = RGBColor(0x5C, 0x5C, 0x5C)
FONT = "Arial"


def _field(paragraph, instruction: str, placeholder: str = "") -> None:  # type: ignore[no-untyped-def]
    """Insert a Word field (PAGE, TOC) that Word/LibreOffice fills in."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _styles(document) -> None:  # type: ignore[no-untyped-def]
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "Quote"):
        style = document.styles[name]
        style.font.name = FONT
        rfonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if rfonts is not None:
            rfonts.set(qn("w:asciiTheme"), "")
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                if rfonts.get(qn(attr)) is not None:
                    del rfonts.attrib[qn(attr)]
    document.styles["Heading 1"].font.size = Pt(16)
    document.styles["Heading 2"].font.size = Pt(13)
    document.styles["Heading 3"].font.size = Pt(11)


def _page_setup(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.2)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _cover(document, report: Report, t: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        document.add_paragraph()
    label = document.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = label.add_run(report.doc_label.upper())
    run.bold = True
    title = document.add_paragraph(report.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, bold in ((report.organisation, True), (f"{t['period']} {report.period}", False)):
        if text.strip():
            para = document.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.add_run(text).bold = bold
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = note.add_run(f"{t['draft']} {report.generated}")
    run.font.color.rgb = MUTED
    run.font.size = Pt(9)
    # Contents on its own page; page numbers in the footer from here on.
    body = document.add_section(WD_SECTION.NEW_PAGE)
    body.footer.is_linked_to_previous = False
    footer = body.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(footer, "PAGE", "1")
    # Not a Heading style, so the contents do not list themselves.
    heading = document.add_paragraph()
    run = heading.add_run(t["toc"])
    run.bold = True
    run.font.size = Pt(16)
    toc = document.add_paragraph()
    titles = "\n".join(f"{section.number} {section.title}".strip() for section in report.sections)
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', titles)
    hint = document.add_paragraph()
    run = hint.add_run(t["toc_hint"])
    run.font.size = Pt(8.5)
    run.font.color.rgb = MUTED


def _restarted_numbering(document) -> int | None:  # type: ignore[no-untyped-def]
    """A new numbering instance of the List Number style that starts again at 1."""
    try:
        num_pr = document.styles["List Number"].element.pPr.numPr
        numbering = document.part.numbering_part.numbering_definitions._numbering
        abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
    except (AttributeError, KeyError):
        return None
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _paragraph(document, block: Paragraph, style: str | None = None):  # type: ignore[no-untyped-def]
    para = document.add_paragraph(block.text, style=style)
    if block.badge:
        run = para.add_run("\n" + block.badge)
        run.font.size = Pt(8.5)
        run.font.color.rgb = MUTED
    if block.style == "note":
        for run in para.runs:
            run.font.color.rgb = MUTED
    return para


def _table(document, block: Table, t: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    document.add_paragraph(f"{t['table']} {block.number}. {block.caption}", style="Caption")
    table = document.add_table(rows=1, cols=len(block.header), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(header.cells, block.header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(8.5)
    for row in block.rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row)):
            cell.text = ""
            para = cell.paragraphs[0]
            para.add_run(text).font.size = Pt(8.5)
            if index < len(block.numeric) and block.numeric[index]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if block.note:
        note = document.add_paragraph()
        run = note.add_run(block.note)
        run.font.size = Pt(8.5)
        run.font.color.rgb = MUTED
    else:
        document.add_paragraph()


def _figure(document, block: Figure, t: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    png = to_png(block.chart, scale=2.5)
    width = Cm(min(15.5, block.chart.width / 640 * 15.5))
    shape = document.add_picture(io.BytesIO(png), width=width)
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", block.chart.alt)
    doc_pr.set("title", block.chart.title)
    document.add_paragraph(f"{t['figure']} {block.number}. {block.caption}", style="Caption")


def _recommendation(document, block: RecommendationItem, t: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    document.add_heading(f"{block.title} ({t['priority']}: {block.priority})", level=3)
    document.add_paragraph(block.sentence.text)
    for label, value in ((t["owner"], block.owner), (t["indicator"], block.indicator)):
        para = document.add_paragraph()
        para.add_run(f"{label}: ").bold = True
        para.add_run(value)
        para.paragraph_format.space_after = Pt(2)
    if block.evidence:
        para = document.add_paragraph()
        para.add_run(f"{t['evidence']}:").bold = True
        para.paragraph_format.space_after = Pt(2)
        for item in block.evidence:
            line = document.add_paragraph(item.sentence.text, style="List Bullet")
            if item.target:
                run = line.add_run(f" — {item.target}")
                run.font.color.rgb = MUTED


def _section(document, section: Section, depth: int, t: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    title = f"{section.number} {section.title}".strip()
    heading = document.add_heading(title, level=min(depth, 3))
    if section.page_break and depth == 1:
        heading.paragraph_format.page_break_before = True
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Bullets):
            style = "List Number" if block.ordered else "List Bullet"
            num_id = _restarted_numbering(document) if block.ordered else None
            for item in block.items:
                para = _paragraph(document, item, style)
                if num_id is not None:
                    num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
                    num_pr.get_or_add_ilvl().val = 0
                    num_pr.get_or_add_numId().val = num_id
        elif isinstance(block, Table):
            _table(document, block, t)
        elif isinstance(block, Figure):
            _figure(document, block, t)
        elif isinstance(block, Quote):
            para = document.add_paragraph(f"“{block.text}”", style="Quote")
            if block.attribution:
                run = para.add_run(f"\n— {block.attribution}")
                run.italic = False
                run.font.size = Pt(9)
        elif isinstance(block, RecommendationItem):
            _recommendation(document, block, t)
    for child in section.children:
        _section(document, child, depth + 1, t)


def write_docx(report: Report, path: Path) -> Path:
    """Write the report as an editable DOCX to ``path``."""
    t = dict(UI_TEXT[report.lang])
    t["toc_hint"] = (
        "Untuk daftar isi lengkap dengan nomor halaman, klik kanan pada daftar di atas lalu "
        "pilih Perbarui Bidang (Update Field)."
        if report.lang == "id"
        else "For the full contents with page numbers, right-click the list above and choose "
        "Update Field."
    )
    document = Document()
    _styles(document)
    _page_setup(document)
    core = document.core_properties
    core.title = report.title
    core.author = report.organisation or "Tilik"
    core.language = report.lang
    _cover(document, report, t)
    for section in report.sections:
        _section(document, section, 1, t)
    document.save(str(path))
    return path
