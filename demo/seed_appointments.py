"""Demo appointments for `make run` (filled in by the appointments work)."""


def seed_appointments() -> str:
    return "none yet"
