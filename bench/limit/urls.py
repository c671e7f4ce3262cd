"""The limit app's two views: one SQL statement (a clinic by slug) and a constant body."""

from django.db import connection
from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class OneQueryView(APIView):
    """The floor of a read: DRF, one parameterised statement, a small JSON body."""

    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name, city FROM clinic_clinic WHERE slug = %s",
                [request.query_params.get("slug", "")],
            )
            row = cursor.fetchone()
        if row is None:
            return Response({"detail": "not found"}, status=404)
        return Response({"id": str(row[0]), "name": row[1], "city": row[2]})


class StaticView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [
    path("limit/query/", OneQueryView.as_view()),
    path("limit/static/", StaticView.as_view()),
]
