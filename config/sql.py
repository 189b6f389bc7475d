"""Hot statements of the exam wave, cheaper than the ORM builds them.

Django's ORM compiles every query anew: on this project's hardware a plain
`.filter(pk=...).first()` costs about 1 ms of CPU, most of it SQL compilation,
against 0.2 ms for the same statement sent as written. The wave's hot paths
(start, save, submit) send a handful of fixed statements thousands of times a
minute, so their callers write those out once, with their columns taken from
the models by the helpers here (so they follow every migration), and `fetch`
turns the rows into model instances through `Model.from_db` as the ORM would.
They are plain SQL that SQLite runs too, except the server-side binding below.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.sql import Query

from config.ids import MAX_ID

M = TypeVar("M", bound=models.Model)


def server_binding_cursor() -> Any:
    """A Django cursor with server-side parameter binding, its statements prepared.

    Django's PostgreSQL backend binds parameters on the client: values are
    inlined into the SQL text. For the answer save that text costs PostgreSQL
    about three times the CPU of the same statement sent with its parameters
    apart (measured per backend: ~0.5 ms vs ~0.15 ms). Sent apart, the save's
    statement was still parsed and planned at every save (0.26 ms of the
    backend's CPU; 0.11 ms prepared), so unless DATABASE_PREPARED=False (settings) the
    connection prepares what these cursors send at its first execution (psycopg's
    `prepare_threshold`; Django's own cursors bind on the client and never
    prepare). It is still Django's cursor: errors are wrapped, queries are
    counted and logged, execute wrappers apply.
    """
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    db = cast(Any, connection)  # _prepare_cursor: Django's own cursor wrapping, not in the stubs
    with connection.wrap_database_errors:
        return db._prepare_cursor(cast(Any, ServerBindingCursor)(connection.connection))


def kept_cursor() -> Any:
    """A `server_binding_cursor` kept open while its connection lives, for a
    caller that runs one statement and reads its rows before the next (the
    answer save): opening a psycopg cursor and its adapters was 4 % of a save's
    CPU. Not to be closed, so not used in a `with`; each call wraps it anew, as
    Django wraps every cursor (queries counted and logged, errors wrapped)."""
    db = cast(Any, connections[DEFAULT_DB_ALIAS])  # the connection, not its proxy
    db.ensure_connection()
    kept = getattr(db, "kept_cursor", None)
    if kept is None or kept.closed or kept.connection is not db.connection:
        kept = db.kept_cursor = server_binding_cursor().cursor
    return db._prepare_cursor(kept)


@cache
def columns(model: type[models.Model], alias: str) -> str:
    """`alias."col", ...` for every concrete field of `model`, in `from_db` order."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def for_update(of: str = "") -> str:
    """The row-locking clause where the database has one (SQLite locks the whole
    database for the transaction instead: transaction_mode IMMEDIATE)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def fetch(sql: str, params: list[Any], *shape: type[models.Model]) -> list[tuple[Any, ...]]:
    """Run `sql`, whose row is the columns of each model of `shape` in turn
    (`columns(model, alias)`), and return each row as a tuple of instances,
    with the values converted as the ORM converts them (JSON, decimals on
    SQLite...), followed by any further columns as they came.

    An integer parameter beyond 64 bits (an id from a URL) matches no row, as
    in the ORM: SQLite would raise OverflowError instead."""
    if any(isinstance(p, int) and not -MAX_ID - 1 <= p <= MAX_ID for p in params):
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    compiler, converters = _converters(shape, connection.vendor)
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    out = []
    for row in rows:
        instances, start = [], 0
        for model in shape:
            fields = _attnames(model)
            values = row[start : start + len(fields)]
            instances.append(loaded(model, fields, values))
            start += len(fields)
        out.append((*instances, *row[start:]))
    return out


def loaded(model: type[M], attnames: list[str], values: Any) -> M:
    """`model.from_db(alias, attnames, values)` for a row of every concrete field
    of `model`, without `Model.__init__`: the values go where `__init__` would put
    them (the instance's `__dict__`) and the state says it came from the database.
    `__init__` resolves a descriptor per field and sends two signals; for the 40
    slots of a start that was half of the work of inserting them. A model with
    init signal receivers (an ImageField's dimensions...) still goes through it."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model.from_db(connection.alias, attnames, values)
    instance = model.__new__(model)
    instance.__dict__.update(zip(attnames, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = connection.alias
    return instance


@cache
def _attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


@cache
def _converters(shape: tuple[type[models.Model], ...], vendor: str) -> tuple[Any, dict]:
    """Django's own value converters for these columns (built once per process)."""
    query = Query(shape[0])
    compiler = connection.ops.compiler("SQLCompiler")(query, connection, connection.alias)
    cols: list[Any] = [
        f.get_col(f.model._meta.db_table) for m in shape for f in m._meta.concrete_fields
    ]
    return compiler, compiler.get_converters(cols)


def write(instance: models.Model, fields: tuple[str, ...] | None = None) -> None:
    """`instance.save()` (or `save(update_fields=fields)`) as a fixed statement: an
    INSERT when the instance is new, else an UPDATE by primary key, which must
    find its row. For the hot paths' models only: no `save()` override, no save
    signals, no inheritance or generated columns; fields' `pre_save` still runs
    (`auto_now`)."""
    model = type(instance)
    adding = instance._state.adding
    sql, targets = _write_sql(model, adding, None if adding else fields)
    params = [f.get_db_prep_save(f.pre_save(instance, adding), connection) for f in targets]
    with connection.cursor() as cursor:
        if adding:
            cursor.execute(sql, params)
            instance.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, [*params, instance.pk])
            if cursor.rowcount != 1:
                raise DatabaseError(f"{model.__name__} {instance.pk}: no row updated")
    instance._state.adding = False
    instance._state.db = connection.alias


@cache
def _write_sql(
    model: type[models.Model], adding: bool, fields: tuple[str, ...] | None
) -> tuple[str, tuple[Any, ...]]:
    meta = model._meta
    if fields is None:
        targets: tuple[Any, ...] = tuple(f for f in meta.concrete_fields if not f.primary_key)
    else:
        targets = tuple(meta.get_field(name) for name in fields)
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(cast(Any, meta.pk).column)
    names = [quote(f.column) for f in targets]
    if adding:
        marks = ", ".join(["%s"] * len(names))
        return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) RETURNING {pk}", targets
    sets = ", ".join(f"{name} = %s" for name in names)
    return f"UPDATE {table} SET {sets} WHERE {pk} = %s", targets
