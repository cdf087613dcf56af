"""Bearer tokens: made random, stored only as a digest, checked in constant time.

Every stored credential (sellers', customers', operators') is the SHA-256 of the token, hex
encoded; the token itself is shown once and never written to the database.

Why a plain SHA-256 and not a slow KDF (bcrypt, scrypt, Argon2): those exist to make guessing
*low-entropy* secrets (passwords people choose) expensive. Our tokens are drawn from
``secrets`` with at least 128 bits of entropy (``new_token``: 192), so someone holding a copy
of the hashes would have to search 2**128 candidates per token; no work factor changes that
picture, while a slow hash would cost every API request milliseconds of CPU. A fast, unsalted
digest also lets the lookup be an indexed equality on the digest, instead of a scan that
verifies every row. (The deterministic demo tokens of a local demo world are the exception:
they are derived from the seed on purpose and must never reach a real deployment.)

The lookup finds the row by its digest; the digest found is then compared with the one
computed using ``hmac.compare_digest`` (``digests_match``), so no comparison of secret-derived
values in Python code leaks, through its timing, how many leading characters matched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 24  # 192 bits of entropy; the floor for any token we issue is 128
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def token_hash(token: str) -> str:
    """The stored form of a bearer token: SHA-256 of the token (surrounding blanks dropped)."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


def digests_match(computed: str, stored: str | None) -> bool:
    """Whether two token digests are equal, compared in constant time (False without one)."""
    if not stored:
        return False
    return hmac.compare_digest(computed.encode(), stored.encode())


def verify(token: str, stored: str | None) -> bool:
    """Whether ``token`` is the one whose digest is ``stored`` (constant-time compare)."""
    return digests_match(token_hash(token), stored)


def new_token(prefix: str) -> str:
    """A fresh random bearer token, e.g. ``tw_...`` for sellers and customers, ``op-...`` for
    operators."""
    return f"{prefix}{secrets.token_urlsafe(TOKEN_BYTES)}"


def is_token_hash(value: str) -> bool:
    """Whether ``value`` has the shape of a stored digest (64 lowercase hex characters); every
    token we issue has a prefix and another length, so a plain token never looks like one."""
    return bool(_DIGEST.match(value))
