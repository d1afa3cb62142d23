"""OIDC discovery and JWKS, read and used by PyJWT and authlib as any relying party would."""

import re
import warnings

import authlib.deprecate  # noqa: F401 (installs authlib's own warning filter first)
import jwt
import pytest

# authlib 1.9 marks authlib.jose as deprecated in favour of joserfc; the notice is expected.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.jose import JsonWebKey, JsonWebToken

from support import GRANT_CLIENT_CREDENTIALS, GRANT_TOKEN_EXCHANGE, describe, split_jwt

PRIVATE_JWK_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def test_discovery_document(qm, issuer):
    document = qm.discovery()
    assert document["issuer"] == issuer
    assert document["jwks_uri"].startswith(issuer + "/")
    assert document["token_endpoint"] == f"{issuer}/oauth2/token"
    assert document["introspection_endpoint"] == f"{issuer}/oauth2/introspect"
    assert document["revocation_endpoint"] == f"{issuer}/oauth2/revoke"
    grants = set(document["grant_types_supported"])
    assert {GRANT_CLIENT_CREDENTIALS, GRANT_TOKEN_EXCHANGE} <= grants, grants
    methods = set(document["token_endpoint_auth_methods_supported"])
    assert {"client_secret_basic", "client_secret_post", "private_key_jwt"} <= methods, methods
    algorithms = set(document["id_token_signing_alg_values_supported"])
    assert {"ES256", "EdDSA", "RS256"} <= algorithms, algorithms
    assert "none" not in algorithms


def test_discovery_jwks_uri_serves_the_jwks(qm):
    """The JWKS a relying party finds through discovery is the one at /.well-known/jwks.json."""
    import requests

    by_discovery = requests.get(qm.discovery()["jwks_uri"], timeout=10)
    assert by_discovery.status_code == 200, describe(by_discovery)
    assert by_discovery.json() == qm.jwks()


def test_jwks_cache_control(qm):
    response = qm.get("/.well-known/jwks.json")
    assert response.status_code == 200, describe(response)
    cache_control = response.headers.get("Cache-Control", "")
    directives = [part.strip().lower() for part in cache_control.split(",")]
    assert "public" in directives, f"Cache-Control: {cache_control!r}"
    max_age = [d for d in directives if d.startswith("max-age=")]
    assert max_age, f"no max-age in Cache-Control: {cache_control!r}"
    assert re.fullmatch(r"max-age=\d+", max_age[0]) and int(max_age[0].split("=")[1]) > 0, cache_control
    assert response.headers.get("Content-Type", "").startswith(("application/json", "application/jwk-set+json"))


def test_jwks_holds_only_public_keys(qm):
    keys = qm.jwks()["keys"]
    assert keys, "the JWKS is empty"
    kids = [key.get("kid") for key in keys]
    assert all(kids), f"a key without kid: {keys}"
    assert len(set(kids)) == len(kids), f"duplicate kids: {kids}"
    for key in keys:
        leaked = PRIVATE_JWK_MEMBERS & set(key)
        assert not leaked, f"JWKS publishes private key members {leaked} for kid {key['kid']}"
        jwt.PyJWK(key)  # every published key is usable by PyJWT


def test_client_credentials_token_verifies_with_pyjwt(qm, issuer):
    """PyJWT's PyJWKClient finds the key through discovery; jwt.decode checks signature,
    audience, issuer, expiry and the presence of the RFC 9068 claims."""
    token = qm.client_credentials_token("gateway-service")
    jwks_client = jwt.PyJWKClient(qm.discovery()["jwks_uri"], cache_keys=False)
    signing_key = jwks_client.get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token,
        signing_key.key,
        algorithms=["ES256", "EdDSA", "RS256"],
        audience="quartermaster",
        issuer=issuer,
        options={"require": ["iss", "sub", "aud", "iat", "nbf", "exp", "jti"]},
    )
    assert claims["sub"] == "gateway-service"
    assert claims["client_id"] == qm.client_for("gateway-service").client_id


def test_access_token_header_is_rfc9068(qm):
    header = jwt.get_unverified_header(qm.client_credentials_token("gateway-service"))
    assert header.get("typ") == "at+jwt", header
    assert header.get("kid"), header
    assert header.get("alg") == "ES256", f"default signing algorithm: {header}"


def test_access_token_claims(qm, issuer):
    token = qm.client_credentials_token("gateway-service")
    _, claims, _ = split_jwt(token)
    for claim in ("iss", "sub", "aud", "iat", "nbf", "exp", "jti", "client_id"):
        assert claim in claims, f"missing {claim}: {claims}"
    assert claims["iss"] == issuer
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert audiences == ["quartermaster"], f"default audience: {claims['aud']}"
    assert claims["iat"] <= claims["nbf"] + 1 and claims["nbf"] < claims["exp"]
    assert claims["exp"] - claims["iat"] <= 15 * 60, "longer than the identity's 15m ttl"
    if "scope" in claims:
        assert isinstance(claims["scope"], str), "scope is a space-separated string (RFC 9068)"
    assert "cluster_id" not in claims or claims["cluster_id"] is None or isinstance(claims["cluster_id"], str)


def test_token_response_shape(qm):
    client = qm.client_for("gateway-service")
    response = qm.token_request({"grant_type": GRANT_CLIENT_CREDENTIALS}, auth=(client.client_id, client.client_secret))
    assert response.status_code == 200, describe(response)
    assert response.headers.get("Content-Type", "").startswith("application/json")
    assert "no-store" in response.headers.get("Cache-Control", ""), "RFC 6749 5.1: token responses are Cache-Control: no-store"
    body = response.json()
    assert body["token_type"].lower() == "bearer"
    assert isinstance(body["expires_in"], int) and 0 < body["expires_in"] <= 15 * 60
    assert "refresh_token" not in body, "client_credentials must not return a refresh token (RFC 6749 4.4.3)"


def test_every_token_has_a_fresh_jti(qm):
    jtis = {split_jwt(qm.client_credentials_token("gateway-service"))[1]["jti"] for _ in range(5)}
    assert len(jtis) == 5


def test_token_verifies_with_authlib(qm, issuer):
    """authlib's JOSE layer imports the JWKS and validates the token's claims."""
    token = qm.client_credentials_token("gateway-service")
    import requests

    key_set = JsonWebKey.import_key_set(requests.get(qm.discovery()["jwks_uri"], timeout=10).json())
    claims = JsonWebToken(["ES256", "EdDSA", "RS256"]).decode(
        token,
        key_set,
        claims_options={
            "iss": {"essential": True, "value": issuer},
            "aud": {"essential": True, "value": "quartermaster"},
            "sub": {"essential": True, "value": "gateway-service"},
            "exp": {"essential": True},
            "jti": {"essential": True},
        },
    )
    claims.validate()
    assert claims["sub"] == "gateway-service"


@pytest.mark.parametrize("audience", ["sts.amazonaws.com"])
def test_token_for_another_allowed_audience(qm, issuer, audience):
    """An audience the policy allows for the identity (token.audiences) is honoured."""
    token = qm.client_credentials_token("gateway-service", audience=audience)
    key = jwt.PyJWKClient(qm.discovery()["jwks_uri"], cache_keys=False).get_signing_key_from_jwt(token).key
    claims = jwt.decode(token, key, algorithms=["ES256", "EdDSA", "RS256"], audience=audience, issuer=issuer)
    assert claims["sub"] == "gateway-service"
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, key, algorithms=["ES256", "EdDSA", "RS256"], audience="quartermaster", issuer=issuer)
