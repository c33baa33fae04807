"""Without PostgreSQL the PG tests fail and say how to install it; they skip only when told."""

from __future__ import annotations

import pytest

from tests.utils import postgres


@pytest.fixture
def no_binaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "find_bin_dir", lambda: None)
    monkeypatch.delenv(postgres.SKIP_ENV, raising=False)


@pytest.mark.usefixtures("no_binaries")
def test_missing_binaries_fail_naming_the_install_command() -> None:
    with pytest.raises(pytest.fail.Exception, match="apt-get install postgresql"):
        next(postgres.postgres_fixture())


@pytest.mark.usefixtures("no_binaries")
def test_missing_binaries_skip_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(postgres.SKIP_ENV, "1")
    with pytest.raises(pytest.skip.Exception, match=postgres.SKIP_ENV):
        next(postgres.postgres_fixture())
