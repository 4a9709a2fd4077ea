"""INSERT of new model instances with each model's statement written once per process.

Django builds and compiles an INSERT for every save() and bulk_create(): query objects, the
compiler, placeholders, quoting. For the dozen small rows a citizen's report writes, that cost
more CPU than running the statements, and on SQLite it was spent holding the one write lock
every report queues for. `insert_new` keeps the statement of each (model, database, number of
rows) and only turns the instances' values into parameters, as Django's compiler does: each
field's pre_save() (auto_now and the like), then get_db_prep_save() (dates, JSON, UUIDs and
foreign keys adapted for the database).

Like bulk_create it calls no save() method; unlike it, it can announce the rows as saves do
(`announce=True`: pre_save before, post_save after, `created=True`), so receivers that follow
a model's saves see rows inserted here too. Anything it does not handle (a value that is an
expression, a field with its own placeholder, a model with a parent table, a primary key
already set where the database numbers rows, more than MAX_ROWS rows at once) goes through
bulk_create instead, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)
# Rows written in one statement kept per row count; more go through bulk_create, which
# splits them under the database's limit on parameters (SQLite's 32,766 in common builds).
MAX_ROWS = 16


def insert_new(
    objs: Sequence[M],
    *,
    using: str | None = None,
    ignore_conflicts: bool = False,
    announce: bool = False,
) -> list[M]:
    """Insert `objs` (new instances of one model), in one statement when they are few (the
    small rows of one change, MAX_ROWS at most); returns them with their primary keys set
    (not with `ignore_conflicts`, where a skipped row has none, as with bulk_create). Call
    inside the change's transaction when it belongs to one."""
    if not objs:
        return []
    model = type(objs[0])
    using = using or router.db_for_write(model)
    connection = connections[using]
    if announce:
        for obj in objs:
            pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    fields = _inserted_fields(model)
    made_pk = _database_makes_pk(model)
    returning = made_pk and not ignore_conflicts
    simple = (
        len(objs) <= MAX_ROWS
        and _is_simple(model)
        # Without RETURNING the keys the database made would be unknown (SQLite < 3.35).
        and not (returning and not connection.features.can_return_rows_from_bulk_insert)
        and all(type(obj) is model and (obj.pk is None or not made_pk) for obj in objs)
    )
    params = _params(objs, fields, connection) if simple else None
    if params is not None:
        sql = _statement(model, connection.alias, len(objs), ignore_conflicts, returning)
        with kept_cursor(connection) as cursor:
            cursor.execute(sql, params)
            if returning:
                for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                    obj.pk = pk
        for obj in objs:
            obj._state.adding = False
            obj._state.db = using
    else:
        # The model's own bulk path (Case's fills its masked search text).
        model._default_manager.db_manager(using).bulk_create(
            objs, ignore_conflicts=ignore_conflicts
        )
    if announce:
        for obj in objs:
            post_save.send(
                sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
            )
    return list(objs)


def _params(
    objs: Sequence[Model], fields: Sequence[Field[Any, Any]], connection: BaseDatabaseWrapper
) -> list[Any] | None:
    """The statement's parameters, row after row, as Django's compiler makes them; None when a
    value is an expression (which bulk_create compiles)."""
    params: list[Any] = []
    for obj in objs:
        # As save() and bulk_create() do: a related instance saved since it was assigned
        # gives its key now; an unsaved one is refused.
        obj._prepare_related_fields_for_save(operation_name="insert_new")  # type: ignore[attr-defined]
        for field in fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                return None
            params.append(field.get_db_prep_save(value, connection=connection))
    return params


def kept_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor for a statement this process writes once and runs again and again: PostgreSQL
    prepares it once per connection (pracha.postgresql); elsewhere an ordinary cursor."""
    kept = getattr(connection, "kept_cursor", None)
    return kept() if kept is not None else connection.cursor()


@cache
def _database_makes_pk(model: type[Model]) -> bool:
    """Whether the database numbers new rows (an auto field), rather than the caller."""
    pk = model._meta.pk
    return pk is not None and bool(getattr(pk, "db_returning", False))


@cache
def _is_simple(model: type[Model]) -> bool:
    """Whether insert_new writes the statement itself (else bulk_create does)."""
    meta = model._meta
    return (
        not meta.parents
        and meta.pk is not None
        and all(getattr(f, "get_placeholder", None) is None for f in _inserted_fields(model))
    )


@cache
def _inserted_fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    """The columns an INSERT of a new instance names: all but a primary key the database
    makes, and generated columns."""
    made_pk = _database_makes_pk(model)
    return tuple(
        f
        for f in model._meta.local_concrete_fields
        if not (f.primary_key and made_pk) and not getattr(f, "generated", False)
    )


@cache
def _statement(
    model: type[Model], alias: str, rows: int, ignore_conflicts: bool, returning: bool
) -> str:
    connection = connections[alias]
    ops = connection.ops
    fields = _inserted_fields(model)
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    columns = ", ".join(ops.quote_name(f.column or f.name) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    parts = [
        ops.insert_statement(on_conflict=on_conflict),
        ops.quote_name(model._meta.db_table),
        f"({columns}) VALUES",
        ", ".join([row] * rows),
    ]
    if on_conflict is not None:
        parts.append(ops.on_conflict_suffix_sql(fields, on_conflict, None, None))
    if returning:
        pk = model._meta.pk
        assert pk is not None  # _database_makes_pk checked it
        parts.append(f"RETURNING {ops.quote_name(pk.column or pk.name)}")
    return " ".join(part for part in parts if part)
