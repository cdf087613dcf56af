"""Payment gateway adapters. Only a fake PSP ships.

Shoppers pay with one of ``PAYMENT_METHODS`` (the API accepts nothing else). Like a PSP's
test cards, the fake also knows ``card_decline`` and ``card_timeout``, but only when it is
built with ``test_methods=True`` (tests, the checkout bench, chaos drills); the one that
``bootstrap()`` builds for serving refuses them like any unknown method. ``mode`` forces one
behaviour for every call, ``latency_s`` makes every authorisation slow (a PSP under load).
"""

from __future__ import annotations

import threading
import time
from itertools import count

from tradewind.orders.errors import PaymentDeclined, PaymentTimeout
from tradewind.orders.model import PAYMENT_METHODS
from tradewind.orders.ports import Authorization
from tradewind.shared.money import Money

TEST_METHODS = ("card_decline", "card_timeout")


class FakePaymentGateway:
    def __init__(
        self,
        *,
        mode: str | None = None,
        timeout_s: float = 0.05,
        latency_s: float = 0.0,
        test_methods: bool = False,
    ) -> None:
        self.mode = mode
        self.timeout_s = timeout_s
        self.latency_s = latency_s
        self.test_methods = test_methods
        self._ids = count(1)
        self._lock = threading.Lock()
        self.authorized: dict[str, Authorization] = {}
        self.voided: set[str] = set()
        self._by_key: dict[str, Authorization] = {}
        self.refunds: dict[str, tuple[str, Money]] = {}  # idempotency key -> (auth, amount)

    def accepts(self, method: str) -> bool:
        return method in PAYMENT_METHODS or (self.test_methods and method in TEST_METHODS)

    def _behaviour(self, method: str) -> str:
        if self.mode:
            return self.mode
        if self.accepts(method):
            return method
        # Never echo the method back: it is the caller's input, of any length.
        raise PaymentDeclined("this payment method is not accepted")

    def authorize(self, amount: Money, *, idempotency_key: str, method: str) -> Authorization:
        behaviour = self._behaviour(method)
        if self.latency_s:
            time.sleep(self.latency_s)
        if behaviour == "card_decline":
            raise PaymentDeclined("the payment was declined by the card issuer")
        if behaviour == "card_timeout":
            time.sleep(self.timeout_s)
            raise PaymentTimeout(f"the payment provider did not answer in {self.timeout_s}s")
        with self._lock:
            # Like a real PSP, the same idempotency key returns the same authorisation.
            if idempotency_key in self._by_key and idempotency_key not in self.voided:
                return self._by_key[idempotency_key]
            auth = Authorization(f"auth_{next(self._ids):08d}", amount)
            self.authorized[auth.reference] = auth
            self._by_key[idempotency_key] = auth
            return auth

    def void(self, authorization: Authorization) -> None:
        with self._lock:
            self.voided.add(authorization.reference)
            for key, auth in list(self._by_key.items()):
                if auth.reference == authorization.reference:
                    del self._by_key[key]

    def refund(self, authorization: Authorization, amount: Money, *, idempotency_key: str) -> None:
        with self._lock:
            # Like a real PSP, a retried refund with the same key is not paid twice. (A charge
            # made in another process is unknown to this in-memory fake; it refunds it anyway.)
            self.refunds.setdefault(idempotency_key, (authorization.reference, amount))

    @property
    def captured_total(self) -> int:
        """Authorisations that were not voided, less refunds (for money-conservation tests)."""
        kept = sum(a.amount.amount for ref, a in self.authorized.items() if ref not in self.voided)
        return kept - sum(m.amount for _, m in self.refunds.values())
