"""Moderators' forms for moving the directory in and out as CSV."""

from django import forms
from django.core import signing

from accounts.models import Organisation
from opendata.csv_io import RowError, decode

# An upload waits this long between its preview and the moderator's go-ahead.
PREVIEW_SECONDS = 60 * 60
SALT = "opendata.csv-import"


def organisations():
    return Organisation.objects.order_by("name")


class ExportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=organisations(),
        to_field_name="slug",
        required=False,
        empty_label="Every organisation",
        label="Which listings",
    )

    def __init__(self, *args, **kwargs):
        # Shown on the same page as the upload form, whose organisation field is id_organisation.
        kwargs.setdefault("auto_id", "id_export_%s")
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=organisations(),
        label="Organisation",
        help_text="Every row is a listing of this organisation.",
        empty_label="Choose an organisation",
    )
    file = forms.FileField(
        label="CSV file",
        help_text="Saved as “CSV UTF-8”, with the columns of an export.",
    )

    def clean_file(self):
        try:
            return decode(self.cleaned_data["file"].read())
        except RowError as problem:
            raise forms.ValidationError(str(problem)) from problem


def sign_upload(organisation, content):
    """The uploaded text, signed, to carry from the preview to the go-ahead in a form field."""
    return signing.dumps(
        {"organisation": organisation.pk, "content": content}, salt=SALT, compress=True
    )


class ApplyForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)

    def clean_upload(self):
        try:
            upload = signing.loads(self.cleaned_data["upload"], salt=SALT, max_age=PREVIEW_SECONDS)
        except signing.SignatureExpired as exc:
            raise forms.ValidationError(
                "That preview is over an hour old: upload the file again."
            ) from exc
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                "That upload could not be read: upload the file again."
            ) from exc
        organisation = Organisation.objects.filter(pk=upload["organisation"]).first()
        if organisation is None:
            raise forms.ValidationError("That organisation no longer exists.")
        return organisation, upload["content"]
