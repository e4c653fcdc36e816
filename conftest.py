"""A test session (tests and doctests) keeps the on-disk cross-section cache out of the
user's cache and runs in a scratch directory, so that a command's default output (scan-out/,
results/, validation/) never lands in the repository."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    os.environ["LEPTOPORTAL_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True, scope="session")
def _scratch_directory(tmp_path_factory):
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(here)
