"""Forms of the maturity self-assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import MaturityAnswer, MaturityAspect, MaturityQuestion
from ..text import CleanTextFormMixin
from ..uploads import max_bytes


class StartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


@dataclass
class QuestionFields:
    question: MaturityQuestion
    answer: MaturityAnswer | None
    option: forms.BoundField
    note: forms.BoundField
    evidence: forms.BoundField
    remove: forms.BoundField


class AssessmentForm(CleanTextFormMixin, forms.Form):
    """One choice of answer per question, with a note and an evidence file."""

    def __init__(
        self, *args: Any, questions: list[MaturityQuestion], answers: dict[int, MaturityAnswer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.answers = answers
        evidence_help = _("PDF, Word, Excel, PowerPoint or a photo, at most %(limit)s MB.") % {
            "limit": max_bytes() // (1024 * 1024)
        }
        for question in questions:
            answer = answers.get(question.pk)
            self.fields[f"option_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(option.pk, option.label) for option in question.options.all()],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=answer.option_id if answer else None,
                help_text=question.guidance,
            )
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                initial=answer.note if answer else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{question.pk}"] = forms.FileField(
                label=_("Evidence"), required=False, help_text=evidence_help
            )
            self.fields[f"remove_{question.pk}"] = forms.BooleanField(label=_("Remove the evidence"), required=False)

    def by_aspect(self) -> list[tuple[str, list[QuestionFields]]]:
        groups: dict[str, list[QuestionFields]] = {}
        for question in self.questions:
            groups.setdefault(question.aspect, []).append(
                QuestionFields(
                    question=question,
                    answer=self.answers.get(question.pk),
                    option=self[f"option_{question.pk}"],
                    note=self[f"note_{question.pk}"],
                    evidence=self[f"evidence_{question.pk}"],
                    remove=self[f"remove_{question.pk}"],
                )
            )
        labels = dict(MaturityAspect.choices)
        return [(str(labels[aspect]), groups[aspect]) for aspect in MaturityAspect.values if aspect in groups]
