from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import tilik

LOCALE = Path(tilik.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _catalog():
    with open(LOCALE / "django.po", "rb") as fh:
        return read_po(fh)


def test_it_translates_every_message_into_english():
    untranslated = [
        m.id
        for m in _catalog()
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert untranslated == []


def test_it_ships_a_compiled_catalog_matching_the_po_file():
    buffer = io.BytesIO()
    write_mo(buffer, _catalog())
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with open(LOCALE / "django.mo", "rb") as fh:
        shipped = gettext.GNUTranslations(fh)
    shipped_messages = {k: v for k, v in shipped._catalog.items() if k != ""}
    fresh_messages = {k: v for k, v in fresh._catalog.items() if k != ""}
    assert shipped_messages == fresh_messages  # run `make messages` after editing the .po


def test_the_catalog_holds_every_message_of_the_sources(tmp_path):
    """What `make messages` would extract now is all in the .po (someone ran it)."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import require

    require(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    source = Path(tilik.__file__).parent
    copy = tmp_path / "tilik"
    shutil.copytree(
        source, copy, ignore=shutil.ignore_patterns("__pycache__", "report", "locale", "*.mo")
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--settings=tilik.web.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    with open(copy / "locale" / "en" / "LC_MESSAGES" / "django.po", "rb") as fh:
        extracted = {m.id for m in read_po(fh) if m.id}
    known = {m.id for m in _catalog() if m.id}
    assert sorted(map(str, extracted - known)) == []  # run `make messages` and translate
