"""A paginator for the admin's lists of big tables: it never counts 600,000 rows."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most `COUNT_CAP` + 1 rows (`SELECT COUNT(*) FROM (… LIMIT 10001)`): past
    that the list shows the first pages and the administrator narrows it with the filters.
    With `show_full_result_count = False` the admin then makes no full count at all."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if hasattr(queryset, "values"):
            return queryset.order_by().values("pk")[: self.cap + 1].count()
        return len(queryset)
