"""The chat page, the embeddable page and the widget script (files of ``settings.web_dir``).

Pages carry a Content-Security-Policy that allows scripts, styles and calls from this server
only (no inline script). ``/embed`` may be framed only by the origins of the site key named in
``?site_key=``: ``frame-ancestors`` lists them ('self' when the key lists none, 'none' for a
missing or unknown key), so the server, not only the widget, enforces where the chat appears.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.exceptions import HTTPException

from api.deps import ServiceDep, SettingsDep
from assistant.security import hash_token
from assistant.storage import KeyRole, SessionStore

__all__ = ["frame_ancestors", "page_policy", "router"]

router = APIRouter(include_in_schema=False)

_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
_HTML = "text/html; charset=utf-8"
_JS = "text/javascript; charset=utf-8"


def page_policy(ancestors: str) -> str:
    return _POLICY.format(ancestors=ancestors)


def frame_ancestors(store: SessionStore, site_key: str | None) -> str:
    if not site_key:
        return "'none'"
    record = store.find_key(hash_token(site_key.strip()))
    if record is None or record.revoked or record.role is not KeyRole.SITE:
        return "'none'"
    return " ".join(record.origins) if record.origins else "'self'"


def _file(web_dir: Path, name: str) -> Path:
    path = web_dir / name
    if not path.is_file():
        raise HTTPException(404)
    return path


@router.get("/")
def chat_page(settings: SettingsDep) -> FileResponse:
    headers = {"Content-Security-Policy": page_policy("'self'"), "X-Frame-Options": "SAMEORIGIN"}
    return FileResponse(_file(settings.web_dir, "index.html"), media_type=_HTML, headers=headers)


@router.get("/embed")
def embed_page(
    settings: SettingsDep,
    service: ServiceDep,
    site_key: Annotated[str | None, Query(max_length=200)] = None,
) -> FileResponse:
    policy = page_policy(frame_ancestors(service.store, site_key))
    headers = {"Content-Security-Policy": policy, "Cache-Control": "no-store"}
    return FileResponse(_file(settings.web_dir, "embed.html"), media_type=_HTML, headers=headers)


@router.get("/widget.js")
def widget_script(settings: SettingsDep) -> FileResponse:
    headers = {
        "Cache-Control": "public, max-age=3600",
        # Host pages on other origins load it, also under Cross-Origin-Embedder-Policy.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    return FileResponse(_file(settings.web_dir, "widget.js"), media_type=_JS, headers=headers)
