"""PDF output: the HTML report printed by WeasyPrint (A4, cover, contents, page numbers).

WeasyPrint takes a second to import and a second or two to lay a report out. An analysis
that will print a PDF starts a :class:`Printer` first: a fresh interpreter that imports
WeasyPrint while the statistics are computed, then prints the HTML it is sent while this
process writes the DOCX. ``python -m tilik.report.pdf PARENT_PID`` is that printer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

__all__ = ["Printer", "write_pdf"]


def write_pdf(html: str, path: Path) -> Path:
    """Print report HTML to ``path`` as PDF. Fonts come from the system (DejaVu)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    # WeasyPrint logs every unsupported CSS property (the report's CSS is known-good), and
    # fontTools, which subsets the fonts, logs each font it loads: neither is for the user.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    HTML(string=html, base_url=str(path.parent)).write_pdf(str(path))
    return path


class Printer:
    """A PDF printer in a fresh interpreter, started ahead of time (never a fork: the caller
    may hold polars' thread pool). Used once: :meth:`start` (None where no process can be
    started), :meth:`submit`, :meth:`result` (or :meth:`close`). A printer that fails leaves
    the printing to :func:`write_pdf` in this process, so the outcome is the same."""

    def __init__(self, process: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self.process = process
        self.errors = errors  # a file, not a pipe: a chatty printer never blocks
        self.job: tuple[Path, Path] = (Path(), Path())

    @classmethod
    def start(cls) -> Printer | None:
        if not sys.executable or os.environ.get("TILIK_PDF_PROCESS", "1") == "0":
            return None
        command = [sys.executable, "-m", "tilik.report.pdf", str(os.getpid())]
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by result() or close()
        try:
            process = subprocess.Popen(  # noqa: S603 - our own module
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
            )
        except OSError:
            errors.close()
            return None
        return cls(process, errors)

    def submit(self, html: Path, path: Path) -> None:
        """Ask for ``html`` (a file: the pipe never fills while the printer still imports)
        to be printed to ``path``; :meth:`result` waits for it."""
        self.job = (html, path)
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps({"html": str(html), "path": str(path)}).encode())
            self.process.stdin.close()
        except OSError:
            pass  # the printer is gone: result() prints here

    def result(self) -> Path:
        """The PDF submitted, printed by the printer or, if it failed, here."""
        html, path = self.job
        try:
            self.process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.close()
        if self.process.returncode == 0 and path.is_file():
            self.errors.close()
            return path
        self.errors.seek(0)
        logging.getLogger(__name__).warning(
            "PDF printer process failed (%s); printing here: %s",
            self.process.returncode,
            self.errors.read()[-500:].decode("utf-8", "replace"),
        )
        self.errors.close()
        return write_pdf(html.read_text(encoding="utf-8"), path)

    def close(self) -> None:
        """Stop the printer if it still runs (nothing to print, or the caller failed)."""
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        self.errors.close()


def _main(parent: int) -> int:
    from tilik.core.procs import die_with_parent

    die_with_parent(parent)
    import weasyprint  # noqa: F401 - imported now, while the parent computes

    job = json.loads(sys.stdin.buffer.read() or b"{}")
    if not job:
        return 0
    write_pdf(Path(job["html"]).read_text(encoding="utf-8"), Path(job["path"]))
    return 0


if __name__ == "__main__":
    sys.exit(_main(int(sys.argv[1])))
