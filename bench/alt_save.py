"""A proposal measured by bench/profile_save.py, not used by the application:
the answer save as ONE SQL statement in autocommit, instead of BEGIN, two
UPDATEs and COMMIT (four round trips to PostgreSQL, one here).

Same semantics as quizzes.services.save_answer's transaction: the attempt
row is updated (and so locked) only while it is open and before its
deadline, which serialises with submit's SELECT ... FOR UPDATE; the slot is
written only if that succeeded and its stored seq is older. Under READ
COMMITTED a save that waited for a submit re-checks the attempt row after
the submit commits, finds it finished, and writes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import connection

SQL = """
WITH a AS (
    UPDATE quizzes_attempt SET last_saved_at = %(now)s
    WHERE id = %(attempt)s AND state = 'open' AND (deadline IS NULL OR deadline > %(now)s)
      AND (%(page)s::int IS NULL OR current_page <= %(page)s::int)
    RETURNING id
), s AS (
    UPDATE quizzes_attemptslot SET response = %(response)s::jsonb, seq = %(seq)s, saved_at = %(now)s
    WHERE id = %(slot)s AND attempt_id = %(attempt)s AND seq < %(seq)s
      AND EXISTS (SELECT 1 FROM a)
    RETURNING id
)
SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM s)
"""


def save_one_statement(
    *, attempt_id: int, slot_id: int, clean: Any, seq: int, now: datetime, page: int | None = None
) -> tuple[bool, bool]:
    """(attempt alive, slot written); `clean` is the validated response; `page`
    is the slot's page in sequential navigation (pages left behind are closed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            SQL,
            {
                "now": now,
                "attempt": attempt_id,
                "slot": slot_id,
                "seq": seq,
                "page": page,
                "response": json.dumps(clean),
            },
        )
        alive, written = cursor.fetchone()
    return bool(alive), bool(written)
