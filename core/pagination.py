"""List pagination: bare JSON arrays, described by `Link` and `X-Total-Count` headers.

The mobile client reads lists as plain arrays, so page metadata travels in headers
(RFC 8288 `Link` with rel="next"/"prev"), with `?page=` and `?page_size=` (max 100).
"""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


def page_headers(*, count: int, next_url: str | None, prev_url: str | None) -> dict[str, str]:
    """`X-Total-Count` and an RFC 8288 `Link` (rel next/prev) for one page of a list."""
    links = [
        f'<{url}>; rel="{rel}"' for url, rel in ((next_url, "next"), (prev_url, "prev")) if url
    ]
    headers = {"X-Total-Count": str(count)}
    if links:
        headers["Link"] = ", ".join(links)
    return headers


class ShortPagePaginator(Paginator[Any]):
    """Django's paginator, except that a page reads one row more than it shows: when that row
    is missing, the page is the last one and the total is its offset plus its rows, so no
    COUNT runs (most lists fit on their first page: a doctor's shared documents, a day's
    appointments). A full page counts as before, when the total is asked for."""

    def page(self, number: Any) -> Any:
        if self.orphans or not self.allow_empty_first_page or "count" in self.__dict__:
            return super().page(number)
        number = self._number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            return super().page(number)  # past the end: counted, and refused as before
        if len(rows) <= self.per_page:
            self.__dict__["count"] = bottom + len(rows)  # the cached_property's own slot
            return Page(rows, number, self)
        return Page(rows[: self.per_page], number, self)

    def _number(self, number: Any) -> int:
        """`validate_number` without the upper bound, which needs the total: the same
        refusals for a non-integer and for a number below 1 (`test_pagination.py`)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError(number)
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return int(number)


class HeaderPagination(PageNumberPagination):
    django_paginator_class = ShortPagePaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        headers = page_headers(
            count=self.page.paginator.count,
            next_url=self.get_next_link(),
            prev_url=self.get_previous_link(),
        )
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return schema

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return super().get_schema_operation_parameters(view)


class _CachedCountPaginator(ShortPagePaginator):
    count_versions: Sequence[str] = ()

    @cached_property
    def count(self) -> int:
        """The COUNT of the page's query, cached under its SQL and the data versions."""
        from core.response_cache import cached_value

        queryset: Any = self.object_list  # a QuerySet: the lists that use this pagination
        sql, params = queryset.query.sql_with_params()
        return cached_value("list-count", [sql, params], self.count_versions, queryset.count)


def cached_count_pagination(*versions: str) -> type[HeaderPagination]:
    """HeaderPagination whose total is counted once per query and version of `versions`
    (core.response_cache): a list's COUNT reads every matching row, a page only its own."""
    paginator = type("CachedCountPaginator", (_CachedCountPaginator,), {"count_versions": versions})
    return type("CachedCountPagination", (HeaderPagination,), {"django_paginator_class": paginator})
