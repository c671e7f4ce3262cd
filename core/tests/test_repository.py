"""The repository is self-contained: README cites only its own files; every declared runtime
dependency is used."""

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
# The project's own code: its apps as settings install them (demo only under DEBUG) and the
# settings package, so a new app is covered without a list to keep in step.
APPS = [
    "quickcare",
    *(app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()),
    *(["demo"] if "demo" not in settings.INSTALLED_APPS else []),
]
# Used without an import or a dotted path in the code: the server, the DATABASE_URL and
# CACHE_URL backends' drivers, the Argon2 hasher's implementation.
# hiredis: redis-py's reply parser, taken when importable (`test_redis_replies_are_parsed_in_c`).
USED_WITHOUT_IMPORT = {"gunicorn", "psycopg", "django-redis", "argon2-cffi", "hiredis"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_readme_cites_only_files_in_the_repository():
    readme = (ROOT / "README.md").read_text()
    cited = set(re.findall(r"[\w./-]+\.(?:md|toml|txt|example)\b", readme))
    assert cited, "the pattern finds the files README names"
    missing = sorted(name for name in cited if not (ROOT / name).exists())
    assert missing == []


def _dotted_path(value: object) -> bool:
    """A string naming code (settings: "whitenoise.middleware...", "storages.backends...")."""
    return isinstance(value, str) and bool(re.fullmatch(r"[a-z_]\w*(\.\w+)*", value))


def _top_level_names_used() -> set[str]:
    names: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
                elif isinstance(node, ast.Constant) and _dotted_path(node.value):
                    names.add(node.value.split(".")[0])
    return names


def test_redis_replies_are_parsed_in_c():
    """The cache's Redis client parses replies with hiredis (a cache get 0.106 -> 0.092 ms of
    CPU), not redis-py's Python parser."""
    from redis.connection import DefaultParser
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    assert DefaultParser.__name__.startswith("_Hiredis")


def test_every_runtime_dependency_is_used():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    distributions = packages_distributions()
    used = {
        _normal(dist) for name in _top_level_names_used() for dist in distributions.get(name, [])
    }
    unused = sorted(
        _normal(Requirement(spec).name)
        for spec in declared
        if _normal(Requirement(spec).name) not in used | USED_WITHOUT_IMPORT
    )
    assert unused == []
