"""The knowledge domains of Pracha's item banks, with their names in Thai and English.

A bank may use other domain codes (an imported CSV names its own); these are the shipped
bank's, and the names pages show for them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    code: str
    name_th: str
    name_en: str


DOMAINS = {
    d.code: d
    for d in (
        Domain("workflow", "ขั้นตอนการทำงานเรื่องร้องเรียนและการส่งต่อ", "Case workflow and forwarding"),
        Domain("service", "มาตรฐานการให้บริการ", "Service standards"),
        Domain("pdpa", "การคุ้มครองข้อมูลส่วนบุคคลและรัฐบาลดิจิทัล", "Personal data and digital government"),
        Domain("disaster", "การรับมือน้ำท่วมและสาธารณภัย", "Flood and disaster response"),
        Domain("character", "การวางตัวและการตัดสินใจในงานบริการ", "Conduct and judgement at work"),
    )
}


def domain(code: str) -> Domain:
    """The domain named `code`; an unknown code gets its code as both names."""
    return DOMAINS.get(code) or Domain(code, code, code)
