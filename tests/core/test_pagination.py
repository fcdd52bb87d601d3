"""The pagination of a long list: a window of pages around the current one and both ends,
«…» for the rest — not one link per page of a 200-page region-wide list."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from core.paging import CappedCountPaginator


def _links(html: str) -> list[str]:
    return re.findall(r'class="page-link"[^>]*>([^<]+)<', html)


def test_a_long_list_shows_a_window_and_both_ends():
    page = Paginator(range(250 * 50), 50).page(100)
    html = render_to_string(
        "includes/pagination.html", {"page_obj": page, "query_without_page": "status=active"}
    )
    assert _links(html) == ["&laquo;", "1", "…", "97", "98", "99", "100", "101", "102", "103", "…", "250", "&raquo;"]  # fmt: skip
    assert 'aria-current="page"><span class="page-link">100<' in html
    assert 'href="?status=active&amp;page=101"' in html
    assert 'page=50"' not in html


def test_a_short_list_shows_every_page_and_one_page_shows_none():
    page = Paginator(range(5 * 50), 50).page(1)
    assert _links(render_to_string("includes/pagination.html", {"page_obj": page})) == [
        "1", "2", "3", "4", "5", "&raquo;",
    ]  # fmt: skip
    one = Paginator(range(10), 50).page(1)
    assert "pagination" not in render_to_string("includes/pagination.html", {"page_obj": one})


def test_a_capped_list_ends_at_the_capped_count():
    paginator = CappedCountPaginator(list(range(10_001)), 50)
    html = render_to_string("includes/pagination.html", {"page_obj": paginator.page(1)})
    assert _links(html)[-2] == str(paginator.num_pages)
