"""The root keyring sealed by AWS KMS, against moto's server (the AWS stand-in).

The module starts `moto_server` on a free loopback port and, in front of it, a small
recording proxy that forwards every KMS call and notes its operation (`X-Amz-Target`) and
JSON body, so the tests can see which calls the server made. Two KMS keys are created with
boto3. Each test starts its own `quartermaster serve --config FILE` (SQLite in a scratch
directory, `root_key_awskms_key_id`, `root_key_awskms_region` and `root_key_awskms_endpoint`
set in the file, AWS credentials in the environment) and stops it with SIGTERM.

`quartermaster dev` builds its configuration from its flags alone (QUARTERMASTER_<KEY>
overrides apply to `serve`), so `serve` is what runs here.

Behaviour:
- On first start, root-1 is sealed with KMS Encrypt under the configured key, bound to the
  encryption context {"quartermaster_root_key": "root-1"}; `GET /v1/sys/root-keys` shows it
  `sealed_by` "awskms:<key id>", and no root.key file is written.
- Restarted with the same configuration, the server opens the keyring with KMS Decrypt and
  reads back what it sealed before (a secret, read by gateway-service with its API key).
- Started with another KMS key, or with the KMS endpoint on a closed port, it refuses to
  start: non-zero exit, one `Error:` line naming the root key and AWS KMS, nothing secret in
  its output, and the keyring is left as it was (the right key still opens it).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
import requests

from support import free_port, quartermaster_binary

REPO_ROOT = Path(__file__).resolve().parents[2]
POLICY = REPO_ROOT / "examples" / "policy.yaml"
ADMIN_TOKEN = re.compile(r"qm_admin_[A-Za-z0-9_-]+")
REGION = "us-east-1"
SECRET_PATH = "gateway/proxy-auth/upstream"
START_TIMEOUT = 30
# The seal's KMS call timeout is 10 s; a refused start may wait that long.
REFUSAL_TIMEOUT = 40

# Credentials moto accepts (it checks none); distinctive, so a leak into output is visible.
AWS_ACCESS_KEY_ID = "AKIAQMINTEROPTEST0001"
AWS_SECRET_ACCESS_KEY = f"qm-interop-secret-{uuid.uuid4().hex}"
AWS_SESSION_TOKEN = f"qm-interop-session-{uuid.uuid4().hex}"


# --------------------------------------------------------------------------------------
# moto and the recording proxy


class RecordingKMSProxy:
    """Forwards every POST to moto's server unchanged and records (operation, JSON body).

    The server signs its requests for the proxy's host; moto does not verify signatures."""

    def __init__(self, upstream_port: int):
        self.calls: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                target = self.headers.get("X-Amz-Target", "")
                try:
                    parsed = json.loads(body or b"{}")
                except ValueError:
                    parsed = {}
                with proxy.lock:
                    proxy.calls.append((target.split(".")[-1], parsed))
                headers = {name: value for name, value in self.headers.items() if name.lower() not in ("host", "connection")}
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=10)
                try:
                    upstream.request("POST", self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            def log_message(self, format, *args):  # noqa: A002 (quiet)
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="kms-proxy", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def take(self) -> list[tuple[str, dict]]:
        """The calls recorded since the last take, oldest first."""
        with self.lock:
            calls, self.calls = self.calls, []
        return calls

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class KMS:
    moto_url: str
    proxy: RecordingKMSProxy
    key_id: str
    other_key_id: str


@pytest.fixture(scope="module")
def kms():
    """moto_server on a free port, the recording proxy in front of it, and two KMS keys."""
    moto_server = Path(sys.executable).parent / "moto_server"
    assert moto_server.exists(), f"moto_server is not installed next to {sys.executable} (moto[server] in requirements.txt)"
    port = free_port()
    process = subprocess.Popen(
        [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    proxy = None
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            assert process.poll() is None, f"moto_server exited with {process.returncode} before answering"
            try:
                requests.get(f"{url}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                assert time.time() < deadline, "moto_server did not answer within 30 s"
                time.sleep(0.1)
        client = boto3.client("kms", endpoint_url=url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
        key_id = client.create_key(Description="quartermaster root keyring")["KeyMetadata"]["KeyId"]
        other_key_id = client.create_key(Description="another key")["KeyMetadata"]["KeyId"]
        proxy = RecordingKMSProxy(port)
        yield KMS(moto_url=url, proxy=proxy, key_id=key_id, other_key_id=other_key_id)
    finally:
        if proxy is not None:
            proxy.close()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --------------------------------------------------------------------------------------
# The server


def server_environment() -> dict:
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("QUARTERMASTER_", "AWS_"))}
    environment.update(
        AWS_ACCESS_KEY_ID=AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY=AWS_SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN=AWS_SESSION_TOKEN,
    )
    return environment


@dataclass
class Deployment:
    """One data directory and SQLite database, started with `serve --config` as needed."""

    root: Path
    port: int
    kms: KMS
    admin_token: str = ""
    api_key: str = ""
    secret_value: str = field(default_factory=lambda: f"upstream-{uuid.uuid4().hex}")
    root_key_b64: str = ""
    first_listing: list = field(default_factory=list)
    first_calls: list = field(default_factory=list)
    first_output: str = ""

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config(self, key_id: str, endpoint: str, name: str = "config.yaml") -> Path:
        path = self.root / name
        path.write_text(
            f"listen: 127.0.0.1:{self.port}\n"
            f"storage: sqlite:{self.root / 'qm.db'}\n"
            f"data_dir: {self.data_dir}\n"
            f"initial_policy: {POLICY}\n"
            f"root_key_awskms_key_id: {key_id}\n"
            f"root_key_awskms_region: {REGION}\n"
            f"root_key_awskms_endpoint: {endpoint}\n"
        )
        return path

    def start(self, config: Path, log_name: str) -> tuple[subprocess.Popen, Path]:
        """Starts the server and waits for GET /healthz; stdout and stderr go to one log file."""
        log_path = self.root / log_name
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [str(quartermaster_binary()), "serve", "--config", str(config)],
                cwd=self.root, env=server_environment(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.time() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited with {process.returncode} instead of starting: {log_path.read_text()[-1500:]!r}")
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return process, log_path
            except requests.ConnectionError:
                pass
            if time.time() > deadline:
                stop(process)
                raise AssertionError(f"the server did not answer /healthz within {START_TIMEOUT} s: {log_path.read_text()[-1500:]!r}")
            time.sleep(0.05)

    def refused_start(self, config: Path) -> subprocess.CompletedProcess:
        """Runs the server expecting it to exit on its own; fails if it starts listening."""
        started = time.time()
        try:
            result = subprocess.run(
                [str(quartermaster_binary()), "serve", "--config", str(config)],
                cwd=self.root, env=server_environment(), stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=REFUSAL_TIMEOUT,
            )
        except subprocess.TimeoutExpired as expired:
            raise AssertionError(f"the server was still running after {REFUSAL_TIMEOUT} s instead of refusing to start: {expired.output!r} {expired.stderr!r}")
        result.elapsed = time.time() - started  # type: ignore[attr-defined]
        return result

    def headers(self, credential: str | None = None) -> dict:
        return {"Authorization": f"Bearer {credential or self.admin_token}"}

    def root_keys(self) -> list[dict]:
        response = requests.get(f"{self.base_url}/v1/sys/root-keys", headers=self.headers(), timeout=10)
        assert response.status_code == 200, f"GET /v1/sys/root-keys: {response.status_code} {response.text[:500]!r}"
        return response.json()["data"]["keys"]

    def read_as_gateway(self) -> requests.Response:
        return requests.get(f"{self.base_url}/v1/secrets/{SECRET_PATH}", headers=self.headers(self.api_key), timeout=10)


def stop(process: subprocess.Popen) -> int:
    """SIGTERM, then SIGKILL after 15 s; the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def operations(calls: list[tuple[str, dict]]) -> list[str]:
    return [operation for operation, _ in calls]


@pytest.fixture(scope="module")
def deployment(kms: KMS, tmp_path_factory) -> Deployment:
    """The first start: the keyring is created under the first KMS key; the admin token is
    read from the output, a secret written, an API key made for gateway-service, the secret
    read back with it, and the root-key listing noted; then the server is stopped."""
    root = tmp_path_factory.mktemp("kms-root-key")
    deployment = Deployment(root=root, port=free_port(), kms=kms)
    kms.proxy.take()
    process, log_path = deployment.start(deployment.config(kms.key_id, kms.proxy.url), "first-start.log")
    try:
        deadline = time.time() + 10
        while not (match := ADMIN_TOKEN.search(log_path.read_text())):
            assert time.time() < deadline, f"no admin token (qm_admin_...) in the first start's output: {log_path.read_text()[-1500:]!r}"
            time.sleep(0.05)
        deployment.admin_token = match.group(0)
        deployment.first_listing = deployment.root_keys()

        written = requests.put(f"{deployment.base_url}/v1/secrets/{SECRET_PATH}", json={"data": {"password": deployment.secret_value}},
                               headers=deployment.headers(), timeout=10)
        assert written.status_code == 200, f"PUT /v1/secrets/{SECRET_PATH} as admin: {written.status_code} {written.text[:500]!r}"
        created = requests.post(f"{deployment.base_url}/v1/api-keys", json={"identity": "gateway-service", "name": "t"},
                                headers=deployment.headers(), timeout=10)
        assert created.status_code == 201, f"POST /v1/api-keys for gateway-service: {created.status_code} {created.text[:500]!r}"
        deployment.api_key = created.json().get("key", "")
        assert deployment.api_key.startswith("qm_"), f"no API key in {created.text[:300]!r}"
        read = deployment.read_as_gateway()
        assert read.status_code == 200, f"GET /v1/secrets/{SECRET_PATH} as gateway-service: {read.status_code} {read.text[:500]!r}"
        assert read.json()["data"]["data"] == {"password": deployment.secret_value}, f"the secret read back differs: {read.text[:500]!r}"
    finally:
        status = stop(process)
    assert status == 0, f"the server exited with {status} on SIGTERM: {log_path.read_text()[-1500:]!r}"
    deployment.first_output = log_path.read_text()
    deployment.first_calls = kms.proxy.take()
    encrypts = [body for operation, body in deployment.first_calls if operation == "Encrypt"]
    if encrypts:
        deployment.root_key_b64 = encrypts[0].get("Plaintext", "")
    return deployment


def assert_nothing_secret(deployment: Deployment, output: str) -> None:
    """No credential, token, root key or secret value in `output`."""
    secrets = {
        "the AWS secret access key": AWS_SECRET_ACCESS_KEY,
        "the AWS session token": AWS_SESSION_TOKEN,
        "the admin token": deployment.admin_token,
        "the gateway's API key": deployment.api_key,
        "the secret's value": deployment.secret_value,
    }
    if deployment.root_key_b64:
        secrets["the root key (base64)"] = deployment.root_key_b64
        secrets["the root key (hex)"] = base64.b64decode(deployment.root_key_b64).hex()
    for what, value in secrets.items():
        assert value and value not in output, f"the output of a refused start contains {what}: {output!r}"
    assert "qm_admin_" not in output, f"the output of a refused start contains an admin token: {output!r}"


def assert_refusal(deployment: Deployment, result: subprocess.CompletedProcess, *mentions: str) -> str:
    """Non-zero exit, one `Error:` line (the last) naming the root key, AWS KMS and `mentions`,
    nothing secret, and the server never listened. Returns the error line."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the server exited with 0 although it should refuse to start: {output!r}"
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, f"expected exactly one 'Error:' line: {output!r}"
    assert output.strip().splitlines()[-1] == errors[0], f"the error is not the last thing printed: {output!r}"
    error = errors[0]
    assert "root key" in error, f"the error does not say it is about the root key: {error!r}"
    assert "KMS" in error, f"the error does not name AWS KMS: {error!r}"
    for mention in mentions:
        assert mention in error, f"the error does not mention {mention!r}: {error!r}"
    assert "listening on" not in output and "qm_admin_" not in output, f"the server started although it refused: {output!r}"
    assert_nothing_secret(deployment, output)
    return error


# --------------------------------------------------------------------------------------
# Tests


def test_first_start_seals_root_1_with_the_kms_key(deployment: Deployment, kms: KMS) -> None:
    keys = deployment.first_listing
    assert [key["id"] for key in keys] == ["root-1"], f"expected the keyring to hold root-1 only: {keys}"
    root_1 = keys[0]
    assert root_1["active"] is True, f"root-1 is not active: {root_1}"
    assert root_1["sealed_by"] == f"awskms:{kms.key_id}", f"root-1 is not sealed by the KMS key {kms.key_id}: {root_1}"

    assert not (deployment.data_dir / "root.key").exists(), "a root.key file was written although KMS seals the keyring"
    assert not (deployment.root / "root.key").exists(), "a root.key file was written (in the working directory) although KMS seals the keyring"
    assert "root.key" not in os.listdir(deployment.data_dir), f"data dir holds {os.listdir(deployment.data_dir)}"

    encrypts = [body for operation, body in deployment.first_calls if operation == "Encrypt"]
    assert len(encrypts) == 1, f"expected one KMS Encrypt (sealing root-1) on first start, saw {operations(deployment.first_calls)}"
    assert encrypts[0].get("KeyId") == kms.key_id, f"Encrypt used another key: {encrypts[0].get('KeyId')!r}"
    assert encrypts[0].get("EncryptionContext") == {"quartermaster_root_key": "root-1"}, \
        f"root-1 is not bound to its id by the encryption context: {encrypts[0].get('EncryptionContext')!r}"
    root_key = base64.b64decode(deployment.root_key_b64)
    assert len(root_key) == 32, f"the root key sealed is {len(root_key)} bytes, not 32"
    assert deployment.root_key_b64 not in deployment.first_output and root_key.hex() not in deployment.first_output, \
        "the server printed the root key"


def test_restart_opens_the_keyring_through_kms(deployment: Deployment, kms: KMS) -> None:
    kms.proxy.take()
    process, log_path = deployment.start(deployment.root / "config.yaml", "restart.log")
    try:
        calls = kms.proxy.take()
        decrypts = [body for operation, body in calls if operation == "Decrypt"]
        assert decrypts, f"the restarted server made no KMS Decrypt call: {operations(calls)}"
        assert all(body.get("KeyId") == kms.key_id for body in decrypts), f"Decrypt used another key: {decrypts}"
        assert all(body.get("EncryptionContext") == {"quartermaster_root_key": "root-1"} for body in decrypts), \
            f"Decrypt did not bind root-1's id: {decrypts}"
        assert "Encrypt" not in operations(calls), f"the restart sealed a new root key instead of opening root-1: {operations(calls)}"
        assert not ADMIN_TOKEN.search(log_path.read_text()), "a second admin token was printed on restart"

        read = deployment.read_as_gateway()
        assert read.status_code == 200, f"after restart, GET /v1/secrets/{SECRET_PATH} as gateway-service: {read.status_code} {read.text[:500]!r}"
        assert read.json()["data"]["data"] == {"password": deployment.secret_value}, f"after restart the secret reads differently: {read.text[:500]!r}"
        keys = deployment.root_keys()
        assert [(key["id"], key["sealed_by"]) for key in keys] == [("root-1", f"awskms:{kms.key_id}")], \
            f"the keyring changed across the restart: {keys}"
        assert not (deployment.data_dir / "root.key").exists(), "a root.key file appeared on restart"
    finally:
        status = stop(process)
    assert status == 0, f"the server exited with {status} on SIGTERM: {log_path.read_text()[-1500:]!r}"


def test_another_kms_key_refuses_to_start_and_leaves_the_keyring(deployment: Deployment, kms: KMS) -> None:
    kms.proxy.take()
    result = deployment.refused_start(deployment.config(kms.other_key_id, kms.proxy.url, "other-key.yaml"))
    assert_refusal(deployment, result, "root-1", f"awskms:{kms.other_key_id}")
    calls = kms.proxy.take()
    assert "Encrypt" not in operations(calls), f"the refused start sealed something under the other key: {operations(calls)}"

    # The refusal changed nothing: the right key still opens the keyring and the secret.
    process, log_path = deployment.start(deployment.root / "config.yaml", "after-other-key.log")
    try:
        keys = deployment.root_keys()
        assert [(key["id"], key["sealed_by"]) for key in keys] == [("root-1", f"awskms:{kms.key_id}")], \
            f"the keyring changed after a refused start with another key: {keys}"
        read = deployment.read_as_gateway()
        assert read.status_code == 200 and read.json()["data"]["data"] == {"password": deployment.secret_value}, \
            f"after a refused start with another key the secret no longer reads: {read.status_code} {read.text[:500]!r}"
    finally:
        status = stop(process)
    assert status == 0, f"the server exited with {status} on SIGTERM: {log_path.read_text()[-1500:]!r}"


def test_unreachable_kms_refuses_to_start(deployment: Deployment, kms: KMS) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    result = deployment.refused_start(deployment.config(kms.key_id, closed, "closed-endpoint.yaml"))
    error = assert_refusal(deployment, result, "root-1", closed)
    assert "cannot be reached" in error, f"the error does not say the KMS endpoint cannot be reached: {error!r}"
    assert result.elapsed < 30, f"refusing took {result.elapsed:.1f} s; the KMS call timeout is 10 s"
    assert not (deployment.data_dir / "root.key").exists(), "a root.key file was written when KMS could not be reached"
