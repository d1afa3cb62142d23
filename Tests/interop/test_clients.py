"""OAuth 2.0 client authentication at the token endpoint, driven by authlib's client."""

import time
import uuid

import jwt
import pytest
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from joserfc.jwk import ECKey

from support import (
    CLIENT_ASSERTION_TYPE,
    GRANT_CLIENT_CREDENTIALS,
    assert_oauth_error,
    describe,
    new_ec_key,
    private_pem,
    public_jwk,
    split_jwt,
)


def verified_claims(qm, token: str) -> dict:
    key = jwt.PyJWKClient(qm.discovery()["jwks_uri"], cache_keys=False).get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=["ES256", "EdDSA", "RS256"], audience="quartermaster", issuer=qm.issuer)


@pytest.fixture
def key_client(qm):
    """A private_key_jwt client for orchestrator-service: an EC P-256 key made with
    cryptography, its public JWK registered through POST /v1/clients."""
    key = new_ec_key()
    kid = f"interop-{uuid.uuid4().hex[:8]}"
    client = qm.register_client("orchestrator-service", jwks={"keys": [public_jwk(key, kid, "ES256")]})
    assert client.client_secret is None, "a private_key_jwt client must not be given a secret"
    return client, ECKey.import_key(private_pem(key), {"kid": kid}), kid


def assertion(client_id: str, key, audience: str, **claims) -> str:
    """A client assertion made by authlib's own RFC 7523 signer, living five minutes
    (authlib's default is an hour; test_authlib_private_key_jwt uses that default)."""
    return private_key_jwt_sign(
        key, client_id=client_id, token_endpoint=audience, alg="ES256", claims=claims or None, header={"kid": key.kid}, expires_in=300
    )


def assertion_request(qm, client_id: str, client_assertion: str):
    return qm.token_request(
        {
            "grant_type": GRANT_CLIENT_CREDENTIALS,
            "client_id": client_id,
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": client_assertion,
        }
    )


def test_authlib_client_secret_basic(qm):
    client = qm.register_client("gateway-service")
    session = OAuth2Session(client.client_id, client.client_secret, token_endpoint_auth_method="client_secret_basic")
    token = session.fetch_token(qm.discovery()["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"].lower() == "bearer"
    claims = verified_claims(qm, token["access_token"])
    assert claims["sub"] == "gateway-service"
    assert claims["client_id"] == client.client_id


def test_authlib_client_secret_post(qm):
    client = qm.register_client("gateway-service")
    session = OAuth2Session(client.client_id, client.client_secret, token_endpoint_auth_method="client_secret_post")
    token = session.fetch_token(qm.discovery()["token_endpoint"], grant_type="client_credentials")
    assert verified_claims(qm, token["access_token"])["sub"] == "gateway-service"


def test_authlib_private_key_jwt(qm, key_client):
    """authlib's PrivateKeyJWT exactly as shipped (its assertions live 3600 s, a fresh jti each)."""
    client, key, _ = key_client
    token_endpoint = qm.discovery()["token_endpoint"]
    session = OAuth2Session(client.client_id, key, token_endpoint_auth_method="private_key_jwt")
    session.register_client_auth_method(PrivateKeyJWT(token_endpoint, alg="ES256", headers={"kid": key.kid}))
    token = session.fetch_token(token_endpoint, grant_type="client_credentials")
    claims = verified_claims(qm, token["access_token"])
    assert claims["sub"] == "orchestrator-service"
    assert claims["client_id"] == client.client_id
    # authlib signs a fresh jti every time, so a second fetch works too.
    second = session.fetch_token(token_endpoint, grant_type="client_credentials")
    assert verified_claims(qm, second["access_token"])["jti"] != claims["jti"]


def test_private_key_jwt_with_issuer_as_audience(qm, key_client):
    """RFC 7523 lets the assertion's aud be the issuer identifier as well as the endpoint."""
    client, key, _ = key_client
    response = assertion_request(qm, client.client_id, assertion(client.client_id, key, qm.issuer))
    assert response.status_code == 200, describe(response)
    assert verified_claims(qm, response.json()["access_token"])["sub"] == "orchestrator-service"


def test_replayed_client_assertion_is_refused(qm, key_client):
    client, key, _ = key_client
    once = assertion(client.client_id, key, qm.token_endpoint)
    first = assertion_request(qm, client.client_id, once)
    assert first.status_code == 200, describe(first)
    second = assertion_request(qm, client.client_id, once)
    assert_oauth_error(second, 401, "invalid_client")


def test_client_assertion_for_another_audience_is_refused(qm, key_client):
    client, key, _ = key_client
    response = assertion_request(qm, client.client_id, assertion(client.client_id, key, "https://other.example/oauth2/token"))
    assert_oauth_error(response, 401, "invalid_client")


def test_expired_client_assertion_is_refused(qm, key_client):
    client, key, _ = key_client
    issued = int(time.time()) - 3600
    expired = private_key_jwt_sign(
        key, client_id=client.client_id, token_endpoint=qm.token_endpoint, alg="ES256",
        header={"kid": key.kid}, issued_at=issued, expires_at=issued + 300,
    )
    assert_oauth_error(assertion_request(qm, client.client_id, expired), 401, "invalid_client")


def test_client_assertion_without_jti_is_refused(qm, key_client):
    """A single-use jti is required; an assertion without one could be replayed at will."""
    client, key, kid = key_client
    # authlib always adds a jti, so this assertion is written with PyJWT, signed by the
    # registered key.
    pem = key.as_pem(private=True)
    now = int(time.time())
    token = jwt.encode(
        {"iss": client.client_id, "sub": client.client_id, "aud": qm.token_endpoint, "iat": now, "exp": now + 300},
        pem, algorithm="ES256", headers={"kid": kid},
    )
    assert "jti" not in split_jwt(token)[1]
    assert_oauth_error(assertion_request(qm, client.client_id, token), 401, "invalid_client")


def test_client_assertion_signed_by_an_unregistered_key_is_refused(qm, key_client):
    client, key, kid = key_client
    intruder = ECKey.import_key(private_pem(new_ec_key()), {"kid": kid})
    response = assertion_request(qm, client.client_id, assertion(client.client_id, intruder, qm.token_endpoint))
    assert_oauth_error(response, 401, "invalid_client")


def test_client_assertion_for_another_client_is_refused(qm, key_client):
    """iss/sub name a different client than the one whose key signed: refused."""
    client, key, _ = key_client
    other = qm.client_for("gateway-service")
    forged = assertion(other.client_id, key, qm.token_endpoint)
    assert_oauth_error(assertion_request(qm, other.client_id, forged), 401, "invalid_client")
