"""`{% fragment name var1 var2 %}…{% endfragment %}`: a part of a portal page kept rendered in
this process, under its name and the values it varies on.

For fragments that are a pure function of those values (the language, the path, a hash of a
leader's public fields) and of the deployed code: nothing else can make them stale, so there is
no expiry and no shared cache to ask. It replaces Django's `{% cache %}` on the portal's hot path,
which hashes its key and unpickles the fragment from the cache backend on every request (about a
third of rendering a leader page). The store is bounded: past FRAGMENT_LIMIT entries (paths are
chosen by the visitor) it starts again empty."""

from django import template

register = template.Library()

FRAGMENT_LIMIT = 4096
_FRAGMENTS: dict[tuple, str] = {}


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        key = (self.name, *(str(var.resolve(context)) for var in self.vary_on))
        html = _FRAGMENTS.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_FRAGMENTS) >= FRAGMENT_LIMIT:
                _FRAGMENTS.clear()
            _FRAGMENTS[key] = html
        return html


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' takes a name and the variables it varies on.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


def clear() -> None:
    """Forget every kept fragment (tests that change templates or translations in process)."""
    _FRAGMENTS.clear()
