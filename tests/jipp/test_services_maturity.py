"""The maturity self-assessment: default questions, answering, scoring, submitting."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jipp.models import MaturityAnswer, MaturityAspect, MaturityAssessment, MaturityQuestion
from jipp.reference import read_maturity_questions
from jipp.services.maturity import (
    AnswerInput,
    answers_save,
    assessment_reopen,
    assessment_start,
    assessment_submit,
    maturity_scores,
)
from tests.jipp.factories_hub import question_with_options

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(db):
    """Two planning questions (weights 1 and 3) and one of each other aspect, instead of the defaults."""
    MaturityQuestion.objects.update(active=False)
    return {
        "plan_light": question_with_options("perencanaan", weight="1", order=0),
        "plan_heavy": question_with_options("perencanaan", weight="3", order=1),
        "institution": question_with_options("pelembagaan"),
        "dissemination": question_with_options("penyebarluasan"),
        "evaluation": question_with_options("evaluasi"),
    }


def option(question, score):
    return question.options.get(score=Decimal(score))


def answer_all(assessment, questions, by, scores):
    answers_save(
        assessment=assessment,
        answers=[AnswerInput(question=questions[key], option=option(questions[key], scores[key])) for key in scores],
        by=by,
    )


def test_default_questions_cover_the_four_aspects_with_weighted_options():
    seeded = MaturityQuestion.objects.filter(active=True)
    assert sorted(set(seeded.values_list("aspect", flat=True))) == sorted(MaturityAspect.values)
    assert seeded.count() == len(read_maturity_questions())
    assert all(question.options.count() >= 2 for question in seeded)


def test_assessment_start_twice_for_a_year_is_refused(hub_network, hub_admin):
    assessment_start(hub=hub_network, year=2025, by=hub_admin)
    with pytest.raises(ValidationError) as error:
        assessment_start(hub=hub_network, year=2025, by=hub_admin)
    assert list(error.value.message_dict) == ["year"]


def test_assessment_start_by_member_operator_is_refused(hub_network, operator):
    with pytest.raises(PermissionDenied):
        assessment_start(hub=hub_network, year=2025, by=operator)


def test_answers_save_copies_the_score_best_score_and_weight(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    answer_all(assessment, questions, hub_admin, {"plan_heavy": 50})
    answer = MaturityAnswer.objects.get()
    assert (answer.score, answer.max_score, answer.weight) == (Decimal(50), Decimal(100), Decimal(3))


def test_answers_save_keeps_a_past_score_when_the_option_is_changed_later(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    answer_all(assessment, questions, hub_admin, {"plan_light": 50})
    questions["plan_light"].options.filter(score=50).update(score=80)
    assert MaturityAnswer.objects.get().score == Decimal(50)


def test_answers_save_option_of_another_question_is_refused(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    wrong = AnswerInput(question=questions["plan_light"], option=option(questions["evaluation"], 100))
    with pytest.raises(ValidationError):
        answers_save(assessment=assessment, answers=[wrong], by=hub_admin)


def test_answers_save_with_evidence_stores_it_by_content(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    evidence = SimpleUploadedFile("sk-tim.pdf", b"%PDF-1.4\n%%EOF\n")
    answers_save(
        assessment=assessment,
        answers=[
            AnswerInput(
                question=questions["institution"], option=option(questions["institution"], 100), evidence=evidence
            )
        ],
        by=hub_admin,
    )
    answer = MaturityAnswer.objects.get()
    assert (answer.evidence_name, answer.evidence.name.endswith(".pdf")) == ("sk-tim.pdf", True)


def test_answers_save_refuses_evidence_of_another_type_and_saves_no_answer(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    answers = [
        AnswerInput(question=questions["plan_light"], option=option(questions["plan_light"], 100)),
        AnswerInput(
            question=questions["institution"],
            option=option(questions["institution"], 100),
            evidence=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"),
        ),
    ]
    with pytest.raises(ValidationError):
        answers_save(assessment=assessment, answers=answers, by=hub_admin)
    assert MaturityAnswer.objects.count() == 0


def test_maturity_scores_weigh_answers_within_an_aspect_and_average_aspects(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    answer_all(
        assessment,
        questions,
        hub_admin,
        {"plan_light": 100, "plan_heavy": 0, "institution": 50, "dissemination": 100, "evaluation": 0},
    )
    scores = maturity_scores(assessment.answers.select_related("question"))
    # Planning: (1 x 100 + 3 x 0) / (4 x 100) = 25; overall: (25 + 50 + 100 + 0) / 4 = 43.75.
    assert scores == {
        "perencanaan": 25.0,
        "pelembagaan": 50.0,
        "penyebarluasan": 100.0,
        "evaluasi": 0.0,
        "overall": 43.8,
    }


def test_maturity_scores_of_an_unanswered_aspect_are_none():
    assert maturity_scores([]) == {aspect: None for aspect in [*MaturityAspect.values, "overall"]}


def test_assessment_submit_with_unanswered_questions_is_refused(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    answer_all(assessment, questions, hub_admin, {"plan_light": 100})
    with pytest.raises(ValidationError) as error:
        assessment_submit(assessment=assessment, by=hub_admin)
    assert error.value.code == "unanswered"


def test_assessment_submit_keeps_the_scores_and_locks_the_answers(hub_network, hub_admin, questions):
    assessment = assessment_start(hub=hub_network, year=2025, by=hub_admin)
    answer_all(
        assessment,
        questions,
        hub_admin,
        {"plan_light": 100, "plan_heavy": 100, "institution": 100, "dissemination": 100, "evaluation": 50},
    )
    submitted = assessment_submit(assessment=assessment, by=hub_admin)
    assert (submitted.status, submitted.scores["evaluasi"], submitted.scores["overall"]) == ("submitted", 50.0, 87.5)
    with pytest.raises(ValidationError) as error:
        answer_all(assessment, questions, hub_admin, {"evaluation": 100})
    assert error.value.code == "submitted"


def test_assessment_reopen_makes_a_draft_again(hub_network, hub_admin, questions):
    assessment = MaturityAssessment.objects.create(
        hub=hub_network, year=2024, status="submitted", submitted_at="2024-12-01T00:00Z", scores={"overall": 50.0}
    )
    reopened = assessment_reopen(assessment=assessment, by=hub_admin)
    assert (reopened.status, reopened.scores, reopened.submitted_at) == ("draft", {}, None)
