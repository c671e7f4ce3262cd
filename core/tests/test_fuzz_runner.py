"""`make fuzz` checks that responses keep to the schema, not only that there is no 5xx."""

from fuzz.run import parse_args


def test_fuzz_checks_status_codes_and_response_bodies_by_default(monkeypatch):
    monkeypatch.delenv("FUZZ_CHECKS", raising=False)
    checks = parse_args([]).checks.split(",")
    assert {"not_a_server_error", "status_code_conformance"} <= set(checks)
    assert {"response_schema_conformance", "content_type_conformance"} <= set(checks)
    assert "response_headers_conformance" in checks


def test_fuzz_case_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("FUZZ_MAX_EXAMPLES", "2")
    assert parse_args([]).max_examples == 2
    assert parse_args(["--max-examples", "7"]).max_examples == 7
    monkeypatch.delenv("FUZZ_MAX_EXAMPLES")
    assert parse_args([]).max_examples == 10
