"""The database cache table (open-link rate limits), created with the schema.

`CACHES` uses Django's database cache so that every worker and app server shares one
counter; creating its table in a migration means `migrate` alone prepares a server.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("collection", "0002_links_privacy_progress")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
