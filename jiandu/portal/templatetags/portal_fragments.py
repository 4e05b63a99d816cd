"""`{% fragment name var1 var2 %}…{% endfragment %}`: a part of a portal page kept rendered in
this process under its name and the values it varies on (see jiandu/portal/fragments.py). Only
for parts that are a pure function of those values: it never expires."""

from django import template

from jiandu.portal import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        key = (self.name, *(str(var.resolve(context)) for var in self.vary_on))
        return fragments.kept(key, lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' takes a name and the variables it varies on.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
