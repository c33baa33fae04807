"""One S3-compatible server (moto, on loopback) for the evidence-store tests of a run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.utils.s3 import S3Server, s3_fixture


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    yield from s3_fixture()
