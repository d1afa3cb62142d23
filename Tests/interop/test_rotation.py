"""Key rotation as relying parties see it.

`POST /v1/keys/rotate` (no body) schedules a rotation: the new key is published at once and
signs only after one JWKS cache period, so every verifier's cached JWKS holds it before the
first token it signs. `POST /v1/keys/rotate {"immediate": true}` (after a compromise) makes it
sign at once. Either way, tokens signed by the previous key keep verifying until they expire.
"""

import re
import time
from datetime import datetime

import jwt

from support import describe, split_jwt

ALGORITHMS = ["ES256", "EdDSA", "RS256"]


def as_epoch(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def keys_listing(qm) -> dict:
    response = qm.get("/v1/keys", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return {key["kid"]: key for key in response.json()["keys"]}


def rotate(qm, **body) -> dict:
    response = qm.post("/v1/keys/rotate", json=body or None, headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    answer = response.json()
    assert answer.get("kid"), answer
    return answer


def jwks_max_age(qm) -> int:
    cache_control = qm.get("/.well-known/jwks.json").headers.get("Cache-Control", "")
    match = re.search(r"max-age=(\d+)", cache_control)
    assert match, f"no max-age in the JWKS Cache-Control: {cache_control!r}"
    return int(match.group(1))


def verify(token: str, jwks_uri: str, issuer: str) -> dict:
    client = jwt.PyJWKClient(jwks_uri, cache_keys=False, cache_jwk_set=False)
    return jwt.decode(token, client.get_signing_key_from_jwt(token).key, algorithms=ALGORITHMS, audience="quartermaster", issuer=issuer)


def test_immediate_rotation_new_kid_and_old_tokens_still_verify(qm, issuer):
    jwks_uri = qm.discovery()["jwks_uri"]
    token_a = qm.client_credentials_token("gateway-service")
    kid_a = jwt.get_unverified_header(token_a)["kid"]

    new_kid = rotate(qm, immediate=True)["kid"]
    assert new_kid != kid_a

    token_b = qm.client_credentials_token("gateway-service")
    kid_b = jwt.get_unverified_header(token_b)["kid"]
    assert kid_b == new_kid, f"after an immediate rotation token B is signed by {kid_b}, the rotation announced {new_kid}"

    # A verifier reading the JWKS as it is now (PyJWT) accepts both A and B.
    assert verify(token_a, jwks_uri, issuer)["sub"] == "gateway-service"
    assert verify(token_b, jwks_uri, issuer)["sub"] == "gateway-service"
    published = {key["kid"] for key in qm.jwks()["keys"]}
    assert {kid_a, new_kid} <= published, f"JWKS after rotation: {published}"

    # And the server itself still honours A.
    introspection = qm.introspect(token_a)
    assert introspection.status_code == 200 and introspection.json().get("active") is True, describe(introspection)


def test_scheduled_rotation_publishes_the_key_before_it_signs(qm, issuer):
    """PyJWT's PyJWKClient with its defaults, as services deploy it, caches the JWKS and
    refetches for an unknown kid at most once per 30 s cooldown. A scheduled rotation must
    therefore publish the new key at least one JWKS max-age before it signs."""
    jwks_uri = qm.discovery()["jwks_uri"]
    max_age = jwks_max_age(qm)
    current_kid = jwt.get_unverified_header(qm.client_credentials_token("gateway-service"))["kid"]

    before = time.time()
    answer = rotate(qm)
    new_kid = answer["kid"]
    assert new_kid != current_kid

    relying_party = jwt.PyJWKClient(jwks_uri)  # fetches now and caches
    assert relying_party.get_signing_key(new_kid), "the new key is not in the JWKS yet"

    signs_from = as_epoch(keys_listing(qm)[new_kid]["signs_from"])
    assert signs_from - before >= max_age - 1, (
        f"key {new_kid} signs {signs_from - before:.0f} s after it was published; verifiers cache the JWKS for {max_age} s"
    )

    # Until then tokens keep the current key, and a verifier with the cached JWKS accepts them.
    token = qm.client_credentials_token("gateway-service")
    kid = jwt.get_unverified_header(token)["kid"]
    assert kid != new_kid, "the scheduled key signs before its takeover time"
    claims = jwt.decode(token, relying_party.get_signing_key_from_jwt(token).key, algorithms=ALGORITHMS, audience="quartermaster", issuer=issuer)
    assert claims["sub"] == "gateway-service"


def test_keys_listing_after_rotation(qm):
    token_a = qm.client_credentials_token("gateway-service")
    kid_a = jwt.get_unverified_header(token_a)["kid"]
    new_kid = rotate(qm, immediate=True)["kid"]

    keys = keys_listing(qm)
    assert {kid_a, new_kid} <= set(keys), f"GET /v1/keys: {sorted(keys)}"
    for key in keys.values():
        for member in ("kid", "algorithm", "signs_from", "signs_until", "published_until", "state"):
            assert member in key, f"{member} missing from {key}"
        assert not {"d", "private_key", "private"} & set(key), f"private material listed: {key}"
    assert keys[new_kid]["algorithm"] == "ES256"
    assert keys[new_kid]["state"] != keys[kid_a]["state"], (keys[new_kid], keys[kid_a])
    # The retired key stays published at least as long as its last token can live.
    exp_a = split_jwt(token_a)[1]["exp"]
    published_until = keys[kid_a]["published_until"]
    assert published_until is not None and as_epoch(published_until) >= exp_a, (
        f"key {kid_a} published until {published_until}, but a token it signed lives until {exp_a}"
    )
    published = {key["kid"] for key in qm.jwks()["keys"]}
    assert {kid_a, new_kid} <= published, published


def test_rotate_requires_authentication(qm):
    response = qm.post("/v1/keys/rotate")
    assert response.status_code == 401, describe(response)


def test_rotate_is_refused_to_a_service_token(qm):
    """A valid access token of a service without sys/** grants cannot rotate keys."""
    token = qm.client_credentials_token("gateway-service")
    response = qm.post("/v1/keys/rotate", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (401, 403), describe(response)
