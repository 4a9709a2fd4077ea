"""Filters for the officers' test pages: `{% load pracha_tests %}`.

`{{ subtest|named }}` picks `name_th` or `name_en` of a dict or object for the reader;
`{{ "pdpa"|domain_name }}` names a domain; `{{ 1234|clock }}` -> "20:34" (minutes:seconds);
`{{ value|one_decimal }}`."""

from __future__ import annotations

from typing import Any

from django import template

from pracha.competency.domains import domain
from pracha.web import names

register = template.Library()


@register.filter
def named(obj: Any) -> str:
    if isinstance(obj, dict):
        thai, english = obj.get("name_th", ""), obj.get("name_en", "")
    else:
        thai, english = getattr(obj, "name_th", ""), getattr(obj, "name_en", "")
    return (thai or english) if names.is_thai() else (english or thai)


@register.filter
def domain_name(code: str) -> str:
    return named(domain(code))


@register.filter
def clock(seconds: int | None) -> str:
    seconds = max(int(seconds or 0), 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def one_decimal(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".removesuffix(".0")
