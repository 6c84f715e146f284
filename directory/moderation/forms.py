from django import forms


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why? (we email this to the organisation)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Be kind and specific: say what would need to change.",
    )
