"""Room in every page of the attempt and slot tables for updated rows.

Each answer save rewrites one attempt row and one slot row, and neither
touches an indexed column, so PostgreSQL can keep the new row version on
the same page (a HOT update: no index entries, less WAL) as long as the page
has free space. With the default fillfactor of 100 a page is full from the
start and every first update of a row moves it and writes every index.
"""

from django.db import migrations

TABLES = ("quizzes_attempt", "quizzes_attemptslot")


def set_fillfactor(percent: int):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")

    return run


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_attempt_current_page")]

    operations = [migrations.RunPython(set_fillfactor(70), set_fillfactor(100))]
