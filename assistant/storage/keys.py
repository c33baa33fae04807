"""Site-token secrets: made here, checked here, stored with their site key.

A secret is what a host site and this server share to sign and check site tokens
(``api.site_token``). A generated one is 32 random bytes (43 base64url characters); one an
operator brings must be at least ``MIN_SECRET_CHARS`` characters. A shorter or empty secret
is never stored, and never verifies a token.
"""

from __future__ import annotations

import secrets

from assistant.errors import ConfigurationError

__all__ = ["MIN_SECRET_CHARS", "check_site_secret", "new_site_secret"]

MIN_SECRET_CHARS = 32
_MAX_SECRET_CHARS = 512


def new_site_secret() -> str:
    return secrets.token_urlsafe(32)


def check_site_secret(secret: str) -> str:
    """The secret without surrounding blanks; ``ConfigurationError`` when too short or long."""
    value = secret.strip()
    if MIN_SECRET_CHARS <= len(value) <= _MAX_SECRET_CHARS and value.isprintable():
        return value
    raise ConfigurationError(
        f"站点令牌密钥须为 {MIN_SECRET_CHARS}～{_MAX_SECRET_CHARS} 个可打印字符（现为 "
        f"{len(value)} 个）。不指定时程序会生成一个足够长的随机密钥。",
        en=f"A site-token secret must be {MIN_SECRET_CHARS} to {_MAX_SECRET_CHARS} printable "
        f"characters (this one has {len(value)}). Leave it out and a long random one is "
        "generated.",
    )
