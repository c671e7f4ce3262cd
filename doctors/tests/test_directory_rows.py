"""The doctor directory's one row shape (`doctors.rows.DoctorRow`): the SQL and the ORM produce
exactly its keys and types, SQL columns are read by name, and the list's query parameters are
documented from the fields that parse them."""

import typing

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes

from doctors import public_queries, selectors
from doctors.filters import DOCTOR_LIST_PARAMS, doctor_list_params, schema_parameters
from doctors.rows import (
    DOCTOR_ROW_KEYS,
    PROFILE_KEYS,
    DoctorRow,
    row_reader,
)
from doctors.serializers import DoctorProfileUpdateInputSerializer
from doctors.services import OWN_SETTINGS, PROFILE_FIELDS

pytestmark = pytest.mark.django_db

ROW_TYPES = typing.get_type_hints(DoctorRow)


def assert_is_a_doctor_row(row) -> None:
    assert list(row) == list(ROW_TYPES)
    for key, kind in ROW_TYPES.items():
        assert isinstance(row[key], kind), (key, row[key], kind)


def test_the_row_keys_are_the_typed_dicts_in_order():
    assert tuple(ROW_TYPES) == DOCTOR_ROW_KEYS


def test_sql_rows_are_doctor_rows(make_doctor):
    doctor = make_doctor(name="Dr. Asha Rao", experience_years=None)
    make_doctor(name="Dr. Bina Sen")
    page = public_queries.doctor_public_page(filters={}, limit=10, offset=0)
    assert public_queries.doctor_public_count(filters={}) == len(page) == 2
    for row in page:
        assert_is_a_doctor_row(row)
    detail = public_queries.doctor_public_detail(doctor_id=doctor.pk)
    assert_is_a_doctor_row(detail)
    assert detail == page[0]
    assert detail["experience_years"] is None
    assert detail["user_contact"] is None  # never read: public views do not publish it


def test_orm_rows_are_doctor_rows(make_doctor):
    doctor = make_doctor(name="Dr. Asha Rao")
    row = selectors.doctor_profile_row(profile_id=doctor.pk)
    assert_is_a_doctor_row(row)
    assert isinstance(row["user_contact"], str)  # the doctor's own view shows their mobile
    public = public_queries.doctor_public_detail(doctor_id=doctor.pk)
    assert row == {**public, "user_contact": row["user_contact"]}


def test_orm_row_of_a_doctor_without_a_clinic(db):
    from doctors.tests.factories import DoctorProfileFactory

    row = selectors.doctor_profile_row(profile_id=DoctorProfileFactory().pk)
    assert_is_a_doctor_row(row)
    assert row["clinic_id"] is None


def _reordered(sql: str) -> str:
    """The same SELECT with its columns reversed and an extra column in front."""
    head, rest = sql.split(" FROM ", 1)
    columns = head.removeprefix("SELECT ").split(", ")
    return "SELECT 'x' AS extra, " + ", ".join(reversed(columns)) + " FROM " + rest


def test_columns_are_read_by_name_not_position(monkeypatch, make_doctor):
    first = make_doctor(name="Dr. Asha Rao", department="Cardiology", first_visit_fee="650.00")
    make_doctor(name="Dr. Bina Sen", offers_video_consultation=True)
    page = public_queries.doctor_public_page(filters={}, limit=10, offset=0)
    detail = public_queries.doctor_public_detail(doctor_id=first.pk)

    sql = public_queries._select_sql()
    assert _reordered(sql) != sql
    monkeypatch.setattr(public_queries, "_select_sql", lambda: _reordered(sql))
    assert public_queries.doctor_public_page(filters={}, limit=10, offset=0) == page
    assert public_queries.doctor_public_detail(doctor_id=first.pk) == detail


def test_the_mapping_picks_each_key_by_its_column_name():
    names = ["extra", *reversed(DOCTOR_ROW_KEYS)]
    description = [(name, None, None, None, None, None, None) for name in names]
    values = [f"value of {name}" for name in names]
    row = row_reader(description)(values)
    assert row == {key: f"value of {key}" for key in DOCTOR_ROW_KEYS}


def test_a_missing_column_is_an_error_not_a_shifted_row():
    description = [(name,) for name in DOCTOR_ROW_KEYS if name != "clinic_city"]
    with pytest.raises(KeyError, match="clinic_city"):
        row_reader(description)


# --- query parameters ----------------------------------------------------------------


def test_the_list_parameters_are_documented_from_the_fields_that_parse_them():
    documented = {(p.name, p.type, p.required) for p in schema_parameters(DOCTOR_LIST_PARAMS)}
    assert documented == {
        ("clinic", OpenApiTypes.UUID, False),
        ("specialty", str, False),
        ("min_fee", OpenApiTypes.DECIMAL, False),
        ("max_fee", OpenApiTypes.DECIMAL, False),
        ("video", bool, False),
        ("search", str, False),
    }
    for parameter in schema_parameters(DOCTOR_LIST_PARAMS):
        assert parameter.description == DOCTOR_LIST_PARAMS[parameter.name].help_text != ""


def test_every_documented_list_parameter_is_parsed():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/doctors/"]["get"]["parameters"]
    names = {parameter["name"] for parameter in parameters} - {"page", "page_size"}
    assert names == set(DOCTOR_LIST_PARAMS)
    sample = {
        "clinic": "0b6f1a6e-2a64-4c1f-9d2e-8a1c3f5e7b90",
        "specialty": "cardiology",
        "min_fee": "100",
        "max_fee": "900.50",
        "video": "true",
        "search": "Dr Rao",
    }
    cleaned = doctor_list_params(sample)
    assert set(cleaned) == (names - {"search"}) | {"search_terms"}
    assert cleaned["search_terms"] == ["Rao"]


def test_the_fields_a_doctor_may_update_are_the_profiles_own_columns_but_its_ids():
    assert set(PROFILE_KEYS) - {"id", "user_id"} == PROFILE_FIELDS - OWN_SETTINGS
    assert set(DoctorProfileUpdateInputSerializer().fields) == PROFILE_FIELDS
