"""Connection budgets: what each kind of process may hold of PostgreSQL, and their sum."""

from __future__ import annotations

from infra.roles import DEPLOYMENT_BUDGET, POOLS, deployment_connections
from infra.settings import Settings


def test_the_production_deployment_fits_in_its_connection_budget():
    assert deployment_connections() <= DEPLOYMENT_BUDGET


def test_a_read_api_keeps_most_of_its_budget_for_the_read_models():
    read = POOLS["read"]
    assert read.read_models > read.event_store


def test_a_configured_pool_size_replaces_the_roles_budget():
    settings = Settings(_env_file=None, role="relay", read_pool_size=7)
    assert settings.pools.read_models == 7
    assert settings.pools.event_store == POOLS["relay"].event_store
    assert settings.pools.listening == 1
