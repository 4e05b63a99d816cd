"""Template helpers of the registry pages."""

from django import template

from jiandu.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, perm, unit=None):
    """{% may "registry.manage" unit as can_manage %}: the same answer the views and actions give."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and access.can(user, perm, unit))
