"""The API docs load nothing from outside this server (they must work offline, and leak no
visit to a third party)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(https?:)?//""", re.IGNORECASE)


def _page(path: str) -> str:
    response = Client().get(path, HTTP_HOST="testserver")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_the_docs_pages_reference_no_outside_url(path):
    html = _page(path)
    outside = [
        url
        for url in re.findall(r"https?://[^\s\"'<>)]+", html)
        if not url.startswith("http://testserver/")
    ]
    assert outside == []
    assert not EXTERNAL.search(html)


def test_redoc_loads_images_only_from_this_server():
    """The bundle's own logo URL is outside; the page's policy keeps the browser from it."""
    bundle = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    with open(bundle, encoding="utf-8") as handle:
        assert 'src:"https://cdn.redoc.ly/' in handle.read()
    policy = re.search(
        r'http-equiv="Content-Security-Policy" content="([^"]+)"', _page("/api/redoc/")
    )
    assert policy is not None
    directives = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
    sources = directives["img-src"].split()
    assert "'self'" in sources
    assert not [source for source in sources if "http" in source or "*" in source]
