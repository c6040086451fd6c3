"""Shared fixtures: the French pipeline is loaded once per test session.

The session's local cache (compiled patterns, lemmatizer tables) is a folder of its own, unless FILIERE_CACHE is set:
the patterns tests compile (their own packs, generated inputs) would otherwise be kept in the user's cache, which
every later start loads.
"""
import os
import shutil
import tempfile

import pytest

from filiere.domains.packs import load_pack

_SESSION_CACHE = None


def pytest_configure(config):
    global _SESSION_CACHE
    if "FILIERE_CACHE" not in os.environ:
        _SESSION_CACHE = tempfile.mkdtemp(prefix="filiere-test-cache-")
        os.environ["FILIERE_CACHE"] = _SESSION_CACHE


def pytest_unconfigure(config):
    if _SESSION_CACHE is not None:
        os.environ.pop("FILIERE_CACHE", None)
        shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def pack():
    return load_pack("automotive")


@pytest.fixture(scope="session")
def nlp():
    from filiere.nlp import build_nlp

    return build_nlp()
