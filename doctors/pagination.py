"""The public doctor list's pagination: the page and its total come from one fetch
(`doctors.directory.directory_page`), which knows when the total need not be counted."""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from rest_framework.request import Request

from core.exceptions import NotFound
from core.pagination import HeaderPagination

PageFetcher = Callable[..., tuple[list[Any], int | None]]


class FetchedPagePagination(HeaderPagination):
    """Same contract as HeaderPagination (bare array, `Link`, `X-Total-Count`), but the
    total comes with the page from the fetch instead of the paginator's COUNT query."""

    def paginate_fetch(self, fetch: PageFetcher, request: Request) -> list[Any]:
        """`fetch(limit=, offset=)` returns the page's rows and the total (None if empty)."""
        self.request = request
        page_size = self.get_page_size(request) or self.page_size
        number = self._page_number(request)
        items, total = fetch(limit=page_size, offset=(number - 1) * page_size)
        if not items and number > 1:
            raise NotFound("Invalid page.")
        paginator: Paginator[Any] = Paginator([], page_size)
        paginator.count = total or 0  # overrides the cached_property: no COUNT query
        self.page = Page(items, number, paginator)
        return items

    def _page_number(self, request: Request) -> int:
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
            raise NotFound("Invalid page.")
        return int(raw)
