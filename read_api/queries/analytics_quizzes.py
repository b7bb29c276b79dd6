"""How hard each quiz question is: the share of attempts over a date range that got it right,
from ``analytics_quiz_answers`` (one row per question of each graded attempt). Hardest first,
so the course report leads with the questions worth rewording or teaching better."""

from __future__ import annotations

from infra.analytics.store import AnalyticsStore
from read_api.queries.analytics import COURSES, Period
from schemas.analytics import QuestionDifficultyView

QUESTIONS = """
    SELECT course_id, lesson_id, question_id, count() AS answers, sum(correct) AS correct
    FROM analytics_quiz_answers FINAL
    WHERE day BETWEEN {start:Date} AND {end:Date}
    GROUP BY course_id, lesson_id, question_id
"""


def question_difficulty(
    store: AnalyticsStore, period: Period, category: str | None = None
) -> list[QuestionDifficultyView]:
    """Every question answered in the range, in courses of ``category`` (case-insensitive)."""
    titles = {
        row["course_id"]: row["title"] for row in store.query(COURSES, {"category": category or ""})
    }
    found = [
        QuestionDifficultyView(
            course_id=row["course_id"],
            title=titles[row["course_id"]],
            lesson_id=row["lesson_id"],
            question_id=row["question_id"],
            answers=int(row["answers"]),
            correct=int(row["correct"]),
            share_correct=round(int(row["correct"]) / int(row["answers"]), 4),
        )
        for row in store.query(QUESTIONS, period.bounds())
        if row["course_id"] in titles
    ]
    return sorted(found, key=lambda q: (q.share_correct, q.title, q.lesson_id, q.question_id))
