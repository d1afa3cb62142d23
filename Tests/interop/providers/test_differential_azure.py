"""Microsoft Entra workload identity: azure-identity's WorkloadIdentityCredential and
AzureWorkloadIdentityExchange must send the same client-credentials request with the federated
token as client assertion, and read Entra's answers alike.

azure-identity only talks to an https authority, so the capture server answers over TLS with a
certificate made here: the SDK trusts it through `connection_verify`, our side through
`--ca-file`.
"""

from __future__ import annotations

import time

import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import WorkloadIdentityCredential

from provider_capture import Expectations, assert_requests_match
from provider_support import assert_clean_error, parse_time, workload_token, write_secret_file

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "0f5c4c1e-6a3d-4b8e-9d2a-1c3b5e7f9a0b"
TOKEN_PATH = f"/{TENANT_ID}/oauth2/v2.0/token"
# The request id is per request; both sides send one (a UUID, for Entra's sign-in logs).
REQUEST_ID = Expectations(varying={"x-ms-client-request-id": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"})


def entra_success(access_token: str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra.access", **extra) -> dict:
    return {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": access_token, **extra}


def entra_error(code: str, description: str) -> dict:
    return {
        "error": code,
        "error_description": description,
        "error_codes": [700213],
        "timestamp": "2026-11-23 17:00:00Z",
        "trace_id": "2b1d5a7e-2f3c-4a4b-9c8d-0e1f2a3b4c5d",
        "correlation_id": "5c4b3a2f-1e0d-4c8b-9a7f-6e5d4c3b2a1f",
        "error_uri": "https://login.microsoftonline.com/error?code=700213",
    }


def azure_instance(authority: str, token_file: str, scope: str | None = None) -> dict:
    authentication = {
        "type": "workload_identity",
        "provider": "azure_workload_identity",
        "tenant_id": TENANT_ID,
        "client_id": CLIENT_ID,
        "token_file": token_file,
        "authority": authority,
    }
    if scope is not None:
        authentication["scope"] = scope
    return {"type": "azure", "authentication": authentication}


def sdk_get_token(authority: str, token_file: str, certificate: str, scopes: list[str]):
    credential = WorkloadIdentityCredential(
        tenant_id=TENANT_ID, client_id=CLIENT_ID, token_file_path=token_file, authority=authority, connection_verify=certificate
    )
    return credential.get_token(*scopes)


@pytest.fixture
def token_file(tmp_path):
    token = workload_token("api://AzureADTokenExchange")
    return token, write_secret_file(tmp_path, "azure-token", token)


@pytest.mark.parametrize(
    "scopes",
    [["https://cognitiveservices.azure.com/.default"], ["api://quartermaster-test/.default", "https://cognitiveservices.azure.com/.default"]],
    ids=["default-scope", "two-scopes"],
)
def test_request_matches_azure_identity(tls_capture, runner, capture_certificate, token_file, scopes):
    token, path = token_file
    tls_capture.answer("POST", TOKEN_PATH, 200, entra_success())

    started = int(time.time())
    access = sdk_get_token(tls_capture.url, path, capture_certificate.cert_path, scopes)
    sdk_requests = tls_capture.take()
    scope = None if scopes == ["https://cognitiveservices.azure.com/.default"] else " ".join(scopes)
    result = runner.fetch(azure_instance(tls_capture.url, path, scope), ca_file=capture_certificate.cert_path)

    assert_requests_match(sdk_requests, tls_capture.take(), REQUEST_ID)
    output = result.output
    assert output["method"] == "azure_workload_identity" and output["kind"] == "bearer"
    assert access.token == entra_success()["access_token"]
    # Both count expires_in from their own clock.
    expires_at = parse_time(output["expires_at"]).timestamp()
    assert started + 3599 - 1 <= access.expires_on <= expires_at + 1
    assert abs(expires_at - access.expires_on) <= 5


def test_expires_on_takes_precedence(tls_capture, runner, capture_certificate, token_file):
    token, path = token_file
    tls_capture.answer("POST", TOKEN_PATH, 200, entra_success(expires_on=str(int(time.time()) + 1234)))

    access = sdk_get_token(tls_capture.url, path, capture_certificate.cert_path, ["https://cognitiveservices.azure.com/.default"])
    tls_capture.take()
    output = runner.fetch(azure_instance(tls_capture.url, path), ca_file=capture_certificate.cert_path).output

    assert parse_time(output["expires_at"]).timestamp() == access.expires_on


def test_entra_error_is_reported_without_the_assertion(tls_capture, runner, capture_certificate, token_file):
    token, path = token_file
    description = (
        "AADSTS700213: No matching federated identity record found for presented assertion subject "
        f"'system:serviceaccount:ai:gateway'.\r\nAssertion: {token}\r\nTrace ID: 2b1d5a7e Correlation ID: 5c4b3a2f"
    )
    tls_capture.answer("POST", TOKEN_PATH, 400, entra_error("invalid_client", description))

    with pytest.raises(ClientAuthenticationError) as raised:
        sdk_get_token(tls_capture.url, path, capture_certificate.cert_path, ["https://cognitiveservices.azure.com/.default"])
    assert "AADSTS700213" in str(raised.value)
    sdk_requests = tls_capture.take()
    result = runner.fetch(azure_instance(tls_capture.url, path), ca_file=capture_certificate.cert_path)

    assert_requests_match(sdk_requests, tls_capture.take(), REQUEST_ID)
    assert_clean_error(result.error_line, contains=["400", "invalid_client", "AADSTS700213"], secrets=[token])


@pytest.mark.parametrize("body", [{"token_type": "Bearer", "expires_in": 3599}, {"access_token": "x"}, "<html/>"], ids=["no-token", "no-expiry", "not-json"])
def test_malformed_success_answer(tls_capture, runner, capture_certificate, token_file, body):
    _, path = token_file
    tls_capture.answer("POST", TOKEN_PATH, 200, body)

    line = runner.fetch(azure_instance(tls_capture.url, path), ca_file=capture_certificate.cert_path).error_line
    assert "malformed" in line


def test_untrusted_certificate_is_refused(tls_capture, runner, token_file):
    _, path = token_file
    tls_capture.answer("POST", TOKEN_PATH, 200, entra_success())

    instance = azure_instance(tls_capture.url, path)
    instance["refresh"] = {"timeout": "2s"}
    line = runner.fetch(instance).error_line
    assert "cannot reach" in line
