"""The HTTP API (FastAPI): thin routers over ``assistant``. ``create_app`` builds the app."""

from api.app import create_app

__all__ = ["create_app"]
