"""The urgent-help numbers for templates, from their one list in directory.helplines.

A plain tag with no request or context: the 500 page uses it with the database away."""

from django import template

from directory import helplines

register = template.Library()


@register.simple_tag
def urgent_helplines():
    return (helplines.EMERGENCY, *helplines.HELPLINES)
