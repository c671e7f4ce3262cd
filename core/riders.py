"""Reads of an app above, riding in a statement of an app below: the booking's day statement
(`appointments.slots.doctor_booking_day`) also reads, for the accounts the booking concerns
(the patient's and the doctor's), what apps above appointments registered here, and hands the
answers to them for the rest of the booking's transaction (`carrying`).

Why: the outbox (notifications, above appointments) read its recipients' preferences in a
statement of its own in every booking (issue 16, target 4: 6 statements served, this one of
them); appointments may not name notifications' tables, so notifications registers its read
here (`register`, in its `ready`) and the day statement runs it with its own rows, one round
trip fewer. A rider's SQL is the very read its app sends when nothing carried it (one SQL, one
parser, in the app), so the two cannot differ; an answer covers only the accounts it was read
for, and only inside `carrying`: anything else is read by the app as before.

A rider is a SELECT of one text column (`payload`), bound with the account ids (`params`); the
rows are given to the app as read.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Rider:
    sql: Callable[[int], str]  # the SELECT for that many account ids
    params: Callable[[Sequence[Any]], list[Any]]  # its parameters for these account ids


@dataclass(frozen=True)
class Carried:
    """A rider's rows (`payloads`), read for `accounts`."""

    accounts: frozenset[Any]
    payloads: list[str]


_RIDERS: dict[str, Rider] = {}
_STATE = "_quickcare_carried"


def register(name: str, rider: Rider) -> None:
    _RIDERS[name] = rider


def riders() -> list[tuple[str, Rider]]:
    """The riders registered, in a stable order (the statement's text is cached by it)."""
    return sorted(_RIDERS.items())


@contextmanager
def carrying(answers: dict[str, Carried]) -> Iterator[None]:
    """Offer the answers to the code of the block (the booking's writers), on this connection."""
    previous = getattr(connection, _STATE, None)
    setattr(connection, _STATE, answers)
    try:
        yield
    finally:
        setattr(connection, _STATE, previous)


def carried(name: str, accounts: Sequence[Any]) -> list[str] | None:
    """The rows of rider `name` if they were read for every one of `accounts` and are offered
    here (`carrying`); None: read them yourself."""
    answers: dict[str, Carried] | None = getattr(connection, _STATE, None)
    found = (answers or {}).get(name)
    if found is None or not set(accounts) <= found.accounts:
        return None
    return found.payloads
