"""Who is acting on a case: an officer of an agency, a citizen, or an importer."""

from __future__ import annotations

from dataclasses import dataclass

from pracha.agencies.models import Agency, Officer


@dataclass(frozen=True)
class Actor:
    label: str
    user: object | None = None
    officer: Officer | None = None

    @property
    def agency(self) -> Agency | None:
        return self.officer.agency if self.officer else None

    @classmethod
    def for_officer(cls, officer: Officer) -> Actor:
        user = officer.user
        name = user.get_full_name() or user.get_username()
        return cls(label=f"{name} ({officer.agency.name_th})", user=user, officer=officer)

    @classmethod
    def citizen(cls) -> Actor:
        return cls(label="ประชาชน / citizen")

    @classmethod
    def system(cls, label: str = "Pracha") -> Actor:
        return cls(label=label)
