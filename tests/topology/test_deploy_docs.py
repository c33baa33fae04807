"""docs/deploy.md, docker-compose.yml and nginx.conf name real settings, cover every setting of
the shared topology, and agree with each other (proxy address, upload size, streaming)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SETTING = re.compile(r"SMECMM_[A-Z0-9_]+")
# Every setting that puts state where all workers share it, or that the topology depends on.
TOPOLOGY_FIELDS = (
    "database_url",
    "redis_url",
    "chroma_url",
    "blob_url",
    "index_check_seconds",
    "trusted_proxies",
    "data_dir",
    "max_upload_mb",
    "embedding_model",
)


def _text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(_text("docker-compose.yml"))
    return loaded


def _fields() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


@pytest.mark.parametrize("name", ["deploy.md", "docker-compose.yml", "nginx.conf"])
def test_every_setting_named_exists(name: str) -> None:
    fields = _fields()
    unknown = set()
    for found in set(SETTING.findall(_text(name))):
        setting = found.removeprefix("SMECMM_")
        if setting.endswith("_"):  # a family, written SMECMM_S3_*
            if not any(field.startswith(setting) for field in fields):
                unknown.add(found)
        elif setting not in fields:
            unknown.add(found)
    assert unknown == set()


def test_the_guide_names_every_setting_of_the_topology_in_both_languages() -> None:
    text = _text("deploy.md")
    chinese, english = text.split("## English", 1)
    wanted = [*TOPOLOGY_FIELDS, *(f for f in Settings.model_fields if f.startswith("s3_"))]
    for part in (chinese, english):
        missing = [f for f in wanted if f"SMECMM_{f.upper()}" not in part]
        assert missing == []


def test_the_compose_settings_are_valid_and_point_at_the_services() -> None:
    compose = _compose()
    app = compose["services"]["app"]
    env = app["environment"]
    values = {k.removeprefix("SMECMM_").lower(): v for k, v in env.items()}
    settings = Settings.model_validate(values)  # a typo'd value fails here
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.blob_url.startswith("s3://")
    assert settings.redis_url and settings.chroma_url
    assert "--workers" in app["command"]
    for job in ("index", "buckets"):
        assert app["depends_on"][job]["condition"] == "service_completed_successfully"
    documents = f"{env['SMECMM_DATA_DIR']}/documents"
    assert any(volume.endswith(f":{documents}") for volume in app["volumes"])


def test_the_app_trusts_exactly_the_proxy_in_front_of_it() -> None:
    compose = _compose()
    nginx = compose["services"]["nginx"]["networks"]["default"]["ipv4_address"]
    trusted = compose["services"]["app"]["environment"]["SMECMM_TRUSTED_PROXIES"]
    assert Settings(trusted_proxies=trusted).trusted_proxies == f"{nginx}/32"
    conf = _text("nginx.conf")
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf


def test_nginx_takes_the_largest_upload_the_app_takes() -> None:
    conf = _text("nginx.conf")
    found = re.search(r"client_max_body_size (\d+)m;", conf)
    assert found is not None
    upload_mb = int(_compose()["services"]["app"]["environment"]["SMECMM_MAX_UPLOAD_MB"])
    assert int(found.group(1)) == upload_mb + 1  # the file plus the multipart envelope


def test_nginx_streams_replies_and_never_repeats_a_post() -> None:
    conf = _text("nginx.conf")
    streaming = conf.split("location ~ ^/api/v1/(ask|sessions/[^/]+/messages)$", 1)[1]
    assert "proxy_buffering off;" in streaming.split("}", 1)[0]
    assert "non_idempotent" not in conf.replace("(no non_idempotent)", "")


def test_the_readme_links_the_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("docs/deploy.md") >= 2  # a line in Chinese and one in English
