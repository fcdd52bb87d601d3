"""A paginator for lists of big tables (the portal's and the admin's): it never counts
600,000 rows, and the pagination never lists 12,000 page numbers."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000
# A list read over a whole region (every municipality, nothing narrowed: a regional
# coordinator's, a superuser's) holds tens of thousands of rows that nobody pages through;
# «more than 1 000: narrow the list» tells what «more than 10 000» told, for a tenth of the
# counting (≈ 2.6 ms of PostgreSQL a page at 60 municipalities).
REGION_COUNT_CAP = 1_000


class CappedCountPaginator(Paginator):
    """Counts at most `COUNT_CAP` + 1 rows (`SELECT COUNT(*) FROM (… LIMIT 10001)`): past
    that the list shows the first pages and the administrator narrows it with the filters.
    With `show_full_result_count = False` the admin then makes no full count at all."""

    cap = COUNT_CAP

    def __init__(self, *args, cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if hasattr(queryset, "values"):
            return queryset.order_by().values("pk")[: self.cap + 1].count()
        return len(queryset)

    def page(self, number):
        """As Paginator.page, but a page past the cap is not cut at the capped count."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if not self.capped and top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    @property
    def capped(self) -> bool:
        """More rows than counted: the list says «more than 10 000»."""
        return self.count > self.cap
