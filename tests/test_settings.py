"""Settings: every one is documented, and nothing configured means the embedded default."""

from __future__ import annotations

from pathlib import Path

from infra.settings import Settings

EXAMPLE = Path(__file__).parent.parent / ".env.example"


def test_every_setting_is_documented_in_the_env_example():
    documented = {
        line.split("=")[0]
        for line in EXAMPLE.read_text().splitlines()
        if line.startswith("CAMPUS_")
    }
    assert documented == {f"CAMPUS_{name.upper()}" for name in Settings.model_fields}


def test_nothing_configured_is_the_embedded_default(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(f"CAMPUS_{name.upper()}", raising=False)
    settings = Settings(_env_file=None)
    assert settings.is_embedded and not settings.uses_postgres and not settings.uses_kafka


def test_links_name_the_port_campus_serves_on_when_no_public_url_is_set():
    from ops.cli import served_links

    assert served_links(Settings(_env_file=None), "0.0.0.0", 8765) == {
        "CAMPUS_PUBLIC_BASE_URL": "http://127.0.0.1:8765"
    }


def test_a_configured_public_url_is_kept_whatever_port_is_served():
    from ops.cli import served_links

    configured = Settings(_env_file=None, public_base_url="https://campus.example.com")
    assert served_links(configured, "127.0.0.1", 8765) == {}
