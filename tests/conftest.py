"""Shared test settings: hypothesis without per-example deadlines (CI machines are slow), and
reproducible examples on CI."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


import pytest  # noqa: E402


@pytest.fixture
def english(monkeypatch):
    """The run in English (``MATCHER_LANG=en``), for tests that assert English messages; Dutch is
    the default of every run."""
    monkeypatch.setenv("MATCHER_LANG", "en")
