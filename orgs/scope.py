"""What a user's roles cover, computed once per request from their role rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UserScope:
    is_superuser: bool = False
    # The regional coordinator: the regions and every municipality of them, read-only.
    regions: frozenset[int] = field(default_factory=frozenset)
    regional_municipalities: frozenset[int] = field(default_factory=frozenset)
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
    def is_regional(self) -> bool:
        return bool(self.regions)

    @property
    def is_read_only(self) -> bool:
        """Only the regional coordinator's role: reads everything of the region, changes
        nothing (orgs.readonly.ReadOnlyRoleMiddleware refuses every change)."""
        return (
            self.is_regional
            and not self.is_superuser
            and not (
                self.coordinated_municipalities
                or self.specialist_kinds
                or self.managed_organizations
                or self.member_organizations
            )
        )

    @property
    def sees_staff(self) -> bool:
        return self.is_committee or bool(self.managed_organizations)
