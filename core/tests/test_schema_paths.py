"""Every path the schema publishes is one the server answers: a client that follows the
schema never meets a 404 from the router (DRF strips `$` from routes; core.schema restores it)."""

import itertools
import re
import uuid

from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator

SAMPLES = ("1", str(uuid.UUID(int=1)), "a")


def _resolves(path: str) -> bool:
    """Some value per path parameter (an id, a UUID or a word) reaches a view."""
    parts = re.split(r"\{\w+\}", path)
    for values in itertools.product(SAMPLES, repeat=len(parts) - 1):
        concrete = parts[0] + "".join(v + part for v, part in zip(values, parts[1:], strict=True))
        try:
            resolve(concrete)
        except Resolver404:
            continue
        return True
    return False


def test_every_published_path_resolves():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "/api/fhir/Patient/$everything" in paths
    assert [path for path in paths if not _resolves(path)] == []
