"""One Content-Security-Policy for the whole app (django-csp, ``CONTENT_SECURITY_POLICY``
in settings), and the sandbox that report files and the public page are served under.

App pages load only Tilik's own scripts and stylesheets; nothing inline runs (the publication
preview's style block carries the request's nonce). Report HTML, SVG charts and the public
summary are documents of their own with one ``<style>`` block: they are served with no
scripts at all and only the exact style blocks they hold (by SHA-256), never
``'unsafe-inline'``.
"""

from __future__ import annotations

import base64
import hashlib
import re

_STYLE = re.compile(rb"<style(?:\s[^>]*)?>(.*?)</style>", re.S | re.I)


def style_hashes(document: bytes) -> list[str]:
    """CSP source expressions for every ``<style>`` block of ``document``."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'"
        for block in _STYLE.findall(document)
    ]


def sandbox(response, document: bytes = b"", *, framed_by: str = "'self'"):
    """Serve ``response`` (a report file or the public page) under a policy of its own."""
    response._csp_config = {
        "default-src": ["'none'"],
        "style-src": style_hashes(document) or ["'none'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": [framed_by],
    }
    return response


def with_nonce(html: str, nonce: str) -> str:
    """``html`` whose style blocks carry ``nonce`` (the publication preview in the app)."""
    return re.sub(r"<style(?=[\s>])", f'<style nonce="{nonce}"', html, flags=re.I)
