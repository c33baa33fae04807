"""An operator's database of schema version 1 keeps working: opened by this program it is
migrated in place through every later version (columns added, new tables made), once, with its
data intact."""

from __future__ import annotations

import threading
from datetime import date

import sqlalchemy as sa

from assistant.storage import KeyRole
from assistant.storage import rows as row_of
from assistant.storage.engine import parse_url
from assistant.storage.sql import SqlSessionStore
from assistant.storage.tables import SCHEMA_VERSION, schema_version
from tests.unit.storage.schema_v1 import metadata_v1
from tests.utils.sessions import api_key, at, evidence_record, new_session, next_turn

NEW_COLUMNS = {
    "sessions": {"token_seen_at", "token_revoked_at", "institution_type", "previous_session_id"},
    "api_keys": {"token_secret"},
    "evidence": {"valid_until"},  # version 3
}


def write_v1_database(url: str) -> None:
    """Version 1's tables with one session (a turn, one evidence record) and one site key."""
    engine = sa.create_engine(parse_url(url))
    metadata_v1.create_all(engine)
    session, greeting = new_session("s-old", created=at(0))
    updated, turn = next_turn(session, upload="ev-1", when=at(5))
    session_row = row_of.session_row(updated, 1) | {"version": 1}
    key_row = row_of.key_row(api_key("k-site", KeyRole.SITE, origins=("https://a.example",)))
    evidence_row = row_of.evidence_row(evidence_record("s-old", "ev-1"))
    rows = {"sessions": session_row, "api_keys": key_row, "evidence": evidence_row}
    for table, names in NEW_COLUMNS.items():
        for name in names:
            del rows[table][name]
    tables = metadata_v1.tables
    with engine.begin() as conn:
        conn.execute(sa.insert(tables["schema_version"]).values(version=1))
        conn.execute(sa.insert(tables["sessions"]), session_row)
        conn.execute(sa.insert(tables["evidence"]), evidence_row)
        conn.execute(sa.insert(tables["turns"]), [row_of.turn_row(greeting), row_of.turn_row(turn)])
        conn.execute(sa.insert(tables["api_keys"]), key_row)
    engine.dispose()


def columns(store: SqlSessionStore, table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(store.engine).get_columns(table)}


def test_a_version_1_database_is_migrated_in_place(database: str) -> None:
    write_v1_database(database)

    store = SqlSessionStore(database)

    with store.engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    for table, added in NEW_COLUMNS.items():
        assert added <= columns(store, table)
    indexes = {index["name"] for index in sa.inspect(store.engine).get_indexes("evidence")}
    assert "ix_evidence_sha256" in indexes
    old = store.get("s-old")
    assert old.version == 1 and len(store.turns("s-old")) == 2
    assert old.token_seen_at == at(5)  # idle time counts from the last turn
    assert old.token_revoked_at is None
    [old_evidence] = store.evidence("s-old")
    assert old_evidence.id == "ev-1" and old_evidence.valid_until is None  # counts while in force
    [key] = store.list_keys()
    assert key.origins == ("https://a.example",) and key.token_secret is None
    store.close()


def test_the_migrated_database_takes_the_new_writes(database: str) -> None:
    write_v1_database(database)
    store = SqlSessionStore(database)

    store.set_key_secret("k-site", "s" * 43)
    [old_evidence] = store.evidence("s-old")
    certificate = old_evidence.model_copy(update={"id": "ev-2", "valid_until": date(2027, 12, 31)})
    store.commit_turn(
        *next_turn(store.get("s-old"), upload="ev-2", when=at(8)), evidence=[certificate]
    )
    store.commit_turn(*next_turn(store.get("s-old"), when=at(9)))
    store.revoke_token("s-old", at(10), drop_resume_code=True)
    store.close()
    again = SqlSessionStore(database)  # a second opening finds it current

    assert again.list_keys()[0].token_secret == "s" * 43
    assert [e.valid_until for e in again.evidence("s-old")] == [None, date(2027, 12, 31)]
    session = again.get("s-old")
    assert (session.version, session.token_revoked_at) == (3, at(10))  # two turns written
    assert session.token_seen_at == at(5)  # a turn does not touch the token's state
    again.close()


def test_workers_opening_an_old_database_together_migrate_it_once(database: str) -> None:
    write_v1_database(database)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def open_one() -> None:
        barrier.wait()
        try:
            SqlSessionStore(database).close()
        except BaseException as error:  # reported below with the backend's message
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    store = SqlSessionStore(database)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    assert store.get("s-old").version == 1
    store.close()
