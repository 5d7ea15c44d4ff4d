"""Forms of the hub administrator: memberships and contacts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Institution, Membership
from ..text import CleanTextFormMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def institution_label(institution: Institution) -> str:
    return f"{institution.name} ({institution.region.name})" if institution.region else institution.name


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return institution_label(obj)


class MembershipPeriodMixin(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data


class MembershipAddForm(CleanTextFormMixin, MembershipPeriodMixin, forms.Form):
    institution = InstitutionChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        error_messages={"required": _("Choose the institution.")},
    )
    role = forms.ChoiceField(
        label=_("Role in the hub"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), help_text=_("Empty: open-ended.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["starts_on"].initial = timezone.localdate()


class MembershipChangeForm(CleanTextFormMixin, MembershipPeriodMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role in the hub"), choices=Membership.Role.choices)
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), help_text=_("Empty: open-ended.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MembershipEndForm(CleanTextFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("Last day of membership"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()


class ContactForm(CleanTextFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Inactive contacts receive no notices.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.has_error("email"):
            raise forms.ValidationError(_("Give an e-mail address or a phone number."))
        return data
