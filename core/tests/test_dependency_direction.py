"""Apps depend one way: notifications → privacy → fhir_api → documents → appointments →
doctors → clinic → users → audit → core.

Walks every non-test module of each app (migrations included) with `ast` and fails on a
reference to an app higher up: an `import`, an `import_module("...")`, or a string naming its
code or models (a lazy foreign key "doctors.DoctorProfile", a dotted path in a setting).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lowest first: an app may use the apps before it, never those after it.
LAYERS = [
    "core",
    "audit",
    "users",
    "clinic",
    "doctors",
    "appointments",
    "documents",
    "fhir_api",
    "privacy",
    "notifications",
]


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _references(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, dotted name) of every module or model this module names."""
    found: list[tuple[int, str]] = []
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and re.fullmatch(r"[a-z_]+(\.\w+)+", node.value)
        ):
            found.append((node.lineno, node.value))
    return found


def upward_references(app: str) -> list[str]:
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, name in _references(tree):
            if name.split(".")[0] in higher:
                problems.append(f"{path.relative_to(ROOT)}:{line} -> {name}")
    return problems


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_refers_to_an_app_above_it(app):
    assert upward_references(app) == []


def test_the_walk_sees_imports_and_lazy_references(tmp_path):
    source = (
        '"""Docstrings may mention doctors.models."""\n'
        "import documents.models\n"
        "from appointments.services import x\n"
        "from . import sibling\n"
        "fk = models.ForeignKey('doctors.DoctorProfile', on_delete=models.CASCADE)\n"
    )
    names = [name for _, name in _references(ast.parse(source))]
    assert names == ["documents.models", "appointments.services", "doctors.DoctorProfile"]


def test_every_app_is_walked():
    for app in LAYERS:
        assert any((ROOT / app).rglob("*.py")), app
