"""The app's routes plus `GET /bench/ping/`, the trivial DRF endpoint the others compare to."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quickcare.urls import urlpatterns as app_urlpatterns


class PingView(APIView):
    """No authentication, no query, a constant JSON body: the floor of a DRF request."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [path("bench/ping/", PingView.as_view()), *app_urlpatterns]
