"""`check --deploy` names every notification kind MSG91 has no template for."""

from notifications.checks import msg91_notification_templates_check
from notifications.models import Kind


def test_msg91_needs_a_template_for_every_notification_kind(settings):
    settings.SMS_BACKEND = "core.sms.Msg91Backend"
    settings.MSG91_TEMPLATES = {kind.value: f"t-{kind.value}" for kind in Kind}
    assert msg91_notification_templates_check(None) == []
    del settings.MSG91_TEMPLATES["staff_added"]
    warnings = msg91_notification_templates_check(None)
    assert [w.id for w in warnings] == ["quickcare.W005"]
    assert "staff_added" in warnings[0].msg
    assert "appointment_reminder" not in warnings[0].msg


def test_no_warning_when_msg91_sends_nothing(settings):
    settings.MSG91_TEMPLATES = {}
    settings.SMS_BACKEND = "core.sms.RoutingBackend"
    settings.SMS_ROUTES = {"default": "core.sms.TwilioBackend"}
    assert msg91_notification_templates_check(None) == []
    settings.SMS_ROUTES = {"+91": "core.sms.Msg91Backend", "default": "core.sms.TwilioBackend"}
    assert [w.id for w in msg91_notification_templates_check(None)] == ["quickcare.W005"]
