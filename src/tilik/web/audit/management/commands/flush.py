"""``flush`` empties every table, the append-only audit trail included.

Django's own command, told that emptying the whole database is the one time the trail's rows
may go (the test runner flushes between transactional tests). On PostgreSQL the trail's
TRUNCATE guard reads ``tilik.audit_flushing``; on SQLite its DELETE guard asks the
connection's ``tilik_audit_flushing()``.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from tilik.web.audit.signals import FLUSHING


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        FLUSHING.set()
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET tilik.audit_flushing = 'on'")
            return super().handle(**options)
        finally:
            FLUSHING.clear()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("RESET tilik.audit_flushing")
