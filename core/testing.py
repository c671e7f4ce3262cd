"""Test helpers shared by every app's tests (imported by tests only, never by app code)."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection

BARRIER_TIMEOUT_SECONDS = 30
JOIN_TIMEOUT_SECONDS = 120


def race[T](calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run every call at the same moment, each in its own thread (so its own DB connection).

    Results come back in the order of `calls`. Do the setup (clients, tokens: minting one
    writes a row) before the race, so the calls collide on the write under test only. A call
    that raises, or a thread still running after the join timeout, fails the race loudly
    rather than leaving a hole in the results.
    """
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            results[index] = call()
        except BaseException as exc:  # re-raised in the caller's thread below
            errors.append(exc)
        finally:
            # Each thread opened its own connection; close it so the test database can be
            # flushed and dropped.
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT_SECONDS)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a racing call did not finish in time")
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every slot was filled: no error, all joined
