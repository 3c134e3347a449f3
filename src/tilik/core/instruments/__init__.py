"""Tilik's standard instruments: XLSForms and interview guides shipped with the package.

The XLSForms in ``standard/`` are built by ``tools/build_instruments.py``; edit that
script, not the workbooks. The interview guides are hand-written Markdown.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STANDARD_DIR", "interview_guides", "standard_instruments"]

STANDARD_DIR = Path(__file__).resolve().parent / "standard"

_GUIDE_PREFIX = "panduan_wawancara_"


def standard_instruments() -> dict[str, Path]:
    """Return the standard XLSForms.

    Returns
    -------
    dict[str, pathlib.Path]
        Form id (``survei_peserta``, ``survei_atasan``, ``tes_pengetahuan``,
        ``observasi``, ``skm``) mapped to the workbook path, sorted by form id.
    """
    return {path.stem: path for path in sorted(STANDARD_DIR.glob("*.xlsx"))}


def interview_guides() -> dict[str, Path]:
    """Return the semi-structured interview guides.

    Returns
    -------
    dict[str, pathlib.Path]
        Interviewee role (``pejabat``, ``atasan``, ``peserta``, ``penyelenggara``)
        mapped to the Markdown guide, sorted by role.
    """
    return {
        path.stem.removeprefix(_GUIDE_PREFIX): path
        for path in sorted(STANDARD_DIR.glob(f"{_GUIDE_PREFIX}*.md"))
    }
