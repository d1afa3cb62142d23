"""Kubernetes projected service-account tokens that must not be exchanged: each answers
400 invalid_grant and yields no token.

The fake cluster `test-k8s` holds a key the policy trusts (through its issuer's discovery and
JWKS), so each claim check is tested in isolation: the token is valid in every respect but one.
"""

import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from support import (
    EXCHANGE_REFUSAL_CODES,
    assert_oauth_error,
    describe,
    hmac_token,
    new_rsa_key,
    split_jwt,
    tampered_token,
    unsigned_token,
)


def refused(qm, token: str) -> dict:
    return assert_oauth_error(qm.exchange(token), 400, *EXCHANGE_REFUSAL_CODES)


def test_genuine_kubernetes_token_is_exchanged(qm):
    """The control: the same token without alteration is exchanged."""
    response = qm.exchange(qm.k8s.token())
    assert response.status_code == 200, describe(response)


def test_issuer_not_listed_in_the_policy_is_refused(qm):
    """A cluster the policy does not list: a real issuer (discovery and JWKS answer), its own
    key, a perfectly formed token; refused all the same."""
    refused(qm, qm.unlisted_k8s.token())


def test_issuer_not_listed_in_the_policy_is_never_contacted(qm):
    """The server must not fetch discovery or keys from an `iss` it does not already trust
    (otherwise any caller can make it issue requests to a URL of their choice)."""
    before = list(qm.unlisted_k8s.requests)
    refused(qm, qm.unlisted_k8s.token())
    assert qm.unlisted_k8s.requests == before, f"the server contacted the unlisted issuer: {qm.unlisted_k8s.requests}"


def test_wrong_iss_with_a_trusted_key_is_refused(qm):
    refused(qm, qm.k8s.token(iss="https://kubernetes.default.svc.cluster.local"))


def test_iss_of_an_unlisted_cluster_signed_by_a_trusted_key_is_refused(qm):
    refused(qm, qm.k8s.token(iss=qm.unlisted_k8s.url))


def test_expired_kubernetes_token_is_refused(qm):
    past = int(time.time()) - 900
    refused(qm, qm.k8s.token(iat=past - 600, nbf=past - 600, exp=past))


def test_kubernetes_token_not_yet_valid_is_refused(qm):
    future = int(time.time()) + 900
    refused(qm, qm.k8s.token(nbf=future, iat=future, exp=future + 600))


def test_kubernetes_token_without_exp_is_refused(qm):
    refused(qm, qm.k8s.token(exp=None))


def test_wrong_audience_is_refused(qm):
    refused(qm, qm.k8s.token(aud=["vault"]))


def test_missing_audience_is_refused(qm):
    refused(qm, qm.k8s.token(aud=None))


def test_unknown_kid_is_refused(qm):
    refused(qm, qm.k8s.token(key=new_rsa_key(), kid=f"unknown-{uuid.uuid4().hex}"))


def test_attacker_key_under_the_cluster_kid_is_refused(qm):
    refused(qm, qm.k8s.token(key=new_rsa_key()))


def test_alg_none_is_refused(qm):
    header, payload, _ = split_jwt(qm.k8s.token())
    refused(qm, unsigned_token({**header, "alg": "none"}, payload))


def test_hs256_signed_with_the_cluster_public_key_is_refused(qm):
    header, payload, _ = split_jwt(qm.k8s.token())
    pem = qm.k8s.key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    refused(qm, hmac_token({**header, "alg": "HS256"}, payload, pem))


def test_hs256_signed_with_the_cluster_jwk_is_refused(qm):
    header, payload, _ = split_jwt(qm.k8s.token())
    jwk = json.dumps(jwt.algorithms.RSAAlgorithm.to_jwk(qm.k8s.key.public_key(), as_dict=True)).encode()
    refused(qm, hmac_token({**header, "alg": "HS256"}, payload, jwk))


def test_tampered_service_account_is_refused(qm):
    """A real token for ai/batch, rewritten to claim ai/gateway, original signature kept."""
    token = qm.k8s.token(service_account="batch")
    forged = tampered_token(
        token,
        sub="system:serviceaccount:ai:gateway",
        **{"kubernetes.io": {"namespace": "ai", "serviceaccount": {"name": "gateway", "uid": str(uuid.uuid4())}}},
    )
    refused(qm, forged)


def test_unmapped_service_account_is_refused(qm):
    """Validly signed, but no identity maps ai/batch."""
    refused(qm, qm.k8s.token(service_account="batch"))


def test_mapped_account_in_another_namespace_is_refused(qm):
    """gateway is mapped in namespace ai only; prod/gateway maps to nothing."""
    refused(qm, qm.k8s.token(namespace="prod"))


def test_sub_and_kubernetes_claims_that_disagree_are_refused(qm):
    """sub says ai/gateway, the kubernetes.io claims say ai/batch: ambiguous, refused."""
    claims = qm.k8s.claims(service_account="batch")
    claims["sub"] = "system:serviceaccount:ai:gateway"
    refused(qm, jwt.encode(claims, qm.k8s.key, algorithm="RS256", headers={"kid": qm.k8s.kid}))


@pytest.mark.parametrize("size", [64 * 1024])
def test_oversized_subject_token_is_refused(qm, size):
    """An oversized token is rejected as a bad request before any expensive work."""
    token = qm.k8s.token()
    header_b64, payload_b64, signature = token.split(".")
    huge = f"{header_b64}.{payload_b64}{'A' * size}.{signature}"
    response = qm.exchange(huge)
    assert response.status_code in (400, 413), describe(response)
    if response.status_code == 400:
        assert_oauth_error(response, 400, "invalid_request", "invalid_grant")
