"""Demo clinics for `make run` (filled in by the clinics work)."""


def seed_clinics() -> str:
    return "none yet"
