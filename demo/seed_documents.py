"""Demo documents for `make run` (filled in by the documents work)."""


def seed_documents() -> str:
    return "none yet"
