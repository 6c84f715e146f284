"""What a member of the public may send us."""

from django import forms

from directory.models import Report


class ReportForm(forms.ModelForm):
    """What a member of the public tells us about a listing. No name, no account."""

    kind = forms.ChoiceField(
        label="What's wrong?",
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us what is wrong with this listing"},
    )
    details = forms.CharField(
        label="Tell us more (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example the right day or phone number. Please don't include anything "
        "personal or about your health.",
    )
    email = forms.EmailField(
        label="Your email, if you'd like a reply (optional)",
        required=False,
        help_text="We only use it to reply about this. The group's organiser will see it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.com"
        },
    )

    class Meta:
        model = Report
        fields = ["kind", "details", "email"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Report.Kind.OTHER and not cleaned.get("details", "").strip():
            self.add_error("details", "Tell us in a few words what is wrong with this listing")
        return cleaned
