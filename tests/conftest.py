"""Shared fixtures: graphs are loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def rules_kg():
    """The small derivation fixture (tests/fixtures/derive/rules.ttl) with its derived layer."""
    from treatykg.kg import load_graph

    return load_graph([FIXTURES / "derive" / "rules.ttl"], use_cache=False)


@pytest.fixture(scope="session")
def shipped_kg():
    """The shipped graph (ontology, reference, curated and imported data) with derived status."""
    from treatykg.kg import load_graph

    return load_graph(None, use_cache=False)
