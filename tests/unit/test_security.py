"""The stored hash of tokens and keys never changes: keys issued before an upgrade (and kept
in backups) must still match."""

from __future__ import annotations

from assistant.security import hash_token


def test_the_hash_is_plain_sha256_hex_of_the_utf8_text() -> None:
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert hash_token("密钥") != hash_token("密钥 ")
    assert len(hash_token("")) == 64
