from django import template

from community import documents

register = template.Library()


@register.simple_tag
def order_preamble(order) -> str:
    return documents.preamble(order)


@register.simple_tag
def order_points(order) -> list[str]:
    return documents.order_points(order, {"is_fixing": order.kind == "fixing"})


@register.simple_tag
def decision_line(decision) -> str:
    return documents.decision_line(decision)
