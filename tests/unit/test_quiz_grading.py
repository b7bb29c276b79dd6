"""Grading a quiz: each kind of question, the score and the pass mark, the shuffled order, and
what makes a quiz invalid. Pure functions, in memory."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.courses.grading import Answer, attempt_seed, grade, shuffled
from domain.courses.quiz import CHOICES, InvalidQuizError, Option, Question, QuestionKind, Quiz

SINGLE = Question(
    "capital",
    QuestionKind.SINGLE_CHOICE,
    "The capital of Nigeria?",
    (Option("a", "Lagos"), Option("b", "Abuja", correct=True), Option("c", "Kano")),
)
MULTIPLE = Question(
    "primes",
    QuestionKind.MULTIPLE_CHOICE,
    "Which are prime?",
    (Option("2", "2", True), Option("4", "4"), Option("7", "7", True)),
)
NUMERIC = Question("pi", QuestionKind.NUMERIC, "Pi to two places?", answer=3.14, tolerance=0.005)
TEXT = Question(
    "author", QuestionKind.SHORT_TEXT, "Who wrote the first program?", accepted_answers=("Ada",)
)


def quiz(*questions: Question, pass_mark: float = 50, **fields) -> Quiz:
    return Quiz(questions or (SINGLE, MULTIPLE, NUMERIC, TEXT), pass_mark, **fields)


def test_a_single_choice_is_right_only_with_the_correct_option():
    assert grade(quiz(SINGLE), {"capital": Answer(frozenset({"b"}))}).passed
    assert not grade(quiz(SINGLE), {"capital": Answer(frozenset({"a"}))}).passed
    assert not grade(quiz(SINGLE), {"capital": Answer(frozenset({"a", "b"}))}).passed


def test_a_multiple_choice_is_right_only_with_exactly_the_correct_options():
    results = [
        grade(quiz(MULTIPLE), {"primes": Answer(frozenset(picked))}).passed
        for picked in ({"2", "7"}, {"2"}, {"2", "4", "7"})
    ]

    assert results == [True, False, False]


def test_a_number_is_right_within_the_tolerance():
    assert grade(quiz(NUMERIC), {"pi": Answer(number=3.144)}).passed
    assert not grade(quiz(NUMERIC), {"pi": Answer(number=3.15)}).passed


def test_a_short_text_ignores_case_and_spacing():
    assert grade(quiz(TEXT), {"author": Answer(text="  ada ")}).passed
    assert not grade(quiz(TEXT), {"author": Answer(text="Charles")}).passed


def test_an_unanswered_question_is_wrong():
    graded = grade(quiz(), {"capital": Answer(frozenset({"b"}))})

    assert graded.score == 25.0
    assert [r.correct for r in graded.results] == [True, False, False, False]


def test_the_pass_mark_is_judged_on_the_exact_share_not_the_rounded_score():
    three = (SINGLE, MULTIPLE, NUMERIC)
    graded = grade(
        quiz(*three, pass_mark=66.67),
        {"capital": Answer(frozenset({"b"})), "pi": Answer(number=3.14)},
    )

    assert graded.score == 66.67
    assert not graded.passed


def test_an_answer_to_a_question_the_quiz_does_not_ask_is_refused():
    with pytest.raises(InvalidQuizError, match="nope"):
        grade(quiz(), {"nope": Answer(text="x")})


def test_a_single_choice_question_needs_exactly_one_correct_option():
    with pytest.raises(InvalidQuizError, match="exactly one"):
        Question(
            "q", QuestionKind.SINGLE_CHOICE, "?", (Option("a", "A", True), Option("b", "B", True))
        )


def test_a_multiple_choice_question_needs_a_correct_option():
    with pytest.raises(InvalidQuizError, match="at least one"):
        Question("q", QuestionKind.MULTIPLE_CHOICE, "?", (Option("a", "A"), Option("b", "B")))


def test_a_tolerance_below_zero_is_refused():
    with pytest.raises(InvalidQuizError, match="tolerance"):
        Question("q", QuestionKind.NUMERIC, "?", answer=1, tolerance=-0.1)


def test_a_short_text_question_needs_an_accepted_answer():
    with pytest.raises(InvalidQuizError, match="non-blank"):
        Question("q", QuestionKind.SHORT_TEXT, "?", accepted_answers=(" ",))


def test_a_quiz_needs_questions_with_distinct_ids_and_a_pass_mark_in_percent():
    with pytest.raises(InvalidQuizError):
        Quiz(())
    with pytest.raises(InvalidQuizError):
        Quiz((SINGLE, SINGLE))
    with pytest.raises(InvalidQuizError, match="passMark"):
        Quiz((SINGLE,), pass_mark=101)
    with pytest.raises(InvalidQuizError, match="maxAttempts"):
        Quiz((SINGLE,), max_attempts=0)


def test_a_quiz_survives_the_round_trip_through_an_event():
    original = quiz(max_attempts=3, shuffle=True)

    assert Quiz.from_dict(original.as_dict()) == original


def test_the_same_learner_lesson_and_attempt_always_draw_the_same_order():
    ids = [str(i) for i in range(20)]

    first = shuffled(ids, attempt_seed("ada", "l1", 1))

    assert shuffled(ids, attempt_seed("ada", "l1", 1)) == first
    assert shuffled(ids, attempt_seed("ada", "l1", 2)) != first
    assert sorted(first) == sorted(ids)


# -- properties -------------------------------------------------------------------------------
ITEM = st.text("abcdefgh0123456789", min_size=1, max_size=6)


@st.composite
def questions(draw, index: int) -> Question:
    kind = draw(st.sampled_from(QuestionKind))
    qid = f"q{index}"
    if kind is QuestionKind.NUMERIC:
        answer = draw(st.floats(-1e6, 1e6))
        return Question(qid, kind, "?", answer=answer, tolerance=draw(st.floats(0, 10)))
    if kind is QuestionKind.SHORT_TEXT:
        return Question(
            qid, kind, "?", accepted_answers=tuple(draw(st.lists(ITEM, min_size=1, max_size=3)))
        )
    ids = draw(st.lists(ITEM, min_size=2, max_size=6, unique=True))
    if kind is QuestionKind.SINGLE_CHOICE:
        right = {draw(st.sampled_from(ids))}
    else:
        right = set(draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
    return Question(qid, kind, "?", tuple(Option(i, i, i in right) for i in ids))


@st.composite
def quizzes(draw) -> Quiz:
    count = draw(st.integers(1, 8))
    asked = tuple(draw(questions(i)) for i in range(count))
    return Quiz(asked, draw(st.floats(0, 100)), shuffle=True)


@st.composite
def answer_sheets(draw, quiz: Quiz) -> dict[str, Answer]:
    sheet = {}
    for q in quiz.questions:
        if draw(st.booleans()):
            continue
        options = [o.id for o in q.options]
        sheet[q.id] = Answer(
            frozenset(draw(st.lists(st.sampled_from(options), unique=True)))
            if options
            else frozenset(),
            draw(st.none() | st.floats(-1e6, 1e6)),
            draw(st.none() | ITEM),
        )
    return sheet


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_score_is_a_percentage_and_agrees_with_the_questions_right(data):
    asked = data.draw(quizzes())
    graded = grade(asked, data.draw(answer_sheets(asked)))

    assert 0 <= graded.score <= 100
    assert graded.score == round(100 * graded.correct_count / len(asked.questions), 2)


def perfect_sheet(quiz: Quiz) -> dict[str, Answer]:
    """One answer per question that a learner who knew everything might give."""
    return {q.id: right_answer(q) for q in quiz.questions}


def right_answer(question: Question) -> Answer:
    if question.kind in CHOICES:
        return Answer(option_ids=question.correct_option_ids)
    if question.kind is QuestionKind.NUMERIC:
        return Answer(number=question.answer)
    return Answer(text=question.accepted_answers[0])


@settings(max_examples=200, deadline=None)
@given(quizzes())
def test_a_perfect_answer_sheet_always_passes(asked):
    graded = grade(asked, perfect_sheet(asked))

    assert graded.passed and graded.score == 100


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_grading_does_not_depend_on_the_order_questions_and_answers_come_in(data):
    asked = data.draw(quizzes())
    sheet = data.draw(answer_sheets(asked))
    seed = data.draw(st.text(max_size=10))
    order = shuffled([q.id for q in asked.questions], seed)
    reordered = Quiz(tuple(asked.question(i) for i in order), asked.pass_mark, shuffle=True)

    straight, shuffled_grade = grade(asked, sheet), grade(reordered, dict(reversed(sheet.items())))

    assert (straight.score, straight.passed) == (shuffled_grade.score, shuffled_grade.passed)
    assert {r.question_id: r.correct for r in straight.results} == {
        r.question_id: r.correct for r in shuffled_grade.results
    }
