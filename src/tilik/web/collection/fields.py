"""Model fields of the collection app."""

from __future__ import annotations

from typing import Any

from django.db import models


class StoredJSONField(models.JSONField):
    """JSON kept as the text it was stored with: ``json`` on PostgreSQL, not ``jsonb``.

    Submissions' answers and raw rows are written a million at a time and read back whole,
    never queried inside: PostgreSQL checks ``json`` text and keeps it, where ``jsonb`` is
    parsed into its binary form on every insert (half the server's work of an import,
    measured in ``benchmarks/RESULTS.md``). Key look-ups (``->``) work on both.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if connection.vendor == "postgresql" and not isinstance(value, str | bytes):
            return value  # psycopg decodes json (Django asks it for jsonb as text only)
        return super().from_db_value(value, expression, connection)
