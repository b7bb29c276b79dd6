"""What a certificate's placeholders stand for, apart from drawing it: the read API fills
them in without loading reportlab, which it imports only when a PDF is asked for."""

from __future__ import annotations

from datetime import UTC, datetime

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
NO_GRADE = "—"


def long_date(moment: datetime) -> str:
    """``28 November 2026``, in English whatever the process's locale."""
    day = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def grade_of(progress: float | None) -> str:
    """The learner's share of the course when the certificate was issued, as a percentage;
    ``—`` for a certificate that records none (issued by hand without an enrollment, or
    before grades were recorded)."""
    return NO_GRADE if progress is None else f"{round(progress * 100)}%"


def values_of(
    learner: str, course: str, instructor: str, awarded_at: datetime, progress: float | None
) -> dict[str, str]:
    """What each placeholder stands for on one certificate."""
    date = long_date(awarded_at)
    values = dict(learner=learner, course=course, date=date, grade=grade_of(progress))
    return values | {"instructor": instructor}
