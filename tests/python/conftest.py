"""Fixtures of the Python suite.

ctest runs the suite with PYTHONPATH=<build>/python (the package staged in the
build tree). Run by hand, `.venv/bin/python -m pytest tests/python` falls back
to build/python after `scripts/build`.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[2]

try:
    import kartotek  # noqa: F401
except ImportError:
    staged = REPO / "build" / "python"
    if not (staged / "kartotek").is_dir():
        raise
    sys.path.insert(0, str(staged))
    import kartotek  # noqa: F401

# "kartotek" (the default) is deterministic and quick: the same examples on
# every run, no example database in the source tree, no deadlines on a loaded
# CI machine. "thorough" (KARTOTEK_HYPOTHESIS_PROFILE=thorough) runs many more
# random examples, for hunting bugs by hand.
settings.register_profile(
    "kartotek",
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("KARTOTEK_HYPOTHESIS_PROFILE", "kartotek"))

START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> kartotek.ManualClock:
    return kartotek.ManualClock(START)


@pytest.fixture
def reg(clock: kartotek.ManualClock) -> kartotek.Register:
    return kartotek.Register(clock=clock)


@pytest.fixture
def admin(reg: kartotek.Register) -> int:
    return reg.create_first_administrator("admin", "Ada Admin")


@pytest.fixture
def staff(reg: kartotek.Register, admin: int) -> int:
    # Every right, but no administrator.
    return reg.create_user(admin, kartotek.User(login="tekla", name="Tekla Tekniker", rights=kartotek.every_right()))


@pytest.fixture
def repo() -> Iterator[Path]:
    yield REPO
