"""Demo data steps, in dependency order. Each step is idempotent and returns a summary."""

from collections.abc import Callable

from demo.seed_users import seed_users

STEPS: list[Callable[[], str]] = [seed_users]
