"""Shared helpers for the interop tests: the live server handle, fake Kubernetes issuers,
token forging with keys we generate, and OAuth error checks.

Everything here speaks to Quartermaster over HTTP only, with the ecosystem's own libraries
(requests, PyJWT, cryptography); nothing reads the server's storage.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

REPO_ROOT = Path(__file__).resolve().parents[2]


def quartermaster_binary() -> Path:
    """The binary under test: $QUARTERMASTER_BIN, relative to the repository root unless absolute."""
    configured = os.environ.get("QUARTERMASTER_BIN", ".build/debug/quartermaster")
    path = Path(configured)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


HTTP_TIMEOUT = 10

GRANT_CLIENT_CREDENTIALS = "client_credentials"
GRANT_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt"
TOKEN_TYPE_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token"
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# The error code of a token exchange refused because the subject or actor token is invalid
# or unacceptable. The project's contract says invalid_grant; note that RFC 8693 section
# 2.2.2 says such errors MUST use invalid_request ("other error codes may also be used, as
# appropriate"). One place to change if the contract moves.
EXCHANGE_REFUSAL_CODES = ("invalid_grant",)

# Markers of a leaked stack trace or internal detail in an error body.
STACK_TRACE_MARKERS = (
    "Traceback",
    "Fatal error",
    ".swift:",
    "Stack trace",
    "stack trace",
    "backtrace",
    "0x0000",
    "Swift.",
    "NIOCore",
    "Hummingbird.",
    "GRDB",
    "DecodingError",
)


# --------------------------------------------------------------------------------------
# Encoding helpers


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def split_jwt(token: str) -> tuple[dict, dict, str]:
    """Header, payload (both unverified) and the signature segment of a compact JWT."""
    header_b64, payload_b64, signature = token.split(".")
    return json.loads(b64url_decode(header_b64)), json.loads(b64url_decode(payload_b64)), signature


def now() -> int:
    return int(time.time())


# --------------------------------------------------------------------------------------
# Forging tokens


def unsigned_token(header: dict, payload: dict) -> str:
    """`alg: none`: header and payload, empty signature."""
    return f"{b64url_json(header)}.{b64url_json(payload)}."


def hmac_token(header: dict, payload: dict, secret: bytes) -> str:
    """HS256 by hand (PyJWT refuses, rightly, to use a PEM public key as an HMAC secret)."""
    signing_input = f"{b64url_json(header)}.{b64url_json(payload)}"
    digest = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(digest)}"


def tampered_token(token: str, **changes: Any) -> str:
    """The same token with claims changed (None removes a claim) and the ORIGINAL signature."""
    header_b64, _, signature = token.split(".")
    _, payload, _ = split_jwt(token)
    for key, value in changes.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return f"{header_b64}.{b64url_json(payload)}.{signature}"


def new_ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_jwk(key, kid: str, alg: str) -> dict:
    """The public JWK of a cryptography private key, with kid, use and alg."""
    public = key.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        jwk = jwt.algorithms.ECAlgorithm.to_jwk(public, as_dict=True)
    else:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
    jwk.update({"kid": kid, "use": "sig", "alg": alg})
    return jwk


# --------------------------------------------------------------------------------------
# Fake Kubernetes OIDC issuer


class FakeJWKSIssuer:
    """A token issuer's public side over plain HTTP on 127.0.0.1: an OIDC discovery document
    and a JWKS with one key, and a log of every path requested. Subclasses choose the key,
    the algorithm and where the JWKS lives."""

    jwks_path = "/jwks.json"
    algorithm = "ES256"

    def __init__(self, name: str, key, thread_prefix: str):
        self.name = name
        self.key = key
        self.kid = f"{name}-{uuid.uuid4().hex[:8]}"
        self.requests: list[str] = []
        self.closed = False
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                issuer.requests.append(self.path)
                if self.path == "/.well-known/openid-configuration":
                    body = issuer.discovery()
                elif self.path == issuer.jwks_path:
                    body = {"keys": [public_jwk(issuer.key, issuer.kid, issuer.algorithm)]}
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = json.dumps(body).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):  # noqa: A002 (quiet)
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"{thread_prefix}-{name}", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def jwks_uri(self) -> str:
        return f"{self.url}{self.jwks_path}"

    def discovery(self) -> dict:
        return {"issuer": self.url, "jwks_uri": self.jwks_uri, "id_token_signing_alg_values_supported": [self.algorithm]}

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.server.shutdown()
            self.server.server_close()


class FakeKubernetesIssuer(FakeJWKSIssuer):
    """A cluster's service-account token issuer: discovery and JWKS (`/openid/v1/jwks`), an RSA
    key made with cryptography."""

    jwks_path = "/openid/v1/jwks"
    algorithm = "RS256"

    def __init__(self, name: str):
        super().__init__(name, new_rsa_key(), "fake-k8s")

    def discovery(self) -> dict:
        return {**super().discovery(), "response_types_supported": ["id_token"], "subject_types_supported": ["public"]}

    def claims(self, namespace: str = "ai", service_account: str = "gateway", **overrides: Any) -> dict:
        issued = now()
        claims = {
            "iss": self.url,
            "sub": f"system:serviceaccount:{namespace}:{service_account}",
            "aud": ["quartermaster"],
            "exp": issued + 600,
            "iat": issued,
            "nbf": issued,
            "jti": str(uuid.uuid4()),
            "kubernetes.io": {
                "namespace": namespace,
                "serviceaccount": {"name": service_account, "uid": str(uuid.uuid4())},
                "pod": {"name": f"{service_account}-7d9f8c-abcde", "uid": str(uuid.uuid4())},
            },
        }
        for key, value in overrides.items():
            if value is None:
                claims.pop(key, None)
            else:
                claims[key] = value
        return claims

    def token(self, namespace: str = "ai", service_account: str = "gateway", *, key=None, kid: str | None = None, **overrides: Any) -> str:
        """A projected service-account token, signed RS256 by this issuer's key (or `key`)."""
        return jwt.encode(
            self.claims(namespace, service_account, **overrides),
            key if key is not None else self.key,
            algorithm="RS256",
            headers={"kid": kid or self.kid},
        )


# --------------------------------------------------------------------------------------
# Fake attestation service


class FakeAttestationService(FakeJWKSIssuer):
    """An attestation service (a confidential-computing verifier such as Azure Attestation):
    its JWKS over plain HTTP on 127.0.0.1 (`/jwks.json`, also named by an OIDC discovery
    document), an ES256 key made with cryptography, tokens signed with PyJWT that carry a
    measurement claim, and a log of every path requested.

    The harness runs three: `trusted` (listed in the policy), `unlisted` (listed nowhere: an
    untrusted service) and `offline` (listed, but stopped before the server starts)."""

    def __init__(self, name: str):
        super().__init__(name, new_ec_key(), "fake-attestation")

    def claims(self, measurement: str | None, *, ttl: int = 300, nbf_offset: int = 0, audience: str | list | None = "quartermaster",
               issuer: str | None = None, claim: str = "measurement") -> dict:
        """An attestation result: iss, aud, iat, nbf (now + nbf_offset), exp (now + ttl), jti
        and the measurement under `claim` (left out when `measurement` is None)."""
        issued = now()
        claims: dict = {
            "iss": issuer or self.url,
            "iat": issued,
            "nbf": issued + nbf_offset,
            "exp": issued + ttl,
            "jti": str(uuid.uuid4()),
            "x-attestation-type": "sevsnpvm",
        }
        if audience is not None:
            claims["aud"] = audience
        if measurement is not None:
            claims[claim] = measurement
        return claims

    def token(self, measurement: str | None, *, ttl: int = 300, nbf_offset: int = 0, audience: str | list | None = "quartermaster",
              issuer: str | None = None, key=None, kid: str | None = None, claim: str = "measurement") -> str:
        """An attestation token for `measurement`, signed ES256 by this service's key (or `key`,
        still under this service's kid unless `kid` is given)."""
        return jwt.encode(
            self.claims(measurement, ttl=ttl, nbf_offset=nbf_offset, audience=audience, issuer=issuer, claim=claim),
            key if key is not None else self.key,
            algorithm="ES256",
            headers={"kid": kid or self.kid, "typ": "JWT"},
        )


# --------------------------------------------------------------------------------------
# The live server


@dataclass
class Client:
    client_id: str
    client_secret: str | None = None
    identity: str = ""


@dataclass
class Quartermaster:
    base_url: str
    admin_token: str
    log_path: str
    policy_text: str
    policy_path: str
    k8s: FakeKubernetesIssuer
    unlisted_k8s: FakeKubernetesIssuer
    full_policy_problem: str | None = None
    # The attestation services: listed in the policy, listed nowhere, listed but stopped.
    attestation: FakeAttestationService | None = None
    unlisted_attestation: FakeAttestationService | None = None
    offline_attestation: FakeAttestationService | None = None
    # What `quartermaster policy validate` said about the transit, attestation and lease
    # fields when it refused them (the server then runs without them); None when accepted.
    transit_policy_problem: str | None = None
    # The policy_yaml switches the running policy was written with.
    policy_options: dict = field(default_factory=dict)
    _clients: dict = field(default_factory=dict)
    _api_keys: dict = field(default_factory=dict)

    # ---- plumbing

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def token_endpoint(self) -> str:
        return f"{self.base_url}/oauth2/token"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def admin_headers(self) -> dict:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return requests.get(self.url(path), **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return requests.post(self.url(path), **kwargs)

    def server_log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as handle:
                return handle.read()[-4000:]
        except OSError:
            return ""

    # ---- discovery

    def discovery(self) -> dict:
        response = self.get("/.well-known/openid-configuration")
        assert response.status_code == 200, describe(response)
        return response.json()

    def jwks(self) -> dict:
        response = self.get("/.well-known/jwks.json")
        assert response.status_code == 200, describe(response)
        return response.json()

    def current_kid(self) -> str:
        """The kid of the key that signs now: read from a freshly issued token."""
        return jwt.get_unverified_header(self.client_credentials_token())["kid"]

    def public_key_for(self, kid: str):
        for jwk in self.jwks()["keys"]:
            if jwk.get("kid") == kid:
                return jwt.PyJWK(jwk).key
        raise AssertionError(f"kid {kid} is not in the JWKS")

    # ---- admin

    def register_client(self, identity: str, jwks: dict | None = None) -> Client:
        body: dict = {"identity": identity}
        if jwks is not None:
            body["jwks"] = jwks
        response = self.post("/v1/clients", json=body, headers=self.admin_headers())
        assert response.status_code == 201, f"POST /v1/clients {identity}: {describe(response)}"
        answer = response.json()
        assert "client_id" in answer, answer
        if jwks is None:
            assert answer.get("client_secret"), f"no client_secret in {answer}"
        return Client(client_id=answer["client_id"], client_secret=answer.get("client_secret"), identity=identity)

    def client_for(self, identity: str) -> Client:
        """One client_secret client per identity, registered on first use."""
        if identity not in self._clients:
            self._clients[identity] = self.register_client(identity)
        return self._clients[identity]

    def policy_yaml(self, extra_identities: str = "") -> str:
        """The session's policy (same issuers, same fields) with `extra_identities` added."""
        from policies import policy_yaml

        return policy_yaml(
            self.k8s.url,
            attestation_issuers=[service.url for service in (self.attestation, self.offline_attestation) if service is not None],
            extra_identities=extra_identities,
            **self.policy_options,
        )

    def api_key(self, identity: str) -> str:
        """One API key per identity (no role restriction), created on first use."""
        if identity not in self._api_keys:
            response = self.post("/v1/api-keys", json={"identity": identity, "name": f"interop-{identity}"}, headers=self.admin_headers())
            assert response.status_code == 201, f"POST /v1/api-keys {identity}: {describe(response)}"
            key = response.json().get("key", "")
            assert key.startswith("qm_"), f"no API key in {response.text[:300]}"
            self._api_keys[identity] = key
        return self._api_keys[identity]

    @staticmethod
    def bearer(credential: str) -> dict:
        return {"Authorization": f"Bearer {credential}"}

    def write_secret(self, path: str, data: dict) -> dict:
        """PUT /v1/secrets/{path} as the administrator; the stored version's description."""
        response = requests.put(self.url(f"/v1/secrets/{path}"), json={"data": data}, headers=self.admin_headers(), timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, f"writing secret {path}: {describe(response)}"
        return response.json()["data"]

    def read_secret(self, path: str, credential: str | None = None) -> requests.Response:
        """GET /v1/secrets/{path} with `credential` (the admin token when None)."""
        return self.get(f"/v1/secrets/{path}", headers=self.bearer(credential or self.admin_token))

    # ---- audit

    def audit_head(self) -> int:
        """The sequence number of the newest audit record."""
        response = self.get("/v1/audit", params={"tail": 1}, headers=self.admin_headers())
        assert response.status_code == 200, describe(response)
        records = response.json()["records"]
        assert records, "the audit log is empty although requests were made"
        return int(records[-1]["sequence"])

    def audit_after(self, sequence: int, limit: int = 1000) -> tuple[list[dict], str]:
        """The audit records after `sequence` (oldest first) and the raw answer text."""
        response = self.get("/v1/audit", params={"after": sequence, "limit": limit}, headers=self.admin_headers())
        assert response.status_code == 200, describe(response)
        return response.json()["records"], response.text

    def apply_policy(self, text: str, source: str) -> requests.Response:
        return requests.put(
            self.url("/v1/policy"),
            params={"source": source},
            data=text.encode("utf-8"),
            headers={**self.admin_headers(), "Content-Type": "application/yaml"},
            timeout=HTTP_TIMEOUT,
        )

    # ---- tokens

    def token_request(self, data: dict, auth=None, headers: dict | None = None) -> requests.Response:
        return self.post("/oauth2/token", data=data, auth=auth, headers=headers)

    def client_credentials_token(self, identity: str = "gateway-service", **params: str) -> str:
        client = self.client_for(identity)
        response = self.token_request(
            {"grant_type": GRANT_CLIENT_CREDENTIALS, **params},
            auth=(client.client_id, client.client_secret),
        )
        assert response.status_code == 200, f"client_credentials for {identity}: {describe(response)}"
        return response.json()["access_token"]

    def exchange(self, subject_token: str, subject_token_type: str = TOKEN_TYPE_JWT, **params: str) -> requests.Response:
        return self.token_request(
            {
                "grant_type": GRANT_TOKEN_EXCHANGE,
                "subject_token": subject_token,
                "subject_token_type": subject_token_type,
                **params,
            }
        )

    def kubernetes_gateway_token(self) -> str:
        """An access token for gateway-service with cluster_id test-k8s, by exchanging a
        projected service-account token of the fake cluster."""
        response = self.exchange(self.k8s.token())
        assert response.status_code == 200, f"Kubernetes token exchange: {describe(response)}"
        return response.json()["access_token"]

    # ---- introspection, registration

    def introspect(self, token: str) -> requests.Response:
        return self.post("/oauth2/introspect", data={"token": token}, headers=self.admin_headers())

    def register_instance(self, token: str, service: str = "gateway-service", cluster_id: str | None = "forged", instance_id: str | None = None) -> requests.Response:
        body = {"service": service, "instance_id": instance_id or f"i-{uuid.uuid4().hex[:10]}"}
        if cluster_id is not None:
            body["cluster_id"] = cluster_id
        return self.post("/v1/register", json=body, headers={"Authorization": f"Bearer {token}"})


# --------------------------------------------------------------------------------------
# Assertions


def describe(response: requests.Response) -> str:
    text = response.text
    if len(text) > 600:
        text = text[:600] + "..."
    return f"{response.request.method} {response.url} -> {response.status_code} {text!r}"


def assert_no_stack_trace(response: requests.Response) -> None:
    for marker in STACK_TRACE_MARKERS:
        assert marker not in response.text, f"error body leaks internals ({marker!r}): {describe(response)}"


def assert_oauth_error(response: requests.Response, status: int, *codes: str) -> dict:
    """An RFC 6749 section 5.2 error: the status, a JSON object whose `error` is one of
    `codes`, an optional string `error_description`, and no stack trace."""
    assert response.status_code == status, f"expected {status} {codes}: {describe(response)}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"error is not JSON ({content_type}): {describe(response)}"
    body = response.json()
    assert body.get("error") in codes, f"expected error in {codes}: {describe(response)}"
    if "error_description" in body:
        assert isinstance(body["error_description"], str), body
    assert "access_token" not in body, f"an error answer carries a token: {describe(response)}"
    assert_no_stack_trace(response)
    return body


def assert_inactive(response: requests.Response) -> None:
    """RFC 7662: an invalid token introspects as exactly {"active": false}, 200."""
    assert response.status_code == 200, f"introspection: {describe(response)}"
    body = response.json()
    assert body.get("active") is False, f"token was accepted by introspection: {describe(response)}"
    assert set(body) == {"active"}, f"an inactive answer must not describe the token: {body}"


def assert_api_error(response: requests.Response, status: int) -> dict:
    """An API error: the status and a JSON body {"error": str, "detail": str}, no stack trace."""
    assert response.status_code == status, f"expected {status}: {describe(response)}"
    body = response.json()
    assert isinstance(body.get("error"), str) and isinstance(body.get("detail"), str), f"not an API error body: {describe(response)}"
    assert_no_stack_trace(response)
    return body


def assert_unauthenticated(response: requests.Response) -> None:
    assert response.status_code == 401, f"expected 401: {describe(response)}"
    assert_no_stack_trace(response)
