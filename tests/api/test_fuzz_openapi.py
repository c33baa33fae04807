"""Schemathesis over the app's own OpenAPI document, in process (ASGI): every operation, with
the credentials it needs and without any, valid and invalid cases from a fixed seed.

Each response must not be a 5xx and must match the document: a documented status code, a
documented content type, a body of the documented schema, documented headers; an invalid
request must be refused with a 4xx. The app is a real one (SQLite store, evidence desk, the
shipped catalog and rules on a copy) with the hand-written answerer and maintenance of
``tests/api``; its rate limits are generous but on, so 429 stays a documented answer without
turning the run into 429s.

The credentials run gives each case what its operation needs (an applicant's token in a
session of its own, the assessor's or the admin's key, the site key from its origin); the
anonymous run sends what was generated, junk credentials included. A request already sent is
not sent again, so an operation with nothing to vary but its session (``GET …/rating``) is
one case, and its share goes to the operations after it.

Size: at least ``TARGET_CASES`` cases; the module's teardown prints the count, statuses and
time. At the time of writing: ``fuzz: 1,000 cases over 25 operations in 68.5 s`` (the whole
file 90 s wall, 41 s CPU, on the shared 2-core machine at load 5), 16 s of it rendering PDF
and DOCX reports.

(schemathesis' own pytest plugin, ``from_fixture``/``parametrize``, fails on pytest 9.2's
nodes, hence the plain Hypothesis ``@given`` over ``APIOperation.as_strategy``.)
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi

from api import create_app
from assistant.evidence import FileBlobStore
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import make_settings
from tests.utils.api import ALLOWED_ORIGIN, FakeAnswerer, FakeMaintenance, Keys, add_keys, bearer

TARGET_CASES = 1000
CALLERS = ("credentials", "anonymous")
# the credential headers the document declares (security schemes), and the one a browser adds
CREDENTIAL_HEADERS = ("Authorization", "X-API-Key", "X-Site-Key", "Origin")
FILE_FIELD = "file"  # the file part of every upload (evidence, documents, the catalog)
# path endings of the assessor-only operations of tests/api/test_assessment_api.py
ASSESSOR_WRITES = ("/assessor-view", "/check", "/notes", "/records", "/signoff", "/reopen")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
FUZZ_SETTINGS = settings(
    derandomize=True,  # the same cases on every run and machine
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure shows its curl line
)


@dataclass
class Tally:
    """What was sent: cases by caller and operation, statuses, time by operation."""

    started: float = field(default_factory=time.perf_counter)
    cases: Counter[tuple[str, str]] = field(default_factory=Counter)  # (caller, operation)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)  # by operation
    sent: set[str] = field(default_factory=set)  # request keys, see request_key()

    def add(self, caller: str, operation: str, status: int, seconds: float) -> None:
        self.cases[(caller, operation)] += 1
        self.statuses[status] += 1
        self.seconds[operation] += seconds

    def count(self, caller: str) -> int:
        return sum(n for (who, _), n in self.cases.items() if who == caller)

    def summary(self) -> str:
        seconds = time.perf_counter() - self.started
        operations = len({operation for _, operation in self.cases})
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        slowest = ", ".join(f"{op} {t:.1f} s" for op, t in self.seconds.most_common(3))
        return (
            f"fuzz: {self.cases.total():,} cases over {operations} operations in "
            f"{seconds:.1f} s; statuses {statuses}; slowest {slowest}"
        )


@dataclass
class World:
    """The app and what the cases need to reach its handlers."""

    app: FastAPI
    service: InterviewService
    keys: Keys
    staff_session: str  # the session staff cases read, override and revoke
    indicators: tuple[str, ...]  # a few real ones, for the paths that name one
    tally: Tally = field(default_factory=Tally)

    def authorize(self, case: schemathesis.Case, indicator: str | None) -> None:
        """Valid credentials for the operation (and no others), a real session in its path and,
        unless ``indicator`` is None, a real indicator."""
        for name in CREDENTIAL_HEADERS:
            case.headers.pop(name, None)
        if indicator is not None and "indicator_id" in case.path_parameters:
            case.path_parameters["indicator_id"] = indicator
        path = case.path
        if case.operation.definition.raw.get("security") is None:
            # public: the widget's call, the site key from an origin it allows
            case.headers.update({"X-Site-Key": self.keys.site, "Origin": ALLOWED_ORIGIN})
        elif path.startswith("/api/v1/admin/"):
            case.headers["X-API-Key"] = self.keys.admin
            self._in_session(case, self.staff_session)
        elif path == "/api/v1/sessions" or "/findings/" in path or path.endswith("/audit"):
            case.headers["X-API-Key"] = self.keys.assessor
            self._in_session(case, self.staff_session)
        elif path.endswith(ASSESSOR_WRITES):
            # the assessor's review and writes, each in a session of its own: a sign-off
            # locks only that one
            case.headers["X-API-Key"] = self.keys.assessor
            self._in_session(case, self.service.start().session_id)
        else:
            # the applicant, in a session of its own: signing out or a turn limit spoils
            # nothing for the next case
            started = self.service.start()
            case.headers.update(bearer(started.token))
            self._in_session(case, started.session_id)
        # Reading ``meta`` revalidates the edited parts: a negative case whose only flaw was
        # the path's session id or a credential is a positive one now, and is checked as such.
        assert case.meta is not None

    @staticmethod
    def _in_session(case: schemathesis.Case, session_id: str) -> None:
        if "session_id" in case.path_parameters:
            case.path_parameters["session_id"] = session_id


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[World]:
    root = tmp_path_factory.mktemp("fuzz")
    rules = default_knowledge_dir() / "rules"
    # the catalog import writes YAML when a workbook is valid: never the shipped one
    shutil.copytree(rules, root / "knowledge" / "rules")
    catalog, rule_set = load_catalog(rules), load_rules(rules)
    store = SqlSessionStore(f"sqlite:///{root / 'assistant.db'}")
    desk = UploadDesk(catalog, FileBlobStore(root / "evidence"), max_bytes=1024 * 1024)
    service = InterviewService(catalog, rule_set, store, desk=desk)
    settings_ = make_settings(
        root,
        knowledge_dir=root / "knowledge",
        rate_limit_per_minute=1_000_000,
        site_rate_limit_per_minute=1_000_000,
    )
    app = create_app(
        settings_, service=service, answerer=FakeAnswerer(), maintenance=FakeMaintenance()
    )
    keys = add_keys(store)
    indicators = tuple(indicator.id for indicator in catalog.indicators[::40])
    fuzz = World(app, service, keys, service.start().session_id, indicators)
    yield fuzz
    asgi.shutdown_lifespans()  # schemathesis keeps the app's lifespan running until then
    store.close()
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{fuzz.tally.summary()}")
    if {caller for caller, _ in fuzz.tally.cases} == set(CALLERS):
        assert fuzz.tally.cases.total() >= TARGET_CASES, fuzz.tally.summary()


@pytest.fixture(scope="module")
def operations(world: World) -> dict[str, list[APIOperation]]:
    """Each caller's operations. Unknown query parameters and headers are ignored, as HTTP APIs
    do (proxies add headers), so they are not generated as invalid input; invalid values of
    declared ones are. The credentials run puts in its own credentials, so none are generated."""
    found: dict[str, list[APIOperation]] = {}
    for caller in CALLERS:
        document = schemathesis.openapi.from_asgi("/api/v1/openapi.json", world.app)
        document.config.generation.update(
            allow_extra_parameters=False, with_security_parameters=caller == "anonymous"
        )
        found[caller] = [result.ok() for result in document.get_all_operations()]
    return found


def request_key(case: schemathesis.Case, caller: str, indicator: str | None) -> str:
    """The request as it will be sent, but for the credentials and session that ``authorize``
    puts in: cases that differ only in what it replaces are one request."""
    path = dict(case.path_parameters)
    headers = {name.lower(): value for name, value in case.headers.items()}
    if caller == "credentials":
        path.pop("session_id", None)
        if indicator is not None and "indicator_id" in path:
            path["indicator_id"] = indicator
        for name in CREDENTIAL_HEADERS:
            headers.pop(name.lower(), None)
    sent = (path, case.query, headers, case.body, case.media_type)
    return f"{caller} {case.operation.label} {sent!r}"


def draws(operation: APIOperation, caller: str) -> bool:
    """Whether the cases of ``operation`` have anything drawn in them for this caller."""
    raw = operation.definition.raw
    if "requestBody" in raw or caller == "anonymous" and raw.get("security"):
        return True
    drawn = [p for p in raw.get("parameters", []) if p["name"] != "session_id"]
    return bool(drawn) if caller == "credentials" else bool(raw.get("parameters"))


def file_as_sent(case: schemathesis.Case) -> None:
    """A multipart file part carries bytes, whatever was drawn for it: a negative case's
    ``file: false`` goes out as a file holding the text ``false``, a valid upload. Say so, so
    that the case is judged by what was sent, not as an invalid request the API accepted."""
    body = case.body
    if case.media_type == "multipart/form-data" and isinstance(body, dict):
        drawn = body.get(FILE_FIELD)
        if drawn is None or isinstance(drawn, bool | int | float):
            body[FILE_FIELD] = json.dumps(drawn)
            assert case.meta is not None  # revalidates the body


def fuzz(operation: APIOperation, caller: str, world: World, examples: int) -> None:
    """Up to ``examples`` cases of one operation, valid and invalid ones, each checked; a case
    that would repeat a request already sent is skipped (an operation with few distinct
    requests ends with fewer)."""
    fixed: dict[str, str] = {}
    indicators: st.SearchStrategy[str | None] = st.none()
    if caller == "credentials":
        # what authorize() replaces is not drawn, so Hypothesis sees how few requests there are
        if "{session_id}" in operation.path:
            fixed["session_id"] = "-"
        if "{indicator_id}" in operation.path:
            indicators = st.sampled_from([None, *world.indicators])
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed or None),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed or None),
    )

    @settings(FUZZ_SETTINGS, max_examples=examples)
    @given(case=cases, indicator=indicators)
    def one_case(case: schemathesis.Case, indicator: str | None) -> None:
        key = request_key(case, caller, indicator)
        if key in world.tally.sent:
            reject()  # not an example: Hypothesis draws another in its place
        world.tally.sent.add(key)
        if caller == "credentials":
            world.authorize(case, indicator)
        file_as_sent(case)
        started = time.perf_counter()
        response = case.call_and_validate(checks=CHECKS)
        seconds = time.perf_counter() - started
        world.tally.add(caller, operation.label, response.status_code, seconds)

    one_case()


@pytest.mark.parametrize("caller", CALLERS)
def test_every_operation(
    caller: str,
    operations: dict[str, list[APIOperation]],
    world: World,
    subtests: pytest.Subtests,
) -> None:
    # An even share of what is still owed: an operation with few distinct requests leaves its
    # share to the ones after it, and those with nothing to draw go first, so the ones that
    # come last can always take up what is left and the total reaches the target.
    owed = math.ceil(TARGET_CASES / len(CALLERS))
    mine = sorted(operations[caller], key=lambda operation: draws(operation, caller))
    for position, operation in enumerate(mine):
        remaining = owed - world.tally.count(caller)
        examples = max(1, math.ceil(remaining / (len(mine) - position)))
        with subtests.test(operation=operation.label):
            fuzz(operation, caller, world, examples)
    unreached = [op.label for op in mine if not world.tally.cases[(caller, op.label)]]
    assert not unreached, unreached
