"""Generated reports, kept in the analytics store's ``analytics_reports`` table.

A report holds its figures as computed when it was asked for (JSON), so a download shows the
same numbers however the facts change afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime

from infra.analytics.store import AnalyticsStore
from schemas.analytics import DATA_OF, ReportParameters, ReportView

LOAD = """
    SELECT report_id, type, parameters, data, toString(generated_at) AS generated_at
    FROM analytics_reports FINAL
    WHERE report_id = {report_id:String}
"""


def save_report(store: AnalyticsStore, report: ReportView, generated_by: str) -> None:
    row = {
        "report_id": report.report_id,
        "type": report.type,
        "parameters": report.parameters.model_dump_json(by_alias=True, exclude_none=True),
        "data": report.data.model_dump_json(by_alias=True),
        "generated_by": generated_by,
        "generated_at": report.generated_at,
    }
    store.insert("analytics_reports", [row])


def load_report(store: AnalyticsStore, report_id: str) -> ReportView | None:
    rows = store.query(LOAD, {"report_id": report_id})
    if not rows:
        return None
    row = rows[0]
    return ReportView(
        report_id=row["report_id"],
        type=row["type"],
        parameters=ReportParameters.model_validate_json(row["parameters"]),
        # toString answers the UTC wall time without its zone.
        generated_at=datetime.fromisoformat(row["generated_at"]).replace(tzinfo=UTC),
        data=DATA_OF[row["type"]].model_validate_json(row["data"]),
    )
