"""The benchmark harness's pure parts: percentiles, wrk and pgbench output, the report."""

from __future__ import annotations

import json

import pytest
import typer
from rich.console import Console

from ops.bench.cli import parse_concurrency, parse_env, parse_events
from ops.bench.http import parse_head
from ops.bench.lagclient import Outcome, Schedule, resolve_seen, saved_at, summarize
from ops.bench.pgbench import latencies_ms, parse_failures
from ops.bench.report import Row, json_line, latency_summary, percentile, relative_to, render
from ops.bench.targets import judge, paced_rate, peak
from ops.bench.wrk import WrkError, parse

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:40000/api/auth/user/profile
  8 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.01ms  31.22ms   90.12%
  38000 requests in 10.00s, 9.1MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   3800.00
WRK_JSON {"requests": 38000, "duration_us": 10000000, "p50_us": 1900, "p99_us": 7250, \
"max_us": 31220, "non2xx": 12, "statuses": {"409": 10, "500": 2}, "socket_errors": 3}
"""


def test_a_percentile_is_a_value_that_was_observed():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.5], 99) == 7.5


def test_a_percentile_does_not_depend_on_the_order_of_the_values():
    assert percentile([30, 10, 20], 50) == 20
    assert percentile([3, 1, 2, 4], 99) == 4


def test_a_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError):
        percentile([], 50)


def test_a_latency_summary_of_nothing_is_not_a_number_rather_than_zero():
    summary = latency_summary([])
    assert all(value != value for value in summary.values())  # NaN


def test_wrk_output_gives_rate_latencies_and_errors_non_2xx_included():
    result = parse(WRK_OUTPUT)
    assert (result.requests, result.seconds) == (38000, 10.0)
    assert (result.p50_ms, result.p99_ms, result.max_ms) == (1.9, 7.25, 31.22)
    assert result.errors == 15
    assert result.kinds == {"409": 10, "500": 2, "socket": 3}
    assert result.row("GET profile", 8).rate == 3800


def test_wrk_output_without_the_script_line_is_an_error():
    with pytest.raises(WrkError, match="no result"):
        parse("Running 10s test @ http://127.0.0.1:1/\nunable to connect\n")


def test_pgbench_logs_give_one_latency_per_transaction(tmp_path):
    (tmp_path / "pgbench_log.123").write_text("0 1 850 0 1700000000 1\n0 2 1200 0 1700000000 2\n")
    (tmp_path / "pgbench_log.123.1").write_text("1 1 400 0 1700000000 3\n")
    assert sorted(latencies_ms(tmp_path)) == [0.4, 0.85, 1.2]
    assert parse_failures("number of failed transactions: 4 (0.010%)\n") == 4
    assert parse_failures("tps = 10000.0\n") == 0


def test_a_row_shares_its_rate_with_its_anchor():
    anchor = Row("pgbench", 8, 100_000, 10.0)
    command = Row("profile update", 8, 25_000, 10.0)
    relative_to([anchor, command], anchor)
    assert command.rate == 2500 and command.of_anchor == 0.25 and anchor.of_anchor == 1


def test_the_table_shows_rates_latencies_errors_and_leaves_out_empty_columns():
    rows = [Row("rebuild", 0, 1_000_000, 50.0, unit="events"), Row("copy", 0, 200_000, 2.0)]
    text = table_text(rows)
    assert "20,000" in text and "100,000" in text and "1,000,000 events" in text
    assert "p99" not in text and "clients" not in text and "of anchor" not in text


def test_the_table_rounds_latencies_and_shows_errors_by_kind():
    row = Row("profile update", 8, 9000, 3.0, 1.234, 123.4, errors=5)
    row.extra["errors_by_kind"] = {"409": 4, "socket": 1}
    text = table_text([row])
    assert "1.2" in text and "123" in text and "3,000" in text
    assert "5 (409: 4, socket: 1)" in text


def test_the_json_line_names_the_benchmark_and_carries_every_row_with_its_rate():
    rows = [Row("profile update", 8, 9000, 3.0, 1.23456, 7.0)]
    found = json.loads(json_line("writes", rows, targets=[{"met": False}]))
    assert found["bench"] == "writes" and found["targets"] == [{"met": False}]
    assert found["rows"][0]["rate"] == 3000 and found["rows"][0]["p50_ms"] == 1.235


def test_a_figure_that_could_not_be_measured_is_null_in_the_json_line():
    found = json.loads(json_line("lag", [], lag_ms=latency_summary([])))
    assert found["lag_ms"] == {"p50": None, "p99": None, "max": None}


def test_the_write_target_is_judged_on_the_peak_with_8_to_32_clients():
    rows = [Row("p", 4, 90_000, 10.0), Row("p", 8, 30_000, 10.0), Row("p", 32, 60_000, 10.0)]
    best, bare = peak(rows), Row("bare", 32, 100_000, 10.0)
    assert best.clients == 32 and paced_rate(best, bare) == 2400
    judged = judge("on", best, Row("paced", 32, 24_000, 10.0, 5.0, 42.0), bare)
    assert judged["throughput_met"] and judged["p99_met"]


def test_below_the_target_rate_the_latency_target_is_not_measurable():
    best, bare = Row("p", 8, 6_000, 10.0), Row("bare", 8, 70_000, 10.0)
    assert paced_rate(best, bare) == 480
    judged = judge("off", best, Row("paced", 8, 4_800, 10.0, 5.0, 10.0), bare)
    assert judged["throughput_met"] is False and judged["p99_met"] is None


def test_the_lag_client_counts_failures_and_keeps_stale_answers_in_the_lag():
    outcomes = [
        Outcome(late_ms=1, written_at=1.0, write_ms=5, lag_ms=20),
        Outcome(late_ms=2, written_at=2.0, write_ms=6, lag_ms=10_000, failure="stale"),
        Outcome(late_ms=3, written_at=3.0, write_ms=7, failure="write 409"),
    ]
    summary = summarize(outcomes)
    assert summary["sent"] == 3 and summary["written"] == 2 and summary["write_seconds"] == 2.0
    assert summary["failures"] == {"stale": 1, "write 409": 1}
    assert summary["lag_ms"]["max"] == 10_000


def test_a_read_showing_an_update_saved_after_its_own_write_saw_that_write():
    plan = Schedule(start=0.0, rate=1.0)
    outcomes = [
        Outcome(late_ms=0, position=saved_at("identity:10"), seen=plan.name(1)),
        Outcome(late_ms=0, position=saved_at("identity:12")),
        Outcome(late_ms=0, position=saved_at("identity:14"), seen=plan.name(1)),
        Outcome(late_ms=0, position=saved_at("identity:16"), seen="Someone Else"),
    ]
    resolve_seen(outcomes, plan)
    assert [o.failure for o in outcomes] == [None, None, "unseen", "unseen"]


def test_the_lag_client_reads_the_status_and_headers_of_an_answer():
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX-Consistency-Token: identity:42\r\n\r\n"
    status, headers = parse_head(head)
    assert status == 200
    assert headers == {"content-length": "12", "x-consistency-token": "identity:42"}


def test_options_parse_concurrency_lists_and_env_pairs():
    assert parse_concurrency("8, 16,32") == [8, 16, 32]
    assert parse_env(["CAMPUS_GROUP_COMMIT=false", "A=b=c"]) == {
        "CAMPUS_GROUP_COMMIT": "false",
        "A": "b=c",
    }
    for bad in ("0", "eight"):
        with pytest.raises(typer.BadParameter):
            parse_concurrency(bad)
    with pytest.raises(typer.BadParameter):
        parse_env(["no-equals-sign"])


def test_analytics_sizes_are_event_counts_in_whole_enrollments_of_ten_facts():
    assert parse_events("1000000, 10_000_000") == [1_000_000, 10_000_000]
    for bad in ("", "15", "0", "ten", "1000,-10"):
        with pytest.raises(typer.BadParameter):
            parse_events(bad)


def table_text(rows: list[Row]) -> str:
    console = Console(width=200, record=True)
    console.print(render("t", rows))
    return console.export_text()
