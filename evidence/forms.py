import datetime

from django import forms
from django.utils import timezone

from evidence.models import Metric

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DEFAULT_DAYS = 12 * 7


class HelpfulForm(forms.Form):
    """ "Was this page helpful?": a yes or no, and what the visitor found, if they say."""

    ANSWERS = {"yes": Metric.HELPFUL_YES, "no": Metric.HELPFUL_NO}
    FOUND = {
        "group": Metric.FOUND_GROUP,
        "times": Metric.FOUND_TIMES,
        "directions": Metric.FOUND_DIRECTIONS,
    }

    answer = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])
    found = forms.MultipleChoiceField(
        choices=[
            ("group", "A group I could go to"),
            ("times", "When it meets"),
            ("directions", "How to get there"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What did you find here? (optional)",
    )

    def metrics(self):
        data = self.cleaned_data
        return [self.ANSWERS[data["answer"]], *(self.FOUND[f] for f in data["found"])]


class DateRangeForm(forms.Form):
    start = forms.DateField(label="From", required=False, input_formats=DATE_FORMATS)
    end = forms.DateField(label="To", required=False, input_formats=DATE_FORMATS)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def dates(self):
        """The chosen range, or the last 12 weeks where a date is missing or unreadable."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start")
        if start is None:
            try:
                start = end - datetime.timedelta(days=DEFAULT_DAYS - 1)
            except OverflowError:  # an end date in the first weeks of year 1
                start = datetime.date.min
        return start, end
