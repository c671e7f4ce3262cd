"""Error codes are one enum: the schema lists exactly its values, no raise site spells a code
as a loose string, and the codes DRF and simplejwt put on the wire are members too."""

import ast
import inspect
from pathlib import Path

import pytest
import rest_framework_simplejwt
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.generators import SchemaGenerator
from rest_framework import exceptions
from rest_framework_simplejwt import exceptions as jwt_exceptions

from core.error_codes import ErrorCode
from core.exceptions import (
    OnboardingRequired,
    PasswordChangeRequired,
    QuickCareError,
    exception_handler,
)
from doctors.slot_engine import HiddenReason
from users.exceptions import RetryLater

ROOT = Path(settings.BASE_DIR)
APPS = [
    "core",
    "users",
    "clinic",
    "doctors",
    "appointments",
    "documents",
    "notifications",
    "quickcare",
]
CODES = {code.value for code in ErrorCode}
# Django's and DRF's ValidationError codes name a field's message inside `{field: [...]}`;
# they never become the body's `code`, so they are not ErrorCodes.
FIELD_ERROR_CALLS = {"ValidationError", "InvalidWindow", "_field_error", "field_error"}


def _app_sources(*, tests: bool = False) -> list[Path]:
    files = [path for app in APPS for path in (ROOT / app).rglob("*.py")]
    return [
        path
        for path in files
        if "migrations" not in path.parts and ("tests" in path.parts) == tests
    ]


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _loose_codes(tree: ast.AST) -> list[tuple[int, str]]:
    """`code="..."` keywords, `code = "..."`/`default_code = "..."` and `{"code": "..."}`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node) not in FIELD_ERROR_CALLS:
            found += [
                (node.lineno, kw.value.value)
                for kw in node.keywords
                if kw.arg == "code" and _is_str(kw.value)
            ]  # type: ignore[attr-defined]
        elif isinstance(node, ast.Assign) and _is_str(node.value):
            names = {getattr(target, "id", None) for target in node.targets}
            if names & {"code", "default_code"}:
                found.append((node.lineno, node.value.value))  # type: ignore[attr-defined]
        elif isinstance(node, ast.AnnAssign) and _is_str(node.value):
            if getattr(node.target, "id", None) in {"code", "default_code"}:
                found.append((node.lineno, node.value.value))  # type: ignore[union-attr]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _is_str(key) and key.value == "code" and _is_str(value):  # type: ignore[union-attr]
                    found.append((node.lineno, value.value))  # type: ignore[attr-defined]
    return found


def test_the_enum_has_no_duplicate_values_and_values_are_snake_case():
    assert len(CODES) == len(ErrorCode)
    assert all(code.value == code.name.lower() for code in ErrorCode)


def test_no_loose_code_string_remains_in_app_code():
    loose = {
        f"{path.relative_to(ROOT)}:{line}: {code!r}"
        for path in _app_sources()
        for line, code in _loose_codes(ast.parse(path.read_text()))
    }
    assert loose == set()


def test_the_scan_finds_a_loose_code():
    source = (
        'raise NotFound("x", code="doctor_not_found")\n'
        'class E(QuickCareError):\n    default_code = "nope"\n'
        'body = {"message": "m", "code": "bad_request"}\n'
        'raise ValidationError("x", code="invalid")\n'
    )
    assert [code for _, code in _loose_codes(ast.parse(source))] == [
        "doctor_not_found",
        "nope",
        "bad_request",
    ]


@pytest.mark.django_db
def test_the_schema_error_code_enum_is_exactly_the_error_codes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    ref = components["ErrorOutput"]["properties"]["code"]["$ref"]
    assert ref == "#/components/schemas/ErrorCodeEnum"
    assert set(components["ErrorCodeEnum"]["enum"]) == CODES
    assert len(components["ErrorCodeEnum"]["enum"]) == len(CODES)


def test_every_slot_engine_reason_is_an_error_code():
    # A booking refusal sends the engine's reason as its code.
    assert {reason.value for reason in HiddenReason} <= CODES


def _all_subclasses(cls: type) -> list[type]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _all_subclasses(child))]


def test_every_loaded_exception_class_defaults_to_an_error_code():
    classes = _all_subclasses(exceptions.APIException) + _all_subclasses(QuickCareError)
    # The bare APIException ("error") is only a base: nothing raises it.
    loaded = {
        cls
        for cls in classes
        if cls is not exceptions.APIException and "tests" not in cls.__module__.split(".")
    }
    assert {
        f"{cls.__module__}.{cls.__name__}: {cls.default_code}"
        for cls in loaded
        if cls.default_code not in CODES
    } == set()


RAISED = [
    exceptions.ParseError(),
    exceptions.AuthenticationFailed(),
    exceptions.NotAuthenticated(),
    exceptions.PermissionDenied(),
    exceptions.NotFound(),
    exceptions.MethodNotAllowed("PATCH"),
    exceptions.NotAcceptable(),
    exceptions.UnsupportedMediaType("text/plain"),
    exceptions.Throttled(wait=3),
    exceptions.ValidationError(["Not a list of fields."]),
    Http404(),
    DjangoPermissionDenied(),
    OnboardingRequired(),
    PasswordChangeRequired(),
    RetryLater(wait=5),
    jwt_exceptions.InvalidToken(),
    jwt_exceptions.InvalidToken("Token is blacklisted"),
    jwt_exceptions.AuthenticationFailed("Bad header", code="bad_authorization_header"),
    QuickCareError("Broken rule."),
]


@pytest.mark.parametrize("exc", RAISED, ids=lambda exc: type(exc).__name__)
def test_the_handler_renders_drf_and_simplejwt_errors_with_enum_codes(exc):
    response = exception_handler(exc, {})
    assert response is not None
    assert response.data["code"] in CODES


def _simplejwt_codes() -> set[str]:
    """Codes simplejwt's authentication, serializers and exceptions can raise."""
    package = Path(inspect.getfile(rest_framework_simplejwt)).parent
    codes: set[str] = set()
    for name in ("authentication.py", "serializers.py", "exceptions.py"):
        tree = ast.parse((package / name).read_text())
        codes |= {code for _, code in _loose_codes(tree)}
        for node in ast.walk(tree):  # AuthenticationFailed(message, "code") positionally
            if isinstance(node, ast.Call) and _callee(node) == "AuthenticationFailed":
                codes |= {arg.value for arg in node.args[1:2] if _is_str(arg)}  # type: ignore[attr-defined]
    return codes


def test_every_code_simplejwt_raises_is_an_error_code():
    found = _simplejwt_codes()
    assert {"token_not_valid", "user_not_found", "no_active_account"} <= found
    assert found - CODES == set()
