from django import forms

from accounts.models import Membership

ROLE_HELP = "Admins manage the organisation's members and listings. Editors manage listings."


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        help_text="We'll email them a link. It works once and for 7 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="What they can do",
        choices=Membership.Role.choices,
        initial=Membership.Role.EDITOR,
        widget=forms.RadioSelect,
        help_text=ROLE_HELP,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError("They're already a member of this organisation.")
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)
