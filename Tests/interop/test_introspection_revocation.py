"""RFC 7662 introspection and RFC 7009 revocation, with authlib's client where it has one."""

import uuid

from authlib.integrations.requests_client import OAuth2Session

from support import (
    EXCHANGE_REFUSAL_CODES,
    TOKEN_TYPE_ACCESS_TOKEN,
    assert_inactive,
    assert_oauth_error,
    assert_unauthenticated,
    describe,
    split_jwt,
)


def session_for(qm, identity: str) -> OAuth2Session:
    client = qm.client_for(identity)
    return OAuth2Session(
        client.client_id,
        client.client_secret,
        token_endpoint_auth_method="client_secret_basic",
        revocation_endpoint_auth_method="client_secret_basic",
    )


def test_introspection_of_an_active_token(qm):
    token = qm.kubernetes_gateway_token()
    claims = split_jwt(token)[1]
    response = qm.introspect(token)
    assert response.status_code == 200, describe(response)
    body = response.json()
    assert body["active"] is True
    assert body["sub"] == "gateway-service"
    assert body.get("iss") == qm.issuer
    assert body.get("exp") == claims["exp"]
    assert body.get("jti") == claims["jti"]
    assert body.get("cluster_id") == "test-k8s"


def test_introspection_with_authlib_client_secret_basic(qm):
    token = qm.client_credentials_token("gateway-service")
    response = session_for(qm, "orchestrator-service").introspect_token(qm.discovery()["introspection_endpoint"], token=token)
    assert response.status_code == 200, describe(response)
    assert response.json()["active"] is True
    assert response.json()["sub"] == "gateway-service"


def test_introspection_requires_authentication(qm):
    token = qm.client_credentials_token("gateway-service")
    response = qm.post("/oauth2/introspect", data={"token": token})
    assert response.status_code == 401, describe(response)
    assert "gateway-service" not in response.text


def test_introspection_with_a_bad_client_secret_is_refused(qm):
    token = qm.client_credentials_token("gateway-service")
    client = qm.client_for("orchestrator-service")
    response = qm.post("/oauth2/introspect", data={"token": token}, auth=(client.client_id, client.client_secret + "x"))
    assert_oauth_error(response, 401, "invalid_client")


def test_introspection_of_garbage_is_inactive(qm):
    assert_inactive(qm.introspect("garbage"))


def test_introspection_without_a_token_parameter_is_a_bad_request(qm):
    response = qm.post("/oauth2/introspect", data={}, headers=qm.admin_headers())
    assert_oauth_error(response, 400, "invalid_request")


def test_revocation_with_authlib(qm):
    """The client the token was issued to revokes it with authlib; then it is inactive at
    introspection, listed at /v1/revocations, refused at registration and at exchange."""
    token = qm.client_credentials_token("gateway-service")
    claims = split_jwt(token)[1]
    response = session_for(qm, "gateway-service").revoke_token(qm.discovery()["revocation_endpoint"], token=token)
    assert response.status_code == 200, describe(response)

    assert_inactive(qm.introspect(token))

    listing = qm.get("/v1/revocations")
    assert listing.status_code == 200, describe(listing)
    entries = [entry for entry in listing.json()["revocations"] if entry["jti"] == claims["jti"]]
    assert len(entries) == 1, f"jti {claims['jti']} not listed: {listing.text[:500]}"
    assert entries[0].get("revoked_at") and entries[0].get("expires_at"), entries[0]
    assert token not in listing.text, "the revocation list must not carry tokens"

    assert_unauthenticated(qm.register_instance(token, cluster_id=None))
    assert_oauth_error(qm.exchange(token, TOKEN_TYPE_ACCESS_TOKEN), 400, *EXCHANGE_REFUSAL_CODES)


def test_revocation_by_admin_bearer(qm):
    """An exchanged token registers; once an administrator revokes it, it no longer does."""
    token = qm.kubernetes_gateway_token()
    first = qm.register_instance(token, cluster_id=None)
    assert first.status_code == 201, describe(first)
    response = qm.post("/oauth2/revoke", data={"token": token}, headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    assert_inactive(qm.introspect(token))
    assert_unauthenticated(qm.register_instance(token, cluster_id=None))


def test_revoking_an_unknown_token_is_not_an_error(qm):
    """RFC 7009 2.2: invalid tokens do not cause an error response."""
    client = qm.client_for("gateway-service")
    response = qm.post("/oauth2/revoke", data={"token": f"nonsense-{uuid.uuid4().hex}"}, auth=(client.client_id, client.client_secret))
    assert response.status_code == 200, describe(response)


def test_revocation_requires_authentication(qm):
    token = qm.client_credentials_token("gateway-service")
    response = qm.post("/oauth2/revoke", data={"token": token})
    assert response.status_code == 401, describe(response)
    live = qm.introspect(token)
    assert live.json().get("active") is True, "an unauthenticated revocation took effect"


def test_another_client_cannot_revoke_my_token(qm):
    """RFC 7009 2.1: the server checks that the token was issued to the revoking client."""
    token = qm.client_credentials_token("gateway-service")
    other = qm.client_for("orchestrator-service")
    response = qm.post("/oauth2/revoke", data={"token": token}, auth=(other.client_id, other.client_secret))
    assert response.status_code < 500, describe(response)
    live = qm.introspect(token)
    assert live.json().get("active") is True, f"orchestrator's client revoked gateway's token ({describe(response)})"


def test_revocation_list_is_public(qm):
    response = qm.get("/v1/revocations")
    assert response.status_code == 200, describe(response)
    assert isinstance(response.json()["revocations"], list)
