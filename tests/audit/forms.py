"""Submit a Django admin form the way a browser would: read its fields, change some, post."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.test import Client


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            default = "on" if a.get("type") in {"checkbox", "radio"} else ""
            self.fields.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None and "selected" in a:
            self.fields.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.setdefault(self._textarea, []).append("".join(self._text).lstrip("\n"))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def submit_admin_form(client: Client, url: str, changes: dict[str, Any], **extra: Any) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    parser = _FormFields()
    parser.feed(page.content.decode())
    data: dict[str, Any] = {k: v if len(v) > 1 else v[0] for k, v in parser.fields.items()}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(url, data, **extra)
