"""The filter backend of every list: django-filter's, without building a FilterSet that no
query parameter could feed.

Why: `DjangoFilterBackend` builds the view's FilterSet on every request, deep-copying each of
its filters and binding a form, although most list requests (`?page=2`, or nothing) name no
filter at all. Measured in-process on the bench network: 0.27 ms of CPU per request of the
document list, 3 % of its 9.4 ms. A parameter that starts with a filter's name (`type`, or a
range widget's `date_after`) may feed it: then the FilterSet is built and validated as before,
so a bad value still answers 400.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request


def may_filter(params: Iterable[str], filter_names: Iterable[str]) -> bool:
    """Whether any parameter could be read by a filter of these names."""
    names = tuple(filter_names)
    return any(param.startswith(names) for param in params)


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not may_filter(
            request.query_params, filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
