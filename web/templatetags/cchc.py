"""Numbers as every report writes them: 1.256,5 and indices with two decimals (rules.vn)."""

from django import template

from rules import vn

register = template.Library()


@register.filter
def num(value):
    return "" if value is None or value == "" else vn.number(value)


@register.filter
def idx(value):
    return "—" if value is None else vn.index(value)
