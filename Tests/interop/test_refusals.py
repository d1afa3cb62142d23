"""Forged, altered and expired access tokens of our own issuer are refused wherever they are
presented: introspection says `{"active": false}`, registration answers 401, and token
exchange (down-scoping) answers 400 invalid_grant. Each refusal is its own test.

Tokens are forged from a real one (its claims, its kid) with keys generated here by
cryptography, or altered while keeping the server's signature. Claim checks that need a
validly signed token with bad claims (expired, nbf in the future, wrong aud, wrong iss) are
also exercised in isolation on the Kubernetes path (test_kubernetes_refusals.py), where the
fake cluster's trusted key can sign anything.
"""

import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from policies import EPHEMERAL_IDENTITY
from support import (
    EXCHANGE_REFUSAL_CODES,
    TOKEN_TYPE_ACCESS_TOKEN,
    assert_inactive,
    assert_oauth_error,
    assert_unauthenticated,
    b64url_json,
    describe,
    hmac_token,
    new_ec_key,
    new_rsa_key,
    split_jwt,
    tampered_token,
    unsigned_token,
)

ENDPOINTS = ["introspect", "register", "exchange"]


def present(qm, token: str, endpoint: str) -> None:
    """Present a token that must be refused, and check the refusal."""
    if endpoint == "introspect":
        assert_inactive(qm.introspect(token))
    elif endpoint == "register":
        try:
            service = split_jwt(token)[1].get("sub") or "gateway-service"
        except ValueError:
            service = "gateway-service"
        assert_unauthenticated(qm.register_instance(token, service=service, cluster_id=None))
    elif endpoint == "exchange":
        assert_oauth_error(qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN), 400, *EXCHANGE_REFUSAL_CODES)
    else:  # pragma: no cover
        raise AssertionError(endpoint)


@pytest.fixture
def real_token(qm) -> str:
    """A genuine access token of gateway-service; every forgery starts from it."""
    return qm.client_credentials_token("gateway-service")


def sign_with_attacker_key(payload: dict, kid: str, header_overrides: dict | None = None) -> str:
    headers = {"typ": "at+jwt", "kid": kid, **(header_overrides or {})}
    return jwt.encode(payload, new_ec_key(), algorithm="ES256", headers=headers)


def test_genuine_token_is_accepted(qm, real_token):
    """The control: the unaltered token introspects as active, so refusals below mean something."""
    response = qm.introspect(real_token)
    assert response.status_code == 200, describe(response)
    body = response.json()
    assert body.get("active") is True, body
    assert body.get("sub") == "gateway-service", body


# ---- alg: none


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_alg_none_is_refused(qm, real_token, endpoint, alg):
    header, payload, _ = split_jwt(real_token)
    present(qm, unsigned_token({**header, "alg": alg}, payload), endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_alg_none_with_the_original_signature_is_refused(qm, real_token, endpoint):
    header, payload, signature = split_jwt(real_token)
    present(qm, unsigned_token({**header, "alg": "none"}, payload) + signature, endpoint)


# ---- HS256 with our public key as the HMAC secret (algorithm confusion)


def public_key_secrets(qm, kid: str) -> dict:
    public_key = qm.public_key_for(kid)
    jwk = next(key for key in qm.jwks()["keys"] if key["kid"] == kid)
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return {
        "pem": pem,
        "pem-without-newline": pem.rstrip(b"\n"),
        "der": public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        "jwk-json": json.dumps(jwk).encode(),
    }


@pytest.mark.parametrize("secret_form", ["pem", "pem-without-newline", "der", "jwk-json"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hs256_signed_with_our_public_key_is_refused(qm, real_token, endpoint, secret_form):
    header, payload, _ = split_jwt(real_token)
    secret = public_key_secrets(qm, header["kid"])[secret_form]
    present(qm, hmac_token({**header, "alg": "HS256"}, payload, secret), endpoint)


# ---- keys we do not publish


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_kid_is_refused(qm, real_token, endpoint):
    _, payload, _ = split_jwt(real_token)
    present(qm, sign_with_attacker_key(payload, f"unknown-{uuid.uuid4().hex}"), endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_missing_kid_is_refused(qm, real_token, endpoint):
    _, payload, _ = split_jwt(real_token)
    token = jwt.encode(payload, new_ec_key(), algorithm="ES256", headers={"typ": "at+jwt"})
    assert "kid" not in jwt.get_unverified_header(token)
    present(qm, token, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_attacker_key_under_our_kid_is_refused(qm, real_token, endpoint):
    header, payload, _ = split_jwt(real_token)
    present(qm, sign_with_attacker_key(payload, header["kid"]), endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_rs256_with_embedded_attacker_jwk_is_refused(qm, real_token, endpoint):
    """A token carrying its own verification key in a `jwk` header must not be trusted."""
    header, payload, _ = split_jwt(real_token)
    attacker = new_rsa_key()
    embedded = jwt.algorithms.RSAAlgorithm.to_jwk(attacker.public_key(), as_dict=True)
    token = jwt.encode(payload, attacker, algorithm="RS256", headers={"typ": "at+jwt", "kid": header["kid"], "jwk": embedded})
    present(qm, token, endpoint)


# ---- claims altered, signature re-made with an attacker key (forged)


def forged_claims(real_token: str, **changes) -> tuple[str, dict]:
    header, payload, _ = split_jwt(real_token)
    payload.update(changes)
    return header["kid"], payload


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_forged_expired_token_is_refused(qm, real_token, endpoint):
    past = int(time.time()) - 3600
    kid, payload = forged_claims(real_token, iat=past - 600, nbf=past - 600, exp=past)
    present(qm, sign_with_attacker_key(payload, kid), endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_forged_nbf_in_the_future_is_refused(qm, real_token, endpoint):
    future = int(time.time()) + 3600
    kid, payload = forged_claims(real_token, nbf=future, exp=future + 600)
    present(qm, sign_with_attacker_key(payload, kid), endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_forged_wrong_iss_is_refused(qm, real_token, endpoint):
    kid, payload = forged_claims(real_token, iss="https://evil.example")
    present(qm, sign_with_attacker_key(payload, kid), endpoint)


@pytest.mark.parametrize("endpoint", ["register", "exchange"])
def test_forged_wrong_aud_is_refused(qm, real_token, endpoint):
    kid, payload = forged_claims(real_token, aud="https://evil.example")
    present(qm, sign_with_attacker_key(payload, kid), endpoint)


# ---- tampered payload: a claim changed, the server's own signature kept


TAMPERINGS = {
    "sub": {"sub": "orchestrator-service"},
    "cluster_id": {"cluster_id": "test-k8s"},
    "exp": {"exp": int(time.time()) + 86400},
    "scope": {"scope": "admin"},
    "aud": {"aud": "sts.amazonaws.com"},
    "iss": {"iss": "https://evil.example"},
    "act": {"act": {"sub": "orchestrator-service"}},
    "claim-removed": {"exp": None},
}


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_tampered_payload_is_refused(qm, real_token, endpoint, tampering):
    token = tampered_token(real_token, **TAMPERINGS[tampering])
    assert token != real_token
    present(qm, token, endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_tampered_header_is_refused(qm, real_token, endpoint):
    """Even a header change (typ) that keeps alg and kid invalidates the signature."""
    _, payload_b64, signature = real_token.split(".")
    header, _, _ = split_jwt(real_token)
    present(qm, f"{b64url_json({**header, 'typ': 'JWT', 'x': 1})}.{payload_b64}.{signature}", endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_truncated_signature_is_refused(qm, real_token, endpoint):
    present(qm, real_token[:-8], endpoint)


# ---- really expired: genuine tokens whose lifetime ran out

# Verifiers may allow a small clock skew on exp (RFC 7519 4.1.4); the expiry tests wait this
# long past exp before they expect a refusal.
SKEW_ALLOWANCE = 35


@pytest.fixture(scope="module")
def ephemeral_token(qm):
    """Mints genuine tokens of `ephemeral-service` (token ttl 3s), an identity added to the
    policy with PUT /v1/policy."""
    text = qm.policy_yaml(extra_identities=EPHEMERAL_IDENTITY)
    applied = qm.apply_policy(text, "interop-ephemeral.yaml")
    assert applied.status_code in (200, 201), f"applying the policy with ephemeral-service: {describe(applied)}"

    def mint() -> tuple[str, dict]:
        token = qm.client_credentials_token("ephemeral-service")
        claims = split_jwt(token)[1]
        assert claims["exp"] - claims["iat"] <= 3, f"identity token ttl 3s not honoured: the token lives {claims['exp'] - claims['iat']} s"
        return token, claims

    return mint


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


@pytest.fixture(scope="module")
def expired_token(qm, ephemeral_token):
    """A genuine token held until SKEW_ALLOWANCE seconds past its exp."""
    token, claims = ephemeral_token()
    live = qm.introspect(token)
    assert live.status_code == 200 and live.json().get("active") is True, f"fresh token not active: {describe(live)}"
    sleep_until(claims["exp"] + SKEW_ALLOWANCE)
    return token


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_expired_token_is_refused(qm, expired_token, endpoint):
    present(qm, expired_token, endpoint)


def test_exchange_never_outlives_the_subject_token(qm, ephemeral_token):
    token, subject = ephemeral_token()
    response = qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN)
    assert response.status_code == 200, describe(response)
    result = split_jwt(response.json()["access_token"])[1]
    assert result["exp"] <= subject["exp"], f"exchange extended a token living until {subject['exp']} to {result['exp']}"


def test_exchange_cannot_revive_a_token_past_its_exp(qm, ephemeral_token):
    """Two seconds after exp (inside a verifier's skew) an exchange is refused or, if the
    server accepts the skew, mints nothing that lives past the subject's exp: otherwise
    chained exchanges keep an expired credential alive for ever."""
    token, subject = ephemeral_token()
    sleep_until(subject["exp"] + 2)
    response = qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN)
    if response.status_code == 200:
        result = split_jwt(response.json()["access_token"])[1]
        assert result["exp"] <= subject["exp"], (
            f"an expired token (exp {subject['exp']}) was exchanged for a new one (iat {result['iat']}, exp {result['exp']})"
        )
    else:
        assert_oauth_error(response, 400, *EXCHANGE_REFUSAL_CODES)


# ---- wrong audience, genuinely signed


def test_token_for_another_audience_cannot_register(qm):
    """A real token for sts.amazonaws.com is not a credential for Quartermaster's own API."""
    token = qm.client_credentials_token("gateway-service", audience="sts.amazonaws.com")
    assert_unauthenticated(qm.register_instance(token, cluster_id=None))
