"""Graded quizzes over HTTP on both backends: an instructor sets a QUIZ lesson's quiz, a learner
reads it without answers, attempts it, is told why a failed attempt failed, cannot complete the
lesson by posting progress, and completes it (and the course) by passing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.api import admin_token, bearer, data, error, token_for
from tests.conftest import Running
from tests.e2e.test_prerequisites import Campus, lesson, module
from tests.learning import learner, merged, read

QUESTIONS = [
    {
        "id": "capital",
        "kind": "SINGLE_CHOICE",
        "prompt": "The capital of Nigeria?",
        "options": [
            {"id": "lagos", "text": "Lagos"},
            {"id": "abuja", "text": "Abuja", "correct": True},
            {"id": "kano", "text": "Kano"},
        ],
    },
    {
        "id": "primes",
        "kind": "MULTIPLE_CHOICE",
        "prompt": "Which are prime?",
        "options": [
            {"id": "two", "text": "2", "correct": True},
            {"id": "four", "text": "4"},
            {"id": "seven", "text": "7", "correct": True},
        ],
    },
    {
        "id": "pi",
        "kind": "NUMERIC",
        "prompt": "Pi to two places?",
        "answer": 3.14,
        "tolerance": 0.005,
    },
    {
        "id": "ada",
        "kind": "SHORT_TEXT",
        "prompt": "Who wrote the first program?",
        "acceptedAnswers": ["Ada Lovelace", "Ada"],
    },
]
RIGHT = [
    {"questionId": "capital", "optionIds": ["abuja"]},
    {"questionId": "primes", "optionIds": ["seven", "two"]},
    {"questionId": "pi", "number": 3.141},
    {"questionId": "ada", "text": "  ada "},
]
HALF_WRONG = [*RIGHT[:2], {"questionId": "pi", "number": 3.2}]


def quiz_lesson(title: str = "Check yourself") -> dict[str, Any]:
    return {"title": title, "type": "QUIZ", "content": title, "status": "published"}


class QuizCampus(Campus):
    def quiz_course(self, **quiz: Any) -> tuple[str, tuple[str, str], tuple[str, str]]:
        """A free published course: a reading lesson, then a quiz lesson with ``quiz`` set."""
        shape = module("Basics", "Read") | {"lessons": [lesson("Read"), quiz_lesson()]}
        course_id = self.course(shape)
        reading, check = self.lessons(course_id)
        self.set_quiz(course_id, check, **quiz)
        return course_id, reading, check

    def set_quiz(
        self, course_id: str, part: tuple[str, str], expect: int = 200, **quiz: Any
    ) -> Any:
        body = {"questions": QUESTIONS, "passMark": 75} | quiz
        return self.as_admin("PUT", quiz_path(course_id, part), expect, **body)

    def quiz(self, student: Any, course_id: str, part: tuple[str, str], expect: int = 200) -> Any:
        student.written = merged(student.written, self.written)
        answer = read(self.client, student, quiz_path(course_id, part))
        return data(answer) if expect < 400 else error(answer, expect)

    def attempt(
        self, student: Any, course_id: str, part: tuple[str, str], answers: list, expect: int = 201
    ) -> Any:
        answer = student.wrote(
            self.client.post(
                quiz_path(course_id, part) + "/attempts",
                json={"answers": answers},
                headers=student.headers(),
            )
        )
        return data(answer) if expect < 400 else error(answer, expect)


def quiz_path(course_id: str, part: tuple[str, str]) -> str:
    return f"/api/courses/{course_id}/modules/{part[0]}/lessons/{part[1]}/quiz"


@pytest.fixture
def campus(backend: Running) -> QuizCampus:
    return QuizCampus(backend, admin_token(backend))


def test_a_learner_reads_the_quiz_without_its_answers(campus):
    course_id, _, check = campus.quiz_course(maxAttempts=3)
    ada = learner(campus.client)
    campus.enroll(ada, course_id)

    quiz = campus.quiz(ada, course_id, check)

    assert [q["id"] for q in quiz["questions"]] == ["capital", "primes", "pi", "ada"]
    assert quiz["questions"][0]["options"] == [
        {"id": "lagos", "text": "Lagos"},
        {"id": "abuja", "text": "Abuja"},
        {"id": "kano", "text": "Kano"},
    ]
    assert "answer" not in str(quiz["questions"]) and "correct" not in str(quiz["questions"])
    assert quiz | {"questions": None} == quiz | {
        "questions": None,
        "passMark": 75.0,
        "maxAttempts": 3,
        "attempt": 1,
        "attemptsUsed": 0,
        "attemptsLeft": 3,
        "bestScore": None,
        "passed": False,
        "locked": False,
    }


def test_a_failed_attempt_says_why_and_progress_cannot_complete_the_lesson(campus):
    course_id, reading, check = campus.quiz_course(maxAttempts=3)
    ada = learner(campus.client)
    campus.enroll(ada, course_id)
    campus.study(ada, reading)

    failed = campus.attempt(ada, course_id, check, HALF_WRONG)
    refused = campus.study(ada, check, 409)

    assert (failed["score"], failed["passed"], failed["attemptsLeft"]) == (50.0, False, 2)
    assert "50% of 75% needed" in failed["message"]
    assert [(r["questionId"], r["correct"], r["correctAnswer"]) for r in failed["results"]] == [
        ("capital", True, None),
        ("primes", True, None),
        ("pi", False, None),
        ("ada", False, None),
    ]
    assert failed["lessonCompleted"] is False and failed["status"] == "in_progress"
    assert refused["details"] == {"lessonId": check[1]}
    assert "quiz" in refused["message"]


def test_passing_the_quiz_completes_the_lesson_and_the_course(campus):
    course_id, reading, check = campus.quiz_course()
    ada = learner(campus.client)
    campus.enroll(ada, course_id)
    campus.study(ada, reading)

    passed = campus.attempt(ada, course_id, check, RIGHT)
    certificate = ada.wrote(
        campus.client.post(
            "/api/certificates/generate", json={"courseId": course_id}, headers=ada.headers()
        )
    )

    assert (passed["score"], passed["passed"], passed["lessonCompleted"]) == (100.0, True, True)
    assert passed["status"] == "completed" and passed["courseProgress"] == 1.0
    assert passed["results"][2]["correctAnswer"] == {
        "optionIds": None,
        "number": 3.14,
        "tolerance": 0.005,
        "acceptedAnswers": None,
    }
    assert certificate.status_code in (200, 201), certificate.text


def test_progress_and_the_dashboard_show_attempts_best_score_and_results(campus):
    course_id, reading, check = campus.quiz_course()
    ada = learner(campus.client)
    campus.enroll(ada, course_id)
    campus.study(ada, reading)
    campus.attempt(ada, course_id, check, HALF_WRONG)
    campus.attempt(ada, course_id, check, RIGHT)

    progress = data(read(campus.client, ada, f"/api/progress/{ada.enrollment_id}"))
    dashboard = data(read(campus.client, ada, "/api/user/dashboard"))
    quiz = campus.quiz(ada, course_id, check)

    summary = progress["quizzes"][0]
    assert (summary["lessonId"], summary["attempts"], summary["bestScore"]) == (check[1], 2, 100.0)
    assert summary["passed"] is True
    assert [r["correct"] for r in summary["results"]] == [True] * 4
    assert dashboard["quizzes"] == progress["quizzes"]
    assert [a["score"] for a in quiz["attempts"]] == [50.0, 100.0]
    assert (quiz["attemptsUsed"], quiz["bestScore"], quiz["passed"]) == (2, 100.0, True)


def test_an_attempt_past_the_limit_is_a_conflict_and_the_last_one_shows_the_answers(campus):
    course_id, _, check = campus.quiz_course(maxAttempts=2)
    ada = learner(campus.client)
    campus.enroll(ada, course_id)

    campus.attempt(ada, course_id, check, HALF_WRONG)
    last = campus.attempt(ada, course_id, check, HALF_WRONG)
    refused = campus.attempt(ada, course_id, check, RIGHT, 409)

    assert last["attemptsLeft"] == 0
    assert last["results"][0]["correctAnswer"]["optionIds"] == ["abuja"]
    assert refused["details"] == {"lessonId": check[1], "attemptsUsed": 2, "maxAttempts": 2}


def test_a_locked_quiz_refuses_attempts_saying_what_unlocks_it(campus):
    course_id, reading, check = campus.quiz_course()
    campus.as_admin("PUT", f"/api/courses/{course_id}", sequential=True)
    ada = learner(campus.client)
    campus.enroll(ada, course_id)
    ada.written = merged(ada.written, campus.written)

    refused = campus.attempt(ada, course_id, check, RIGHT, 409)
    quiz = campus.quiz(ada, course_id, check)

    assert refused["details"]["unlockedBy"]["lessonIds"] == [reading[1]]
    assert quiz["locked"] is True


def test_only_enrolled_learners_attempt_a_quiz_and_staff_preview_it_uncounted(campus):
    course_id, _, check = campus.quiz_course(maxAttempts=1)
    stranger = learner(campus.client)

    refused = campus.attempt(stranger, course_id, check, RIGHT, 403)
    preview = data(
        campus.client.post(
            quiz_path(course_id, check) + "/attempts",
            json={"answers": HALF_WRONG},
            headers=bearer(campus.admin),
        )
    )

    assert "enrolled" in refused["message"]
    assert preview["preview"] is True and preview["attempt"] is None
    assert preview["results"][2]["correctAnswer"]["number"] == 3.14


def test_a_shuffled_quiz_shows_one_order_per_attempt_and_grades_by_id(campus):
    many = [
        {"id": f"q{i}", "kind": "NUMERIC", "prompt": f"{i} + 1?", "answer": i + 1}
        for i in range(12)
    ]
    course_id, _, check = campus.quiz_course(questions=many, shuffle=True, passMark=100)
    ada = learner(campus.client)
    campus.enroll(ada, course_id)

    first = [q["id"] for q in campus.quiz(ada, course_id, check)["questions"]]
    again = [q["id"] for q in campus.quiz(ada, course_id, check)["questions"]]
    answers = [{"questionId": qid, "number": int(qid[1:]) + 1} for qid in reversed(first)]
    passed = campus.attempt(ada, course_id, check, answers[:-1])
    second = [q["id"] for q in campus.quiz(ada, course_id, check)["questions"]]

    assert first == again and sorted(first) == sorted(q["id"] for q in many)
    assert first != [q["id"] for q in many] or second != first
    assert passed["passed"] is False and passed["score"] == round(100 * 11 / 12, 2)


@pytest.mark.parametrize(
    "change",
    [
        {"questions": [QUESTIONS[0] | {"options": [{"text": "A"}, {"text": "B"}]}]},
        {"questions": [QUESTIONS[2] | {"tolerance": -1}]},
        {"questions": [{"kind": "ESSAY", "prompt": "Why?"}]},
        {"questions": [QUESTIONS[0], QUESTIONS[0]]},
        {"passMark": 120},
        {"maxAttempts": 0},
    ],
)
def test_an_invalid_quiz_is_refused(campus, change):
    course_id, _, check = campus.quiz_course()

    refused = campus.set_quiz(course_id, check, 400, **change)

    assert refused["message"]


def test_only_a_quiz_lesson_takes_a_quiz_and_only_its_staff_set_one(campus):
    course_id, reading, check = campus.quiz_course()
    instructor = token_for(campus.running, "instructor")

    refused = campus.set_quiz(course_id, reading, 400)
    forbidden = campus.client.put(
        quiz_path(course_id, check),
        json={"questions": QUESTIONS, "passMark": 50},
        headers=bearer(instructor),
    )

    assert "QUIZ" in refused["message"]
    error(forbidden, 403)


def test_the_author_gets_every_question_and_option_id_back(campus):
    course_id, _, check = campus.quiz_course()
    unnamed = [
        {
            "kind": "SINGLE_CHOICE",
            "prompt": "?",
            "options": [{"text": "A", "correct": True}, {"text": "B"}],
        }
    ]

    saved = campus.set_quiz(course_id, check, questions=unnamed)

    question = saved["questions"][0]
    assert question["id"] and all(option["id"] for option in question["options"])
    assert question["options"][0]["correct"] is True


def test_the_course_report_shows_the_share_of_learners_right_per_question(campus):
    course_id, _, check = campus.quiz_course()
    ada, bola = learner(campus.client), learner(campus.client)
    for student, answers in ((ada, RIGHT), (bola, HALF_WRONG)):
        campus.enroll(student, course_id)
        campus.attempt(student, course_id, check, answers)
    seen = merged(ada.written, bola.written, campus.written)

    created = data(
        campus.client.post(
            "/api/analytics/report",
            json={"type": "coursePopularity", "parameters": {}},
            headers=bearer(campus.admin, seen),
        )
    )
    pdf = campus.client.get(
        f"/api/analytics/reports/{created['reportId']}", headers=bearer(campus.admin)
    )

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    lines = text[text.index("Quiz questions, hardest first") :].splitlines()
    asked = [line for line in lines if line in ("ada", "pi", "capital", "primes")]
    # Each row: course, lesson id, question id, answers, right, share right.
    shares = [lines[lines.index(q) + 1 : lines.index(q) + 4] for q in asked]
    assert asked == ["ada", "pi", "capital", "primes"]
    assert shares == [
        ["2", "1", "0.50"],
        ["2", "1", "0.50"],
        ["2", "2", "1.00"],
        ["2", "2", "1.00"],
    ]
