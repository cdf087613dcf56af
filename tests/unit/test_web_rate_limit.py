"""The sliding-window limiter behind the login and checkout limits (no I/O, a fake clock)."""

from tradewind.platform.web.rate_limit import SlidingWindowLimiter, customer_token


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_the_limit_then_says_when_the_oldest_hit_leaves_the_window():
    """Three per 60 s: the fourth waits until the first is 60 s old, then one more passes."""
    clock = FakeClock()
    limiter = SlidingWindowLimiter(3, 60, clock)
    for step in (0, 10, 20):
        clock.now = 1000.0 + step
        assert limiter.hit("a") == 0
    clock.now = 1030.0
    assert limiter.hit("a") == 30.0
    assert limiter.hit("b") == 0  # keys are independent
    clock.now = 1060.0
    assert limiter.hit("a") == 0  # the hit at 1000 has left the window
    assert limiter.hit("a") == 10.0  # 1010 leaves at 1070


def test_refused_hits_do_not_extend_the_wait():
    """Hammering while limited does not push the reopening further away (no self-lockout)."""
    clock = FakeClock()
    limiter = SlidingWindowLimiter(1, 60, clock)
    assert limiter.hit("a") == 0
    for _ in range(50):
        clock.now += 1
        limiter.hit("a")
    clock.now = 1060.0
    assert limiter.hit("a") == 0


def test_checkout_key_is_the_token_from_the_header_or_the_session_cookie():
    """The bearer token and the shopper cookie of one customer give the same key."""
    bearer = {"headers": [(b"authorization", b"Bearer tok-1")], "client": ("1.2.3.4", 1)}
    cookie = {"headers": [(b"cookie", b"tw_csrf=n; tw_shopper=tok-1")], "client": ("5.6.7.8", 1)}
    anon = {"headers": [], "client": ("5.6.7.8", 1)}
    assert customer_token(bearer) == customer_token(cookie) != customer_token(anon)
    assert "tok-1" not in customer_token(bearer)  # only a hash is kept in memory
