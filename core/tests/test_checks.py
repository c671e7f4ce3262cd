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


def test_msg91_needs_a_template_for_every_kind(settings):
    from core.checks import msg91_templates_check

    settings.SMS_BACKEND = "core.sms.Msg91Backend"
    settings.MSG91_OTP_VIA = "otp_api"
    settings.MSG91_TEMPLATES = {"appointment_reminder": "t2"}
    assert [w.id for w in msg91_templates_check(None)] == ["quickcare.W003"]
    assert "otp" in msg91_templates_check(None)[0].msg
    settings.MSG91_TEMPLATES = {"otp": "t1"}
    (missing,) = msg91_templates_check(None)
    assert missing.id == "quickcare.W003"
    assert "account_created" in missing.msg  # the transfer's "finish registering" SMS
    settings.MSG91_TEMPLATES = {"otp": "t1", "account_created": "t3"}
    assert msg91_templates_check(None) == []
    settings.MSG91_OTP_VIA = "text"
    assert [w.id for w in msg91_templates_check(None)] == ["quickcare.W004"]


def test_msg91_template_check_follows_the_routes(settings):
    from core.checks import msg91_templates_check

    settings.MSG91_TEMPLATES = {}
    settings.SMS_BACKEND = "core.sms.RoutingBackend"
    settings.SMS_ROUTES = {"+91": "core.sms.Msg91Backend", "default": "core.sms.TwilioBackend"}
    assert [w.id for w in msg91_templates_check(None)] == ["quickcare.W003"]
    settings.SMS_ROUTES = {"default": "core.sms.TwilioBackend"}
    assert msg91_templates_check(None) == []
    settings.SMS_BACKEND = "core.sms.TwilioBackend"
    assert msg91_templates_check(None) == []
