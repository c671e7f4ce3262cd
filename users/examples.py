"""OpenAPI examples for registration (the spec's own bodies), shown by Swagger's "Try it out"."""

from drf_spectacular.utils import OpenApiExample

REGISTRATION_START_EXAMPLES = [
    OpenApiExample(
        "Send the OTP",
        value={"contact": 9876543210, "name": "Rahul Sharma", "password": "Secret#2026"},
        request_only=True,
        description="A 10-digit Indian mobile number (starting with 6-9); the OTP goes to it "
        "by SMS and is valid for a few minutes.",
    ),
]

REGISTRATION_VERIFY_EXAMPLES = [
    OpenApiExample(
        "Verify the OTP",
        value={"contact": 9876543210, "otp": "482910"},
        request_only=True,
        description="The code from the SMS sent by step 1, for the same contact.",
    ),
]

PATIENT_PROFILE_EXAMPLES = [
    OpenApiExample(
        "Complete the profile",
        value={
            "gender": "male",
            "age": 28,
            "email": "rahul@example.com",
            "blood_group": "B+",
            "address_area": "Near City Hospital",
            "house_no": "12A",
            "town": "Jaipur",
            "state": "Rajasthan",
            "pincode": "302001",
            "landmark": "Opp. SBI Bank",
            "allergies": "Penicillin",
            "chronic_conditions": "None",
            "current_medications": "None",
            "past_surgeries": "Appendectomy 2020",
            "family_history": "Diabetes (father)",
            "height_cm": 175,
            "weight_kg": 70.5,
            "emergency_contact_name": "Priya Sharma",
            "emergency_contact_number": 9123456789,
        },
        request_only=True,
        description="Only `gender` and `age` are required.",
    ),
    OpenApiExample(
        "Skip (only the required fields)",
        value={"gender": "female", "age": 34},
        request_only=True,
    ),
]
