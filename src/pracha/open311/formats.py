"""GeoReport v2 output: XML (required by the specification) and JSON, and its datetimes.

The JSON is the "Spark convention" mapping of the XML: a list becomes an array, and in XML
every list item is an element named for one of what the list holds (`<services><service>`,
`<service_requests><request>`, `<attributes><attribute>`, ...).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}

# Plural element -> the element each of its items gets in XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "updates": "update",
    "categories": "category",
    "co_agencies": "agency",
    "service_codes": "service_code",
    "media_urls": "media_url",
    "answers": "answer",
}

# Characters XML 1.0 cannot carry at all (imported text sometimes has them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c(value: datetime | None) -> str | None:
    """ISO 8601 (the W3C profile) in Bangkok time with its offset: 2024-06-01T18:30:00+07:00."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


_SPACE_FOR_PLUS = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


def parse_w3c(text: str) -> datetime | None:
    """A W3C datetime (or a date, YYYY-MM or YYYY) as an aware datetime; None if unreadable.

    Times without an offset are Bangkok time. A `+07:00` sent unencoded in a query string
    arrives as ` 07:00`; that space is read as the plus it was.
    """
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text.strip())
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            if day is None and re.fullmatch(r"\d{4}-\d{2}", text):
                day = parse_date(text + "-01")
            if day is None and re.fullmatch(r"\d{4}", text):
                day = date(int(text), 1, 1)
            if day is None:
                return None
            parsed = datetime.combine(day, time())
    except ValueError:  # well formed but impossible, e.g. 2024-02-30
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()


def to_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """`data` in `fmt` (xml or json); `root` names the XML root element."""
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), status=status, content_type=FORMATS["xml"])
    return HttpResponse(to_json(data), status=status, content_type=FORMATS["json"])


def error_response(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error list: `[{"code", "description"}]` / `<errors><error>`."""
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt if fmt in FORMATS else "json", "errors", errors, status=status)
