"""A command past what a worker takes is refused at once; the commands it did take and every
read go on. Here a worker takes one command, held by a login waiting on a slow provider."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.api import error, register
from tests.conftest import embedded_campus
from tests.providers import serving_providers


def test_a_command_past_the_workers_limit_is_refused_at_once_and_reads_go_on(tmp_path):
    with serving_providers() as providers:
        settings = providers.settings(oauth_timeout_seconds=10.0, max_commands_in_flight=1)
        with embedded_campus(tmp_path, **settings) as running:
            client = running.client
            token, account = providers.issue("google")
            providers.outage = "slow"
            body = {"provider": "google", "providerUserId": account.subject, "accessToken": token}
            with ThreadPoolExecutor(1) as pool:
                login = pool.submit(client.post, "/api/auth/user/login", json=body)
                assert providers.holding.wait(10), "the login never reached the provider"

                refused = register(client)
                catalog = client.get("/api/courses/catalog/list")
                providers.closing.set()  # the provider hangs up: the login ends (503)
                assert login.result().status_code == 503

            assert "busy" in error(refused, 429)["message"]
            assert refused.headers["Retry-After"] == "1"
            assert catalog.status_code == 200
            assert register(client).status_code == 200
