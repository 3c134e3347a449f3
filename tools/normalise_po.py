"""Write the translation catalog back in one layout (babel, lines up to 100 characters).

`django-admin makemessages` wraps lines at 79 characters and Babel at its own width; run
after either (``make messages`` does) so a diff of the catalog shows only real changes.
With ``--fill FILE.json`` ({msgid: msgstr}), also fills those translations.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parents[1] / "src/tilik/locale/en/LC_MESSAGES/django.po"


def main(argv: list[str]) -> int:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    if len(argv) == 2 and argv[0] == "--fill":
        for msgid, msgstr in json.loads(Path(argv[1]).read_text(encoding="utf-8")).items():
            message = catalog.get(msgid)
            if message is None:
                print(f"not in the catalog: {msgid!r}", file=sys.stderr)
                continue
            message.string = msgstr
            message.flags.discard("fuzzy")
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
