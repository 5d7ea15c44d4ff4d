"""Forms: the public's objection to an announced finalist, and the secretariat's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..models import Objection


class ObjectionForm(CleanTextFormMixin, forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["name", "email", "phone", "text"]
        labels = {
            "name": _("Your name"),
            "email": _("Your e-mail address"),
            "phone": _("Your telephone number"),
            "text": _("Your objection"),
        }
        help_texts = {
            "phone": _("Give an e-mail address, a telephone number or both, so that the secretariat can answer."),
            "text": _("What is wrong about this finalist, and how do you know? At most 5,000 characters."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "text": forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        }
        error_messages = {
            "name": {"required": _("Give your name.")},
            "text": {"required": _("Write your objection.")},
            "email": {"invalid": _("Give a valid e-mail address, such as nama@contoh.go.id.")},
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("email") or cleaned.get("phone")) and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address or a telephone number."))
        return cleaned


class AnswerForm(CleanTextFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer of the secretariat"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the answer.")},
    )
