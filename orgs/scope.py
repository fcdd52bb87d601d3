"""What a user's roles cover, computed once per request from their role rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UserScope:
    is_superuser: bool = False
    coordinated_municipalities: frozenset[int] = field(default_factory=frozenset)
    # (municipality id, organization kind) pairs of a committee specialist.
    specialist_kinds: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    managed_organizations: frozenset[int] = field(default_factory=frozenset)  # head, curator
    curated_organizations: frozenset[int] = field(default_factory=frozenset)
    member_organizations: frozenset[int] = field(default_factory=frozenset)  # mentor, mentee
    person_id: int | None = None

    @property
    def is_committee(self) -> bool:
        return self.is_superuser or bool(self.coordinated_municipalities or self.specialist_kinds)

    @property
    def sees_staff(self) -> bool:
        return self.is_committee or bool(self.managed_organizations)
