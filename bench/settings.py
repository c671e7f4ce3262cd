"""Settings of the benchmark server: the app's settings plus one trivial DRF view.

The database options are the shipped ones (PostgreSQL prepared statements on, see
DB_SERVER_SIDE_BINDING); `DB_SERVER_SIDE_BINDING=False make bench` measures without them.
"""

from quickcare.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
