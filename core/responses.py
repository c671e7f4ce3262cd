"""`201 Created` answers: each one names the new resource in `Location` (RFC 9110 §15.3.2)."""

from typing import Any

from django.urls import reverse
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def created(request: Request, data: Any, viewname: str, query: str = "", **kwargs: Any) -> Response:
    """A 201 with `data` whose `Location` is the absolute URL of `viewname` (with `kwargs`, and
    `query` appended), the same form as the `Link` headers of lists."""
    location = request.build_absolute_uri(reverse(viewname, kwargs=kwargs or None) + query)
    return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})
