"""Shared fixtures: the French pipeline is loaded once per test session."""
import pytest

from filiere.domains.packs import load_pack


@pytest.fixture(scope="session")
def pack():
    return load_pack("automotive")


@pytest.fixture(scope="session")
def nlp():
    from filiere.nlp import build_nlp

    return build_nlp()
