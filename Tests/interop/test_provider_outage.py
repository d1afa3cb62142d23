"""One provider's endpoint goes down; the others keep refreshing on time.

The broker refreshes every provider instance in its own task, bounds each attempt by the
instance's timeout and keeps serving a cached credential until it expires. This test runs its
own `quartermaster dev` (not the session server) with three AWS IRSA (Bedrock) instances whose
STS endpoints are local:

  bedrock_ok    a working fake STS that answers AssumeRoleWithWebIdentity with STS's documented
                XML, a fresh access key id per request and an Expiration 30 s ahead; with a
                28 s refresh window (1 s jitter, the smallest the validator accepts) the broker
                refreshes about every 1-2 s;
  bedrock_down  a closed port: every attempt is refused at once;
  bedrock_hung  a listener that accepts connections and never answers: every attempt runs
                into the instance's 2 s timeout.

After about 10 s of this it checks, over HTTP and the CLI only:

  1. the working STS got at least 4 requests, never more than 4 s apart (the failing instances,
     one of them hanging for its whole timeout each time, do not delay it);
  2. /metrics counts ok refreshes for bedrock_ok, errors for both down instances, and has the
     age and expiry gauges of bedrock_ok's cached credential (and none for the others);
  3. /v1/providers shows a last error for the down instances and none for bedrock_ok;
  4. GET /v1/credentials/bedrock_ok hands out the access key id the fake STS issued last;
     the down instances answer 503 naming the failure; an identity without the grant gets 403;
  5. `quartermaster providers status` prints the last error of both down instances.

Then bedrock_ok's STS is stopped as well: its cached credential is still served (same access
key id) while the error counter for it climbs, and once the credential's own expiry passes the
instance answers 503 like the others. The whole module takes about 45 s.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import requests

from support import assert_api_error, describe, free_port, quartermaster_binary

ADMIN_TOKEN = re.compile(r"qm_admin_[A-Za-z0-9_-]+")
STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
ROLE_ARN = "arn:aws:iam::123456789012:role/llm-proxy"
# Any JWT-looking text: the fake STS does not verify it, only checks that it was sent.
WEB_IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Im91dGFnZSJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YWk6Z2F0ZXdheSJ9.c2lnbmF0dXJl"
CREDENTIAL_LIFETIME = 30  # seconds, the Expiration the fake STS hands out
OBSERVATION = 10.0  # seconds the three instances run side by side before the checks
MAX_GAP = 4.0  # the longest acceptable time between two refreshes of bedrock_ok
DOWN_INSTANCES = ("bedrock_down", "bedrock_hung")
HTTP_TIMEOUT = 10

POLICY = """\
version: 1
identities:
  - name: admin
    kind: human
    roles: [admin]
  - name: llm-proxy
    kind: service
    description: Reads the brokered provider credentials.
    roles: [provider-reader]
  - name: outsider
    kind: service
    description: Holds no grant on provider credentials.
    roles: [unrelated]
roles:
  - name: admin
    grants:
      - actions: ["*"]
        resources: ["sys/**"]
  - name: provider-reader
    grants:
      - actions: [read]
        resources: [provider/bedrock_ok, provider/bedrock_down, provider/bedrock_hung]
  - name: unrelated
    grants:
      - actions: [read]
        resources: ["secret/unrelated/**"]
"""


def provider_instance(name: str, endpoint: str, token_file: Path) -> str:
    # jitter 0s is refused by the validator ("expected a positive number"), so 1s.
    return f"""\
  {name}:
    type: bedrock
    region: us-east-1
    refresh: {{window: 28s, jitter: 1s, min_backoff: 200ms, max_backoff: 1s, timeout: 2s}}
    authentication:
      type: workload_identity
      provider: aws_irsa
      role_arn: {ROLE_ARN}
      token_file: {token_file}
      endpoint: {endpoint}
"""


# --------------------------------------------------------------------------------------
# The three STS endpoints


@dataclass
class StsRequest:
    at: float  # time.monotonic() when it arrived
    form: dict
    access_key_id: str | None  # what we answered with; None when we did not answer


class FakeSts:
    """A working STS on 127.0.0.1: each AssumeRoleWithWebIdentity gets STS's documented XML
    with a new access key id and an Expiration CREDENTIAL_LIFETIME seconds ahead. HTTP/1.0,
    so every exchange has its own connection and `close()` really takes the endpoint down."""

    def __init__(self):
        self.requests: list[StsRequest] = []
        self.lock = threading.Lock()
        self.down = False
        sts = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode("ascii", "replace"), keep_blank_values=True))
                with sts.lock:
                    if sts.down:
                        self.close_connection = True
                        return
                    access_key_id = f"ASIAOUTAGE{len(sts.requests):010d}"
                    sts.requests.append(StsRequest(time.monotonic(), form, access_key_id))
                expiration = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=CREDENTIAL_LIFETIME)
                body = sts_success(access_key_id, expiration.strftime("%Y-%m-%dT%H:%M:%SZ")).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002 (quiet)
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-sts", daemon=True)
        self.thread.start()
        self.closed = False

    def snapshot(self) -> list[StsRequest]:
        with self.lock:
            return list(self.requests)

    def close(self) -> None:
        with self.lock:
            self.down = True
        if not self.closed:
            self.closed = True
            self.server.shutdown()
            self.server.server_close()


def sts_success(access_key_id: str, expiration: str) -> str:
    return f"""<AssumeRoleWithWebIdentityResponse xmlns="{STS_NAMESPACE}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ai:gateway</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/llm-proxy/quartermaster</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:quartermaster</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>IQoJb3JpZ2luX2VjEXAMPLE+/outage=session</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>{expiration}</Expiration>
      <AccessKeyId>{access_key_id}</AccessKeyId>
    </Credentials>
    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
"""


class HungEndpoint:
    """Accepts TCP connections on 127.0.0.1 and never answers (nor closes) them."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/"
        self.connections: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.accept_forever, name="hung-sts", daemon=True)
        self.thread.start()

    def accept_forever(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            self.connections.append(connection)  # held open, never read or written

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        for connection in self.connections:
            connection.close()
        self.listener.close()


def refused_endpoint() -> str:
    """An address where nothing listens (a port just freed)."""
    return f"http://127.0.0.1:{free_port()}/"


# --------------------------------------------------------------------------------------
# Metrics


METRIC_LINE = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$")
LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text: str) -> list[tuple[str, dict, float]]:
    """(name, labels, value) of every sample in a Prometheus text exposition, in any label order."""
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = METRIC_LINE.match(line.strip())
        if match:
            samples.append((match.group(1), dict(LABEL.findall(match.group(2) or "")), float(match.group(3))))
    return samples


def metric(samples: list[tuple[str, dict, float]], name: str, **labels: str) -> float | None:
    """The value of the one sample of `name` whose labels include `labels`; None when absent."""
    found = [value for sample_name, sample_labels, value in samples if sample_name == name and all(sample_labels.get(k) == v for k, v in labels.items())]
    assert len(found) <= 1, f"{len(found)} samples of {name} {labels}: {found}"
    return found[0] if found else None


# --------------------------------------------------------------------------------------
# The server and the scenario


@dataclass
class Outage:
    base_url: str
    admin_token: str
    log_path: Path
    process: subprocess.Popen
    sts: FakeSts
    hung: HungEndpoint
    started: float  # time.monotonic() when /healthz first answered
    reader_key: str = ""
    outsider_key: str = ""
    notes: dict = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def get(self, path: str, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.get(self.url(path), headers=headers, timeout=HTTP_TIMEOUT)

    def samples(self) -> list[tuple[str, dict, float]]:
        response = self.get("/metrics")
        assert response.status_code == 200, describe(response)
        return parse_metrics(response.text)

    def refreshes(self, instance: str, status: str) -> float | None:
        return metric(self.samples(), "quartermaster_credential_refresh_total", provider=instance, method="aws_irsa", status=status)

    def providers(self) -> dict[str, dict]:
        response = self.get("/v1/providers", self.admin_token)
        assert response.status_code == 200, describe(response)
        return {entry["instance"]: entry for entry in response.json()["providers"]}

    def log_tail(self, limit: int = 1500) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-limit:]


def api_key(base_url: str, admin_token: str, identity: str) -> str:
    response = requests.post(f"{base_url}/v1/api-keys", json={"identity": identity, "name": "t"},
                             headers={"Authorization": f"Bearer {admin_token}"}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 201, f"POST /v1/api-keys for {identity}: {describe(response)}"
    key = response.json().get("key", "")
    assert key.startswith("qm_"), f"no API key in {response.text[:300]}"
    return key


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def outage():
    scratch = Path(tempfile.mkdtemp(prefix="qm-provider-outage-"))
    sts, hung = FakeSts(), HungEndpoint()
    process = None
    log = None
    try:
        token_file = scratch / "web-identity-token.jwt"
        token_file.write_text(WEB_IDENTITY_TOKEN)
        providers_path = scratch / "provider-instances.yaml"
        providers_path.write_text(
            "instances:\n"
            + provider_instance("bedrock_ok", sts.url, token_file)
            + provider_instance("bedrock_down", refused_endpoint(), token_file)
            + provider_instance("bedrock_hung", hung.url, token_file)
        )
        policy_path = scratch / "policy.yaml"
        policy_path.write_text(POLICY)
        binary = quartermaster_binary()
        for kind, path in (("providers", providers_path), ("policy", policy_path)):
            checked = subprocess.run([str(binary), kind, "validate", str(path)], cwd=scratch, stdin=subprocess.DEVNULL,
                                     capture_output=True, text=True, timeout=60)
            assert checked.returncode == 0, f"`quartermaster {kind} validate` refused the test's file:\n{checked.stdout}{checked.stderr}\n{path.read_text()}"

        port = free_port()
        log_path = scratch / "server.log"
        log = open(log_path, "wb")
        process = subprocess.Popen(
            [str(binary), "dev", "--port", str(port), "--data-dir", str(scratch / "data"),
             "--policy", str(policy_path), "--providers", str(providers_path)],
            cwd=scratch, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"quartermaster dev exited with {process.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() < deadline, f"/healthz did not answer within 30 s:\n{log_path.read_text(errors='replace')[-3000:]}"
            try:
                if requests.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.05)
        started = time.monotonic()
        deadline = time.monotonic() + 10
        while not (match := ADMIN_TOKEN.search(log_path.read_text(errors="replace"))):
            assert time.monotonic() < deadline, f"no admin token in the server output:\n{log_path.read_text(errors='replace')[-3000:]}"
            time.sleep(0.05)

        context = Outage(base_url, match.group(0), log_path, process, sts, hung, started)
        context.reader_key = api_key(base_url, context.admin_token, "llm-proxy")
        context.outsider_key = api_key(base_url, context.admin_token, "outsider")
        # Let the three instances run side by side.
        time.sleep(max(0.0, started + OBSERVATION - time.monotonic()))
        context.notes["observed_at"] = time.monotonic()
        yield context
    finally:
        if process is not None:
            stop(process)
        if log is not None:
            log.close()
        sts.close()
        hung.close()
        shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------------------
# 1. The working instance keeps its schedule


def test_working_instance_refreshes_on_time(outage: Outage):
    requests_seen = [request for request in outage.sts.snapshot() if request.at <= outage.notes["observed_at"]]
    times = [round(request.at - outage.started, 2) for request in requests_seen]
    assert len(requests_seen) >= 4, (
        f"bedrock_ok's STS got {len(requests_seen)} requests in {OBSERVATION:.0f} s (at {times} s after /healthz), "
        f"expected at least 4 (a {CREDENTIAL_LIFETIME} s credential with a 28 s window is refreshed every 1-2 s)"
    )
    first = requests_seen[0].form
    assert first.get("Action") == "AssumeRoleWithWebIdentity", f"not an AssumeRoleWithWebIdentity: {first}"
    assert first.get("RoleArn") == ROLE_ARN and first.get("WebIdentityToken") == WEB_IDENTITY_TOKEN, f"unexpected STS form: {first}"
    # From server start to the first refresh, then between refreshes, up to the observation point.
    marks = [outage.started] + [request.at for request in requests_seen] + [outage.notes["observed_at"]]
    gaps = [round(later - earlier, 2) for earlier, later in zip(marks, marks[1:])]
    assert max(gaps) < MAX_GAP, (
        f"bedrock_ok was not refreshed on time while the other instances failed: gaps {gaps} s "
        f"(requests at {times} s after /healthz), expected every gap under {MAX_GAP} s"
    )


# --------------------------------------------------------------------------------------
# 2. Metrics


def test_metrics_count_refreshes_per_instance(outage: Outage):
    samples = outage.samples()
    counts = {
        (instance, status): metric(samples, "quartermaster_credential_refresh_total", provider=instance, method="aws_irsa", status=status)
        for instance in ("bedrock_ok", *DOWN_INSTANCES) for status in ("ok", "error")
    }
    assert (counts[("bedrock_ok", "ok")] or 0) >= 4, f"refresh_total ok for bedrock_ok: {counts}"
    assert not counts[("bedrock_ok", "error")], f"bedrock_ok had refresh errors while its STS was up: {counts}"
    for instance in DOWN_INSTANCES:
        assert (counts[(instance, "error")] or 0) >= 2, f"refresh_total error for {instance}: {counts}"
        assert not counts[(instance, "ok")], f"{instance} counted a successful refresh: {counts}"

    age = metric(samples, "quartermaster_credential_age_seconds", provider="bedrock_ok", method="aws_irsa")
    expiry = metric(samples, "quartermaster_credential_expiry_seconds", provider="bedrock_ok", method="aws_irsa")
    assert age is not None and 0 <= age < MAX_GAP, f"credential age of bedrock_ok: {age} (expected a fresh credential, under {MAX_GAP} s old)"
    assert expiry is not None and CREDENTIAL_LIFETIME - MAX_GAP - 1 < expiry <= CREDENTIAL_LIFETIME + 1, (
        f"credential expiry of bedrock_ok: {expiry} s (expected about {CREDENTIAL_LIFETIME - 2} s: refreshed 28 s before expiry)"
    )
    for instance in DOWN_INSTANCES:
        for name in ("quartermaster_credential_age_seconds", "quartermaster_credential_expiry_seconds"):
            value = metric(samples, name, provider=instance, method="aws_irsa")
            assert value is None, f"{name} for {instance}, which never had a credential: {value}"


# --------------------------------------------------------------------------------------
# 3. /v1/providers


def test_provider_status_names_the_failures(outage: Outage):
    providers = outage.providers()
    assert set(providers) == {"bedrock_ok", *DOWN_INSTANCES}, f"instances in /v1/providers: {sorted(providers)}"
    ok = providers["bedrock_ok"]
    assert not ok.get("last_error"), f"bedrock_ok shows an error: {ok}"
    assert not ok.get("consecutive_failures"), f"bedrock_ok shows failures: {ok}"
    assert ok.get("method") == "aws_irsa" and ok.get("provider") == "bedrock", ok
    for key in ("obtained_at", "expires_at", "last_success", "next_attempt"):
        assert ok.get(key), f"bedrock_ok has no {key}: {ok}"
    for instance in DOWN_INSTANCES:
        entry = providers[instance]
        assert isinstance(entry.get("last_error"), str) and entry["last_error"], f"{instance} shows no last_error: {entry}"
        assert (entry.get("consecutive_failures") or 0) >= 2, f"{instance} consecutive_failures: {entry}"
        assert not entry.get("last_success") and not entry.get("expires_at"), f"{instance} claims a credential: {entry}"
    outage.notes["errors"] = {instance: providers[instance]["last_error"] for instance in DOWN_INSTANCES}


# --------------------------------------------------------------------------------------
# 4. Reading the credentials


def test_credentials_are_served_or_refused(outage: Outage):
    response = outage.get("/v1/credentials/bedrock_ok", outage.reader_key)
    issued = [request.access_key_id for request in outage.sts.snapshot()]
    assert response.status_code == 200, f"{describe(response)}\n--- server log ---\n{outage.log_tail()}"
    body = response.json()
    credential = body.get("credential") or {}
    assert body.get("instance") == "bedrock_ok" and body.get("provider") == "bedrock" and body.get("method") == "aws_irsa", body
    assert credential.get("type") == "aws", f"credential type: {body}"
    # The newest key, or the one before it if a refresh is in flight at this very moment.
    assert credential.get("access_key_id") in issued[-2:], f"served access key id {credential.get('access_key_id')!r}, the fake STS issued {issued}"
    assert credential.get("secret_access_key") == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", body
    assert credential.get("session_token") == "IQoJb3JpZ2luX2VjEXAMPLE+/outage=session", body
    assert body.get("lease_id") and 0 < body.get("lease_duration", 0) <= CREDENTIAL_LIFETIME, f"lease: {body}"
    assert body.get("renewable") is False, body

    for instance in DOWN_INSTANCES:
        response = outage.get(f"/v1/credentials/{instance}", outage.reader_key)
        error = assert_api_error(response, 503)
        detail = error["detail"]
        assert "has no valid credential" in detail and instance in detail, f"503 detail for {instance}: {detail!r}"
        last_error = outage.providers()[instance].get("last_error") or ""
        assert "last refresh failed" in detail and last_error and last_error in detail, (
            f"the 503 for {instance} should carry the last error {last_error!r}: {detail!r}"
        )

    for instance in ("bedrock_ok", *DOWN_INSTANCES):
        response = outage.get(f"/v1/credentials/{instance}", outage.outsider_key)
        assert_api_error(response, 403)
        assert "ASIA" not in response.text, f"a refused read leaks the credential: {describe(response)}"


# --------------------------------------------------------------------------------------
# 5. The CLI


def test_cli_status_prints_the_errors(outage: Outage):
    environment = {**os.environ, "QUARTERMASTER_ADDR": outage.base_url, "QUARTERMASTER_TOKEN": outage.admin_token}
    result = subprocess.run([str(quartermaster_binary()), "providers", "status"], env=environment, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"`quartermaster providers status` exited {result.returncode}:\n{output}"
    lines = {instance: [line for line in result.stdout.splitlines() if re.search(rf"\b{instance}\b", line)] for instance in ("bedrock_ok", *DOWN_INSTANCES)}
    for instance, found in lines.items():
        assert len(found) == 1, f"expected one line for {instance} in:\n{output}"
    assert "last error" not in lines["bedrock_ok"][0], f"bedrock_ok is shown failing:\n{output}"
    errors = outage.providers()
    for instance in DOWN_INSTANCES:
        line = lines[instance][0]
        assert re.search(r"last error \(\d+ in a row\): \S", line), f"no last error for {instance}:\n{output}"
        last_error = errors[instance].get("last_error") or ""
        assert last_error and last_error in line, f"the line for {instance} should show {last_error!r}:\n{output}"


# --------------------------------------------------------------------------------------
# 6. The working instance's STS goes down too: the cache carries it until expiry


def test_cached_credential_outlives_its_sts(outage: Outage):
    before = outage.get("/v1/credentials/bedrock_ok", outage.reader_key)
    assert before.status_code == 200, describe(before)
    errors_before = outage.refreshes("bedrock_ok", "error") or 0

    outage.sts.close()
    time.sleep(0.5)  # an exchange answered just before the close reaches the broker
    issued = [request.access_key_id for request in outage.sts.snapshot()]
    last_key = issued[-1]
    expires_at = datetime.datetime.fromisoformat(outage.providers()["bedrock_ok"]["expires_at"].replace("Z", "+00:00"))

    # Refreshes now fail (a closed port, retried with 0.2-1 s backoff); wait for a few of them.
    closed_at = time.monotonic()
    errors_after = errors_before
    while errors_after < errors_before + 3 and time.monotonic() < closed_at + 10:
        time.sleep(0.5)
        errors_after = outage.refreshes("bedrock_ok", "error") or 0
    waited = time.monotonic() - closed_at
    status = outage.providers()["bedrock_ok"]
    assert errors_after >= errors_before + 3, (
        f"refresh errors for bedrock_ok went from {errors_before} to {errors_after} in {waited:.1f} s of STS outage; /v1/providers: {status}"
    )
    assert status.get("last_error") and (status.get("consecutive_failures") or 0) >= 3, f"bedrock_ok after its STS went down: {status}"
    response = outage.get("/v1/credentials/bedrock_ok", outage.reader_key)
    assert response.status_code == 200, f"the cached credential was not served {waited:.1f} s after its STS went down: {describe(response)}"
    served = response.json()["credential"]["access_key_id"]
    assert served == last_key, f"served {served!r}, but the last key the STS issued before going down was {last_key!r}"

    # Once the credential's own expiry has passed, it is no longer handed out.
    remaining = (expires_at - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert 2 < remaining <= CREDENTIAL_LIFETIME, f"expires_at {expires_at} is {remaining:.1f} s away"
    # Still handed out 2 s before it expires...
    time.sleep(remaining - 2)
    response = outage.get("/v1/credentials/bedrock_ok", outage.reader_key)
    assert response.status_code == 200, f"the cached credential was not served 2 s before its expiry {expires_at}: {describe(response)}"
    assert response.json()["credential"]["access_key_id"] == last_key, describe(response)
    # ...and no longer once the expiry has passed.
    time.sleep(3)
    response = outage.get("/v1/credentials/bedrock_ok", outage.reader_key)
    detail = assert_api_error(response, 503)["detail"]
    assert "has no valid credential" in detail and "last refresh failed" in detail, f"503 detail after expiry: {detail!r}"
    expiry = metric(outage.samples(), "quartermaster_credential_expiry_seconds", provider="bedrock_ok", method="aws_irsa")
    assert expiry is not None and expiry < 0, f"expiry gauge of bedrock_ok after its credential expired: {expiry}"
