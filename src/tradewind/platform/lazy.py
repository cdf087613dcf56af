"""A service the composition root declares but builds on first use (an index that reads the
whole catalog, a network read from the world): once, thread-safe, typed on the container."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._built = False
        self._lock = threading.Lock()

    def __call__(self) -> T:
        if not self._built:
            with self._lock:
                if not self._built:
                    self._value = self._build()
                    self._built = True
        return self._value  # type: ignore[return-value]

    def set(self, value: T) -> None:
        """Use ``value`` instead of building one (a test's own index, a shared network)."""
        with self._lock:
            self._value, self._built = value, True

    @property
    def built(self) -> bool:
        return self._built
