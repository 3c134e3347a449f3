"""Tilik core: pure Python analysis (no Django)."""
