from django import template

from accounts import services

register = template.Library()


@register.simple_tag(takes_context=True)
def invitation_for_sign_up(context):
    """For the sign-up page: the invitation it was reached from (accounts.services)."""
    return services.invitation_for_sign_up(context["request"].session)
