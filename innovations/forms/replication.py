"""Forms: replication steps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin
from jipp.uploads import size_text

from ..models import Innovation
from ..services.replication import agreement_max_bytes, validate_agreement_document


class ReplicationRequestForm(CleanTextFormMixin, forms.Form):
    scope = forms.CharField(
        label=_("Scope"),
        max_length=200,
        required=False,
        help_text=_("The whole innovation, or which parts of it."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class AgreementForm(CleanTextFormMixin, forms.Form):
    document = forms.FileField(label=_("Agreement document"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _("The signed agreement: PDF or Word (.docx), at most %(limit)s.") % {
            "limit": size_text(agreement_max_bytes())
        }

    def clean_document(self):
        document = self.cleaned_data["document"]
        validate_agreement_document(document)
        return document


class DecisionNoteForm(CleanTextFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the rejection.")},
    )


class ImplementForm(CleanTextFormMixin, forms.Form):
    replica = forms.ModelChoiceField(
        label=_("Your institution's record of the replica"),
        queryset=Innovation.objects.none(),
        required=False,
        empty_label=_("(none yet)"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["replica"].queryset = candidates


class ReplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    regency = forms.ModelChoiceField(label=_("Regency"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        from jipp.models import Region

        from ..models import Replication

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *Replication.Status.choices]
        self.fields["regency"].queryset = Region.objects.filter(level=Region.Level.REGENCY)
