"""`check --deploy` warns about development-only settings."""

from core.checks import master_otp_check, sms_backend_check


def test_master_otp_warns_when_set(settings):
    settings.MASTER_OTP = "123456"
    assert [w.id for w in master_otp_check(None)] == ["quickcare.W001"]
    settings.MASTER_OTP = ""
    assert master_otp_check(None) == []


def test_local_sms_backends_warn(settings):
    settings.SMS_BACKEND = "core.sms.FileBackend"
    assert [w.id for w in sms_backend_check(None)] == ["quickcare.W002"]
    settings.SMS_BACKEND = "core.sms.Msg91Backend"
    assert sms_backend_check(None) == []
