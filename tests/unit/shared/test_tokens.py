"""Bearer tokens: stored as SHA-256 digests, verified with a constant-time compare."""

import hashlib
import hmac

from tradewind.shared import tokens
from tradewind.shared.tokens import (
    digests_match,
    is_token_hash,
    new_token,
    token_hash,
    verify,
)


def test_token_hash_is_the_sha256_hex_of_the_stripped_token():
    """The stored form is SHA-256 hex (what the columns have always held); blanks are dropped."""
    assert token_hash(" tw_abc\n") == hashlib.sha256(b"tw_abc").hexdigest()
    assert is_token_hash(token_hash("tw_abc"))


def test_verify_accepts_the_token_and_refuses_others_and_no_digest():
    """The right token verifies; another token, an empty or a missing digest do not."""
    stored = token_hash("tw_right")
    assert verify("tw_right", stored)
    assert not verify("tw_wrong", stored)
    assert not verify("tw_right", None) and not verify("tw_right", "")


def test_verify_compares_in_constant_time(monkeypatch):
    """The comparison is hmac.compare_digest, never ``==`` on secret-derived strings."""
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    stored = token_hash("tw_x")
    assert verify("tw_x", stored) and not digests_match(token_hash("tw_y"), stored)
    assert calls == [
        (stored.encode(), stored.encode()),
        (token_hash("tw_y").encode(), stored.encode()),
    ]


def test_new_tokens_are_prefixed_random_and_never_look_like_a_digest():
    """192 random bits behind the prefix; two draws differ; a token is not digest-shaped."""
    a, b = new_token("tw_"), new_token("op-")
    assert a.startswith("tw_") and b.startswith("op-") and a != new_token("tw_")
    assert len(a) - 3 >= 32 and not is_token_hash(a) and not is_token_hash(b)
