"""`bump` writes new versions at once, and again after commit only inside a transaction:
outside one the write is visible already, and `on_commit` would run the second at once."""

import pytest
from django.db import transaction

from core.response_cache import Namespace, bump, cache_versions

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@RACE
def test_outside_a_transaction_a_bump_writes_once(version_writes):
    (before,) = cache_versions([Namespace.PEOPLE])
    bump(Namespace.PEOPLE)
    assert version_writes == [[Namespace.PEOPLE]]
    assert cache_versions([Namespace.PEOPLE]) != (before,)


@RACE
def test_inside_a_transaction_a_bump_writes_at_once_and_after_commit(version_writes):
    with transaction.atomic():
        bump(Namespace.PEOPLE)
        (during,) = cache_versions([Namespace.PEOPLE])
        assert version_writes == [[Namespace.PEOPLE]]
    assert version_writes == [[Namespace.PEOPLE], [Namespace.PEOPLE]]
    assert cache_versions([Namespace.PEOPLE]) != (during,)


@RACE
def test_a_rolled_back_transaction_writes_only_the_first(version_writes):
    with transaction.atomic():
        bump(Namespace.PEOPLE)
        transaction.set_rollback(True)
    assert version_writes == [[Namespace.PEOPLE]]
