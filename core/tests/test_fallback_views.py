"""Unknown API URLs answer JSON; other URLs keep Django's pages."""

import pytest
from django.test import RequestFactory

from core.views import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_api_url_answers_json_404(api_client):
    response = api_client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "code": "not_found"}


def test_a_malformed_id_in_an_api_path_answers_json_404(api_client):
    response = api_client.patch("/api/documents/consent//action/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_outside_the_api_keeps_the_html_404(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_answers_json():
    response = server_error(RequestFactory().get("/api/users/me/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b'"code": "server_error"' in response.content
