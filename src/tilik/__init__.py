"""Tilik — evaluasi program pembinaan ASN."""

__version__ = "0.1.0"
