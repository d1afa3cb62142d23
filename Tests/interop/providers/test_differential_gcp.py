"""Google workload identity federation: google-auth's identity_pool.Credentials (an
external_account configuration with a file credential source) and GCPWorkloadIdentityExchange
must send the same STS token exchange and, when impersonating a service account, the same
generateAccessToken call, and read the answers alike.
"""

from __future__ import annotations

import datetime
import time

import google.auth.exceptions
import google.auth.transport.requests
import pytest
from google.auth import identity_pool

from provider_capture import Expectations, assert_requests_match
from provider_support import assert_clean_error, parse_time, workload_token, write_secret_file

AUDIENCE = "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-pool/providers/quartermaster"
SERVICE_ACCOUNT = "vertex-invoker@my-project.iam.gserviceaccount.com"
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
STS_PATH = "/v1/token"
IAM_PATH = f"/v1/projects/-/serviceAccounts/{SERVICE_ACCOUNT}:generateAccessToken"
# google-auth's client metrics header, which we do not send.
GOOGLE_TELEMETRY = Expectations(sdk_only=frozenset({"x-goog-api-client"}))
FEDERATED_TOKEN = "ya29.federated-token-from-sts"


def sts_success(expires_in=3600) -> dict:
    return {
        "access_token": FEDERATED_TOKEN,
        "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
        "token_type": "Bearer",
        "expires_in": expires_in,
    }


def iam_success(expire_time: str) -> dict:
    return {"accessToken": "ya29.service-account-token", "expireTime": expire_time}


def gcp_instance(sts_url: str, iam_url: str, token_file: str, service_account: str | None = None, scope: str | None = None) -> dict:
    authentication = {
        "type": "workload_identity",
        "provider": "gcp_workload_identity",
        "audience": AUDIENCE,
        "token_file": token_file,
        "sts_endpoint": sts_url,
        "iam_endpoint": iam_url,
    }
    if service_account:
        authentication["service_account"] = service_account
    if scope:
        authentication["scope"] = scope
    return {"type": "vertex", "region": "us-central1", "authentication": authentication}


def sdk_refresh(base_url: str, token_file: str, impersonate: bool, scopes: list[str]):
    info = {
        "type": "external_account",
        "audience": AUDIENCE,
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": base_url + STS_PATH,
        "credential_source": {"file": token_file},
    }
    if impersonate:
        info["service_account_impersonation_url"] = base_url + IAM_PATH
    credentials = identity_pool.Credentials.from_info(info, scopes=scopes)
    credentials.refresh(google.auth.transport.requests.Request())
    return credentials


@pytest.fixture
def token_file(tmp_path):
    token = workload_token(AUDIENCE)
    return token, write_secret_file(tmp_path, "gcp-token", token)


@pytest.mark.parametrize("scopes", [[CLOUD_PLATFORM], [CLOUD_PLATFORM, "https://www.googleapis.com/auth/userinfo.email"]], ids=["one-scope", "two-scopes"])
def test_federated_token_matches_google_auth(capture, runner, token_file, scopes):
    token, path = token_file
    capture.answer("POST", STS_PATH, 200, sts_success(expires_in="3599"))

    started = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    credentials = sdk_refresh(capture.url, path, impersonate=False, scopes=scopes)
    sdk_requests = capture.take()
    scope = None if scopes == [CLOUD_PLATFORM] else " ".join(scopes)
    output = runner.fetch(gcp_instance(capture.url + STS_PATH, capture.url, path, scope=scope)).output

    assert_requests_match(sdk_requests, capture.take(), GOOGLE_TELEMETRY)
    assert credentials.token == FEDERATED_TOKEN
    assert output["method"] == "gcp_workload_identity" and output["kind"] == "bearer"
    ours = parse_time(output["expires_at"]).replace(tzinfo=None)
    assert credentials.expiry >= started + datetime.timedelta(seconds=3598)
    assert abs((ours - credentials.expiry).total_seconds()) <= 5


@pytest.mark.parametrize("scopes", [[CLOUD_PLATFORM], [CLOUD_PLATFORM, "https://www.googleapis.com/auth/userinfo.email"]], ids=["one-scope", "two-scopes"])
def test_impersonation_matches_google_auth(capture, runner, token_file, scopes):
    token, path = token_file
    capture.answer("POST", STS_PATH, 200, sts_success())
    capture.answer("POST", IAM_PATH, 200, iam_success("2031-02-03T04:05:06Z"))

    credentials = sdk_refresh(capture.url, path, impersonate=True, scopes=scopes)
    sdk_requests = capture.take()
    scope = None if scopes == [CLOUD_PLATFORM] else " ".join(scopes)
    output = runner.fetch(gcp_instance(capture.url + STS_PATH, capture.url, path, service_account=SERVICE_ACCOUNT, scope=scope)).output
    our_requests = capture.take()

    assert_requests_match(sdk_requests, our_requests, GOOGLE_TELEMETRY)
    assert our_requests[1].header("authorization") == f"Bearer {FEDERATED_TOKEN}"
    assert credentials.token == "ya29.service-account-token"
    assert parse_time(output["expires_at"]).replace(tzinfo=None) == credentials.expiry


def test_fractional_expire_time(capture, runner, token_file):
    _, path = token_file
    capture.answer("POST", STS_PATH, 200, sts_success())
    capture.answer("POST", IAM_PATH, 200, iam_success("2031-02-03T04:05:06.123456789Z"))

    output = runner.fetch(gcp_instance(capture.url + STS_PATH, capture.url, path, service_account=SERVICE_ACCOUNT)).output
    expected = datetime.datetime(2031, 2, 3, 4, 5, 6, 123457, datetime.timezone.utc)
    assert abs(parse_time(output["expires_at"]) - expected) < datetime.timedelta(seconds=1), "expires_at may be printed to the second"


def test_sts_error_is_reported_without_the_subject_token(capture, runner, token_file):
    token, path = token_file
    error = {"error": "invalid_grant", "error_description": f"The audience in ID Token [{token}] does not match the expected audience."}
    capture.answer("POST", STS_PATH, 400, error)

    with pytest.raises(google.auth.exceptions.OAuthError) as raised:
        sdk_refresh(capture.url, path, impersonate=True, scopes=[CLOUD_PLATFORM])
    assert "invalid_grant" in str(raised.value)
    sdk_requests = capture.take()
    result = runner.fetch(gcp_instance(capture.url + STS_PATH, capture.url, path, service_account=SERVICE_ACCOUNT))

    assert_requests_match(sdk_requests, capture.take(), GOOGLE_TELEMETRY)
    assert_clean_error(result.error_line, contains=["400", "invalid_grant", "does not match the expected audience"], secrets=[token])


def test_iam_error_is_reported_without_tokens(capture, runner, token_file):
    token, path = token_file
    error = {
        "error": {
            "code": 403,
            "message": "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
            "status": "PERMISSION_DENIED",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "IAM_PERMISSION_DENIED", "domain": "iam.googleapis.com"}],
        }
    }
    capture.answer("POST", STS_PATH, 200, sts_success())
    capture.answer("POST", IAM_PATH, 403, error)

    with pytest.raises(google.auth.exceptions.RefreshError) as raised:
        sdk_refresh(capture.url, path, impersonate=True, scopes=[CLOUD_PLATFORM])
    assert "PERMISSION_DENIED" in str(raised.value)
    sdk_requests = capture.take()
    result = runner.fetch(gcp_instance(capture.url + STS_PATH, capture.url, path, service_account=SERVICE_ACCOUNT))

    assert_requests_match(sdk_requests, capture.take(), GOOGLE_TELEMETRY)
    assert_clean_error(
        result.error_line,
        contains=["403", "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.getAccessToken' denied"],
        secrets=[token, FEDERATED_TOKEN],
    )


@pytest.mark.parametrize(
    "sts_body, iam_body",
    [
        ({"token_type": "Bearer"}, None),
        ({"access_token": FEDERATED_TOKEN}, None),
        (sts_success(), {"accessToken": "ya29.x"}),
        (sts_success(), {"accessToken": "ya29.x", "expireTime": "soon"}),
    ],
    ids=["sts-no-token", "sts-no-expiry", "iam-no-expiry", "iam-bad-expiry"],
)
def test_malformed_success_answers(capture, runner, token_file, sts_body, iam_body):
    _, path = token_file
    capture.answer("POST", STS_PATH, 200, sts_body)
    service_account = None
    if iam_body is not None:
        capture.answer("POST", IAM_PATH, 200, iam_body)
        service_account = SERVICE_ACCOUNT

    line = runner.fetch(gcp_instance(capture.url + STS_PATH, capture.url, path, service_account=service_account)).error_line
    assert "malformed" in line and "ya29" not in line


def test_timeout_covers_both_requests(capture, runner, token_file):
    _, path = token_file
    capture.answer("POST", STS_PATH, 200, sts_success(), delay=0.6)
    capture.answer("POST", IAM_PATH, 200, iam_success("2031-02-03T04:05:06Z"), delay=0.6)
    instance = gcp_instance(capture.url + STS_PATH, capture.url, path, service_account=SERVICE_ACCOUNT)
    instance["refresh"] = {"timeout": "1s"}

    started = time.monotonic()
    line = runner.fetch(instance).error_line
    assert "in time" in line and time.monotonic() - started < 5
