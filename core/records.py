"""Writes that bypass model signals still end the cached private answers.

The private lists (core.cached_responses) are invalidated by model signals on each save and
delete (`appointments.cache_receivers`, `users.cache_receivers`, ...). `QuerySet.update()`,
`bulk_create()` and `bulk_update()` send none: on the models those lists read, the default
manager's querysets bump `Namespace.RECORDS` after such a write (every private key carries
it), so no writer has to remember to. A migration bumps every namespace (`forget_on_migrate`):
its data operations use historical models, which have no such managers.
"""

from typing import Any

from django.db import models

from core.response_cache import Namespace, bump


class RecordsQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        updated = super().update(**kwargs)
        if updated:
            bump(Namespace.RECORDS)
        return updated

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump(Namespace.RECORDS)
        return created

    # bulk_update() writes through update() above.


class RecordsManager[M: models.Model](models.Manager[M]):
    def get_queryset(self) -> RecordsQuerySet[M]:
        return RecordsQuerySet(self.model, using=self._db)


def forget_on_migrate(sender: Any, **kwargs: Any) -> None:
    bump(*Namespace)


def connect() -> None:
    from django.db.models.signals import post_migrate

    post_migrate.connect(forget_on_migrate, dispatch_uid="cache.records.migrate")
