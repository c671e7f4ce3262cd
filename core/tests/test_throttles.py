"""Throttle keys: OTP throttles count per normalised contact, falling back to the address."""

from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.throttles import CheckContactIPThrottle, OTPSendContactThrottle

factory = APIRequestFactory()


def request_with(body, remote="10.1.1.1"):
    raw = factory.post("/x/", body, format="json", REMOTE_ADDR=remote)
    return Request(raw, parsers=[JSONParser()])


def test_every_form_of_one_contact_shares_a_counter():
    throttle = OTPSendContactThrottle()
    keys = {
        throttle.get_cache_key(request_with({"contact": value}), None)
        for value in (9876543210, "9876543210", "+919876543210")
    }
    assert keys == {"throttle_otp_send_contact_+919876543210"}


def test_an_invalid_or_missing_contact_falls_back_to_the_address():
    throttle = OTPSendContactThrottle()
    assert throttle.get_cache_key(request_with({"contact": "abc"}), None).endswith("10.1.1.1")
    assert throttle.get_cache_key(request_with({}), None).endswith("10.1.1.1")
    assert throttle.get_cache_key(request_with([1, 2]), None).endswith("10.1.1.1")


def test_ip_throttles_key_by_address():
    throttle = CheckContactIPThrottle()
    key = throttle.get_cache_key(request_with({}, remote="10.2.2.2"), None)
    assert key == "throttle_check_contact_ip_10.2.2.2"
