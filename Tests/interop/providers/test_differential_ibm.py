"""IBM Cloud IAM: ibm-cloud-sdk-core's ContainerAuthenticator (trusted profile with a
compute-resource token) and IAMAuthenticator (API key) against IBMIAMExchange: the same
`POST /identity/token` forms, and IAM's answers read alike.

The trusted-profile cases run through `providers fetch` (provider_runner.py). The API key cases
cannot: an `ibm_api_key` instance takes its key from our secret store (`api_key_secret`), which
the offline `providers fetch` does not read. They start a live broker of their own instead
(provider_broker.py) with the instance pointed at the capture server, write the key into the
store with the admin token, and take the request the refresher sends once the key is there; the
outcome is read from `GET /v1/providers`.
"""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import ContainerAuthenticator, IAMAuthenticator

from provider_capture import assert_requests_match
from provider_support import assert_clean_error, parse_time, workload_token, write_secret_file

PROFILE_ID = "Profile-9f3c2a1b-8d7e-4f6a-b5c4-d3e2f1a0b9c8"
API_KEY = "qm-test-api-key_0123456789abcdefghijklmnopqrstuvwxyz-ABCD"
TOKEN_PATH = "/identity/token"
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def iam_success(expiration: int) -> dict:
    issued = expiration - 3600
    # The SDK reads the expiry from the access token's own exp claim; IAM's body says it too.
    access_token = jwt.encode({"iam_id": "iam-" + PROFILE_ID, "iat": issued, "exp": expiration}, SIGNING_KEY, algorithm="RS256")
    return {
        "access_token": access_token,
        "refresh_token": "not_supported",
        "token_type": "Bearer",
        "expires_in": 3600,
        "expiration": expiration,
        "scope": "ibm openid",
    }


def iam_error(code: str, message: str) -> dict:
    return {
        "errorCode": code,
        "errorMessage": message,
        "context": {"requestId": "Y2RlZjEyMzQ1Njc4", "requestType": "incoming.Identity_Token", "startTime": "23.11.2026 17:00:00:000 UTC"},
    }


def profile_instance(endpoint: str, token_file: str) -> dict:
    authentication = {"type": "workload_identity", "provider": "ibm_trusted_profile", "profile_id": PROFILE_ID, "token_file": token_file, "endpoint": endpoint}
    return {"type": "watsonx", "region": "us-south", "authentication": authentication}


API_KEY_INSTANCE = "ibm_api_key"
API_KEY_SECRET = "ibm/watsonx"


def api_key_instance(endpoint: str) -> dict:
    authentication = {"type": "workload_identity", "provider": "ibm_api_key", "api_key_secret": API_KEY_SECRET, "endpoint": endpoint}
    # Short backoff: the refresher fails until the test writes the key, then retries within 1 s.
    return {"type": "watsonx", "refresh": {"min_backoff": "200ms", "max_backoff": "1s", "timeout": "2s"}, "authentication": authentication}


def broker_with_api_key(live_broker, capture):
    """A live broker whose `ibm_api_key` instance points at the capture server, given the key
    once it is running; returns when the first request after the write has reached `capture`."""
    broker = live_broker({API_KEY_INSTANCE: api_key_instance(capture.url)})
    # Without the key the refresher has nothing to present and must not call IAM at all.
    broker.wait_for_status(API_KEY_INSTANCE, lambda entry: (entry.get("consecutive_failures") or 0) >= 1, "the refresher's first attempt (no key yet)")
    before = capture.take()
    assert before == [], "IAM was called before the API key existed:\n" + "\n".join(request.describe() for request in before)
    broker.put_secret(API_KEY_SECRET, {"api_key": API_KEY})
    assert capture.wait_for(1, timeout=10), f"no request reached the capture server within 10 s of writing the API key\n{broker.log_tail()}"
    return broker


@pytest.fixture
def cr_token(tmp_path):
    token = workload_token("iam")
    return token, write_secret_file(tmp_path, "cr-token", token)


def test_trusted_profile_matches_container_authenticator(capture, runner, cr_token):
    token, path = cr_token
    expiration = int(time.time()) + 3600
    answer = iam_success(expiration)
    capture.answer("POST", TOKEN_PATH, 200, answer)

    manager = ContainerAuthenticator(iam_profile_id=PROFILE_ID, cr_token_filename=path, url=capture.url).token_manager
    access_token = manager.get_token()
    sdk_requests = capture.take()
    output = runner.fetch(profile_instance(capture.url, path)).output

    assert_requests_match(sdk_requests, capture.take())
    assert access_token == answer["access_token"]
    assert output["method"] == "ibm_trusted_profile" and output["kind"] == "bearer"
    assert parse_time(output["expires_at"]).timestamp() == manager.expire_time == expiration


def test_api_key_matches_iam_authenticator(capture, live_broker):
    expiration = int(time.time()) + 3600
    capture.answer("POST", TOKEN_PATH, 200, iam_success(expiration))

    manager = IAMAuthenticator(API_KEY, url=capture.url).token_manager
    manager.get_token()
    sdk_requests = capture.take()
    broker = broker_with_api_key(live_broker, capture)
    status = broker.wait_for_status(API_KEY_INSTANCE, lambda entry: entry.get("last_success") is not None, "a successful refresh")

    # One request: a success is not retried, and the next refresh is due near the expiry.
    assert_requests_match(sdk_requests, capture.take())
    assert status["provider"] == "watsonx" and status["method"] == "ibm_api_key", status
    assert status.get("last_error") is None and status["consecutive_failures"] == 0, status
    assert parse_time(status["expires_at"]).timestamp() == manager.expire_time == expiration, status


def test_api_key_error_is_reported_without_the_key(capture, live_broker):
    capture.answer("POST", TOKEN_PATH, 400, iam_error("BXNIM0415E", f"Provided API key could not be found: {API_KEY}"))

    with pytest.raises(ApiException) as raised:
        IAMAuthenticator(API_KEY, url=capture.url).token_manager.get_token()
    assert raised.value.status_code == 400 and "Provided API key could not be found" in raised.value.message
    sdk_requests = capture.take()
    broker = broker_with_api_key(live_broker, capture)
    status = broker.wait_for_status(API_KEY_INSTANCE, lambda entry: "BXNIM0415E" in (entry.get("last_error") or ""), "IAM's refusal in last_error")

    # The refresher retries with backoff: every attempt is the SDK's request again.
    ours = capture.take()
    assert_requests_match(sdk_requests * len(ours), ours)
    assert status.get("last_success") is None and status["consecutive_failures"] >= 1, status
    assert_clean_error(status["last_error"], contains=["400", "BXNIM0415E", "Provided API key could not be found"], secrets=[API_KEY])
    assert API_KEY not in broker.log(), f"the server log leaks the API key:\n{broker.log_tail()}"


def test_trusted_profile_error_is_reported_without_the_token(capture, runner, cr_token):
    token, path = cr_token
    message = f"The compute resource token {token} is not trusted by the trusted profile."
    capture.answer("POST", TOKEN_PATH, 400, iam_error("BXNIM0538E", message))

    with pytest.raises(ApiException) as raised:
        ContainerAuthenticator(iam_profile_id=PROFILE_ID, cr_token_filename=path, url=capture.url).token_manager.get_token()
    assert raised.value.status_code == 400
    sdk_requests = capture.take()
    result = runner.fetch(profile_instance(capture.url, path))

    assert_requests_match(sdk_requests, capture.take())
    assert_clean_error(result.error_line, contains=["400", "BXNIM0538E", "is not trusted by the trusted profile"], secrets=[token])


def test_expiry_from_expires_in_when_expiration_is_missing(capture, runner, cr_token):
    _, path = cr_token
    body = iam_success(int(time.time()) + 3600)
    del body["expiration"]
    capture.answer("POST", TOKEN_PATH, 200, body)

    started = time.time()
    expires_at = parse_time(runner.fetch(profile_instance(capture.url, path)).output["expires_at"]).timestamp()
    assert started + 3600 - 1 <= expires_at <= time.time() + 3600 + 1


@pytest.mark.parametrize("body", [{"token_type": "Bearer", "expiration": 1}, {"access_token": "x"}, "[]"], ids=["no-token", "no-expiry", "not-an-object"])
def test_malformed_success_answer(capture, runner, cr_token, body):
    _, path = cr_token
    capture.answer("POST", TOKEN_PATH, 200, body)

    assert "malformed" in runner.fetch(profile_instance(capture.url, path)).error_line
