"""The files of a bundle that link it to its cycles: ``previous:`` and ``tindak_lanjut.csv``.

``previous: ../kupang-2024`` in ``evaluasi.yaml`` names the bundle of the previous cycle, as
a path relative to this bundle's folder. It is read only when it stays inside the folder
that holds this bundle (its parent, the *cycles root*): a path that climbs out of it, an
absolute path, or one that passes through a symbolic link is refused, so a bundle can never
make Tilik read a file outside the folders it was given. A chain of cycles keeps the first
bundle's cycles root: ``2025 → ../kupang-2024 → ../kupang-2023`` all sit side by side.

``tindak_lanjut.csv`` (optional) records what became of the evaluation's recommendations,
one row per recommendation key::

    key,status,due,assignee,note
    jadwal_fleksibel,selesai,2025-06-30,Bidang PKASN,Modul daring dibuka Maret 2025

``status`` is ``belum`` | ``proses`` | ``selesai`` | ``tidak`` (or the web app's words for
them); ``due`` a date ``YYYY-MM-DD``. The web app imports and exports the same file.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path
from typing import Any

from tilik.core.i18n import gettext_noop
from tilik.core.problems import Problem

__all__ = [
    "FOLLOW_UP_COLUMNS",
    "MAX_CYCLES",
    "STATUS_WORDS",
    "follow_up_rows",
    "read_follow_ups",
    "resolve_previous",
]

FOLLOW_UP_FILE = "tindak_lanjut.csv"
FOLLOW_UP_COLUMNS = ("key", "status", "due", "assignee", "note")
#: How many earlier cycles a chain of ``previous`` links may hold.
MAX_CYCLES = 10

#: Accepted spellings of each status (the codes, and the web app's Indonesian and English
#: words), lower case.
STATUS_WORDS = {
    "belum": ("belum", "belum ditindaklanjuti", "planned", "not started"),
    "proses": ("proses", "dalam proses", "in progress"),
    "selesai": ("selesai", "done", "completed"),
    "tidak": ("tidak", "tidak dilaksanakan", "dropped", "not carried out"),
}
_STATUS = {word: code for code, words in STATUS_WORDS.items() for word in words}


def resolve_previous(
    root: Path, value: Any, cycles_root: Path | None = None
) -> tuple[Path | None, Problem | None]:
    """The folder ``previous:`` names, or why it is not read.

    Parameters
    ----------
    root
        The bundle folder whose ``evaluasi.yaml`` says ``previous``.
    value
        The value of ``previous``.
    cycles_root
        The folder every cycle must stay inside; by default ``root``'s parent.

    Returns
    -------
    (path, problem)
        The previous bundle's folder and no problem, or no folder and the problem: an error
        when the path leaves the cycles root, is absolute, passes a symbolic link or names
        the bundle itself; a warning when no bundle is there.
    """
    if value in (None, ""):
        return None, None
    text = str(value).strip()

    def problem(message: str, severity: str = "error") -> Problem:
        return Problem(
            message,
            file="evaluasi.yaml",
            column="previous",
            value=text,
            expected=gettext_noop("folder bundel di samping folder ini, misalnya ../kupang-2024"),
            severity=severity,
        )

    if not isinstance(value, str) or not text or "\x00" in text:
        return None, problem(gettext_noop("harus berupa jalur folder"))
    if os.path.isabs(text) or text.startswith("~") or (len(text) > 1 and text[1] == ":"):
        return None, problem(
            gettext_noop("jalur mutlak tidak dibaca; tulis jalur relatif terhadap folder bundel")
        )
    base = os.path.realpath(root)
    allowed = os.path.realpath(cycles_root if cycles_root is not None else Path(base).parent)
    lexical = os.path.normpath(os.path.join(base, text))
    real = os.path.realpath(lexical)
    if (
        os.path.commonpath([real, allowed]) != allowed
        or os.path.commonpath([lexical, allowed]) != allowed
    ):
        return None, problem(
            gettext_noop(
                "siklus sebelumnya menunjuk ke luar folder yang memuat bundel ini; tidak dibaca"
            )
        )
    if real != lexical:
        return None, problem(
            gettext_noop("siklus sebelumnya melewati tautan simbolik; tidak dibaca")
        )
    if real in (base, allowed):
        return None, problem(gettext_noop("siklus sebelumnya menunjuk ke bundel ini sendiri"))
    if not os.path.isfile(os.path.join(real, "evaluasi.yaml")):
        return None, problem(
            gettext_noop(
                "bundel siklus sebelumnya tidak ditemukan (tidak ada evaluasi.yaml di folder "
                "itu); perbandingan antarsiklus dilewati"
            ),
            "warning",
        )
    return Path(real), None


def read_follow_ups(
    data: bytes, problems: list[Problem], text: str | None = None, *, escaped: bool = False
) -> dict[str, dict[str, Any]]:
    """The rows of ``tindak_lanjut.csv``, by recommendation key; problems named by row.

    ``escaped``: the bundle says its CSV files carry Tilik's formula escape (a ``'`` before
    values a spreadsheet would run), which comes off here exactly."""
    from tilik.core.exports import unescape_cell
    from tilik.core.ingest import decode_text

    body = text if text is not None else decode_text(data)[0]
    first = body.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(body, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "key" not in header or "status" not in header:
        problems.append(
            Problem(
                gettext_noop("kolom wajib tidak ada"),
                file=FOLLOW_UP_FILE,
                row=1,
                value=",".join(header),
                expected="key,status,due,assignee,note",
            )
        )
        return {}
    out: dict[str, dict[str, Any]] = {}
    for row_number, raw in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if escaped:
            row = {k: unescape_cell(v) for k, v in row.items()}
        key = row.get("key", "")
        if not key:
            problems.append(
                Problem(
                    gettext_noop("kunci rekomendasi kosong"),
                    file=FOLLOW_UP_FILE,
                    row=row_number,
                    column="key",
                )
            )
            continue
        status = _STATUS.get(row.get("status", "").lower())
        if status is None:
            problems.append(
                Problem(
                    gettext_noop("status tindak lanjut tidak dikenal"),
                    file=FOLLOW_UP_FILE,
                    row=row_number,
                    column="status",
                    value=row.get("status", ""),
                    expected="belum, proses, selesai, tidak",
                )
            )
            continue
        due: str | None = None
        if row.get("due"):
            try:
                due = date.fromisoformat(row["due"]).isoformat()
            except ValueError:
                problems.append(
                    Problem(
                        gettext_noop("bukan tanggal"),
                        file=FOLLOW_UP_FILE,
                        row=row_number,
                        column="due",
                        value=row["due"],
                        expected=gettext_noop("tanggal TTTT-BB-HH"),
                    )
                )
                continue
        if key in out:
            problems.append(
                Problem(
                    gettext_noop(
                        "kunci ini sudah tercatat di baris sebelumnya; baris ini dilewati"
                    ),
                    file=FOLLOW_UP_FILE,
                    row=row_number,
                    column="key",
                    value=key,
                    severity="warning",
                )
            )
            continue
        out[key] = {
            "status": status,
            "due": due,
            "assignee": row.get("assignee", ""),
            "note": row.get("note", ""),
        }
    return out


def follow_up_rows(follow_ups: dict[str, dict[str, Any]]) -> bytes:
    """``tindak_lanjut.csv`` for the given follow-ups (keys in order), UTF-8, ``\\n`` lines;
    free text made safe for spreadsheets (:func:`tilik.core.exports.escape_text`), as the
    bundle's other CSV files are."""
    from tilik.core.exports import escape_text

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FOLLOW_UP_COLUMNS)
    for key, state in follow_ups.items():
        writer.writerow(
            [
                key,
                state.get("status") or "belum",
                state.get("due") or "",
                escape_text(str(state.get("assignee") or "")),
                escape_text(str(state.get("note") or "")),
            ]
        )
    return buffer.getvalue().encode("utf-8")
