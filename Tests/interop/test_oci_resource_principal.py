"""OCI resource principal v2.2: the `oci` SDK's signer and ours sign the same request alike.

The SDK side is what runs in an OCI Function or notebook: with

    OCI_RESOURCE_PRINCIPAL_VERSION=2.2
    OCI_RESOURCE_PRINCIPAL_RPST=<file holding the session token, a JWT>
    OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM=<file holding the session's PEM private key>
    OCI_RESOURCE_PRINCIPAL_REGION=us-chicago-1

`oci.auth.signers.get_resource_principals_signer()` builds an `EphemeralResourcePrincipalSigner`,
and the SDK's Generative AI clients (`chat`, `list_models`) send through it to a local capture
server. Our side signs the same request (method, URL, content type and body bytes as the server
received them) at the same instant (the SDK's own `date` header, read back), reading the same two
files, and the `authorization` headers, and every header it covers, must be equal: RSA PKCS#1 v1.5
signatures are deterministic. Neither side reaches OCI.

Our side runs in a separate process, the runner:

    $QUARTERMASTER_OCI_SIGN_RUNNER --session-token-file F --private-key-file F \\
        --method M --url U --date EPOCH_SECONDS [--body-file F] [--header 'Name: value']...

It runs OCIResourcePrincipalExchange once on the two files (at the real clock) and signs the
request with OCIRequestSigner (key id "ST$" + the session token, the session key) at the instant
EPOCH_SECONDS, then prints one JSON object and exits 0:

    {"method": "oci_resource_principal", "expires_at": <the token's exp, epoch seconds>,
     "headers": [[name, value], ...]}   # every header to send, authorization included

On failure it prints one line on stderr, nothing on stdout, and exits 1; the line names the
file and never holds the token or the key. QUARTERMASTER_OCI_SIGN_RUNNER is a command line (split
like a shell would); unset, it is `$QUARTERMASTER_BIN providers oci-sign` (QUARTERMASTER_BIN
defaulting to .build/debug/quartermaster), the real binary's command with the same arguments.

Deliberate differences, asserted as such: we read the token file without its surrounding
whitespace (the SDK would put a final newline into the key id and fail), and we refuse a token
past its `exp` (the SDK signs with it and fails at OCI with a 401).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
import oci
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

sys.path.insert(0, str(Path(__file__).resolve().parent / "providers"))

from provider_capture import CaptureServer, Captured  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
RUNNER_VARIABLE = "QUARTERMASTER_OCI_SIGN_RUNNER"
REGION = "us-chicago-1"
COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaquartermastercompartment"
CHAT_PATH = "/20231130/actions/chat"
# Signs the fake session tokens (OCI's identity service would; neither side verifies it).
TOKEN_ISSUER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def runner_command() -> list[str]:
    spec = os.environ.get(RUNNER_VARIABLE)
    if spec:
        return shlex.split(spec)
    configured = Path(os.environ.get("QUARTERMASTER_BIN", ".build/debug/quartermaster"))
    binary = configured if configured.is_absolute() else REPO_ROOT / configured
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"no quartermaster binary at {binary} (set QUARTERMASTER_BIN, or {RUNNER_VARIABLE} to a runner)", pytrace=False)
    return [str(binary), "providers", "oci-sign"]


def session_token(expires_in: int = 3600, resource: str = "ocid1.fnfunc.oc1.us-chicago-1.aaaaaaaaquartermaster") -> tuple[str, int]:
    """A resource principal session token shaped like OCI's, and its exp."""
    now = int(time.time())
    claims = {
        "sub": resource,
        "res_type": "fnfunc",
        "res_tenant": "ocid1.tenancy.oc1..aaaaaaaaquartermastertenancy",
        "res_compartment": COMPARTMENT,
        "iss": "authService.oracle.com",
        "ptype": "resource",
        "iat": now,
        "exp": now + expires_in,
    }
    return jwt.encode(claims, TOKEN_ISSUER_KEY, algorithm="RS256", headers={"kid": "asw"}), now + expires_in


def session_key_pem(form: str = "pkcs8", passphrase: bytes | None = None) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    formats = {"pkcs8": serialization.PrivateFormat.PKCS8, "pkcs1": serialization.PrivateFormat.TraditionalOpenSSL}
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, formats[form], encryption).decode("ascii")


@dataclass
class Session:
    """The two files the platform writes, and the environment that names them."""

    token_file: Path
    key_file: Path

    def write(self, token: str, key_pem: str):
        self.token_file.write_text(token, encoding="ascii")  # no final newline: the SDK keeps one in the key id
        self.key_file.write_text(key_pem, encoding="ascii")


@dataclass
class Signed:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> dict:
        assert self.returncode == 0, f"our signer failed (exit {self.returncode}):\n{self.stderr}{self.stdout}"
        return json.loads(self.stdout)

    def header(self, name: str) -> str:
        values = [value for key, value in self.output["headers"] if key.lower() == name]
        assert len(values) == 1, f"{name} sent {len(values)} times: {self.output['headers']}"
        return values[0]

    @property
    def error_line(self) -> str:
        assert self.returncode == 1, f"expected exit status 1, got {self.returncode}:\n{self.stdout}{self.stderr}"
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one error line, got:\n{self.stderr}"
        assert self.stdout.strip() == "", f"nothing should be printed on stdout on failure:\n{self.stdout}"
        return lines[0]


@pytest.fixture
def session(tmp_path, monkeypatch) -> Session:
    files = Session(tmp_path / "rpst", tmp_path / "private.pem")
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2")
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_RPST", str(files.token_file))
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", str(files.key_file))
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_REGION", REGION)
    monkeypatch.delenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE", raising=False)
    return files


@pytest.fixture
def capture():
    server = CaptureServer()
    yield server
    server.close()


def sign_ours(session: Session, scratch: Path, request: Captured, base_url: str, *, token_file: Path | None = None) -> Signed:
    """Our headers for the request the SDK sent, at the SDK's instant."""
    instant = email.utils.parsedate_to_datetime(request.header("date")).timestamp()
    body_file = scratch / "body"
    body_file.write_bytes(request.body)
    url = base_url + request.raw_path + ("?" + request.query if request.query else "")
    command = runner_command() + [
        "--session-token-file", str(token_file or session.token_file),
        "--private-key-file", str(session.key_file),
        "--method", request.method,
        "--url", url,
        "--date", str(int(instant)),
        "--body-file", str(body_file),
    ]
    if request.header("content-type") is not None:
        command += ["--header", "content-type: " + request.header("content-type")]
    completed = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, cwd=scratch)
    return Signed(completed.returncode, completed.stdout, completed.stderr)


def signed_names(authorization: str) -> list[str]:
    return authorization.split('headers="', 1)[1].split('"', 1)[0].split(" ")


def assert_signed_alike(sdk: Captured, ours: Signed):
    authorization = sdk.header("authorization")
    assert ours.header("authorization") == authorization, f"\nSDK sent:\n{sdk.describe()}\nwe send:\n{ours.output['headers']}"
    for name in signed_names(authorization):
        if name != "(request-target)":
            assert ours.header(name) == sdk.header(name), f"{name} differs"


def inference_client(endpoint: str):
    signer = oci.auth.signers.get_resource_principals_signer()
    assert isinstance(signer, oci.auth.signers.EphemeralResourcePrincipalSigner)
    client = oci.generative_ai_inference.GenerativeAiInferenceClient(
        config={}, signer=signer, service_endpoint=endpoint, retry_strategy=oci.retry.NoneRetryStrategy()
    )
    return signer, client


def chat_details(message: str) -> oci.generative_ai_inference.models.ChatDetails:
    models = oci.generative_ai_inference.models
    return models.ChatDetails(
        compartment_id=COMPARTMENT,
        serving_mode=models.OnDemandServingMode(model_id="cohere.command-r-plus-08-2024"),
        chat_request=models.CohereChatRequest(message=message, max_tokens=64, temperature=0.2),
    )


CHAT_ANSWER = {
    "modelId": "cohere.command-r-plus-08-2024",
    "modelVersion": "1.7",
    "chatResponse": {"apiFormat": "COHERE", "text": "Ahoy.", "finishReason": "COMPLETE"},
}


@pytest.mark.parametrize("key_form", ["pkcs8", "pkcs1"])
def test_chat_request_signed_like_the_sdk(session, capture, tmp_path, key_form):
    token, expiry = session_token()
    session.write(token, session_key_pem(key_form))
    capture.answer("POST", CHAT_PATH, 200, CHAT_ANSWER)
    _, client = inference_client(capture.url)
    client.chat(chat_details("Grüße, Quartermaster ✓"))
    [sdk] = capture.take()
    assert signed_names(sdk.header("authorization")) == ["date", "(request-target)", "host", "content-length", "content-type", "x-content-sha256"]
    assert f'keyId="ST${token}"' in sdk.header("authorization")

    ours = sign_ours(session, tmp_path, sdk, capture.url)
    assert_signed_alike(sdk, ours)
    assert ours.output["method"] == "oci_resource_principal"
    assert ours.output["expires_at"] == expiry


def test_get_with_query_signed_like_the_sdk(session, capture, tmp_path):
    token, _ = session_token()
    session.write(token, session_key_pem())
    capture.answer("GET", "/20231130/models", 200, {"items": []})
    signer = oci.auth.signers.get_resource_principals_signer()
    client = oci.generative_ai.GenerativeAiClient(config={}, signer=signer, service_endpoint=capture.url, retry_strategy=oci.retry.NoneRetryStrategy())
    client.list_models(COMPARTMENT, capability=["CHAT"], display_name="command r+", limit=10)
    [sdk] = capture.take()
    assert sdk.query, "the SDK sent no query"
    assert signed_names(sdk.header("authorization")) == ["date", "(request-target)", "host"]

    ours = sign_ours(session, tmp_path, sdk, capture.url)
    assert_signed_alike(sdk, ours)
    assert [name for name, _ in ours.output["headers"] if name.lower() in ("content-length", "x-content-sha256")] == []


def test_rotated_files_are_read_again(session, capture, tmp_path):
    """The SDK reads the files again after a 401; we read them at every fetch."""
    first, _ = session_token(resource="ocid1.fnfunc.oc1.us-chicago-1.first")
    session.write(first, session_key_pem())
    capture.answer("POST", CHAT_PATH, 401, {"code": "NotAuthenticated", "message": "The required information to complete authentication was not provided."})
    _, client = inference_client(capture.url)
    rotated, expiry = session_token(expires_in=7200, resource="ocid1.fnfunc.oc1.us-chicago-1.rotated")
    session.write(rotated, session_key_pem("pkcs1"))  # the platform rotates both after the signer was built
    with pytest.raises(oci.exceptions.ServiceError):
        client.chat(chat_details("again"))
    before, after = capture.take()
    assert f'keyId="ST${first}"' in before.header("authorization")
    assert f'keyId="ST${rotated}"' in after.header("authorization")

    ours = sign_ours(session, tmp_path, after, capture.url)
    assert_signed_alike(after, ours)
    assert ours.output["expires_at"] == expiry


def test_final_newline_of_the_token_file_is_not_part_of_the_key_id(session, capture, tmp_path):
    token, _ = session_token()
    session.write(token, session_key_pem())
    capture.answer("POST", CHAT_PATH, 200, CHAT_ANSWER)
    _, client = inference_client(capture.url)
    client.chat(chat_details("newline"))
    [sdk] = capture.take()
    with_newline = tmp_path / "rpst-with-newline"
    with_newline.write_text(token + "\n", encoding="ascii")
    assert_signed_alike(sdk, sign_ours(session, tmp_path, sdk, capture.url, token_file=with_newline))


def refuse(session: Session, tmp_path: Path, sdk_error: type[Exception]) -> str:
    """Both sides refuse the files (the SDK with `sdk_error`); returns our one error line."""
    with pytest.raises(sdk_error):
        oci.auth.signers.get_resource_principals_signer()
    probe = Captured("POST", CHAT_PATH, "", [("date", email.utils.formatdate(usegmt=True)), ("content-type", "application/json")], b"{}")
    return sign_ours(session, tmp_path, probe, "http://127.0.0.1:9").error_line


def test_missing_token_file_is_refused(session, tmp_path):
    session.key_file.write_text(session_key_pem(), encoding="ascii")
    line = refuse(session, tmp_path, FileNotFoundError)
    assert str(session.token_file) in line and "No such file or directory" in line


def test_token_that_is_not_a_jwt_is_refused(session, tmp_path):
    session.write("opaque-session-token-value", session_key_pem())
    line = refuse(session, tmp_path, jwt.exceptions.DecodeError)
    assert line.endswith(f"the session token in {session.token_file} is not a JWT")
    assert "opaque-session-token-value" not in line


def test_encrypted_private_key_is_refused(session, tmp_path):
    """The SDK needs OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE for it; we support no passphrase."""
    token, _ = session_token()
    session.write(token, session_key_pem(passphrase=b"quartermaster"))
    line = refuse(session, tmp_path, oci.exceptions.MissingPrivateKeyPassphrase)
    assert str(session.key_file) in line and "encrypted" in line
    assert token not in line


def test_expired_token_is_refused_by_us(session, tmp_path):
    """The SDK builds a signer from an expired token (OCI then answers 401); we refuse it."""
    token, expiry = session_token(expires_in=-60)
    session.write(token, session_key_pem())
    oci.auth.signers.get_resource_principals_signer()
    probe = Captured("GET", "/", "", [("date", email.utils.formatdate(usegmt=True))], b"")
    line = sign_ours(session, tmp_path, probe, "http://127.0.0.1:9").error_line
    expired_at = datetime.datetime.fromtimestamp(expiry, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert line.endswith(f"the session token in {session.token_file} expired at {expired_at} and has not been replaced")
    assert token not in line
