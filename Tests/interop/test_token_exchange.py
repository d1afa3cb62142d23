"""RFC 8693 token exchange: Kubernetes service-account tokens for Quartermaster tokens,
down-scoping our own tokens, and delegation (`act`) where the policy allows it."""

import jwt
import pytest

from support import (
    EXCHANGE_REFUSAL_CODES,
    TOKEN_TYPE_ACCESS_TOKEN,
    assert_oauth_error,
    describe,
    new_ec_key,
    split_jwt,
)

ALGORITHMS = ["ES256", "EdDSA", "RS256"]


def verify(qm, token: str, audience: str = "quartermaster") -> dict:
    key = jwt.PyJWKClient(qm.discovery()["jwks_uri"], cache_keys=False).get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=ALGORITHMS, audience=audience, issuer=qm.issuer)


def exchanged(qm, response) -> tuple[dict, dict]:
    """The answer body and the verified claims of a successful exchange."""
    assert response.status_code == 200, describe(response)
    body = response.json()
    assert body.get("issued_token_type") == TOKEN_TYPE_ACCESS_TOKEN, f"RFC 8693 2.2.1 issued_token_type: {body}"
    assert body.get("token_type", "").lower() == "bearer", body
    assert isinstance(body.get("expires_in"), int) and body["expires_in"] > 0, body
    return body, verify_any_audience(qm, body["access_token"])


def verify_any_audience(qm, token: str) -> dict:
    key = jwt.PyJWKClient(qm.discovery()["jwks_uri"], cache_keys=False).get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=ALGORITHMS, issuer=qm.issuer, options={"verify_aud": False})


def audiences(claims: dict) -> list:
    return claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]


def scopes(claims: dict) -> list[str]:
    return (claims.get("scope") or "").split()


# ---- Kubernetes service-account tokens


def test_kubernetes_token_exchange(qm):
    before = list(qm.k8s.requests)
    _, claims = exchanged(qm, qm.exchange(qm.k8s.token()))
    assert claims["sub"] == "gateway-service"
    assert claims["cluster_id"] == "test-k8s"
    assert audiences(claims) == ["quartermaster"]
    assert claims["exp"] - claims["iat"] <= 15 * 60
    for claim in ("iat", "nbf", "exp", "jti"):
        assert claim in claims, claims
    assert jwt.get_unverified_header(qm.kubernetes_gateway_token())["typ"] == "at+jwt"
    # The server checked the signature against the cluster's published keys (it may have
    # cached them from an earlier exchange, so look at the whole history).
    assert any(path.endswith("/openid/v1/jwks") for path in qm.k8s.requests), (before, qm.k8s.requests)


def test_kubernetes_claims_cannot_set_cluster_id(qm):
    """A cluster_id claim inside the service-account token is ignored: the cluster is the
    one whose issuer signed it."""
    _, claims = exchanged(qm, qm.exchange(qm.k8s.token(cluster_id="prod-eu-1")))
    assert claims["cluster_id"] == "test-k8s"


def test_kubernetes_exchange_for_an_allowed_audience(qm):
    _, claims = exchanged(qm, qm.exchange(qm.k8s.token(), audience="sts.amazonaws.com"))
    assert audiences(claims) == ["sts.amazonaws.com"]
    assert claims["sub"] == "gateway-service" and claims["cluster_id"] == "test-k8s"


def test_kubernetes_exchange_for_a_disallowed_audience_is_refused(qm):
    assert_oauth_error(qm.exchange(qm.k8s.token(), audience="https://evil.example"), 400, "invalid_target")


def test_client_credentials_for_a_disallowed_audience_is_refused(qm):
    client = qm.client_for("gateway-service")
    response = qm.token_request(
        {"grant_type": "client_credentials", "audience": "https://evil.example"}, auth=(client.client_id, client.client_secret)
    )
    assert_oauth_error(response, 400, "invalid_target")


# ---- scopes and down-scoping our own tokens
#
# Scopes are `action:resource-pattern` entries that the identity's policy grants cover; a
# down-scoped token may only ask for entries its subject token's scope covers.

SCOPE_PROXY = "read:secret/gateway/proxy-auth/**"
SCOPE_RATE = "read:secret/gateway/rate-limits/**"
SCOPE_FOREIGN = "read:secret/integrations/**"  # the orchestrator's, not the gateway's


@pytest.fixture
def gateway_token(qm) -> tuple[str, dict]:
    """gateway-service from test-k8s, with both of its grants as scope."""
    response = qm.exchange(qm.k8s.token(), scope=f"{SCOPE_PROXY} {SCOPE_RATE}")
    assert response.status_code == 200, describe(response)
    token = response.json()["access_token"]
    return token, verify(qm, token)


def test_scope_requested_at_exchange(qm, gateway_token):
    _, claims = gateway_token
    assert sorted(scopes(claims)) == sorted([SCOPE_PROXY, SCOPE_RATE])


def test_client_credentials_scope_the_policy_does_not_grant_is_refused(qm):
    client = qm.client_for("gateway-service")
    for scope in ("write:secret/gateway/proxy-auth/**", SCOPE_FOREIGN):
        response = qm.token_request({"grant_type": "client_credentials", "scope": scope}, auth=(client.client_id, client.client_secret))
        assert_oauth_error(response, 400, "invalid_scope")


@pytest.mark.parametrize("narrower", [SCOPE_PROXY, "read:secret/gateway/proxy-auth/upstream"])
def test_down_scoping_to_a_narrower_scope(qm, gateway_token, narrower):
    token, subject = gateway_token
    _, claims = exchanged(qm, qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN, scope=narrower))
    assert scopes(claims) == [narrower]
    assert claims["sub"] == "gateway-service"
    assert claims.get("cluster_id") == "test-k8s", "down-scoping keeps the verified cluster"
    assert claims["exp"] <= subject["exp"], "a down-scoped token must not outlive its subject token"
    assert claims["jti"] != subject["jti"]


def test_down_scoping_to_a_wider_scope_is_refused(qm, gateway_token):
    token, _ = gateway_token
    wider = f"{SCOPE_PROXY} {SCOPE_RATE} {SCOPE_FOREIGN}"
    assert_oauth_error(qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN, scope=wider), 400, "invalid_scope")


def test_down_scoping_to_a_broader_pattern_is_refused(qm, gateway_token):
    token, _ = gateway_token
    assert_oauth_error(qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN, scope="read:secret/gateway/**"), 400, "invalid_scope")


def test_down_scoping_to_an_unrelated_scope_is_refused(qm, gateway_token):
    token, _ = gateway_token
    assert_oauth_error(qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN, scope=SCOPE_FOREIGN), 400, "invalid_scope")


def test_down_scoping_to_a_disallowed_audience_is_refused(qm, gateway_token):
    token, _ = gateway_token
    assert_oauth_error(qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN, audience="https://evil.example"), 400, "invalid_target")


def test_down_scoped_token_cannot_be_widened_again(qm, gateway_token):
    token, _ = gateway_token
    narrow, _ = exchanged(qm, qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN, scope=SCOPE_PROXY))
    again = qm.exchange(narrow["access_token"], TOKEN_TYPE_ACCESS_TOKEN, scope=f"{SCOPE_PROXY} {SCOPE_RATE}")
    assert_oauth_error(again, 400, "invalid_scope")


# ---- delegation: worker-service may act for orchestrator-service


def test_delegation_allowed_by_policy_carries_act(qm):
    subject = qm.client_credentials_token("orchestrator-service")
    actor = qm.client_credentials_token("worker-service")
    body, claims = exchanged(
        qm,
        qm.exchange(subject, TOKEN_TYPE_ACCESS_TOKEN, actor_token=actor, actor_token_type=TOKEN_TYPE_ACCESS_TOKEN, job_id="job-42"),
    )
    assert claims["sub"] == "orchestrator-service"
    assert claims.get("act") == {"sub": "worker-service"}, f"act: {claims.get('act')}"
    assert claims.get("job_id") == "job-42"
    assert claims["exp"] <= split_jwt(subject)[1]["exp"]


def test_job_id_is_copied_into_the_token(qm):
    subject = qm.client_credentials_token("orchestrator-service")
    _, claims = exchanged(qm, qm.exchange(subject, TOKEN_TYPE_ACCESS_TOKEN, job_id="job-7"))
    assert claims.get("job_id") == "job-7"
    assert "act" not in claims, "no actor, no act claim"


def test_delegation_to_an_actor_the_policy_does_not_allow_is_refused(qm):
    """gateway-service has no may_act_for: it cannot act for the orchestrator."""
    subject = qm.client_credentials_token("orchestrator-service")
    actor = qm.client_credentials_token("gateway-service")
    response = qm.exchange(subject, TOKEN_TYPE_ACCESS_TOKEN, actor_token=actor, actor_token_type=TOKEN_TYPE_ACCESS_TOKEN)
    assert_oauth_error(response, 400, *EXCHANGE_REFUSAL_CODES, "unauthorized_client")


def test_delegation_is_not_symmetric(qm):
    """worker may act for orchestrator; orchestrator may not act for worker."""
    subject = qm.client_credentials_token("worker-service")
    actor = qm.client_credentials_token("orchestrator-service")
    response = qm.exchange(subject, TOKEN_TYPE_ACCESS_TOKEN, actor_token=actor, actor_token_type=TOKEN_TYPE_ACCESS_TOKEN)
    assert_oauth_error(response, 400, *EXCHANGE_REFUSAL_CODES, "unauthorized_client")


def test_delegation_with_a_forged_actor_token_is_refused(qm):
    """An actor token claiming worker-service but signed by an attacker key."""
    subject = qm.client_credentials_token("orchestrator-service")
    header, payload, _ = split_jwt(qm.client_credentials_token("worker-service"))
    forged = jwt.encode(payload, new_ec_key(), algorithm="ES256", headers={"typ": "at+jwt", "kid": header["kid"]})
    response = qm.exchange(subject, TOKEN_TYPE_ACCESS_TOKEN, actor_token=forged, actor_token_type=TOKEN_TYPE_ACCESS_TOKEN)
    assert_oauth_error(response, 400, *EXCHANGE_REFUSAL_CODES)


def test_actor_token_without_its_type_is_refused(qm):
    """RFC 8693 2.1: actor_token_type is required when actor_token is present."""
    subject = qm.client_credentials_token("orchestrator-service")
    actor = qm.client_credentials_token("worker-service")
    assert_oauth_error(qm.exchange(subject, TOKEN_TYPE_ACCESS_TOKEN, actor_token=actor), 400, "invalid_request")
