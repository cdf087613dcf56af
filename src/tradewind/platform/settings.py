"""Typed settings (env prefix ``TRADEWIND_``), validated at start-up; read via get_settings()."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_db_url() -> str:
    return f"sqlite:///{Path('var') / 'tradewind.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADEWIND_", extra="ignore")

    database_url: str = Field(default_factory=_default_db_url)
    db_pool_size: int = 20
    db_echo: bool = False
    payment_timeout_s: float = 2.0
    sourcing: str = "greedy"  # or "lp": checkout sources each order with the HiGHS MIP
    search: str = "fts5"  # or "tantivy": the catalog search adapter
    broker: str = "inprocess"  # or "nats"
    nats_url: str = "nats://127.0.0.1:4222"
    environment: str = "development"
    # Demo conveniences (login pages that list the demo world's tokens): on only when the
    # server was started by ``tradewind demo``; ``tradewind serve`` leaves it off.
    demo: bool = False
    max_request_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    # Web security (docs/web.md, "Security model"). Cookies are Secure over https anyway;
    # set this when a TLS proxy in front does not pass the scheme on.
    secure_cookies: bool = False
    # Rate limits: at most N requests per window (seconds) per key; 0 turns a limit off. Login
    # (POST /login, /seller/login, /ops/login) is per client IP; checkout (POST /checkout and
    # /api/v1/checkout) per customer token. Each server process counts on its own.
    login_rate_limit: int = Field(default=10, ge=0)
    login_rate_window_s: float = Field(default=60.0, gt=0)
    checkout_rate_limit: int = Field(default=20, ge=0)
    checkout_rate_window_s: float = Field(default=60.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _normalise_driver(cls, v: str) -> str:
        """Use psycopg 3 for plain ``postgresql://`` URLs."""
        for prefix in ("postgresql://", "postgres://"):
            if v.startswith(prefix):
                return "postgresql+psycopg://" + v[len(prefix) :]
        return v

    @field_validator("sourcing")
    @classmethod
    def _known_sourcing(cls, v: str) -> str:
        if v not in ("greedy", "lp"):
            raise ValueError("TRADEWIND_SOURCING must be 'greedy' or 'lp'")
        return v

    @field_validator("search")
    @classmethod
    def _known_search(cls, v: str) -> str:
        if v not in ("fts5", "tantivy"):
            raise ValueError("TRADEWIND_SEARCH must be 'fts5' or 'tantivy'")
        return v

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
