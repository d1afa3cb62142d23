"""HashiCorp Vault: hvac's login (kubernetes, jwt, approle) and KV version 2 read against
VaultKVExchange: the same login JSON and read request (X-Vault-Request, X-Vault-Token, mounts and
path percent-encoded alike), and Vault's answers read alike.
"""

from __future__ import annotations

import datetime

import hvac
import hvac.exceptions
import pytest

from provider_capture import assert_requests_match
from provider_support import assert_clean_error, parse_time, workload_token, write_secret_file

CLIENT_TOKEN = "hvs.CAESIJ-quartermaster-login-token-EXAMPLE"
SECRET_ID = "9f8e7d6c-5b4a-3210-fedc-ba9876543210"
ROLE_ID = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
API_KEY = "sk-proj-quartermaster-test-key"
# Characters hvac's URL quoting changes (space, ':', '@') and keeps ('/', '-', '_', '.', '~').
SECRET_PATH = "team a/openai:prod@eu-1_x.y~z"
KV_MOUNT = "kv-v2"


def login_answer() -> dict:
    return {
        "request_id": "e1a2b3c4-0000-1111-2222-333344445555",
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": None,
        "wrap_info": None,
        "warnings": None,
        "auth": {
            "client_token": CLIENT_TOKEN,
            "accessor": "hmac-accessor-EXAMPLE",
            "policies": ["default", "llm-keys"],
            "token_policies": ["default", "llm-keys"],
            "metadata": {"role": "gateway"},
            "lease_duration": 3600,
            "renewable": True,
            "entity_id": "7d2e3b4a-0000-1111-2222-333344445555",
            "token_type": "service",
            "orphan": True,
        },
    }


def kv_answer(data: dict) -> dict:
    return {
        "request_id": "f1a2b3c4-0000-1111-2222-333344445555",
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": {
            "data": data,
            "metadata": {"created_time": "2026-11-20T10:00:00.000000Z", "custom_metadata": None, "deletion_time": "", "destroyed": False, "version": 7},
        },
        "wrap_info": None,
        "warnings": None,
        "auth": None,
    }


def read_path(mount: str = KV_MOUNT) -> str:
    return f"/v1/{mount}/data/team%20a/openai%3Aprod%40eu-1_x.y~z"


def vault_instance(address: str, vault: dict, field: str | None = "api_key", refresh: str = "15m") -> dict:
    authentication = {"type": "vault_dynamic", "vault_path": SECRET_PATH, "refresh_interval": refresh, "vault": {"address": address, **vault}}
    if field is not None:
        authentication["field"] = field
    return {"type": "openai", "authentication": authentication}


def hvac_read(client: hvac.Client, mount: str = KV_MOUNT) -> dict:
    return client.secrets.kv.v2.read_secret_version(path=SECRET_PATH, mount_point=mount, raise_on_deleted_version=True)


@pytest.fixture
def jwt_file(tmp_path):
    token = workload_token("vault")
    return token, write_secret_file(tmp_path, "vault-jwt", token)


@pytest.mark.parametrize("mount", [None, "k8s/prod-cluster"], ids=["default-mount", "nested-mount"])
def test_kubernetes_login_and_read_match_hvac(capture, runner, jwt_file, mount):
    token, path = jwt_file
    login_path = f"/v1/auth/{mount or 'kubernetes'}/login"
    capture.answer("POST", login_path, 200, login_answer())
    capture.answer("GET", read_path(), 200, kv_answer({"api_key": API_KEY, "org": "org-123"}))

    client = hvac.Client(url=capture.url)
    client.auth.kubernetes.login(role="gateway", jwt=token, mount_point=mount or "kubernetes")
    secret = hvac_read(client)
    sdk_requests = capture.take()
    vault = {"auth": "kubernetes", "role": "gateway", "token_file": path, "kv_mount": KV_MOUNT}
    if mount:
        vault["mount"] = mount
    started = datetime.datetime.now(datetime.timezone.utc)
    output = runner.fetch(vault_instance(capture.url, vault)).output
    finished = datetime.datetime.now(datetime.timezone.utc)
    our_requests = capture.take()

    assert_requests_match(sdk_requests, our_requests)
    assert our_requests[1].header("x-vault-token") == CLIENT_TOKEN
    assert secret["data"]["data"]["api_key"] == API_KEY
    assert output == {"instance": "under-test", "method": "vault_dynamic", "kind": "api_key", "expires_at": output["expires_at"]}
    expires_at = parse_time(output["expires_at"])
    assert started + datetime.timedelta(minutes=15) - datetime.timedelta(seconds=1) <= expires_at <= finished + datetime.timedelta(minutes=15)


def test_jwt_login_matches_hvac(capture, runner, jwt_file):
    token, path = jwt_file
    capture.answer("POST", "/v1/auth/jwt/login", 200, login_answer())
    capture.answer("GET", read_path("secret"), 200, kv_answer({"key": API_KEY}))

    client = hvac.Client(url=capture.url)
    client.auth.jwt.jwt_login(role="gateway", jwt=token)
    hvac_read(client, mount="secret")
    sdk_requests = capture.take()
    runner.fetch(vault_instance(capture.url, {"auth": "jwt", "role": "gateway", "token_file": path}, field=None)).output

    assert_requests_match(sdk_requests, capture.take())


def test_approle_login_matches_hvac(capture, runner, tmp_path):
    capture.answer("POST", "/v1/auth/approle-ci/login", 200, login_answer())
    capture.answer("GET", read_path(), 200, kv_answer({"api_key": API_KEY}))
    secret_id_file = write_secret_file(tmp_path, "secret-id", SECRET_ID + "\n")

    client = hvac.Client(url=capture.url)
    client.auth.approle.login(role_id=ROLE_ID, secret_id=SECRET_ID, mount_point="approle-ci")
    hvac_read(client)
    sdk_requests = capture.take()
    vault = {"auth": "approle", "role_id": ROLE_ID, "secret_id_file": secret_id_file, "mount": "approle-ci", "kv_mount": KV_MOUNT}
    runner.fetch(vault_instance(capture.url, vault)).output

    assert_requests_match(sdk_requests, capture.take())


def test_login_refusal_is_reported_without_the_jwt(capture, runner, jwt_file):
    token, path = jwt_file
    capture.answer("POST", "/v1/auth/kubernetes/login", 403, {"errors": [f"permission denied for {token}"]})

    with pytest.raises(hvac.exceptions.Forbidden):
        hvac.Client(url=capture.url).auth.kubernetes.login(role="gateway", jwt=token)
    sdk_requests = capture.take()
    result = runner.fetch(vault_instance(capture.url, {"auth": "kubernetes", "role": "gateway", "token_file": path, "kv_mount": KV_MOUNT}))

    assert_requests_match(sdk_requests, capture.take())
    assert_clean_error(result.error_line, contains=["403", "permission denied"], secrets=[token])


def test_read_refusal_is_reported_without_tokens(capture, runner, jwt_file):
    token, path = jwt_file
    capture.answer("POST", "/v1/auth/kubernetes/login", 200, login_answer())
    capture.answer("GET", read_path(), 403, {"errors": [f"1 error occurred:\n\t* permission denied (token {CLIENT_TOKEN})\n\n"]})

    client = hvac.Client(url=capture.url)
    client.auth.kubernetes.login(role="gateway", jwt=token)
    with pytest.raises(hvac.exceptions.Forbidden):
        hvac_read(client)
    sdk_requests = capture.take()
    result = runner.fetch(vault_instance(capture.url, {"auth": "kubernetes", "role": "gateway", "token_file": path, "kv_mount": KV_MOUNT}))

    assert_requests_match(sdk_requests, capture.take())
    assert_clean_error(result.error_line, contains=["403", "1 error occurred: * permission denied"], secrets=[token, CLIENT_TOKEN])


def test_missing_secret(capture, runner, jwt_file):
    _, path = jwt_file
    capture.answer("POST", "/v1/auth/kubernetes/login", 200, login_answer())
    capture.answer("GET", read_path(), 404, {"errors": []})

    line = runner.fetch(vault_instance(capture.url, {"auth": "kubernetes", "role": "gateway", "token_file": path, "kv_mount": KV_MOUNT})).error_line
    assert "404" in line


@pytest.mark.parametrize(
    "login, read",
    [
        ({"auth": None}, None),
        (login_answer(), {"data": None}),
        (login_answer(), kv_answer({"other_field": API_KEY})),
        (login_answer(), kv_answer({"api_key": {"nested": API_KEY}})),
        (login_answer(), kv_answer({"api_key": ""})),
    ],
    ids=["login-without-token", "no-data", "field-missing", "field-not-a-string", "field-empty"],
)
def test_malformed_answers(capture, runner, jwt_file, login, read):
    _, path = jwt_file
    capture.answer("POST", "/v1/auth/kubernetes/login", 200, login)
    if read is not None:
        capture.answer("GET", read_path(), 200, read)

    line = runner.fetch(vault_instance(capture.url, {"auth": "kubernetes", "role": "gateway", "token_file": path, "kv_mount": KV_MOUNT})).error_line
    assert "malformed" in line
    assert API_KEY not in line and CLIENT_TOKEN not in line
