"""On PostgreSQL the database itself keeps the audit log append-only.

Rows may only be added. The one change allowed is Django's ON DELETE SET NULL
when the actor or unit is deleted (the entry stays, naming nobody); any other
UPDATE, and every DELETE, raises. (TRUNCATE stays possible for the database
owner: test runs flush tables with it.)
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION accounts_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.created_at = OLD.created_at AND NEW.action = OLD.action
       AND NEW.target = OLD.target AND NEW.data = OLD.data AND NEW.reason = OLD.reason
       AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR NEW.actor_id IS NULL)
       AND (NEW.unit_id IS NOT DISTINCT FROM OLD.unit_id OR NEW.unit_id IS NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'accounts_auditlog is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS accounts_auditlog_append_only ON accounts_auditlog;
CREATE TRIGGER accounts_auditlog_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditlog
    FOR EACH ROW EXECUTE FUNCTION accounts_auditlog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditlog_append_only ON accounts_auditlog;
DROP FUNCTION IF EXISTS accounts_auditlog_append_only();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
