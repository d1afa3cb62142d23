"""Transit encryption and attested decrypt (seed 001, expectation 3).

The administrator creates transit/model-weights and rotates it to version 3; the key's
ciphertexts name the version that sealed them (`qm:v3:...`). tee-runtime may decrypt the
weights only with a ciphertext of version 3 and a verified attestation token whose measurement
is the approved one (policies.APPROVED_MEASUREMENT); the administrator manages the key but a
deny grant keeps it from decrypting.

Attestation tokens come from fake attestation services (support.FakeAttestationService):
`trusted` is listed in the policy, `unlisted` is not, `offline` is listed but does not answer.
A token the server cannot verify is refused with 403 and a detail starting "attestation
refused:"; a verified token that does not meet the grant's conditions (or none at all) is
refused by the policy with 403; an unreachable attestation service is a 503. A ciphertext that
is malformed, altered, of another key, or of a version the key cannot decrypt is a 400.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

import pytest

from policies import APPROVED_MEASUREMENT, BOUND_KEY_VERSION, MODEL_WEIGHTS_KEY
from support import assert_api_error, describe, new_ec_key, split_jwt, tampered_token, unsigned_token

ROTATION_KEY = "interop-rotation"  # the administrator may decrypt this one
OTHER_KEY = "interop-other-weights"  # another key, rotated to version 3 as well
OTHER_MEASUREMENT = "sha256:" + "ab" * 32


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --------------------------------------------------------------------------------------
# Requests


def create_key(qm, name: str):
    return qm.post(f"/v1/transit/keys/{name}", headers=qm.admin_headers())


def rotate_key(qm, name: str) -> dict:
    response = qm.post(f"/v1/transit/keys/{name}/rotate", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return response.json()["data"]


def read_key(qm, name: str) -> dict:
    response = qm.get(f"/v1/transit/keys/{name}", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return response.json()["data"]


def configure(qm, name: str, min_decryption_version: int):
    return qm.post(f"/v1/transit/keys/{name}/config", json={"min_decryption_version": min_decryption_version}, headers=qm.admin_headers())


def encrypt(qm, name: str, plaintext: bytes, credential: str | None = None):
    return qm.post(f"/v1/transit/encrypt/{name}", json={"plaintext": b64(plaintext)}, headers=qm.bearer(credential or qm.admin_token))


def encrypted(qm, name: str, plaintext: bytes, version: int) -> str:
    """Encrypts as the administrator and checks the answer names `version`."""
    response = encrypt(qm, name, plaintext)
    assert response.status_code == 200, describe(response)
    data = response.json()["data"]
    assert data["key_version"] == version, f"expected key version {version}: {describe(response)}"
    assert data["ciphertext"].startswith(f"qm:v{version}:"), f"the ciphertext does not name version {version}: {describe(response)}"
    assert b64(plaintext) not in data["ciphertext"]
    return data["ciphertext"]


def decrypt(qm, name: str, ciphertext: str, credential: str, attestation_token: str | None = None):
    body = {"ciphertext": ciphertext}
    if attestation_token is not None:
        body["attestation_token"] = attestation_token
    return qm.post(f"/v1/transit/decrypt/{name}", json=body, headers=qm.bearer(credential))


def rewrap(qm, name: str, ciphertext: str, credential: str | None = None):
    return qm.post(f"/v1/transit/rewrap/{name}", json={"ciphertext": ciphertext}, headers=qm.bearer(credential or qm.admin_token))


# --------------------------------------------------------------------------------------
# Checks


def assert_plaintext(response, plaintext: bytes) -> None:
    assert response.status_code == 200, describe(response)
    assert base64.b64decode(response.json()["data"]["plaintext"]) == plaintext, describe(response)


def assert_error(response, status: int, secret: bytes | None = None) -> dict:
    """A JSON error {"error", "detail"} with `status`, no stack trace and no plaintext."""
    body = assert_api_error(response, status)
    assert "plaintext" not in body, describe(response)
    if secret is not None:
        assert b64(secret) not in response.text and secret.decode("latin-1") not in response.text, describe(response)
    return body


def assert_attestation_refused(response, secret: bytes) -> None:
    body = assert_error(response, 403, secret)
    assert body["detail"].startswith("attestation refused:"), f"expected an attestation refusal: {describe(response)}"


def assert_policy_refused(response, secret: bytes) -> None:
    """403 from the policy: the attestation (if any) verified, the conditions did not hold."""
    body = assert_error(response, 403, secret)
    assert not body["detail"].startswith("attestation refused"), f"the token verifies; the policy should refuse: {describe(response)}"


def sealed(ciphertext: str) -> bytes:
    return base64.b64decode(ciphertext.split(":", 2)[2])


def with_sealed(ciphertext: str, data: bytes) -> str:
    prefix, version, _ = ciphertext.split(":", 2)
    return f"{prefix}:{version}:{b64(data)}"


# --------------------------------------------------------------------------------------
# Fixtures


@dataclass
class Weights:
    plaintext: bytes
    ciphertexts: dict  # key version -> ciphertext of `plaintext`


@pytest.fixture(scope="module")
def weights(qm) -> Weights:
    """transit/model-weights at version 3 and a ciphertext of the same weights per version."""
    created = create_key(qm, MODEL_WEIGHTS_KEY)
    assert created.status_code == 201, describe(created)
    plaintext = f"model-weights-shard-{uuid.uuid4().hex}".encode()
    ciphertexts = {1: encrypted(qm, MODEL_WEIGHTS_KEY, plaintext, 1)}
    for version in range(2, BOUND_KEY_VERSION + 1):
        assert rotate_key(qm, MODEL_WEIGHTS_KEY)["latest_version"] == version
        ciphertexts[version] = encrypted(qm, MODEL_WEIGHTS_KEY, plaintext, version)
    return Weights(plaintext, ciphertexts)


@pytest.fixture(scope="module")
def tee(qm) -> str:
    """tee-runtime's credential (an API key)."""
    return qm.api_key("tee-runtime")


@pytest.fixture
def approved(qm) -> str:
    """A fresh attestation token of the trusted service for the approved measurement."""
    return qm.attestation.token(APPROVED_MEASUREMENT)


# --------------------------------------------------------------------------------------
# Keys


def test_key_metadata_after_create_and_rotate(qm, weights):
    key = read_key(qm, MODEL_WEIGHTS_KEY)
    assert key["name"] == MODEL_WEIGHTS_KEY
    assert key["latest_version"] == BOUND_KEY_VERSION, key
    assert key["min_decryption_version"] == 1, key
    assert sorted(key["versions"], key=int) == [str(version) for version in range(1, BOUND_KEY_VERSION + 1)], key
    assert key.get("created_time") and key.get("updated_time"), key
    assert not any(name in key for name in ("key", "keys", "material", "sealed_key")), f"key material in {key}"

    listing = qm.get("/v1/transit/keys", headers=qm.admin_headers())
    assert listing.status_code == 200, describe(listing)
    assert MODEL_WEIGHTS_KEY in listing.json()["data"]["keys"], describe(listing)


def test_creating_an_existing_key_is_a_conflict(qm, weights):
    assert_error(create_key(qm, MODEL_WEIGHTS_KEY), 409)
    assert read_key(qm, MODEL_WEIGHTS_KEY)["latest_version"] == BOUND_KEY_VERSION, "a refused create changed the key"


def test_encrypting_twice_gives_different_ciphertexts(qm, weights):
    first = encrypted(qm, MODEL_WEIGHTS_KEY, weights.plaintext, BOUND_KEY_VERSION)
    second = encrypted(qm, MODEL_WEIGHTS_KEY, weights.plaintext, BOUND_KEY_VERSION)
    assert first != second, "two encryptions of the same plaintext are identical (nonce reuse?)"


# --------------------------------------------------------------------------------------
# Attested decrypt: allowed


def test_approved_measurement_decrypts_the_bound_version(qm, weights, tee, approved):
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, approved)
    assert_plaintext(response, weights.plaintext)


@pytest.mark.parametrize("form", ["bare-hex", "uppercase-hex"])
def test_measurement_spellings_of_the_approved_digest(qm, weights, tee, form):
    """A bare hex digest is read as sha256 by its length; hex case does not matter."""
    digest = APPROVED_MEASUREMENT.split(":", 1)[1]
    measurement = digest if form == "bare-hex" else "sha256:" + digest.upper()
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, qm.attestation.token(measurement))
    assert_plaintext(response, weights.plaintext)


@pytest.mark.parametrize("skew", ["expired-10s-ago", "valid-in-10s"])
def test_clock_skew_under_30_seconds_is_tolerated(qm, weights, tee, skew):
    token = qm.attestation.token(APPROVED_MEASUREMENT, ttl=-10) if skew == "expired-10s-ago" else qm.attestation.token(APPROVED_MEASUREMENT, nbf_offset=10)
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, token)
    assert_plaintext(response, weights.plaintext)


def test_attestation_keys_come_from_the_listed_jwks(qm, weights, tee, approved):
    assert_plaintext(decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, approved), weights.plaintext)
    assert "/jwks.json" in qm.attestation.requests, f"the trusted service's JWKS was never fetched: {qm.attestation.requests}"


# --------------------------------------------------------------------------------------
# Refused by the policy: the token verifies (or is absent), the conditions do not hold


@pytest.mark.parametrize(
    "measurement",
    [OTHER_MEASUREMENT, "sha384:" + "cd" * 48, "sha512:" + APPROVED_MEASUREMENT.split(":")[1] * 2],
    ids=["other-sha256", "sha384", "sha512-of-the-approved-hex-twice"],
)
def test_another_measurement_is_refused(qm, weights, tee, measurement):
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, qm.attestation.token(measurement))
    assert_policy_refused(response, weights.plaintext)


@pytest.mark.parametrize("version", [version for version in range(1, BOUND_KEY_VERSION)])
def test_another_key_version_is_refused(qm, weights, tee, approved, version):
    """The grant binds version 3: a genuine ciphertext of an older version of the same key
    is refused with an approved measurement."""
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[version], tee, approved)
    assert_policy_refused(response, weights.plaintext)


def test_decrypt_without_attestation_is_refused(qm, weights, tee):
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee)
    assert_policy_refused(response, weights.plaintext)


def test_administrator_cannot_decrypt_the_weights(qm, weights, approved):
    """The administrator manages the key; the policy's deny keeps it from the weights even
    with an approved attestation."""
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], qm.admin_token, approved)
    assert_policy_refused(response, weights.plaintext)


def test_decrypt_without_credentials_is_unauthenticated(qm, weights, approved):
    response = qm.post(f"/v1/transit/decrypt/{MODEL_WEIGHTS_KEY}", json={"ciphertext": weights.ciphertexts[BOUND_KEY_VERSION], "attestation_token": approved})
    assert_error(response, 401, weights.plaintext)


@pytest.mark.parametrize("operation", ["read", "list", "encrypt", "rotate", "rewrap", "config", "create"])
def test_tee_runtime_may_only_decrypt(qm, weights, tee, operation):
    headers = qm.bearer(tee)
    name = MODEL_WEIGHTS_KEY
    response = {
        "read": lambda: qm.get(f"/v1/transit/keys/{name}", headers=headers),
        "list": lambda: qm.get("/v1/transit/keys", headers=headers),
        "encrypt": lambda: encrypt(qm, name, b"anything", tee),
        "rotate": lambda: qm.post(f"/v1/transit/keys/{name}/rotate", headers=headers),
        "rewrap": lambda: rewrap(qm, name, weights.ciphertexts[1], tee),
        "config": lambda: qm.post(f"/v1/transit/keys/{name}/config", json={"min_decryption_version": 3}, headers=headers),
        "create": lambda: qm.post(f"/v1/transit/keys/tee-{uuid.uuid4().hex[:8]}", headers=headers),
    }[operation]()
    assert_error(response, 403, weights.plaintext)
    key = read_key(qm, name)
    assert (key["latest_version"], key["min_decryption_version"]) == (BOUND_KEY_VERSION, 1), f"a refused {operation} changed the key: {key}"


# --------------------------------------------------------------------------------------
# Refused attestation: the token does not verify


def _tampered_measurement(qm) -> str:
    """A genuine token for another measurement, its measurement claim edited afterwards."""
    return tampered_token(qm.attestation.token(OTHER_MEASUREMENT), measurement=APPROVED_MEASUREMENT)


def _alg_none(qm) -> str:
    claims = split_jwt(qm.attestation.token(APPROVED_MEASUREMENT))[1]
    return unsigned_token({"alg": "none", "typ": "JWT", "kid": qm.attestation.kid}, claims)


REFUSED_TOKENS = {
    "expired-90s-ago": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, ttl=-90),
    "nbf-in-2-minutes": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, nbf_offset=120),
    "wrong-audience": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, audience="https://other-broker.example"),
    "no-audience": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, audience=None),
    "untrusted-issuer": lambda qm: qm.unlisted_attestation.token(APPROVED_MEASUREMENT),
    "untrusted-service-claiming-the-trusted-issuer": lambda qm: qm.unlisted_attestation.token(
        APPROVED_MEASUREMENT, issuer=qm.attestation.url, kid=qm.attestation.kid
    ),
    "key-not-in-the-jwks": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, key=new_ec_key()),
    "unknown-kid": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, key=new_ec_key(), kid=f"unknown-{uuid.uuid4().hex[:8]}"),
    "measurement-claim-missing": lambda qm: qm.attestation.token(APPROVED_MEASUREMENT, claim="launch_measurement"),
    "measurement-not-a-digest": lambda qm: qm.attestation.token("sha256:not-a-hex-digest"),
    "measurement-of-the-wrong-length": lambda qm: qm.attestation.token("sha256:" + "ab" * 20),
    "measurement-tampered-after-signing": _tampered_measurement,
    "alg-none": _alg_none,
    "not-a-jwt": lambda qm: "not-an-attestation-token",
}


@pytest.mark.parametrize("refusal", sorted(REFUSED_TOKENS))
def test_unverifiable_attestation_is_refused(qm, weights, tee, refusal):
    token = REFUSED_TOKENS[refusal](qm)
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, token)
    assert_attestation_refused(response, weights.plaintext)
    assert token not in response.text, f"the refusal echoes the attestation token: {describe(response)}"


def test_untrusted_attestation_service_is_never_contacted(qm, weights, tee):
    """The issuer of a token is looked up in the policy before anything is fetched: an
    unlisted service's keys are never requested (no fetching from attacker-chosen URLs)."""
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, qm.unlisted_attestation.token(APPROVED_MEASUREMENT))
    assert_attestation_refused(response, weights.plaintext)
    assert qm.unlisted_attestation.requests == [], f"the server fetched from an unlisted issuer: {qm.unlisted_attestation.requests}"


def test_unreachable_attestation_service_is_503(qm, weights, tee):
    """A listed service that does not answer: the token cannot be checked, the server says so
    with 503 (not a refusal of the caller, not a decrypt)."""
    token = qm.offline_attestation.token(APPROVED_MEASUREMENT)
    response = decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, token)
    assert_error(response, 503, weights.plaintext)
    assert token not in response.text, describe(response)


# --------------------------------------------------------------------------------------
# Ciphertexts that are not this key's: 400, even for an attested caller


def test_tampered_ciphertext_is_refused(qm, weights, tee, approved):
    original = weights.ciphertexts[BOUND_KEY_VERSION]
    data = bytearray(sealed(original))
    for position in (len(data) // 2, len(data) - 1, 0):
        altered = bytearray(data)
        altered[position] ^= 0x01
        response = decrypt(qm, MODEL_WEIGHTS_KEY, with_sealed(original, bytes(altered)), tee, approved)
        assert_error(response, 400, weights.plaintext)


def test_ciphertext_of_another_key_is_refused(qm, weights, tee, approved):
    """A ciphertext of another key at the same version (3) passes the policy (version 3,
    approved measurement) and must still not open with the model-weights key."""
    created = create_key(qm, OTHER_KEY)
    assert created.status_code == 201, describe(created)
    for version in range(2, BOUND_KEY_VERSION + 1):
        assert rotate_key(qm, OTHER_KEY)["latest_version"] == version
    foreign = encrypted(qm, OTHER_KEY, weights.plaintext, BOUND_KEY_VERSION)
    response = decrypt(qm, MODEL_WEIGHTS_KEY, foreign, tee, approved)
    assert_error(response, 400, weights.plaintext)


MALFORMED = {
    "empty": "",
    "no-data": "qm:v3",
    "empty-data": "qm:v3:",
    "not-base64": "qm:v3:***not base64***",
    "too-short": "qm:v3:" + b64(b"short"),
    "version-zero": "qm:v0:" + b64(bytes(40)),
    "leading-zero-version": "qm:v03:" + b64(bytes(40)),
    "negative-version": "qm:v-3:" + b64(bytes(40)),
    "no-v": "qm:3:" + b64(bytes(40)),
    "vault-prefix": "vault:v3:" + b64(bytes(40)),
}


@pytest.mark.parametrize("form", sorted(MALFORMED))
def test_malformed_ciphertext_is_a_bad_request(qm, weights, tee, approved, form):
    assert_error(decrypt(qm, MODEL_WEIGHTS_KEY, MALFORMED[form], tee, approved), 400, weights.plaintext)


# --------------------------------------------------------------------------------------
# Rotation, rewrap, min_decryption_version


def test_rewrapped_old_ciphertexts_decrypt_attested(qm, weights, tee, approved):
    """Rewrap moves the weights' version-1 and version-2 ciphertexts to version 3 without
    revealing them; tee-runtime then decrypts them."""
    for version in range(1, BOUND_KEY_VERSION + 1):
        response = rewrap(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[version])
        assert response.status_code == 200, describe(response)
        data = response.json()["data"]
        assert data["key_version"] == BOUND_KEY_VERSION and data["ciphertext"].startswith(f"qm:v{BOUND_KEY_VERSION}:"), describe(response)
        assert "plaintext" not in data and b64(weights.plaintext) not in response.text
        assert_plaintext(decrypt(qm, MODEL_WEIGHTS_KEY, data["ciphertext"], tee, qm.attestation.token(APPROVED_MEASUREMENT)), weights.plaintext)


def test_rotate_rewrap_and_min_decryption_version(qm):
    """On a key the administrator may decrypt: old versions keep decrypting after a rotation
    until min_decryption_version passes them; rewrap carries a ciphertext forward first."""
    plaintext = f"rotation-{uuid.uuid4().hex}".encode()
    created = create_key(qm, ROTATION_KEY)
    assert created.status_code == 201, describe(created)
    key = created.json()["data"]
    assert (key["latest_version"], key["min_decryption_version"], sorted(key["versions"])) == (1, 1, ["1"]), key

    v1 = encrypted(qm, ROTATION_KEY, plaintext, 1)
    rotated = rotate_key(qm, ROTATION_KEY)
    assert rotated["latest_version"] == 2 and sorted(rotated["versions"], key=int) == ["1", "2"], rotated
    v2 = encrypted(qm, ROTATION_KEY, plaintext, 2)
    admin = qm.admin_token
    assert_plaintext(decrypt(qm, ROTATION_KEY, v1, admin), plaintext)
    assert_plaintext(decrypt(qm, ROTATION_KEY, v2, admin), plaintext)

    carried = rewrap(qm, ROTATION_KEY, v1)
    assert carried.status_code == 200, describe(carried)
    carried_ciphertext = carried.json()["data"]["ciphertext"]
    assert carried.json()["data"]["key_version"] == 2 and carried_ciphertext.startswith("qm:v2:"), describe(carried)
    assert_plaintext(decrypt(qm, ROTATION_KEY, carried_ciphertext, admin), plaintext)

    configured = configure(qm, ROTATION_KEY, 2)
    assert configured.status_code == 200, describe(configured)
    assert configured.json()["data"]["min_decryption_version"] == 2, describe(configured)
    assert read_key(qm, ROTATION_KEY)["min_decryption_version"] == 2

    assert_error(decrypt(qm, ROTATION_KEY, v1, admin), 400, plaintext)
    assert_error(rewrap(qm, ROTATION_KEY, v1), 400, plaintext)
    assert_plaintext(decrypt(qm, ROTATION_KEY, v2, admin), plaintext)
    assert_plaintext(decrypt(qm, ROTATION_KEY, carried_ciphertext, admin), plaintext)

    # A version the key does not have, and settings outside 1...latest.
    unknown = "qm:v7:" + v2.split(":", 2)[2]
    assert_error(decrypt(qm, ROTATION_KEY, unknown, admin), 400, plaintext)
    for bad in (0, 3, -1):
        assert_error(configure(qm, ROTATION_KEY, bad), 400)
    assert read_key(qm, ROTATION_KEY)["min_decryption_version"] == 2, "a refused config changed the key"

    assert rotate_key(qm, ROTATION_KEY)["latest_version"] == 3
    encrypted(qm, ROTATION_KEY, plaintext, 3)
    assert_plaintext(decrypt(qm, ROTATION_KEY, v2, admin), plaintext)


def test_operations_on_a_missing_key(qm):
    name = f"missing-{uuid.uuid4().hex[:8]}"
    assert_error(qm.get(f"/v1/transit/keys/{name}", headers=qm.admin_headers()), 404)
    assert_error(encrypt(qm, name, b"x"), 404)
    assert_error(qm.post(f"/v1/transit/keys/{name}/rotate", headers=qm.admin_headers()), 404)


def test_plaintext_must_be_base64(qm, weights):
    response = qm.post(f"/v1/transit/encrypt/{MODEL_WEIGHTS_KEY}", json={"plaintext": "not base64!"}, headers=qm.admin_headers())
    assert_error(response, 400)


def test_invalid_key_name_is_a_bad_request(qm):
    assert_error(create_key(qm, "Model_Weights!"), 400)


# --------------------------------------------------------------------------------------
# Audit


def detail(record: dict, name: str) -> str | None:
    """A decision's context value, as recorded by the decision (`context.<name>`) or by the
    outcome (`<name>`)."""
    details = record.get("details") or {}
    return details.get(f"context.{name}", details.get(name))


def test_audit_records_decrypt_decisions_without_the_plaintext(qm, weights, tee):
    start = qm.audit_head()
    allowed_token = qm.attestation.token(APPROVED_MEASUREMENT)
    expired_token = qm.attestation.token(APPROVED_MEASUREMENT, ttl=-90)
    assert_plaintext(decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, allowed_token), weights.plaintext)
    assert_policy_refused(decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[2], tee, qm.attestation.token(APPROVED_MEASUREMENT)), weights.plaintext)
    assert_policy_refused(decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, qm.attestation.token(OTHER_MEASUREMENT)), weights.plaintext)
    assert_attestation_refused(decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, expired_token), weights.plaintext)

    records, text = qm.audit_after(start)
    decrypts = [r for r in records if r["subject"] == "tee-runtime" and r["action"] == "decrypt" and r["resource"] == f"transit/{MODEL_WEIGHTS_KEY}"]
    summary = [(r["decision"], r["reason"][:80], r.get("details")) for r in decrypts]

    allowed = [r for r in decrypts if r["decision"] == "allow"]
    assert any(detail(r, "key_version") == str(BOUND_KEY_VERSION) and detail(r, "attestation_measurement") == APPROVED_MEASUREMENT for r in allowed), (
        f"no allow decision with key_version {BOUND_KEY_VERSION} and the approved measurement: {summary}"
    )
    denied = [r for r in decrypts if r["decision"] == "deny"]
    assert any(detail(r, "key_version") == "2" and detail(r, "attestation_measurement") == APPROVED_MEASUREMENT for r in denied), (
        f"no deny decision for key_version 2: {summary}"
    )
    assert any(detail(r, "key_version") == str(BOUND_KEY_VERSION) and detail(r, "attestation_measurement") == OTHER_MEASUREMENT for r in denied), (
        f"no deny decision for the other measurement: {summary}"
    )
    assert any("attestation refused" in r["reason"] for r in denied), f"the refused attestation is not audited: {summary}"

    for secret in (weights.plaintext.decode(), b64(weights.plaintext)):
        assert secret not in text, "the audit log contains the decrypted plaintext"
    for token in (allowed_token, expired_token):
        assert token not in text and token.split(".")[2] not in text, "the audit log contains an attestation token"
    assert weights.plaintext.decode() not in qm.server_log() and b64(weights.plaintext) not in qm.server_log(), "the server log contains the plaintext"


def test_audit_of_a_refused_attestation_names_no_measurement_it_could_not_verify(qm, weights, tee):
    """An unverified token's claims are not facts: the refusal must not be recorded as a
    decision made on its measurement."""
    start = qm.audit_head()
    forged = qm.attestation.token(APPROVED_MEASUREMENT, key=new_ec_key())
    assert_attestation_refused(decrypt(qm, MODEL_WEIGHTS_KEY, weights.ciphertexts[BOUND_KEY_VERSION], tee, forged), weights.plaintext)
    records, _ = qm.audit_after(start)
    decrypts = [r for r in records if r["subject"] == "tee-runtime" and r["action"] == "decrypt"]
    assert decrypts, "the refused decrypt is not in the audit log"
    assert all(r["decision"] != "allow" and r["decision"] != "ok" for r in decrypts), decrypts
    assert all(detail(r, "attestation_measurement") is None for r in decrypts), f"an unverified measurement was recorded: {decrypts}"
