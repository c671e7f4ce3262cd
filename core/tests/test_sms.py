"""SMS backends: console, file (JSON lines), locmem, and MSG91/Twilio over a mocked transport
that checks the exact requests the providers document (MSG91's Flow and SendOTP v5 APIs,
Twilio's Messages API), the retry policy, and the router by country code."""

import json

import httpx
import pytest

from core import sms
from core.sms import (
    ConsoleBackend,
    FileBackend,
    HTTPBackend,
    LocmemBackend,
    Msg91Backend,
    RoutingBackend,
    SMSError,
    SMSKind,
    TwilioBackend,
    get_backend,
    send_sms,
)
from core.tasks import enqueue_sms_on_commit


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr(HTTPBackend, "backoff_seconds", 0)


class Recorder:
    """An httpx transport answering from a script of status codes or exceptions."""

    def __init__(self, *answers, body=None):
        self.answers = list(answers)
        self.body = (
            {"type": "success", "message": "3763646c3058373530393938"} if body is None else body
        )
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json=self.body)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def test_console_backend_prints(capsys):
    ConsoleBackend().send(to="+919876543210", body="Hello")
    assert capsys.readouterr().out == "[SMS to +919876543210] Hello\n"


def test_file_backend_appends_json_lines(tmp_path):
    path = tmp_path / "nested" / "sms.jsonl"
    backend = FileBackend(str(path))
    backend.send(to="+919876543210", body="Code 123456")
    backend.send(to="+919123456789", body="Second")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(m["to"], m["body"]) for m in lines] == [
        ("+919876543210", "Code 123456"),
        ("+919123456789", "Second"),
    ]
    assert all(m["sent_at"].endswith("+00:00") for m in lines)
    assert set(lines[0]) == {"to", "body", "sent_at"}


def test_file_backend_defaults_to_the_setting(tmp_path, settings):
    settings.SMS_FILE_PATH = str(tmp_path / "out.jsonl")
    FileBackend().send(to="+919876543210", body="x")
    assert (tmp_path / "out.jsonl").exists()


def test_locmem_backend_collects_an_outbox(sms_outbox):
    LocmemBackend().send(to="+919876543210", body="x")
    LocmemBackend().send(to="+919876543210", body="Code 1", kind="otp", variables={"otp": "1"})
    assert [(m.to, m.body, m.kind, m.variables) for m in sms_outbox] == [
        ("+919876543210", "x", "", None),
        ("+919876543210", "Code 1", "otp", {"otp": "1"}),
    ]


def test_the_backend_comes_from_settings(settings, sms_outbox):
    settings.SMS_BACKEND = "core.sms.ConsoleBackend"
    assert isinstance(get_backend(), ConsoleBackend)
    settings.SMS_BACKEND = "core.sms.LocmemBackend"
    send_sms(to="+919876543210", body="via send_sms")
    assert sms_outbox[-1].body == "via send_sms"


@pytest.mark.django_db
def test_sms_task_runs_only_after_commit(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_sms_on_commit(to="+919876543210", body="after commit")
    assert sms_outbox == []
    callbacks[0]()
    assert sms_outbox[-1].body == "after commit"


def test_base_backends_are_abstract():
    with pytest.raises(NotImplementedError):
        sms.BaseSMSBackend().send(to="x", body="y")
    with httpx.Client() as client, pytest.raises(NotImplementedError):
        HTTPBackend().build_request(client, to="x", body="y", kind="", variables={})


# --- MSG91 ------------------------------------------------------------------------------------

AUTH_KEY = "key-123"
OTP_TEMPLATE = "64f0c0ffee0000000000otp1"
TEMP_TEMPLATE = "64f0c0ffee0000000000tmp1"
TEMP_VARIABLES = {"clinic": "Sunrise Clinic", "role": "doctor", "password": "Kp7mWx3Q"}


@pytest.fixture
def msg91(settings):
    settings.MSG91_AUTH_KEY = AUTH_KEY
    settings.MSG91_TEMPLATES = {"otp": OTP_TEMPLATE, "temp_password": TEMP_TEMPLATE}
    settings.MSG91_OTP_VIA = "otp_api"
    settings.SMS_RETRIES = 2
    return settings


def _send_temp_password(recorder, to="+919876543210"):
    return Msg91Backend(transport=recorder.transport).send(
        to=to, body="rendered text", kind="temp_password", variables=TEMP_VARIABLES
    )


def test_msg91_flow_request_is_the_documented_one(msg91):
    recorder = Recorder(200)
    message_id = _send_temp_password(recorder)
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "https://control.msg91.com/api/v5/flow/"
    assert request.headers["authkey"] == AUTH_KEY
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert json.loads(request.content) == {
        "template_id": TEMP_TEMPLATE,
        "short_url": "0",
        "recipients": [
            {
                "mobiles": "919876543210",
                "clinic": "Sunrise Clinic",
                "role": "doctor",
                "password": "Kp7mWx3Q",
            }
        ],
    }
    assert b"rendered text" not in request.content  # variables, never free text (DLT)
    assert message_id == "3763646c3058373530393938"  # MSG91 answers the request id as "message"


def test_msg91_otp_goes_through_the_sendotp_api(msg91):
    recorder = Recorder(200, body={"type": "success", "request_id": "3166686e6e6d313235353031"})
    message_id = Msg91Backend(transport=recorder.transport).send(
        to="+919876543210",
        body="Your code is 123456",
        kind=SMSKind.OTP,
        variables={"otp": "123456"},
    )
    (request,) = recorder.requests
    assert request.method == "POST"
    assert request.url.copy_with(query=None) == "https://control.msg91.com/api/v5/otp"
    assert dict(request.url.params) == {
        "template_id": OTP_TEMPLATE,
        "mobile": "919876543210",
        "otp": "123456",
    }
    assert request.headers["authkey"] == AUTH_KEY  # a header, not the query string
    assert "authkey" not in request.url.params
    assert json.loads(request.content) == {}
    assert message_id == "3166686e6e6d313235353031"


def test_msg91_otp_extra_variables_go_in_the_json_body(msg91):
    recorder = Recorder(200)
    Msg91Backend(transport=recorder.transport).send(
        to="+919876543210", body="x", kind="otp", variables={"otp": "123456", "minutes": "10"}
    )
    (request,) = recorder.requests
    assert request.url.params["otp"] == "123456"
    assert json.loads(request.content) == {"minutes": "10"}


def test_msg91_otp_can_use_a_flow_template(msg91):
    msg91.MSG91_OTP_VIA = "flow"
    recorder = Recorder(200)
    Msg91Backend(transport=recorder.transport).send(
        to="+919876543210", body="x", kind="otp", variables={"otp": "123456"}
    )
    (request,) = recorder.requests
    assert str(request.url) == "https://control.msg91.com/api/v5/flow/"
    assert json.loads(request.content) == {
        "template_id": OTP_TEMPLATE,
        "short_url": "0",
        "recipients": [{"mobiles": "919876543210", "otp": "123456"}],
    }


@pytest.mark.parametrize("kind", ["", "temp_password", "appointment_reminder"])
def test_msg91_kind_without_a_template_is_an_error_and_sends_nothing(msg91, kind):
    msg91.MSG91_TEMPLATES = {"otp": OTP_TEMPLATE}
    recorder = Recorder(200)
    with pytest.raises(SMSError, match="No MSG91 template for SMS kind"):
        Msg91Backend(transport=recorder.transport).send(
            to="+919876543210", body="free text", kind=kind, variables={"x": "y"}
        )
    assert recorder.requests == []  # never a free-text fallback


def test_msg91_otp_without_the_code_is_an_error(msg91):
    recorder = Recorder(200)
    with pytest.raises(SMSError, match="'otp' variable"):
        Msg91Backend(transport=recorder.transport).send(to="+919876543210", body="x", kind="otp")
    assert recorder.requests == []


def test_msg91_needs_its_key_and_a_known_otp_route(msg91):
    msg91.MSG91_AUTH_KEY = ""
    with pytest.raises(SMSError, match="MSG91_AUTH_KEY"):
        _send_temp_password(Recorder(200))
    msg91.MSG91_AUTH_KEY = AUTH_KEY
    msg91.MSG91_OTP_VIA = "sms"
    with pytest.raises(SMSError, match="MSG91_OTP_VIA"):
        _send_temp_password(Recorder(200))


def test_msg91_refusal_with_http_200_is_an_error_not_retried(msg91):
    recorder = Recorder(200, body={"type": "error", "message": "Invalid template id"})
    with pytest.raises(SMSError, match="Invalid template id"):
        _send_temp_password(recorder)
    assert len(recorder.requests) == 1


def test_msg91_answer_without_an_id_gives_none(msg91):
    assert _send_temp_password(Recorder(200, body={"type": "success"})) is None
    assert _send_temp_password(Recorder(200, body=["not", "an", "object"])) is None


@pytest.mark.parametrize(
    "failures",
    [[500], [503, 502], [httpx.ConnectError("down")], [httpx.ReadTimeout("slow"), 500], [429]],
)
def test_msg91_retries_server_errors_and_connection_errors(msg91, failures):
    recorder = Recorder(*failures, 200)
    assert _send_temp_password(recorder) == "3763646c3058373530393938"
    assert len(recorder.requests) == len(failures) + 1
    # Every attempt is the same documented request.
    assert len({(str(r.url), r.content) for r in recorder.requests}) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_msg91_does_not_retry_client_errors(msg91, status):
    recorder = Recorder(status, 200)
    with pytest.raises(SMSError, match=f"HTTP {status}"):
        _send_temp_password(recorder)
    assert len(recorder.requests) == 1


def test_msg91_gives_up_after_the_retries(msg91):
    recorder = Recorder(500, 500, 500, 200)
    with pytest.raises(SMSError, match="HTTP 500"):
        _send_temp_password(recorder)
    assert len(recorder.requests) == 3


def test_connection_errors_after_every_retry_raise(msg91):
    msg91.SMS_RETRIES = 1
    recorder = Recorder(httpx.ConnectError("a"), httpx.ConnectError("b"))
    with pytest.raises(SMSError, match="ConnectError"):
        _send_temp_password(recorder)
    assert len(recorder.requests) == 2


def test_backoff_grows(monkeypatch, msg91):
    monkeypatch.setattr(HTTPBackend, "backoff_seconds", 0.5)
    sleeps: list[float] = []
    monkeypatch.setattr(sms.time, "sleep", sleeps.append)
    _send_temp_password(Recorder(500, 500, 200))
    assert sleeps == [0.5, 1.0]


def test_timeout_comes_from_settings(settings):
    settings.SMS_TIMEOUT_SECONDS = 3.5
    assert Msg91Backend().timeout == 3.5


def test_the_otp_never_reaches_the_http_log(msg91, caplog):
    """httpx logs request URLs at INFO; SendOTP takes the code in its query string."""
    caplog.set_level("INFO", logger="httpx")
    Msg91Backend(transport=Recorder(200).transport).send(
        to="+919876543210", body="x", kind="otp", variables={"otp": "987123"}
    )
    logged = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert logged, "httpx logged no request line: the redaction is not exercised"
    assert all("987123" not in line for line in logged)
    assert any("otp=%5Bredacted%5D" in line or "otp=[redacted]" in line for line in logged)
    assert any("mobile=919876543210" in line for line in logged)


# --- Twilio -----------------------------------------------------------------------------------


@pytest.fixture
def twilio(settings):
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = "secret"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    return settings


TWILIO_ANSWER = {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}


def test_twilio_request_is_the_documented_one(twilio):
    recorder = Recorder(201, body=TWILIO_ANSWER)
    message_id = TwilioBackend(transport=recorder.transport).send(
        to="+14155550100", body="Code 2", kind="otp", variables={"otp": "2"}
    )
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["Authorization"] == httpx.BasicAuth("AC123", "secret")._auth_header
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {"To": "+14155550100", "From": "+15005550006", "Body": "Code 2"}
    assert message_id == TWILIO_ANSWER["sid"]


def test_twilio_retries_5xx_and_429_then_fails(twilio):
    twilio.SMS_RETRIES = 2
    recorder = Recorder(500, 429, 503, body=TWILIO_ANSWER)
    with pytest.raises(SMSError, match="HTTP 503"):
        TwilioBackend(transport=recorder.transport).send(to="+14155550100", body="x")
    assert len(recorder.requests) == 3


def test_twilio_does_not_retry_client_errors(twilio):
    twilio.SMS_RETRIES = 2
    recorder = Recorder(400, 201, body={"code": 21211, "message": "Invalid 'To' Phone Number"})
    with pytest.raises(SMSError, match="HTTP 400"):
        TwilioBackend(transport=recorder.transport).send(to="+14155550100", body="x")
    assert len(recorder.requests) == 1


def test_twilio_needs_its_credentials(twilio):
    twilio.TWILIO_AUTH_TOKEN = ""
    recorder = Recorder(201)
    with pytest.raises(SMSError, match="TWILIO_AUTH_TOKEN"):
        TwilioBackend(transport=recorder.transport).send(to="+14155550100", body="x")
    assert recorder.requests == []


# --- Routing by country -----------------------------------------------------------------------


class Fake(sms.BaseSMSBackend):
    sent: list[tuple[str, str, str, dict | None]] = []

    def send(self, *, to, body, kind="", variables=None):
        self.sent.append((type(self).__name__, to, kind, variables))
        return f"{type(self).__name__}-id"


class IndiaFake(Fake):
    pass


class WorldFake(Fake):
    pass


@pytest.fixture
def routes(settings):
    Fake.sent = []
    settings.SMS_BACKEND = "core.sms.RoutingBackend"
    settings.SMS_ROUTES = {
        "+91": f"{__name__}.IndiaFake",
        "default": f"{__name__}.WorldFake",
    }
    return settings


def test_routing_sends_indian_numbers_to_one_backend_and_the_rest_to_the_default(routes):
    assert isinstance(get_backend(), RoutingBackend)
    assert send_sms(to="+919876543210", body="b", kind="otp", variables={"otp": "1"}) == (
        "IndiaFake-id"
    )
    assert send_sms(to="+14155550100", body="b", kind="otp", variables={"otp": "1"}) == (
        "WorldFake-id"
    )
    assert Fake.sent == [
        ("IndiaFake", "+919876543210", "otp", {"otp": "1"}),
        ("WorldFake", "+14155550100", "otp", {"otp": "1"}),
    ]


def test_routing_takes_the_longest_prefix(routes):
    routes.SMS_ROUTES = {**routes.SMS_ROUTES, "+9198": f"{__name__}.WorldFake"}
    send_sms(to="+919876543210", body="b")
    send_sms(to="+919123456789", body="b")
    assert [name for name, *_ in Fake.sent] == ["WorldFake", "IndiaFake"]


def test_routing_without_a_route_is_an_error(routes):
    routes.SMS_ROUTES = {"+91": f"{__name__}.IndiaFake"}
    with pytest.raises(SMSError, match="No SMS route"):
        send_sms(to="+14155550100", body="b")
    routes.SMS_ROUTES = {"default": "core.sms.RoutingBackend"}
    with pytest.raises(SMSError, match="provider backends"):
        send_sms(to="+14155550100", body="b")


def test_routing_with_the_real_providers(routes, msg91, twilio):
    """+91 goes to MSG91's Flow API with the template, the rest to Twilio with the text."""
    routes.SMS_ROUTES = {"+91": "core.sms.Msg91Backend", "default": "core.sms.TwilioBackend"}
    recorder = Recorder(200, 201, body={"type": "success", "message": "m-1", "sid": "SM1"})
    transport = recorder.transport
    original = HTTPBackend.__init__

    def with_mock(self, transport_arg=None):
        original(self, transport)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTTPBackend, "__init__", with_mock)
        send_sms(to="+919876543210", body="text", kind="temp_password", variables=TEMP_VARIABLES)
        send_sms(to="+14155550100", body="text", kind="temp_password", variables=TEMP_VARIABLES)
    india, world = recorder.requests
    assert str(india.url) == "https://control.msg91.com/api/v5/flow/"
    assert json.loads(india.content)["template_id"] == TEMP_TEMPLATE
    assert str(world.url) == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert dict(httpx.QueryParams(world.content.decode()))["Body"] == "text"


@pytest.mark.django_db
def test_the_sms_task_carries_kind_and_variables(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_sms_on_commit(to="+919876543210", body="b", kind="otp", variables={"otp": "9"})
    assert (sms_outbox[-1].kind, sms_outbox[-1].variables) == ("otp", {"otp": "9"})
