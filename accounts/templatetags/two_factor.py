from django import template

from moray_peer.security import continue_after_setup

register = template.Library()


@register.simple_tag(takes_context=True)
def continue_url(context):
    """The "Continue" link of the recovery-codes page (moray_peer.security)."""
    return continue_after_setup(context["request"])
