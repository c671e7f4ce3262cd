"""List pagination: bare arrays, `Link` and `X-Total-Count`, page_size capped at 100."""

from typing import ClassVar

import pytest
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory

from core.pagination import HeaderPagination
from users.models import Role

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ("id", "name")


class RoleListView(generics.ListAPIView):
    queryset = Role.objects.order_by("id")
    serializer_class = RoleSerializer
    permission_classes: ClassVar[list] = [AllowAny]
    authentication_classes: ClassVar[list] = []
    pagination_class = HeaderPagination


def get(params: dict):
    response = RoleListView.as_view()(factory.get("/api/roles/", params))
    response.render()
    return response


def test_a_page_is_a_bare_array_with_headers():
    response = get({"page_size": 2, "page": 2})
    assert response.status_code == 200
    assert response.data == [{"id": 3, "name": "IS_PATIENT"}, {"id": 4, "name": "IS_DOCTOR"}]
    assert response["X-Total-Count"] == "7"
    assert response["Link"] == (
        '<http://testserver/api/roles/?page=3&page_size=2>; rel="next", '
        '<http://testserver/api/roles/?page_size=2>; rel="prev"'
    )


def test_first_page_has_only_next_and_last_only_prev():
    assert 'rel="prev"' not in get({"page_size": 3})["Link"]
    last = get({"page_size": 3, "page": 3})
    assert 'rel="next"' not in last["Link"]
    assert len(last.data) == 1


def test_a_single_page_has_no_link_header():
    response = get({})
    assert len(response.data) == 7
    assert not response.has_header("Link")
    assert response["X-Total-Count"] == "7"


def test_default_page_size_is_20_and_max_is_100():
    paginator = HeaderPagination()
    assert paginator.page_size == 20
    assert paginator.max_page_size == 100
    Role.objects.bulk_create([Role(id=100 + i, name=f"EXTRA_{i}") for i in range(120)])
    assert len(get({}).data) == 20
    capped = get({"page_size": 1000})
    assert len(capped.data) == 100
    assert capped["X-Total-Count"] == "127"


@pytest.mark.parametrize("page", ["99", "abc", "0"])
def test_a_page_out_of_range_is_404(page):
    response = get({"page": page})
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_schema_of_a_page_is_the_bare_array():
    schema = {"type": "array", "items": {}}
    assert HeaderPagination().get_paginated_response_schema(schema) == schema
    params = HeaderPagination().get_schema_operation_parameters(RoleListView())
    assert {p["name"] for p in params} == {"page", "page_size"}


# --- the total of a short page (core.pagination.ShortPagePaginator) --------------------------


def counted(params: dict) -> tuple[object, int]:
    """The response and how many COUNT statements it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = get(params)
    return response, sum("COUNT(" in query["sql"].upper() for query in queries)


@pytest.mark.parametrize(
    ("params", "rows"),
    [({}, 7), ({"page_size": 7}, 7), ({"page_size": 3, "page": 3}, 1)],
)
def test_a_short_or_exactly_full_last_page_knows_its_total_without_a_count(params, rows):
    response, counts = counted(params)
    assert response.status_code == 200
    assert len(response.data) == rows
    assert response["X-Total-Count"] == "7"
    assert counts == 0
    assert 'rel="next"' not in response.get("Link", "")


def test_a_full_page_still_counts():
    response, counts = counted({"page_size": 3, "page": 2})
    assert [row["id"] for row in response.data] == [4, 5, 6]
    assert response["X-Total-Count"] == "7"
    assert counts == 1
    assert 'rel="next"' in response["Link"]


def test_an_empty_list_has_a_first_page_and_no_second():
    Role.objects.all().delete()
    response, counts = counted({})
    assert (response.status_code, response.data, response["X-Total-Count"]) == (200, [], "0")
    assert counts == 0
    assert get({"page": 2}).status_code == 404
