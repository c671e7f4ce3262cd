"""Demo doctors for `make run` (filled in by the doctors work)."""


def seed_doctors() -> str:
    return "none yet"
