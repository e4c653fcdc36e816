"""Keep the on-disk cross-section cache of a test session (tests and doctests) out of the
user's cache."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    os.environ["LEPTOPORTAL_CACHE"] = str(tmp_path_factory.mktemp("cache"))
