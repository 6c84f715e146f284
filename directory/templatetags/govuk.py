"""Public forms in the GOV.UK pattern: each field's error message gets an id its input points
to, so a screen reader reads the error with the field, and the error summary links to it."""

from django import template

register = template.Library()


def error_id(field):
    return f"{field.auto_id}-error"


@register.filter
def error_message_id(field):
    return error_id(field)


@register.filter
def widget_with_errors(field):
    """The field's input, described by its hint and, when it has one, its error."""
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    attrs = {}
    if field.errors:
        described.append(error_id(field))
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
