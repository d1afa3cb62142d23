"""Key rotation as relying parties see it: new tokens carry the new kid, tokens signed by the
previous key keep verifying through the refreshed JWKS until they expire, and the new key was
in the JWKS before it signed anything (so a verifier's cached JWKS already holds it)."""

from datetime import datetime

import jwt

from support import describe, split_jwt

ALGORITHMS = ["ES256", "EdDSA", "RS256"]


def as_epoch(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def keys_listing(qm) -> list[dict]:
    response = qm.get("/v1/keys", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return response.json()["keys"]


def rotate(qm) -> str:
    response = qm.post("/v1/keys/rotate", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    kid = response.json()["kid"]
    assert kid, response.json()
    return kid


def test_rotation_new_kid_and_old_tokens_still_verify(qm, issuer):
    jwks_uri = qm.discovery()["jwks_uri"]

    token_a = qm.client_credentials_token("gateway-service")
    kid_a = jwt.get_unverified_header(token_a)["kid"]

    new_kid = rotate(qm)
    assert new_kid != kid_a

    token_b = qm.client_credentials_token("gateway-service")
    kid_b = jwt.get_unverified_header(token_b)["kid"]
    assert kid_b == new_kid, f"token B is signed by {kid_b}, rotation announced {new_kid}"

    # A verifier reading the JWKS as it is now accepts both A and B.
    refreshed = jwt.PyJWKClient(jwks_uri, cache_keys=False, cache_jwk_set=False)
    for token in (token_a, token_b):
        claims = jwt.decode(
            token, refreshed.get_signing_key_from_jwt(token).key, algorithms=ALGORITHMS, audience="quartermaster", issuer=issuer
        )
        assert claims["sub"] == "gateway-service"
    published = {key["kid"] for key in qm.jwks()["keys"]}
    assert {kid_a, new_kid} <= published, f"JWKS after rotation: {published}"

    # And the server still honours A itself.
    introspection = qm.introspect(token_a)
    assert introspection.status_code == 200 and introspection.json().get("active") is True, describe(introspection)


def test_rotated_key_was_published_before_it_signs(qm, issuer):
    """PyJWT's PyJWKClient with its defaults, as services deploy it: the JWKS is cached
    (5 min) and an unknown kid forces a refetch at most once per cooldown (30 s). A relying
    party that fetched the JWKS just before a rotation must verify the first token signed
    after it from its cache: the new key has to be in the JWKS before it signs."""
    relying_party = jwt.PyJWKClient(qm.discovery()["jwks_uri"])
    token_a = qm.client_credentials_token("gateway-service")
    jwt.decode(token_a, relying_party.get_signing_key_from_jwt(token_a).key, algorithms=ALGORITHMS, audience="quartermaster", issuer=issuer)
    published_before = {key["kid"] for key in qm.jwks()["keys"]}

    new_kid = rotate(qm)
    token_b = qm.client_credentials_token("gateway-service")
    assert jwt.get_unverified_header(token_b)["kid"] == new_kid

    assert new_kid in published_before, (
        f"key {new_kid} signed a token before it was ever published (JWKS before rotation: {sorted(published_before)})"
    )
    try:
        key_b = relying_party.get_signing_key_from_jwt(token_b).key
    except jwt.PyJWKClientError as error:
        raise AssertionError(f"a relying party with a JWKS cached before the rotation cannot verify token B: {error}") from error
    assert jwt.decode(token_b, key_b, algorithms=ALGORITHMS, audience="quartermaster", issuer=issuer)["sub"] == "gateway-service"


def test_keys_listing_after_rotation(qm):
    token_a = qm.client_credentials_token("gateway-service")
    kid_a = jwt.get_unverified_header(token_a)["kid"]
    new_kid = rotate(qm)

    keys = {key["kid"]: key for key in keys_listing(qm)}
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
