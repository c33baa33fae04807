"""The one-way hash of the bearer secrets this server stores.

Session tokens, resume codes, and assessor, admin and site keys are stored only as this hash:
the interview issues and checks them, the store looks records up by it, the API and the CLI
hash what a client or operator presents.
"""

from __future__ import annotations

import hashlib

__all__ = ["hash_token"]


def hash_token(token: str) -> str:
    """SHA-256 hex: tokens, keys and codes are random enough to need no slow hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
