"""core.testing.race: every call starts together, results in order, failures surface."""

import threading

import pytest

from core.testing import race


def test_results_come_back_in_the_order_of_the_calls():
    assert race([lambda i=i: i * 10 for i in range(5)]) == [0, 10, 20, 30, 40]


def test_every_call_runs_in_its_own_thread_and_they_overlap():
    # Each call waits for all the others: only calls running at the same time can pass.
    together = threading.Barrier(4)
    seen: set[int] = set()

    def call() -> int:
        together.wait(timeout=5)
        seen.add(threading.get_ident())
        return 1

    assert race([call] * 4) == [1, 1, 1, 1]
    assert len(seen) == 4


def test_a_failing_call_fails_the_race():
    def boom() -> int:
        raise ValueError("lost")

    with pytest.raises(ValueError, match="lost"):
        race([lambda: 1, boom])
