"""Forms: the import upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.models import Institution

from ..services.imports import MAX_FILE_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), help_text=_("In the template below; at most 5 MB."))
    institution = forms.ModelChoiceField(
        label=_("Default institution"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        empty_label=_("(from the kode_instansi column)"),
        help_text=_("Used for rows whose kode_instansi is empty."),
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
