"""List pagination: bare JSON arrays, described by `Link` and `X-Total-Count` headers.

The mobile client reads lists as plain arrays, so page metadata travels in headers
(RFC 8288 `Link` with rel="next"/"prev"), with `?page=` and `?page_size=` (max 100).
"""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
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


class HeaderPagination(PageNumberPagination):
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


class _CachedCountPaginator(Paginator[Any]):
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
