"""RFC 6749 section 5.2 error answers at the token endpoint: the right code and status,
JSON, and nothing internal."""

import base64

from support import (
    GRANT_TOKEN_EXCHANGE,
    TOKEN_TYPE_JWT,
    assert_no_stack_trace,
    assert_oauth_error,
    describe,
)


def test_unknown_grant_type(qm):
    response = qm.token_request({"grant_type": "urn:example:made-up"})
    assert_oauth_error(response, 400, "unsupported_grant_type")


def test_unknown_grant_type_with_valid_client(qm):
    client = qm.client_for("gateway-service")
    response = qm.token_request({"grant_type": "password", "username": "u", "password": "p"}, auth=(client.client_id, client.client_secret))
    assert_oauth_error(response, 400, "unsupported_grant_type")


def test_missing_grant_type(qm):
    client = qm.client_for("gateway-service")
    response = qm.token_request({}, auth=(client.client_id, client.client_secret))
    assert_oauth_error(response, 400, "invalid_request")


def test_bad_client_secret_basic(qm):
    client = qm.client_for("gateway-service")
    response = qm.token_request({"grant_type": "client_credentials"}, auth=(client.client_id, client.client_secret + "x"))
    assert_oauth_error(response, 401, "invalid_client")
    assert client.client_secret not in response.text
    # RFC 6749 5.2: a 401 to a client that used the Authorization header carries WWW-Authenticate.
    assert response.headers.get("WWW-Authenticate", "").lower().startswith("basic"), response.headers


def test_bad_client_secret_post(qm):
    client = qm.client_for("gateway-service")
    response = qm.token_request(
        {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret[:-1]}
    )
    assert_oauth_error(response, 401, "invalid_client")


def test_unknown_client(qm):
    response = qm.token_request({"grant_type": "client_credentials"}, auth=("no-such-client", "whatever"))
    assert_oauth_error(response, 401, "invalid_client")


def test_client_credentials_without_client_authentication(qm):
    response = qm.token_request({"grant_type": "client_credentials"})
    assert response.status_code in (400, 401), describe(response)
    assert_oauth_error(response, response.status_code, "invalid_client")


def test_two_client_authentication_methods_at_once(qm):
    """RFC 6749 2.3: a client MUST NOT use more than one authentication method per request."""
    client = qm.client_for("gateway-service")
    response = qm.token_request(
        {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret},
        auth=(client.client_id, client.client_secret),
    )
    assert response.status_code in (400, 401), describe(response)
    assert_oauth_error(response, response.status_code, "invalid_request", "invalid_client")


def test_malformed_basic_header(qm):
    response = qm.token_request({"grant_type": "client_credentials"}, headers={"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()})
    if response.status_code == 400:
        assert_oauth_error(response, 400, "invalid_request")
    else:
        assert_oauth_error(response, 401, "invalid_client")


def test_json_body_instead_of_form(qm):
    client = qm.client_for("gateway-service")
    response = qm.post("/oauth2/token", json={"grant_type": "client_credentials"}, auth=(client.client_id, client.client_secret))
    assert_oauth_error(response, 400, "invalid_request")


def test_get_on_the_token_endpoint(qm):
    assert qm.token_request({}).status_code != 404, "POST /oauth2/token does not exist"
    response = qm.get("/oauth2/token", params={"grant_type": "client_credentials"})
    assert response.status_code in (400, 404, 405), describe(response)
    assert_no_stack_trace(response)


def test_token_exchange_without_subject_token(qm):
    response = qm.token_request({"grant_type": GRANT_TOKEN_EXCHANGE, "subject_token_type": TOKEN_TYPE_JWT})
    assert_oauth_error(response, 400, "invalid_request")


def test_token_exchange_with_unsupported_subject_token_type(qm):
    response = qm.token_request(
        {"grant_type": GRANT_TOKEN_EXCHANGE, "subject_token": qm.k8s.token(), "subject_token_type": "urn:example:saml-ish"}
    )
    assert_oauth_error(response, 400, "invalid_request")


def test_repeated_parameter(qm):
    """RFC 6749 3.2: request parameters MUST NOT be included more than once."""
    client = qm.client_for("gateway-service")
    response = qm.post(
        "/oauth2/token",
        data=[("grant_type", "client_credentials"), ("grant_type", "client_credentials"), ("scope", "a"), ("scope", "b")],
        auth=(client.client_id, client.client_secret),
    )
    assert_oauth_error(response, 400, "invalid_request")


def test_binary_garbage_body(qm):
    response = qm.post("/oauth2/token", data=bytes(range(256)) * 4, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code in (400, 401), describe(response)
    assert_no_stack_trace(response)
    assert response.json().get("error") in ("invalid_request", "invalid_client", "unsupported_grant_type")


def test_client_registration_requires_admin(qm):
    response = qm.post("/v1/clients", json={"identity": "gateway-service"})
    assert response.status_code == 401, describe(response)
    token = qm.client_credentials_token("gateway-service")
    response = qm.post("/v1/clients", json={"identity": "gateway-service"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (401, 403), describe(response)


def test_client_registration_for_an_unknown_identity(qm):
    qm.client_for("gateway-service")  # the route exists and works for a known identity
    response = qm.post("/v1/clients", json={"identity": "no-such-service"}, headers=qm.admin_headers())
    assert 400 <= response.status_code < 500 and response.status_code not in (401, 403), describe(response)
    assert_no_stack_trace(response)
