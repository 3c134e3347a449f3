"""NIP (Nomor Induk Pegawai) of an ASN: structure check, masking and keyed hashing.

A NIP has 18 digits: birth date ``YYYYMMDD``, TMT CPNS (start of service) ``YYYYMM``, a gender
digit (1 man, 2 woman) and a 3-digit serial. NIPs are personal data: the analysis works on keyed
hashes (HMAC-SHA256) and the UI shows them masked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from tilik.core.i18n import gettext_noop

__all__ = ["NipInfo", "mask_nip", "nip_problem", "parse_nip", "pseudonymise"]

_DIGITS = re.compile(r"\d{18}")
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class NipInfo:
    """What a valid NIP says about its holder."""

    nip: str
    birth_date: date
    tmt_cpns: tuple[int, int]
    gender: str  # "L" or "P"
    serial: int


def _clean(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "")


def nip_problem(raw: str) -> str | None:
    """Why ``raw`` is not a valid NIP (an Indonesian message to translate), or ``None``."""
    nip = _clean(raw)
    if not _DIGITS.fullmatch(nip):
        return gettext_noop("NIP harus 18 angka")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return gettext_noop("8 angka pertama NIP bukan tanggal lahir yang sah (TTTTBBHH)")
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        return gettext_noop("angka ke-13–14 NIP bukan bulan TMT CPNS yang sah")
    if tmt_year < birth.year + 15 or tmt_year > birth.year + 65:
        return gettext_noop("tahun TMT CPNS pada NIP tidak masuk akal terhadap tanggal lahir")
    if nip[14] not in "12":
        return gettext_noop("angka ke-15 NIP (jenis kelamin) harus 1 atau 2")
    return None


def parse_nip(raw: str) -> NipInfo | None:
    """Parse a NIP (spaces and dots allowed); ``None`` when it is not structurally valid."""
    if nip_problem(raw) is not None:
        return None
    nip = _clean(raw)
    return NipInfo(
        nip=nip,
        birth_date=date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])),
        tmt_cpns=(int(nip[8:12]), int(nip[12:14])),
        gender="L" if nip[14] == "1" else "P",
        serial=int(nip[15:18]),
    )


def mask_nip(raw: str) -> str:
    """Show only the last four digits: ``19850312…`` → ``**************1234``."""
    nip = _clean(raw)
    if len(nip) <= 4:
        return "*" * len(nip)
    return "*" * (len(nip) - 4) + nip[-4:]


def pseudonymise(value: str, key: bytes) -> str:
    """A keyed hash of a respondent key (NIP or code): stable for one key, not reversible."""
    cleaned = _clean(value).lower()
    return hmac.new(key, cleaned.encode("utf-8"), hashlib.sha256).hexdigest()[:24]
