"""The documents tests' care relationship and consent fixtures."""

from documents.tests.conftest import appointment, make_consent  # noqa: F401
