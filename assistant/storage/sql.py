"""The session store on SQLAlchemy: a SQLite file by default, PostgreSQL by URL.

Each turn is one transaction: the version-guarded update of the session row comes first, so
a turn that lost a race stops before it writes anything, and a process killed mid-turn leaves
the previous turn as the last one stored.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from assistant.errors import ConfigurationError
from assistant.evidence.models import EvidenceRecord
from assistant.rating.models import RatingResult
from assistant.session.state import FindingChange
from assistant.storage import rows
from assistant.storage.base import (
    ApiKeyRecord,
    DeletedSessions,
    IndexStamp,
    SessionHead,
    SessionRecord,
    SessionStore,
    SessionSummary,
    TurnRecord,
)
from assistant.storage.engine import (
    ensure_schema,
    make_engine,
    redacted,
    statement_options,
    transaction_options,
)
from assistant.storage.invariants import (
    check_key,
    check_new_session,
    check_turn,
    concurrent_update,
    duplicate_key,
    duplicate_session,
    session_not_found,
    turn_refused,
    unknown_key,
)
from assistant.storage.sql_assessor import SqlAssessment
from assistant.storage.sql_queue import SESSION_COLUMNS, summary_select
from assistant.storage.sql_stamps import bump_index_stamp, read_index_stamp
from assistant.storage.sql_tokens import (
    claim_jti,
    delete_inactive,
    drop_expired,
    evidence_in_use,
    prunable_query,
    redeem_resume_code,
    set_resume_code,
)
from assistant.storage.tables import (
    api_keys,
    finding_changes,
    findings,
    ratings,
    resume_codes,
    sessions,
    signoffs,
    turns,
)
from assistant.storage.tables import (
    evidence as evidence_table,
)

__all__ = ["SqlSessionStore"]

# The statements of every turn, built once: building one costs more than running it.
_SESSION = sa.select(sessions).where(sessions.c.id == sa.bindparam("session_id"))
_HEAD = sa.select(*(sessions.c[name] for name in SessionHead.model_fields)).where(
    sessions.c.id == sa.bindparam("session_id")
)
# the lock's check before every write: the latest sign-off's reopening, nothing else
_LATEST_REOPENED = (
    sa.select(signoffs.c.reopened_at)
    .where(signoffs.c.session_id == sa.bindparam("session_id"))
    .order_by(signoffs.c.version.desc())
    .limit(1)
)
_FINDINGS = (
    sa.select(findings)
    .where(findings.c.session_id == sa.bindparam("session_id"))
    .order_by(findings.c.indicator_id)
)


class SqlSessionStore(SqlAssessment, SessionStore):
    """``SessionStore`` on ``sqlite:///path/to.db`` or ``postgresql+psycopg://…``.

    Creates the tables when missing. Besides the contract: ``add_key`` refuses a duplicate id
    or hash and ``revoke_key`` an unknown id (``ValueError``); ``find_key`` returns revoked
    keys too, flagged. Call ``close`` to release the pooled connections.
    """

    def __init__(self, url: str) -> None:
        self._engine = make_engine(url)
        self._read, self._write = transaction_options(self._engine)
        self._single = statement_options(self._engine)
        # SQLite takes one writer at a time, and a writer that finds the file locked sleeps
        # in growing steps (up to 100 ms) before it looks again: this process's writers queue
        # here instead, each starting the moment the last one commits. (PostgreSQL locks rows.)
        sqlite = self._engine.dialect.name == "sqlite"
        self._writers: AbstractContextManager[Any] = threading.Lock() if sqlite else nullcontext()
        try:
            ensure_schema(self._engine, self._write)
        except OperationalError as error:
            self._engine.dispose()
            raise _unreachable(self._engine.url, error) from error
        except BaseException:
            self._engine.dispose()
            raise

    @property
    def engine(self) -> sa.Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        with self._writers if write else nullcontext(), self._engine.connect() as conn:
            conn.execution_options(**(self._write if write else self._read))
            with conn.begin():
                yield conn

    # -- sessions and turns ------------------------------------------------------------------

    def create(self, session: SessionRecord, greeting: TurnRecord) -> None:
        check_new_session(session, greeting)
        with self._transaction(write=True) as conn:
            try:
                conn.execute(sa.insert(sessions), rows.session_row(session, _answered(greeting)))
            except IntegrityError:
                raise duplicate_session(session.id) from None
            if session.findings:
                conn.execute(
                    sa.insert(findings),
                    [rows.finding_row(session.id, f) for f in session.findings.values()],
                )
            conn.execute(sa.insert(turns), rows.turn_row(greeting))

    def get(self, session_id: str) -> SessionRecord:
        key = {"session_id": session_id}
        with self._transaction(write=False) as conn:
            row = conn.execute(_SESSION, key).first()
            if row is None:
                raise session_not_found(session_id)
            result = conn.execute(_FINDINGS, key)
            names = tuple(result.keys())  # plain dicts: a RowMapping is slow to iterate
            stored = [rows.finding_from_row(dict(zip(names, r, strict=True))) for r in result]
            return rows.session_from_row(row._mapping, stored)

    def head(self, session_id: str) -> SessionHead:
        with self._engine.connect() as conn:
            conn.execution_options(**self._single)
            row = conn.execute(_HEAD, {"session_id": session_id}).first()
        if row is None:
            raise session_not_found(session_id)
        return SessionHead.model_validate(dict(row._mapping))

    def locked(self, session_id: str) -> bool:
        with self._engine.connect() as conn:
            conn.execution_options(**self._single)
            row = conn.execute(_LATEST_REOPENED, {"session_id": session_id}).first()
        return row is not None and row.reopened_at is None

    def commit_turn(
        self,
        session: SessionRecord,
        turn: TurnRecord,
        *,
        changes: Sequence[FindingChange] = (),
        evidence: Sequence[EvidenceRecord] = (),
        rating: RatingResult | None = None,
        changed_findings: Collection[str] | None = None,
    ) -> SessionRecord:
        check_turn(session, turn, changes, evidence)
        with self._transaction(write=True) as conn:
            kept = _bump_version(conn, session, turn, rating)
            if changed_findings is None:
                _write_findings(conn, session)
            else:
                _write_changed_findings(conn, session, changed_findings)
            _upsert_evidence(conn, evidence)
            _insert_turn(conn, turn)
            if changes:
                conn.execute(
                    sa.insert(finding_changes), [rows.change_row(session.id, c) for c in changes]
                )
            if rating is not None:
                conn.execute(sa.insert(ratings), rows.rating_row(session.id, turn.at, rating))
        return session.model_copy(update={"version": session.version + 1, **kept})

    def turns(self, session_id: str) -> list[TurnRecord]:
        query = sa.select(turns).where(turns.c.session_id == session_id).order_by(turns.c.index)
        with self._transaction(write=False) as conn:
            found = [rows.turn_from_row(r._mapping) for r in conn.execute(query)]
            if not found:  # every stored session has its greeting
                _require_session(conn, session_id)
            return found

    def last_turn(self, session_id: str) -> TurnRecord:
        query = (
            sa.select(turns)
            .where(turns.c.session_id == session_id)
            .order_by(turns.c.index.desc())
            .limit(1)
        )
        with self._transaction(write=False) as conn:
            row = conn.execute(query).first()
            if row is None:
                _require_session(conn, session_id)
                raise AssertionError("a stored session always has its greeting")
            return rows.turn_from_row(row._mapping)

    def history(self, session_id: str, indicator_id: str | None = None) -> list[FindingChange]:
        query = sa.select(finding_changes).where(finding_changes.c.session_id == session_id)
        if indicator_id is not None:
            query = query.where(finding_changes.c.indicator_id == indicator_id)
        with self._transaction(write=False) as conn:
            _require_session(conn, session_id)
            result = conn.execute(query.order_by(finding_changes.c.seq))
            return [rows.change_from_row(r._mapping) for r in result]

    def evidence(self, session_id: str) -> list[EvidenceRecord]:
        query = (
            sa.select(evidence_table)
            .where(evidence_table.c.session_id == session_id)
            .order_by(evidence_table.c.uploaded_at, evidence_table.c.id)
        )
        with self._transaction(write=False) as conn:
            _require_session(conn, session_id)
            return [rows.evidence_from_row(r._mapping) for r in conn.execute(query)]

    def latest_rating(self, session_id: str) -> RatingResult | None:
        query = (
            sa.select(ratings.c.result)
            .where(ratings.c.session_id == session_id)
            .order_by(ratings.c.seq.desc())
            .limit(1)
        )
        with self._transaction(write=False) as conn:
            _require_session(conn, session_id)
            result = conn.scalar(query)
        return None if result is None else RatingResult.model_validate(result)

    def list_sessions(self, *, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        query = (
            summary_select()
            .order_by(sessions.c.updated_at.desc(), sessions.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self._transaction(write=False) as conn:
            return [rows.summary_from_row(r._mapping) for r in conn.execute(query)]

    # -- API keys ----------------------------------------------------------------------------

    def add_key(self, key: ApiKeyRecord) -> None:
        check_key(key)
        try:
            with self._transaction(write=True) as conn:
                conn.execute(sa.insert(api_keys), rows.key_row(key))
        except IntegrityError:
            raise duplicate_key(key) from None

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        with self._transaction(write=False) as conn:
            row = conn.execute(sa.select(api_keys).where(api_keys.c.key_hash == key_hash)).first()
        return None if row is None else rows.key_from_row(row._mapping)

    def list_keys(self) -> list[ApiKeyRecord]:
        query = sa.select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        with self._transaction(write=False) as conn:
            return [rows.key_from_row(r._mapping) for r in conn.execute(query)]

    def revoke_key(self, key_id: str) -> None:
        self._update_key(key_id, revoked=True)

    def set_key_secret(self, key_id: str, secret: str) -> None:
        self._update_key(key_id, token_secret=secret)

    def _update_key(self, key_id: str, **values: object) -> None:
        with self._transaction(write=True) as conn:
            done = conn.execute(sa.update(api_keys).where(api_keys.c.id == key_id).values(values))
            if done.rowcount == 0:
                raise unknown_key(key_id)

    # -- session tokens (statements in sql_tokens) -------------------------------------------

    def touch_token(self, session_id: str, at: datetime) -> None:
        seen = sessions.c.token_seen_at
        query = (
            sa.update(sessions)
            .where(sessions.c.id == session_id, sa.or_(seen.is_(None), seen < at))
            .values(token_seen_at=at)
        )
        with self._transaction(write=True) as conn:
            if conn.execute(query).rowcount == 0:
                _require_session(conn, session_id)

    def revoke_token(self, session_id: str, at: datetime, *, drop_resume_code: bool) -> None:
        query = sa.update(sessions).where(sessions.c.id == session_id)
        with self._transaction(write=True) as conn:
            if conn.execute(query.values(token_revoked_at=at)).rowcount == 0:
                raise session_not_found(session_id)
            if drop_resume_code:
                conn.execute(sa.delete(resume_codes).where(resume_codes.c.session_id == session_id))

    def set_resume_code(self, session_id: str, code_hash: str, expires_at: datetime) -> None:
        with self._transaction(write=True) as conn:
            _require_session(conn, session_id)
            set_resume_code(conn, session_id, code_hash, expires_at)

    def redeem_resume_code(self, code_hash: str, token_hash: str, now: datetime) -> str | None:
        with self._transaction(write=True) as conn:
            return redeem_resume_code(conn, code_hash, token_hash, now)

    def claim_jti(self, site: str, jti: str, expires_at: datetime, now: datetime) -> bool:
        with self._transaction(write=True) as conn:
            return claim_jti(conn, site, jti, expires_at, now)

    # -- pruning -----------------------------------------------------------------------------

    def prunable(self, inactive_before: datetime, *, limit: int | None) -> list[SessionSummary]:
        # A prunable session was never signed: no sign-off columns to join.
        columns = [*SESSION_COLUMNS, sa.null().label("signed_stars")]
        query = prunable_query(inactive_before, columns).limit(limit)
        with self._transaction(write=False) as conn:
            return [rows.summary_from_row(r._mapping) for r in conn.execute(query)]

    def delete_inactive(
        self, session_ids: Collection[str], inactive_before: datetime
    ) -> DeletedSessions:
        with self._transaction(write=True) as conn:
            return delete_inactive(conn, session_ids, inactive_before)

    def evidence_in_use(
        self, sha256s: Collection[str], *, besides: Collection[str] = ()
    ) -> set[str]:
        with self._transaction(write=False) as conn:
            return evidence_in_use(conn, sha256s, besides)

    def drop_expired(self, now: datetime) -> int:
        with self._transaction(write=True) as conn:
            return drop_expired(conn, now)

    # -- the shared index version (statements in sql_stamps) ---------------------------------

    def index_stamp(self) -> IndexStamp | None:
        with self._engine.connect() as conn:  # one row: no snapshot or BEGIN IMMEDIATE needed
            return read_index_stamp(conn)

    def bump_index_stamp(self, content_hash: str, at: datetime) -> IndexStamp:
        with self._transaction(write=True) as conn:
            return bump_index_stamp(conn, content_hash, at)


# -- the steps of a turn ---------------------------------------------------------------------


def _answered(turn: TurnRecord) -> int:
    return turn.reply.progress.answered


def _require_session(conn: Connection, session_id: str) -> None:
    if conn.execute(sa.select(sessions.c.id).where(sessions.c.id == session_id)).first() is None:
        raise session_not_found(session_id)


_KEPT = ("created_at", "token_hash", "token_seen_at", "token_revoked_at", "previous_session_id")
_WRITTEN = ("owner", "updated_at", "state", "institution", "institution_type", "stage", "answered")
_RATED = ("declared_stars", "evidenced_stars")


@functools.cache
def _bump_statement(*, rated: bool) -> sa.Update:
    """The version-guarded update of a turn (parameters ``read_*`` and ``new_*``)."""
    written = _WRITTEN + _RATED if rated else _WRITTEN
    values: dict[str, Any] = {
        name: sa.bindparam(f"new_{name}", type_=sessions.c[name].type) for name in written
    }
    values["version"] = sessions.c.version + 1
    return (
        sa.update(sessions)
        .where(
            sessions.c.id == sa.bindparam("read_id"),
            sessions.c.version == sa.bindparam("read_version"),
        )
        .values(values)
        .returning(*(sessions.c[name] for name in _KEPT))
    )


def _bump_version(
    conn: Connection, session: SessionRecord, turn: TurnRecord, rating: RatingResult | None
) -> dict[str, Any]:
    """Write the session row if its version is still the one read; return the stored values
    a turn does not write (created_at and the token's state, which sign-outs may change)."""
    row: dict[str, Any] = rows.session_row(session, _answered(turn))
    values = {f"new_{name}": row[name] for name in _WRITTEN}
    if rating is not None:
        values["new_declared_stars"] = rating.declared.stars
        values["new_evidenced_stars"] = rating.evidenced.stars
    params = {**values, "read_id": session.id, "read_version": session.version}
    kept = conn.execute(_bump_statement(rated=rating is not None), params).first()
    if kept is None:
        _require_session(conn, session.id)
        raise concurrent_update(session.id, session.version)
    return dict(kept._mapping)


def _write_findings(conn: Connection, session: SessionRecord) -> None:
    """Make the stored findings equal the record's: the record is the truth."""
    query = sa.select(findings).where(findings.c.session_id == session.id)
    stored = {r.indicator_id: dict(r._mapping) for r in conn.execute(query)}
    wanted = {key: rows.finding_row(session.id, f) for key, f in session.findings.items()}
    gone = stored.keys() - wanted.keys()
    if gone:
        conn.execute(
            sa.delete(findings).where(
                findings.c.session_id == session.id, findings.c.indicator_id.in_(sorted(gone))
            )
        )
    _upsert(conn, findings, [row for key, row in wanted.items() if stored.get(key) != row])


def _write_changed_findings(
    conn: Connection, session: SessionRecord, changed: Collection[str]
) -> None:
    """Write only the findings the turn changed; the version guard proved the rest current."""
    ids = sorted(changed)
    gone = [key for key in ids if key not in session.findings]
    if gone:
        conn.execute(
            sa.delete(findings).where(
                findings.c.session_id == session.id, findings.c.indicator_id.in_(gone)
            )
        )
    kept = [session.findings[key] for key in ids if key in session.findings]
    _upsert(conn, findings, [rows.finding_row(session.id, finding) for finding in kept])


def _upsert_evidence(conn: Connection, records: Sequence[EvidenceRecord]) -> None:
    _upsert(conn, evidence_table, [rows.evidence_row(record) for record in records])


def _insert_turn(conn: Connection, turn: TurnRecord) -> None:
    try:
        conn.execute(sa.insert(turns), rows.turn_row(turn))
    except IntegrityError:
        raise turn_refused(turn) from None


def _upsert(conn: Connection, table: sa.Table, values: list[dict[str, Any]]) -> None:
    """Insert rows, replacing the non-key columns of rows whose primary key exists."""
    if not values:
        return
    conn.execute(_upsert_statement(conn.dialect.name, table), values)


@functools.cache
def _upsert_statement(dialect: str, table: sa.Table) -> Any:
    keys = [column.name for column in table.primary_key.columns]
    if dialect == "sqlite":
        lite = sqlite.insert(table)
        return lite.on_conflict_do_update(index_elements=keys, set_=_rest(lite, keys))
    pg = postgresql.insert(table)
    return pg.on_conflict_do_update(index_elements=keys, set_=_rest(pg, keys))


def _rest(statement: Any, keys: list[str]) -> dict[str, Any]:
    excluded = statement.excluded
    return {name: excluded[name] for name in excluded.keys() if name not in keys}


def _unreachable(url: sa.URL, error: OperationalError) -> ConfigurationError:
    reason = str(error.orig or error).strip().splitlines()[0]
    return ConfigurationError(
        f"无法打开数据库 {redacted(url)!r}：{reason}。请检查 SMECMM_DATABASE_URL 与数据库服务。",
        en=f"Cannot open database {redacted(url)!r}: {reason}. "
        "Check SMECMM_DATABASE_URL and the database server.",
    )
