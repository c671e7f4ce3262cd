"""SMS backends: console, file (JSON lines), locmem, and MSG91/Twilio over a mocked transport."""

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
    SMSError,
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

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json={"type": "success"})

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
    assert [(m.to, m.body) for m in sms_outbox] == [("+919876543210", "x")]


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
        HTTPBackend().build_request(client, to="x", body="y")


# --- MSG91 ------------------------------------------------------------------------------------


def test_msg91_request_shape(settings):
    settings.MSG91_AUTH_KEY = "key-123"
    settings.MSG91_SENDER_ID = "QCKCRE"
    settings.MSG91_ROUTE = "4"
    recorder = Recorder(200)
    Msg91Backend(transport=recorder.transport).send(to="+919876543210", body="Code 1")
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.msg91.com/api/v2/sendsms"
    assert request.headers["authkey"] == "key-123"
    assert json.loads(request.content) == {
        "sender": "QCKCRE",
        "route": "4",
        "country": "91",
        "sms": [{"message": "Code 1", "to": ["9876543210"]}],
    }


@pytest.mark.parametrize(
    "failures",
    [[500], [503, 502], [httpx.ConnectError("down")], [httpx.ReadTimeout("slow"), 500], [429]],
)
def test_msg91_retries_server_errors_and_connection_errors(settings, failures):
    settings.SMS_RETRIES = 2
    recorder = Recorder(*failures, 200)
    Msg91Backend(transport=recorder.transport).send(to="+919876543210", body="x")
    assert len(recorder.requests) == len(failures) + 1


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_msg91_does_not_retry_client_errors(settings, status):
    settings.SMS_RETRIES = 2
    recorder = Recorder(status, 200)
    with pytest.raises(SMSError, match=f"HTTP {status}"):
        Msg91Backend(transport=recorder.transport).send(to="+919876543210", body="x")
    assert len(recorder.requests) == 1


def test_msg91_gives_up_after_the_retries(settings):
    settings.SMS_RETRIES = 2
    recorder = Recorder(500, 500, 500, 200)
    with pytest.raises(SMSError, match="HTTP 500"):
        Msg91Backend(transport=recorder.transport).send(to="+919876543210", body="x")
    assert len(recorder.requests) == 3


def test_connection_errors_after_every_retry_raise(settings):
    settings.SMS_RETRIES = 1
    recorder = Recorder(httpx.ConnectError("a"), httpx.ConnectError("b"))
    with pytest.raises(SMSError, match="ConnectError"):
        Msg91Backend(transport=recorder.transport).send(to="+919876543210", body="x")
    assert len(recorder.requests) == 2


def test_backoff_grows(monkeypatch, settings):
    settings.SMS_RETRIES = 2
    monkeypatch.setattr(HTTPBackend, "backoff_seconds", 0.5)
    sleeps: list[float] = []
    monkeypatch.setattr(sms.time, "sleep", sleeps.append)
    Msg91Backend(transport=Recorder(500, 500, 200).transport).send(to="+919876543210", body="x")
    assert sleeps == [0.5, 1.0]


def test_timeout_comes_from_settings(settings):
    settings.SMS_TIMEOUT_SECONDS = 3.5
    assert Msg91Backend().timeout == 3.5


# --- Twilio -----------------------------------------------------------------------------------


def test_twilio_request_shape(settings):
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = "secret"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    recorder = Recorder(201)
    TwilioBackend(transport=recorder.transport).send(to="+919876543210", body="Code 2")
    (request,) = recorder.requests
    assert str(request.url) == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["Authorization"] == httpx.BasicAuth("AC123", "secret")._auth_header
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {"To": "+919876543210", "From": "+15005550006", "Body": "Code 2"}


def test_twilio_retries_then_fails(settings):
    settings.SMS_RETRIES = 1
    recorder = Recorder(500, 500)
    with pytest.raises(SMSError):
        TwilioBackend(transport=recorder.transport).send(to="+919876543210", body="x")
    assert len(recorder.requests) == 2
