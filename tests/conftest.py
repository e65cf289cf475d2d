"""Shared test settings: hypothesis without per-example deadlines (CI machines are slow),
reproducible examples on CI, and the language each test module runs in."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="module", autouse=True)
def module_language(request):
    """A test module that sets ``MATCHER_LANG = "en"`` runs in English (it asserts English
    messages); every other module runs in the default language, Dutch, whatever the shell says."""
    lang = getattr(request.module, "MATCHER_LANG", None)
    with pytest.MonkeyPatch.context() as patch:
        if lang is None:
            patch.delenv("MATCHER_LANG", raising=False)
        else:
            patch.setenv("MATCHER_LANG", lang)
        yield


from postgres_cluster import postgres_cluster  # noqa: E402,F401  (the register's PostgreSQL tests)
