"""The root keyring (`/v1/sys/root-keys`): rotation starts sealing under a new root key,
everything sealed before stays readable, and rewrap moves every sealed item (secret data keys,
transit key versions, signing keys) to the active key, deleting the old key once it seals
nothing.

The session's server has been running other tests, so nothing here assumes which root key is
active or how many items there are; conftest.py runs this module after every other test.
"""

from __future__ import annotations

import base64
import uuid

import pytest

from support import assert_api_error, describe, split_jwt

TRANSIT_KEY = "interop-root-key-check"
MAX_BATCHES = 2000


def root_keys(qm) -> list[dict]:
    response = qm.get("/v1/sys/root-keys", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return response.json()["data"]["keys"]


def active_key(keys: list[dict]) -> dict:
    active = [key for key in keys if key["active"]]
    assert len(active) == 1, f"expected exactly one active root key: {keys}"
    return active[0]


def total_items(keys: list[dict]) -> int:
    return sum(key["items_sealed"] for key in keys)


def rewrap_batch(qm, batch: int):
    return qm.post("/v1/sys/root-keys/rewrap", params={"batch": batch}, headers=qm.admin_headers())



def read_value(qm, path: str) -> dict:
    response = qm.read_secret(path)
    assert response.status_code == 200, describe(response)
    return response.json()["data"]["data"]


def decrypt(qm, ciphertext: str) -> bytes:
    response = qm.post(f"/v1/transit/decrypt/{TRANSIT_KEY}", json={"ciphertext": ciphertext}, headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return base64.b64decode(response.json()["data"]["plaintext"])


def encrypt(qm, plaintext: bytes) -> str:
    response = qm.post(f"/v1/transit/encrypt/{TRANSIT_KEY}", json={"plaintext": base64.b64encode(plaintext).decode()}, headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return response.json()["data"]["ciphertext"]


def assert_tokens_still_issue(qm) -> None:
    """The issuer's signing keys are sealed too: a new token is signed and introspects active."""
    token = qm.client_credentials_token("gateway-service")
    response = qm.introspect(token)
    assert response.status_code == 200 and response.json().get("active") is True, describe(response)
    assert split_jwt(token)[1]["sub"] == "gateway-service"


@pytest.fixture(scope="module")
def sealed_before(qm) -> dict:
    """Secrets (two versions of one) and a transit ciphertext written before the rotation."""
    suffix = uuid.uuid4().hex[:8]
    secrets = {f"root-keys/{suffix}/a": {"v": f"a-{uuid.uuid4().hex}"}, f"root-keys/{suffix}/b": {"v": f"b-{uuid.uuid4().hex}"}}
    qm.write_secret(f"root-keys/{suffix}/a", {"v": "first version"})
    for path, value in secrets.items():
        qm.write_secret(path, value)
    created = qm.post(f"/v1/transit/keys/{TRANSIT_KEY}", headers=qm.admin_headers())
    assert created.status_code == 201, describe(created)
    plaintext = f"sealed-before-{uuid.uuid4().hex}".encode()
    return {"secrets": secrets, "first_version": (f"root-keys/{suffix}/a", {"v": "first version"}), "plaintext": plaintext, "ciphertext": encrypt(qm, plaintext)}


def test_root_keys_need_the_policy(qm):
    gateway = qm.api_key("gateway-service")
    assert_api_error(qm.get("/v1/sys/root-keys", headers=qm.bearer(gateway)), 403)
    assert_api_error(qm.post("/v1/sys/root-keys/rotate", headers=qm.bearer(gateway)), 403)
    assert_api_error(qm.post("/v1/sys/root-keys/rewrap", headers=qm.bearer(gateway)), 403)
    assert_api_error(qm.get("/v1/sys/root-keys"), 401)


@pytest.mark.parametrize("batch", ["0", "-1", "many", "10001"])
def test_rewrap_batch_must_be_a_sane_number(qm, batch):
    assert_api_error(rewrap_batch(qm, batch), 400)


def test_keyring_lists_no_key_material(qm):
    keys = root_keys(qm)
    assert keys, "the keyring lists no root key"
    active = active_key(keys)
    assert active["items_sealed"] > 0, f"the active root key seals nothing although the server holds keys and secrets: {keys}"
    for key in keys:
        assert set(key) <= {"id", "sealed_by", "created_at", "retired_at", "active", "items_sealed"}, f"unexpected fields (key material?) in {key}"
        assert key["sealed_by"] and key["created_at"], key


def test_rotate_then_rewrap_everything(qm, sealed_before):
    before = root_keys(qm)
    old = active_key(before)
    kids_before = {jwk["kid"] for jwk in qm.jwks()["keys"]}

    # Rotation: a new active key; the old one retired but still sealing what it sealed.
    response = qm.post("/v1/sys/root-keys/rotate", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    new_id = response.json()["data"]["active"]
    assert new_id not in {key["id"] for key in before}, f"rotation reused an id: {new_id} in {before}"
    after_rotation = {key["id"]: key for key in root_keys(qm)}
    assert after_rotation[new_id]["active"] is True and after_rotation[new_id].get("retired_at") is None, after_rotation
    assert after_rotation[old["id"]]["active"] is False and after_rotation[old["id"]].get("retired_at"), after_rotation
    assert after_rotation[old["id"]]["items_sealed"] == old["items_sealed"], "rotation alone re-sealed items"

    # Everything sealed before still opens; new writes are sealed under the new key.
    for path, value in sealed_before["secrets"].items():
        assert read_value(qm, path) == value
    assert decrypt(qm, sealed_before["ciphertext"]) == sealed_before["plaintext"]
    assert_tokens_still_issue(qm)
    written_after = f"root-keys/after-{uuid.uuid4().hex[:8]}"
    qm.write_secret(written_after, {"v": "after rotation"})
    assert {key["id"]: key for key in root_keys(qm)}[new_id]["items_sealed"] >= 1, "a secret written after the rotation is not sealed under the new key"
    total = total_items(root_keys(qm))

    # Rewrap in small batches until nothing is left under retired keys.
    deleted: list[str] = []
    first = rewrap_batch(qm, 3)
    assert first.status_code == 200, describe(first)
    progress = first.json()["data"]
    assert progress["active_root_key"] == new_id, progress
    assert 0 <= progress["rewrapped"] <= 3, progress
    deleted += progress["deleted_root_keys"]
    for _ in range(MAX_BATCHES):
        if progress["remaining"] == 0:
            break
        response = rewrap_batch(qm, 50)
        assert response.status_code == 200, describe(response)
        previous, progress = progress, response.json()["data"]
        assert progress["remaining"] < previous["remaining"] or progress["rewrapped"] > 0, f"rewrap makes no progress: {progress}"
        deleted += progress["deleted_root_keys"]
    assert progress["remaining"] == 0, f"items remain under retired root keys after {MAX_BATCHES} batches: {progress}"

    keys = root_keys(qm)
    assert old["id"] in deleted, f"the old root key {old['id']} was not deleted once it sealed nothing (deleted: {deleted})"
    assert [key["id"] for key in keys] == [new_id], f"only the active root key should remain: {keys}"
    assert keys[0]["items_sealed"] == total, f"rewrap lost or duplicated items: {total} before, {keys[0]['items_sealed']} after"

    # Everything still opens, now under the new key only.
    for path, value in sealed_before["secrets"].items():
        assert read_value(qm, path) == value
    old_path, old_value = sealed_before["first_version"]
    response = qm.get(f"/v1/secrets/{old_path}", params={"version": 1}, headers=qm.admin_headers())
    assert response.status_code == 200 and response.json()["data"]["data"] == old_value, describe(response)
    assert read_value(qm, written_after) == {"v": "after rotation"}
    assert decrypt(qm, sealed_before["ciphertext"]) == sealed_before["plaintext"]
    assert decrypt(qm, encrypt(qm, b"after rewrap")) == b"after rewrap"
    assert_tokens_still_issue(qm)
    assert {jwk["kid"] for jwk in qm.jwks()["keys"]} == kids_before, "re-sealing changed the published signing keys"

    # Nothing left to do: a further batch rewraps and deletes nothing.
    again = rewrap_batch(qm, 10)
    assert again.status_code == 200, describe(again)
    assert again.json()["data"] == {"rewrapped": 0, "remaining": 0, "active_root_key": new_id, "deleted_root_keys": []}, describe(again)
