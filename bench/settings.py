"""Settings of the benchmark server: the app's settings plus one trivial DRF view."""

from quickcare.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
