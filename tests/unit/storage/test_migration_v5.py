"""A database of schema version 4 (before the assessor's work) is migrated in place: the new
columns are added and filled (the institution type from each stored profile), the new tables
made, and the migrated database takes sign-offs, checks and notes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from assistant.knowledge.schema import InstitutionType
from assistant.storage import migrations
from assistant.storage.sql import SqlSessionStore
from assistant.storage.tables import SCHEMA_VERSION, schema_version
from tests.unit.storage.assessment_builders import assessed, check, note, signoff

NEW_TABLES = ("signoffs", "evidence_checks", "assessor_notes", "console_logins")
NEW_INDEXES = ("ix_sessions_institution_type", "ix_sessions_previous_session_id")
NEW_COLUMNS = (("sessions", "institution_type"), ("sessions", "previous_session_id"))


def write_v4_database(url: str) -> None:
    """Three sessions written by today's store, then every schema-5 addition taken away."""
    store = SqlSessionStore(url)
    assessed(store, "s-public")
    assessed(store, "s-market", kind=InstitutionType.MARKET)
    assessed(store, "s-untyped", kind=None)
    engine = store.engine
    with engine.begin() as conn:
        for table in NEW_TABLES:
            conn.exec_driver_sql(f"DROP TABLE {table}")
        for index in NEW_INDEXES:
            conn.exec_driver_sql(f"DROP INDEX {index}")
        for table, column in (*NEW_COLUMNS, ("findings", "carried")):
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute(sa.update(schema_version).values(version=4))
    store.close()


def test_a_version_4_database_is_migrated_and_filled(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_v4_database(database)
    monkeypatch.setattr(migrations, "_FILL_PAGE", 2)  # the fill reads in pages: two of them

    store = SqlSessionStore(database)

    inspector = sa.inspect(store.engine)
    assert set(NEW_TABLES) <= set(inspector.get_table_names())
    assert set(NEW_INDEXES) <= {i["name"] for i in inspector.get_indexes("sessions")}
    assert "carried" in {c["name"] for c in inspector.get_columns("findings")}
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    found = {s.id: s for s in store.list_sessions()}
    assert found["s-public"].institution_type is InstitutionType.PUBLIC_SERVICE
    assert found["s-market"].institution_type is InstitutionType.MARKET
    assert found["s-untyped"].institution_type is None
    assert all(s.previous_session_id is None and not s.locked for s in found.values())
    assert not any(f.carried for f in store.get("s-public").findings.values())
    store.close()


def test_the_migrated_database_takes_the_assessors_work(database: str) -> None:
    write_v4_database(database)
    SqlSessionStore(database).close()
    store = SqlSessionStore(database)  # a second opening finds it current

    store.set_evidence_check(check("s-market"))
    store.add_note(note("s-market", "n-1", 21))
    signed = signoff(store, "s-market")
    store.add_signoff(signed)

    assert store.live_signoff("s-market") == signed
    assert [s.id for s in store.all_summaries() if s.locked] == ["s-market"]
    store.close()
