"""The audit trail: recorded, append-only in the database, shown and exported per scope."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tilik.web.audit.models import Action, AuditEvent
from tilik.web.audit.services import record

pytestmark = pytest.mark.django_db


def _event(cast) -> AuditEvent:
    return record(None, Action.EXPORT, evaluation=cast.evaluation_a, user=cast.alice, fmt="csv")


def test_the_database_refuses_to_change_an_event(cast):
    event = _event(cast)
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'login' WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).action == Action.EXPORT


def test_the_database_refuses_to_delete_an_event(cast):
    event = _event(cast)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_model_refuses_too(cast):
    event = _event(cast)
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_deleting_a_user_keeps_the_trail(cast):
    event = _event(cast)
    cast.alice.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_username == "alice"


def test_it_keeps_personal_data_out_of_the_details(cast):
    event = record(
        None, Action.IMPORT, evaluation=cast.evaluation_a, file="Maria Seran 198503122010011001.csv"
    )
    assert "Maria" not in str(event.detail) and "198503122010011001" not in str(event.detail)
