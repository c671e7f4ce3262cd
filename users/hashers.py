"""The password hasher: argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1).

Django's Argon2 defaults (m = 100 MiB, t = 2, p = 8) cost 375 ms of CPU per hash on the 2-core
bench machine (measured with argon2-cffi, 10 hashes, the machine shared with other jobs): two
gunicorn workers then log in about 4 people a second and a queue of 16 waits 1.3-1.8 s
(`make bench` before this hasher: 4.0 logins/s, p95 1,774 ms). OWASP's Password Storage Cheat
Sheet gives m = 19 MiB (19,456 KiB), t = 2, p = 1 as the minimum argon2id configuration; it
costs 44 ms here (m = 12 MiB, t = 3: 35 ms; m = 7 MiB, t = 5: 33 ms, the cheat sheet's
equivalents), about 8.5x less, while staying memory-hard. Parallelism 1 also stops one login
from taking both cores.

The algorithm name stays `argon2`, so Django's `check_password` sees that a stored hash was
made with other parameters (`must_update`) and re-hashes it on the user's next successful
login: existing accounts move to these parameters without a migration.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickCareArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
