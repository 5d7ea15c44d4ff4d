"""Forms: the yearly sustainability report."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jipp.text import CleanTextFormMixin

from ..models import SustainabilityStatus


class SustainabilityForm(CleanTextFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=SustainabilityStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason or development"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the innovation stopped: say why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = self.initial.get("year", timezone.localdate().year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("A report cannot be for a future year."))
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == SustainabilityStatus.STOPPED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the innovation stopped."))
        return cleaned
