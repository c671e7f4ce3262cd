"""URL path converters shared by every app's routes (registered on import, by CoreConfig)."""

from django.urls import register_converter

# The largest id a signed 64-bit integer column holds (SQLite INTEGER, PostgreSQL bigint).
MAX_DATABASE_ID = 2**63 - 1


class DatabaseIdConverter:
    """`<id:name>`: a non-negative integer id that fits a 64-bit column.

    Django's `<int:>` accepts any number of digits; a larger value reaching hand-written SQL
    makes SQLite raise OverflowError (a 500). Here it never matches, so it answers the JSON 404
    of any unknown id before a query runs.
    """

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DATABASE_ID:
            raise ValueError("id out of range")  # Django treats ValueError as "no match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)


# At import, once per process: Django refuses a second registration of a name.
register_converter(DatabaseIdConverter, "id")
