"""Backup and restore as docs/BACKUP.md describes: pg_dump -Fc, pg_restore into a
fresh database, media files as a tar archive; a learner's records come back whole."""

import shutil
import subprocess
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg.conninfo import make_conninfo

from courses.certificates.models import Certificate
from courses.models import Completion, Enrollment
from quizzes.models import Attempt, AttemptSlot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore"),
]


def _libpq(dbname: str) -> list[str]:
    db = connection.settings_dict
    return [
        f"--host={db['HOST'] or 'localhost'}",
        f"--port={db['PORT'] or 5432}",
        f"--username={db['USER']}",
        f"--dbname={dbname}",
    ]


def _conninfo(dbname: str) -> str:
    db = connection.settings_dict
    return make_conninfo(
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=dbname,
    )


def _learner_records(conninfo: str, user_id: int) -> dict[str, list[tuple]]:
    queries = {
        "enrolments": f"SELECT course_id, status FROM {Enrollment._meta.db_table} "
        "WHERE user_id = %s ORDER BY id",
        "attempts": f"SELECT id, state, score, percent, finished_at FROM {Attempt._meta.db_table} "
        "WHERE user_id = %s ORDER BY id",
        "answers": f"SELECT s.id, s.response::text, s.seq, s.score, s.comment "
        f"FROM {AttemptSlot._meta.db_table} s JOIN {Attempt._meta.db_table} a "
        "ON a.id = s.attempt_id WHERE a.user_id = %s ORDER BY s.id",
        "completions": f"SELECT course_id, completed_at FROM {Completion._meta.db_table} "
        "WHERE user_id = %s ORDER BY id",
        "certificates": f"SELECT serial, code, learner_name, status FROM "
        f"{Certificate._meta.db_table} WHERE user_id = %s ORDER BY id",
    }
    with psycopg.connect(conninfo) as conn:
        return {k: conn.execute(q, [user_id]).fetchall() for k, q in queries.items()}


def test_a_learners_records_and_files_survive_dump_and_restore(world, tmp_path):
    learner = world.cast.learner
    source_db = connection.settings_dict["NAME"]
    before = _learner_records(_conninfo(source_db), learner.pk)
    assert before["attempts"] and before["answers"] and before["certificates"]

    dump = tmp_path / "boiduong.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", *_libpq(source_db)],
        check=True,
        timeout=120,
    )
    media_root = Path(world.attachment.file.storage.location).parent
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(
            media_root / "private" / world.attachment.file.name,
            arcname=f"private/{world.attachment.file.name}",
        )

    restored_db = f"restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored_db}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", *_libpq(restored_db), str(dump)],
            check=True,
            timeout=120,
        )
        assert _learner_records(_conninfo(restored_db), learner.pk) == before
        # the audit log keeps its guard after a restore
        with psycopg.connect(_conninfo(restored_db)) as conn, pytest.raises(psycopg.Error):
            conn.execute("DELETE FROM accounts_auditlog")
    finally:
        with psycopg.connect(_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')

    restored_media = tmp_path / "restored-media"
    with tarfile.open(archive) as tar:
        tar.extractall(restored_media, filter="data")
    restored_file = restored_media / "private" / world.attachment.file.name
    assert restored_file.read_bytes() == world.attachment.file.open("rb").read()
