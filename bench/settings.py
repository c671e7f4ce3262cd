"""Settings of the benchmark server: the app's settings plus one trivial DRF view.

`BENCH_SERVER_SIDE_BINDING=1` (`python -m bench.run --server-side-binding`) measures psycopg
server-side binding with prepared statements (PostgreSQL then skips planning a statement it
has seen on that connection): an experiment for a settings change, off by default so the
bench measures the shipped configuration.
"""

import os

from quickcare.settings import *  # noqa: F403
from quickcare.settings import DATABASES

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_SERVER_SIDE_BINDING") == "1":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
