"""Shared fixtures of the governance tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tradewind.shared.clock import utc

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "fraud"


@pytest.fixture
def t0() -> datetime:
    return utc(2026, 3, 1, 9)


@pytest.fixture
def fraud_data() -> Path:
    if not (DATA / "amazon_upu.mat").is_file() or not (DATA / "fake_reviews_train.csv").is_file():
        pytest.skip(f"shared fraud data not found under {DATA.resolve()} (see shared/data/README)")
    return DATA
