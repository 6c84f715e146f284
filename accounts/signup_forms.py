from django import forms

from accounts.models import Organisation
from directory.manage.forms import web_address_field


class OrganisationSignupForm(forms.ModelForm):
    """What a new organisation tells the moderators when it asks to list its groups."""

    class Meta:
        model = Organisation
        fields = ["name", "charity_number", "website", "contact_name", "email", "phone", "why"]
        labels = {
            "name": "Organisation name",
            "charity_number": "Scottish charity number",
            "contact_name": "Your name",
            "email": "Email for your organisation",
            "phone": "Phone number",
            "why": "What do you do, and who for?",
        }
        help_texts = {
            "name": "As parents will see it, for example “Forres Family Circle”.",
            "charity_number": "SC and six digits, for example SC012345. Groups without one are "
            "welcome too.",
            "contact_name": "Who our moderators can talk to about this application.",
            "email": "Shown to parents on your organisation's page once you're approved.",
            "phone": "Shown to parents on your organisation's page once you're approved.",
            "why": "A few lines about your groups and the parents you support. Only our "
            "moderators see this.",
        }
        widgets = {
            "why": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    website = web_address_field(
        "Website", "Your organisation's own website, if it has one. Shown to parents."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("contact_name", "email", "why"):
            self.fields[name].required = True

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                "An organisation with this name is already listed. If you work with them, "
                "ask one of its admins to invite you."
            )
        return name
