"""How many groups a filter choice finds, written beside it: "Forres (6)"."""

from django import template

register = template.Library()


@register.simple_tag
def option_count(counts, name, value):
    """The count for one choice from FilterSet.option_counts(), or "" without counts."""
    if not counts:
        return ""
    found = counts.get(name, {}).get(str(value))
    return "" if found is None else f" ({found})"
