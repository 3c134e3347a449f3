"""Instrument kinds of the bundle format (DESIGN.md): a light module the web models import."""

from __future__ import annotations

__all__ = ["KINDS"]

KINDS = ("survei_peserta", "survei_atasan", "tes_awal", "tes_akhir", "observasi", "skm", "lainnya")
