"""Walk-ins for a family (issues 13 and 14): a number at the desk stands for several people;
the desk looks them up (`GET /api/appointments/walk-in/profiles/`), picks one
(`patient_profile`) or adds a new dependent (`dependent`), and each gets their own token."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.tests.conftest import TODAY
from appointments.tests.queue_helpers import OPD_NOW, QUEUE_URL, WALK_IN_URL, booked
from clinic.tests.factories import ClinicMemberFactory
from users.models import PatientProfile, User
from users.tests.factories import PatientFactory, ReceptionistFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db
PROFILES_URL = "/api/appointments/walk-in/profiles/"


@pytest.fixture
def opd(clock, monday_window):
    clock.move_to(OPD_NOW)
    return monday_window


@pytest.fixture
def aarav(patient):
    return dependent_of(patient, name="Aarav Sharma", date_of_birth=dt.date(2019, 5, 1))


def walk_in(client, doctor_profile, contact, **extra):
    body = {"doctor": doctor_profile.pk, "contact": str(contact), **extra}
    return client.post(WALK_IN_URL, body, format="json")


def profiles(client, doctor_profile, contact):
    return client.get(PROFILES_URL, {"doctor": doctor_profile.pk, "contact": str(contact)})


def test_a_parents_number_pick_one_child_then_add_another_both_get_tokens(
    opd, clock, client_for, receptionist, doctor_profile, patient, aarav
):
    desk = client_for(receptionist)
    listed = profiles(desk, doctor_profile, patient.contact)
    assert listed.status_code == 200, listed.json()
    assert listed.json() == [
        {
            "id": str(patient.pk),
            "name": "Rahul Sharma",
            "relation": "self",
            "age": patient.age,
            "gender": patient.gender,
        },
        {
            "id": str(aarav.pk),
            "name": "Aarav Sharma",
            "relation": "child",
            "age": 6,
            "gender": "male",
        },
    ]

    first = walk_in(desk, doctor_profile, patient.contact, patient_profile=str(aarav.pk))
    clock.move_to(OPD_NOW + dt.timedelta(minutes=1))  # Diya is added after Aarav
    dependent = {"name": "Diya Sharma", "relation": "child", "gender": "female"}
    second = walk_in(desk, doctor_profile, patient.contact, dependent=dependent)

    assert first.status_code == 201, first.json()
    assert second.status_code == 201, second.json()
    assert [r.json()["token"] for r in (first, second)] == [1, 2]
    assert [r.json()["account_created"] for r in (first, second)] == [False, False]
    diya = PatientProfile.objects.get(name="Diya Sharma")
    assert (diya.account_id, diya.relation, diya.gender, diya.date_of_birth) == (
        patient.pk,
        "child",
        "female",
        None,
    )
    rows = Appointment.objects.order_by("token")
    assert [(a.patient_id, a.patient_profile_id, a.source) for a in rows] == [
        (patient.pk, aarav.pk, "walk_in"),
        (patient.pk, diya.pk, "walk_in"),
    ]
    assert [r.json()["patient"]["name"] for r in (first, second)] == [
        "Aarav Sharma",
        "Diya Sharma",
    ]
    assert [p["name"] for p in profiles(desk, doctor_profile, patient.contact).json()] == [
        "Rahul Sharma",
        "Aarav Sharma",
        "Diya Sharma",
    ]
    # The parent sees both visits among their own, each saying whom it is for.
    mine = client_for(patient).get("/api/appointments/my/").json()
    assert [item["patient_profile"]["name"] for item in mine] == ["Aarav Sharma", "Diya Sharma"]


def test_the_staff_queue_shows_the_person_being_seen(
    opd, client_for, receptionist, doctor_profile, patient, aarav
):
    desk = client_for(receptionist)
    walk_in(desk, doctor_profile, patient.contact, patient_profile=str(aarav.pk))

    queue = desk.get(QUEUE_URL, {"doctor": doctor_profile.pk}).json()

    (entry,) = queue["entries"]
    assert entry["patient"] == {"id": str(patient.pk), "name": "Aarav Sharma"}
    assert entry["patient_profile"] == {"id": str(aarav.pk), "name": "Aarav Sharma"}
    single = desk.get(f"/api/appointments/{entry['appointment']}/queue/").json()
    assert single["patient"]["name"] == "Aarav Sharma"


def test_a_new_number_with_a_dependent_registers_the_holder_and_books_the_dependent(
    opd, client_for, receptionist, doctor_profile
):
    response = walk_in(
        client_for(receptionist),
        doctor_profile,
        "9812345670",
        name="Kamla Devi",
        dependent={"name": "Ramesh", "relation": "parent", "date_of_birth": "1950-01-01"},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["account_created"] is True
    holder = User.objects.get(contact="+919812345670")
    appointment = Appointment.objects.get()
    assert appointment.patient_id == holder.pk
    assert appointment.patient_profile.name == "Ramesh"
    assert appointment.patient_profile.relation == "parent"
    assert holder.name == "Kamla Devi"


def test_a_profile_of_another_number_is_404_and_leaves_nothing(
    opd, client_for, receptionist, doctor_profile, patient, other_patient
):
    theirs = dependent_of(other_patient, name="Someone Else")
    desk = client_for(receptionist)

    for chosen in (theirs.pk, other_patient.pk):
        response = walk_in(desk, doctor_profile, patient.contact, patient_profile=str(chosen))
        assert response.status_code == 404, response.json()
        assert response.json()["code"] == "patient_profile_not_found"
    new_number = walk_in(
        desk, doctor_profile, "9812345670", name="New Person", patient_profile=str(theirs.pk)
    )
    assert new_number.status_code == 404
    assert not Appointment.objects.exists()
    assert not User.objects.filter(contact="+919812345670").exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"dependent": {"name": "Diya"}},  # no relation
        {"dependent": {"name": "Diya", "relation": "self"}},
        {"dependent": {"name": "Diya", "relation": "child", "allergies": "peanuts"}},
        {"dependent": {"name": "Diya", "relation": "child", "date_of_birth": "2999-01-01"}},
        {"dependent": "Diya"},
        {"patient_profile": "not-a-uuid"},
    ],
)
def test_bad_profile_choices_are_400(opd, client_for, receptionist, doctor_profile, patient, extra):
    response = walk_in(client_for(receptionist), doctor_profile, patient.contact, **extra)

    assert response.status_code == 400, response.json()
    assert set(response.json()) & {"dependent", "patient_profile"}
    assert not Appointment.objects.exists()
    assert PatientProfile.objects.filter(account=patient).count() == 1


def test_both_a_profile_and_a_dependent_is_400(
    opd, client_for, receptionist, doctor_profile, patient, aarav
):
    response = walk_in(
        client_for(receptionist),
        doctor_profile,
        patient.contact,
        patient_profile=str(aarav.pk),
        dependent={"name": "Diya", "relation": "child"},
    )

    assert response.status_code == 400
    assert "dependent" in response.json()


def test_a_refused_walk_in_adds_no_dependent(
    opd, clock, client_for, receptionist, doctor_profile, clinic, patient
):
    start = dt.datetime.combine(TODAY, dt.time(10, 15))
    for step in range(11):  # every slot still to come is booked
        moment = (start + dt.timedelta(minutes=15 * step)).time()
        booked(doctor_profile, clinic, hour=moment.hour, minute=moment.minute)

    response = walk_in(
        client_for(receptionist),
        doctor_profile,
        patient.contact,
        dependent={"name": "Diya", "relation": "child"},
    )

    assert (response.status_code, response.json()["code"]) == (409, "session_full")
    assert not PatientProfile.objects.filter(name="Diya").exists()


def test_a_staff_number_without_patient_care_gets_it_on_at_the_desk(
    opd, client_for, receptionist, doctor_profile, other_clinic
):
    staff = ReceptionistFactory(name="Meena Iyer")
    ClinicMemberFactory(clinic=other_clinic, user=staff, member_role="receptionist")
    desk = client_for(receptionist)
    assert [p["relation"] for p in profiles(desk, doctor_profile, staff.contact).json()] == ["self"]

    response = walk_in(desk, doctor_profile, staff.contact)

    assert response.status_code == 201, response.json()
    assert PatientProfile.objects.get(pk=staff.pk).patient_enabled is True
    # They can now use the app as a patient for themselves.
    assert client_for(staff).get("/api/appointments/my/").status_code == 200


def test_profiles_of_an_unknown_or_closed_number_are_an_empty_list(
    opd, client_for, receptionist, doctor_profile, patient
):
    desk = client_for(receptionist)
    assert profiles(desk, doctor_profile, "9812345670").json() == []
    patient.is_active = False
    patient.save(update_fields=["is_active"])
    assert profiles(desk, doctor_profile, patient.contact).json() == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("clinic_owner", 200),
        ("receptionist", 200),
        ("doctor", 200),
        ("other_owner", 404),
        ("other_doctor", 404),
        ("other_receptionist", 404),
        ("lab_member", 403),
        ("patient", 403),
    ],
)
def test_profiles_lookup_is_for_the_doctors_front_desk_only(
    opd, client_for, doctor_profile, other_clinic, patient, aarav, persona, status, request
):
    if persona == "other_receptionist":
        user = ReceptionistFactory()
        ClinicMemberFactory(clinic=other_clinic, user=user, member_role="receptionist")
    else:
        user = request.getfixturevalue(persona)

    response = profiles(client_for(user), doctor_profile, patient.contact)

    assert response.status_code == status, response.json()
    if status != 200:
        assert "Aarav" not in response.content.decode()


def test_a_receptionist_of_clinic_a_is_404_on_a_doctor_of_clinic_b(
    opd, client_for, receptionist, other_doctor_profile, patient, aarav
):
    desk = client_for(receptionist)

    lookup = profiles(desk, other_doctor_profile, patient.contact)
    booking = walk_in(desk, other_doctor_profile, patient.contact, patient_profile=str(aarav.pk))

    assert lookup.status_code == booking.status_code == 404
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "query",
    [{"doctor": 1}, {"contact": "9812345670"}, {"doctor": "x", "contact": "9812345670"}],
)
def test_profiles_lookup_needs_a_doctor_and_a_valid_contact(opd, client_for, receptionist, query):
    assert client_for(receptionist).get(PROFILES_URL, query).status_code == 400
    bad = client_for(receptionist).get(PROFILES_URL, {"doctor": 1, "contact": "12345"})
    assert bad.status_code == 400


def test_profiles_lookup_is_two_statements(
    opd, client_for, receptionist, doctor_profile, patient, aarav, django_assert_num_queries
):
    for index in range(3):
        dependent_of(patient, name=f"Child {index}")
    desk = client_for(receptionist)
    profiles(desk, doctor_profile, patient.contact)  # warm the per-client caches

    with django_assert_num_queries(2 + 1):  # the caller's account, the desk scope, profiles
        assert len(profiles(desk, doctor_profile, patient.contact).json()) == 5


def test_other_patients_are_not_reached_through_another_number(
    opd, client_for, receptionist, doctor_profile, patient
):
    stranger = PatientFactory()
    dependent_of(stranger, name="Hidden Child")

    listed = profiles(client_for(receptionist), doctor_profile, patient.contact).json()

    assert [p["id"] for p in listed] == [str(patient.pk)]
