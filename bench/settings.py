"""Settings of the benchmark's QuickCare server: the app's settings, one trivial DRF view
(`/bench/ping/`, QuickCare's middleware around a constant answer) and, first in the
middleware, the bench-only SQL counter (bench/sqlcount.py; it is not in the app's settings).

The database options are the shipped ones (PostgreSQL prepared statements on, see
DB_SERVER_SIDE_BINDING); `DB_SERVER_SIDE_BINDING=False make bench` measures without them.
"""

from quickcare.settings import *  # noqa: F403
from quickcare.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.sqlcount.SqlCountMiddleware", *MIDDLEWARE]
