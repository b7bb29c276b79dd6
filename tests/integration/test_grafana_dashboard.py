"""The Grafana provisioning in ops/grafana: it parses, it is wired into docker-compose.yml, and
every analytics panel's SQL runs on ClickHouse's engine (chDB) against the analytics tables;
every operations panel's PromQL names metrics Campus exports, scraped from every process.

Grafana's ClickHouse plugin expands its macros before sending a query; the test expands them
the same way (``$__timeFilter(at)`` → ``at >= toDateTime(from) AND at <= toDateTime(to)``,
``$__fromTime`` / ``$__toTime`` → ``toDateTime(…)``), with literal times.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from ops.bootstrap import bootstrap
from ops.workers.metrics import (
    ProjectionCollector,
    RefundCollector,
    RelayCollector,
    applied_per_projection,
)
from ops.workers.relay import Relay
from projections.analytics.schema import TABLES
from tests.conftest import embedded_settings

if TYPE_CHECKING:
    from chdb.session import Session

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "ops" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "campus-analytics.json"
PLUGIN = "grafana-clickhouse-datasource"
FROM = int(datetime(2025, 3, 1, tzinfo=UTC).timestamp())
TO = int(datetime(2025, 3, 31, tzinfo=UTC).timestamp())


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def targets() -> list[tuple[str, dict[str, Any]]]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [(panel["title"], target) for panel in panels for target in panel["targets"]]


def expand(sql: str) -> str:
    """The plugin's macros, as it expands them, for the range FROM..TO."""
    sql = re.sub(
        r"\$__timeFilter\((\w+)\)",
        lambda m: f"{m[1]} >= toDateTime({FROM}) AND {m[1]} <= toDateTime({TO})",
        sql,
    )
    return sql.replace("$__fromTime", f"toDateTime({FROM})").replace(
        "$__toTime", f"toDateTime({TO})"
    )


@pytest.fixture
def clickhouse(tmp_path: Path) -> Iterator[Session]:
    from chdb.session import Session  # with pyarrow and numpy: imported by the tests that use it

    session = Session(str(tmp_path / "chdb"))
    try:
        for create in TABLES.values():
            session.query(create)
        yield session
    finally:
        session.close()


def rows(session: Session, sql: str) -> list[list[Any]]:
    return json.loads(session.query(expand(sql), "JSONCompact").bytes())["data"]


def fact(position: int, kind: str, day: int, amount: int = 0, currency: str = "NGN") -> dict:
    at = datetime(2025, 3, day, 12, tzinfo=UTC)
    return {
        "application": "commerce" if kind in ("payment", "refund") else "learning",
        "position": position,
        "fact": kind,
        "at": at.strftime("%Y-%m-%d %H:%M:%S"),
        "day": at.strftime("%Y-%m-%d"),
        "course_id": "course-1",
        "user_id": f"user-{position}",
        "amount": amount,
        "currency": currency,
        "value": 0.0,
        "code": "WELCOME" if kind == "coupon_redemption" else "",
    }


def insert(session: Session, facts: list[dict]) -> None:
    lines = "\n".join(json.dumps(f) for f in facts)
    session.query(f"INSERT INTO analytics_facts FORMAT JSONEachRow\n{lines}")


def sql_of(title: str) -> str:
    return next(t["rawSql"] for panel, t in targets() if panel == title)


def test_the_provisioning_files_parse_and_name_the_official_clickhouse_plugin():
    datasources = load_yaml(GRAFANA / "provisioning" / "datasources" / "clickhouse.yaml")
    [source] = datasources["datasources"]
    assert source["type"] == PLUGIN and source["jsonData"]["host"] == "clickhouse"
    assert source["secureJsonData"]["password"] == "${CLICKHOUSE_PASSWORD}"
    [provider] = load_yaml(GRAFANA / "provisioning" / "dashboards" / "campus.yaml")["providers"]
    assert provider["type"] == "file"


def test_every_panel_queries_the_provisioned_data_source():
    uid = load_yaml(GRAFANA / "provisioning" / "datasources" / "clickhouse.yaml")
    uid = uid["datasources"][0]["uid"]
    for _, target in targets():
        assert target["datasource"] == {"type": PLUGIN, "uid": uid}
        assert target["editorType"] == "sql"


def test_the_dashboard_has_the_four_daily_series_and_the_three_totals():
    panels = json.loads(DASHBOARD.read_text())["panels"]
    kinds = {panel["title"]: panel["type"] for panel in panels}
    assert kinds == {
        "Enrollments": "stat",
        "Revenue": "stat",
        "Completion rate": "stat",
        "Enrollments per day": "timeseries",
        "Revenue per day": "timeseries",
        "Completions per day": "timeseries",
        "Coupon usage per day": "timeseries",
    }


def test_every_table_a_panel_reads_is_read_with_final():
    for title, target in targets():
        tables = re.findall(r"FROM\s+(analytics_\w+)(\s+FINAL)?", target["rawSql"])
        assert tables, title
        assert all(final for _, final in tables), title


def test_compose_runs_grafana_with_the_plugin_the_provisioning_and_no_default_password():
    compose = load_yaml(ROOT / "docker-compose.yml")
    grafana = compose["services"]["grafana"]
    assert grafana["environment"]["GF_INSTALL_PLUGINS"] == PLUGIN
    assert grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD"].startswith(
        "${GRAFANA_ADMIN_PASSWORD:?"
    )
    assert "clickhouse" in grafana["depends_on"] and "clickhouse" in compose["services"]
    mounts = [volume.split(":") for volume in grafana["volumes"] if volume.startswith("./")]
    for source, _target, mode in mounts:
        assert (ROOT / source).is_dir() and mode == "ro"
    provider = load_yaml(GRAFANA / "provisioning" / "dashboards" / "campus.yaml")
    dashboards = [t for s, t, _ in mounts if s == "./ops/grafana/dashboards"]
    assert dashboards == [provider["providers"][0]["options"]["path"]]


@pytest.mark.parametrize("title", [title for title, _ in targets()])
def test_each_panel_runs_on_empty_tables(clickhouse: Session, title: str):
    rows(clickhouse, sql_of(title))


def test_revenue_is_payments_minus_refunds_in_major_units_per_currency(clickhouse: Session):
    insert(
        clickhouse,
        [
            fact(1, "payment", 2, 5_000_00),
            fact(2, "payment", 2, 2_000_00),
            fact(3, "refund", 3, 2_000_00),
            fact(4, "payment", 3, 10_00, "USD"),
            fact(5, "payment", 2, 1_000_00),  # again, as a redelivered event writes it
            fact(5, "payment", 2, 1_000_00),
            fact(6, "payment", 20, 9_99),
            fact(7, "payment", 31, 1_000_00),  # after the range, which ends on 31 March 00:00
        ],
    )
    assert rows(clickhouse, sql_of("Revenue")) == [["NGN", 6009.99], ["USD", 10]]
    daily = rows(clickhouse, sql_of("Revenue per day"))
    assert [(time[:10], currency, revenue) for time, currency, revenue in daily] == [
        ("2025-03-02", "NGN", 8000),
        ("2025-03-03", "NGN", -2000),
        ("2025-03-03", "USD", 10),
        ("2025-03-20", "NGN", 9.99),
    ]


def test_counts_per_day_and_the_completion_rate_count_each_fact_once(clickhouse: Session):
    enrolled = [fact(n, "enrollment", 1 + n % 3) for n in range(1, 5)]
    insert(clickhouse, enrolled + enrolled[:1])  # one redelivered
    insert(clickhouse, [fact(10, "completion", 5), fact(11, "coupon_redemption", 5)])
    assert rows(clickhouse, sql_of("Enrollments")) == [[4]]
    per_day = rows(clickhouse, sql_of("Enrollments per day"))
    assert [(time[:10], n) for time, n in per_day] == [
        ("2025-03-01", 1),
        ("2025-03-02", 2),
        ("2025-03-03", 1),
    ]
    assert [n for _, n in rows(clickhouse, sql_of("Completions per day"))] == [1]
    assert [n for _, n in rows(clickhouse, sql_of("Coupon usage per day"))] == [1]
    assert rows(clickhouse, sql_of("Completion rate")) == [[0.25]]


OPERATIONS = GRAFANA / "dashboards" / "campus-operations.json"
PROMETHEUS = GRAFANA / "provisioning" / "datasources" / "prometheus.yaml"
METRIC = re.compile(r"\b(?:campus|process)_\w+")
SAMPLES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count")}


def operations_queries() -> list[tuple[str, dict[str, Any]]]:
    panels = json.loads(OPERATIONS.read_text())["panels"]
    return [(panel["title"], target) for panel in panels for target in panel["targets"]]


@pytest.fixture
def exported(tmp_path: Path) -> Iterator[set[str]]:
    """Every sample name a Campus process can export: the instruments and the collectors'."""
    campus = bootstrap(embedded_settings(tmp_path))
    try:
        relay = Relay(list(campus.apps.values()), None, campus.read_engine, 1)  # type: ignore[arg-type]
        campus.metrics.register(RelayCollector(relay))
        projections = applied_per_projection(campus.runner("users"), campus.read_engine)
        apps, engine = campus.apps.values(), campus.read_engine
        campus.metrics.register(ProjectionCollector(apps, engine, projections))
        campus.metrics.register(RefundCollector(engine))
        yield {
            family.name + suffix
            for family in campus.metrics.registry.collect()
            for suffix in SAMPLES.get(family.type, ("",))
        }
    finally:
        campus.close()


def test_the_operations_dashboard_is_json_with_panels_on_the_prometheus_source():
    dashboard = json.loads(OPERATIONS.read_text())
    [source] = load_yaml(PROMETHEUS)["datasources"]
    assert dashboard["title"] == "Campus operations" and source["type"] == "prometheus"
    assert source["url"] == "http://prometheus:9090"
    for title, target in operations_queries():
        assert target["datasource"] == {"type": "prometheus", "uid": source["uid"]}, title


def test_every_operations_panel_queries_a_metric_campus_exports(exported: set[str]):
    for title, target in operations_queries():
        named = set(METRIC.findall(target["expr"]))
        assert named and named <= exported, (title, named - exported)


def test_compose_runs_prometheus_scraping_every_campus_process():
    compose = load_yaml(ROOT / "docker-compose.yml")
    services = compose["services"]
    mount = services["prometheus"]["volumes"][0].split(":")
    assert mount == ["./ops/compose/prometheus.yml", "/etc/prometheus/prometheus.yml", "ro"]
    scraped = {
        (name, config["port"])
        for job in load_yaml(ROOT / "ops" / "compose" / "prometheus.yml")["scrape_configs"]
        for config in job["dns_sd_configs"]
        for name in config["names"]
    }
    port = int(compose["x-campus"]["environment"]["CAMPUS_METRICS_PORT"])
    campus = {name for name, s in services.items() if s.get("image") == "campus:local"}
    apis = {"write-api", "read-api"}
    assert scraped == {(n, 8000) for n in apis} | {(n, port) for n in campus - apis}
