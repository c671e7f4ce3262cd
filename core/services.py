"""Write helpers every app's services share."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def model_update[ModelT: models.Model](
    *, instance: ModelT, fields: Iterable[str], data: Mapping[str, Any]
) -> tuple[ModelT, bool]:
    """Sets the allowed `fields` that `data` carries and saves only what changed.

    The shape of HackSoft's Django-Styleguide-Example `common/services.py::model_update`:
    keys of `data` outside `fields` are ignored (role, flags, contact can never slip in), the
    save names its columns (plus `updated_at` when the model has one), so a concurrent write to
    another column is not overwritten, and nothing is written when no value differs. Unlike
    HackSoft's it does not call `full_clean()`: input is validated by the serializers and the
    service rules before this point, and a second validation would change error shapes.
    Returns the instance and whether it was updated.
    """
    # A foreign key may be named by its field or its column (`clinic` or `clinic_id`).
    concrete = {name for f in instance._meta.concrete_fields for name in (f.name, f.attname)}
    changed: list[str] = []
    for name in fields:
        if name not in concrete:
            # A typo or a relation here is a programming error, never input: fail loudly.
            raise ValueError(f"{name!r} is not a column of {type(instance).__name__}")
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if not changed:
        return instance, False
    if "updated_at" in concrete and "updated_at" not in changed:
        changed.append("updated_at")  # auto_now fills it in because it is named here
    instance.save(update_fields=changed)
    return instance, True
