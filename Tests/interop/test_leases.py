"""Leases on secret reads (Vault's lease model, `/v1/leases`).

gateway-service's reads of secret/leased/** are leased for 15 minutes, renewable to at most an
hour after the read (policies.LEASE_TTL, LEASE_MAX_TTL); its reads under grants without lease
terms, and the administrator's reads, are not leased. A lease's own subject lists, renews and
revokes it; anyone else needs the policy's `list` on sys/leases, `update` / `delete` on
sys/leases/<lease id> (the administrator has `*` on sys/**). A lease taken with an access token
hangs under that token's own lease `token/<jti>`: revoking the token (RFC 7009) revokes the
lease, and so do revoking the token a token was exchanged from, or the actor token it was
delegated with.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import pytest

from policies import LEASE_MAX_TTL, LEASE_TTL
from support import TOKEN_TYPE_ACCESS_TOKEN, assert_api_error, assert_inactive, describe, split_jwt

LEASED_PATH = "leased/db/orders"  # secret/leased/db/orders: a leasing grant
UNLEASED_PATH = "gateway/proxy-auth/upstream"  # a grant without lease terms
SLACK = 5  # seconds of clock and rounding slack when comparing lease times


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def now() -> float:
    return time.time()


# --------------------------------------------------------------------------------------
# Requests


def read(qm, path: str, credential: str):
    return qm.read_secret(path, credential)


def leased_read(qm, path: str, credential: str) -> dict:
    """A read that must come with a lease; the answer body."""
    response = read(qm, path, credential)
    assert response.status_code == 200, describe(response)
    body = response.json()
    assert body.get("lease_id"), f"no lease on a read under a leasing grant: {describe(response)}"
    return body


def leases(qm, credential: str, **params) -> list[dict]:
    response = qm.get("/v1/leases", params=params, headers=qm.bearer(credential))
    assert response.status_code == 200, describe(response)
    return response.json()["data"]["leases"]


def listed(qm, credential: str, **params) -> dict:
    """Lease id -> lease, as listed."""
    return {lease["lease_id"]: lease for lease in leases(qm, credential, **params)}


def gateway_leases(qm) -> dict:
    """Every live lease of gateway-service, as the administrator sees them."""
    return listed(qm, qm.admin_token, subject="gateway-service")


def renew(qm, credential: str, lease_id: str, increment: str | None = None):
    body = {"lease_id": lease_id}
    if increment is not None:
        body["increment"] = increment
    return qm.post("/v1/leases/renew", json=body, headers=qm.bearer(credential))


def revoke(qm, credential: str, lease_id: str):
    return qm.post("/v1/leases/revoke", json={"lease_id": lease_id}, headers=qm.bearer(credential))


def revoke_token(qm, identity: str, token: str) -> None:
    """RFC 7009 revocation by the client the token was issued to."""
    client = qm.client_for(identity)
    response = qm.post("/oauth2/revoke", data={"token": token, "token_type_hint": "access_token"}, auth=(client.client_id, client.client_secret))
    assert response.status_code == 200, describe(response)


def exchanged(qm, subject_token: str, **params) -> str:
    response = qm.exchange(subject_token, TOKEN_TYPE_ACCESS_TOKEN, **params)
    assert response.status_code == 200, describe(response)
    return response.json()["access_token"]



# --------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def secret_value(qm) -> dict:
    """The leased secret and an unleased one, written by the administrator."""
    value = {"username": "orders", "password": f"pw-{uuid.uuid4().hex}"}
    qm.write_secret(LEASED_PATH, value)
    qm.write_secret(UNLEASED_PATH, {"token": f"proxy-{uuid.uuid4().hex}"})
    return value


@pytest.fixture(scope="module")
def gateway(qm) -> str:
    """gateway-service's API key: its leases hang under no token."""
    return qm.api_key("gateway-service")


@pytest.fixture(scope="module")
def orchestrator(qm) -> str:
    return qm.api_key("orchestrator-service")


@pytest.fixture
def lease(qm, secret_value, gateway) -> dict:
    """A fresh lease of gateway-service on secret/leased/db/orders, as listed."""
    lease_id = leased_read(qm, LEASED_PATH, gateway)["lease_id"]
    entry = listed(qm, gateway).get(lease_id)
    assert entry is not None, f"lease {lease_id} is not listed"
    return entry


# --------------------------------------------------------------------------------------
# Leased reads


def test_leased_read_returns_a_lease(qm, secret_value, gateway):
    started = now()
    body = leased_read(qm, LEASED_PATH, gateway)
    assert body["data"]["data"] == secret_value, body
    assert body["data"]["metadata"]["version"] >= 1, body
    assert body["lease_id"].startswith(f"secret/{LEASED_PATH}/"), f"lease id {body['lease_id']} does not name the secret"
    assert LEASE_TTL - SLACK <= body["lease_duration"] <= LEASE_TTL, f"lease_duration {body['lease_duration']}, policy ttl {LEASE_TTL}"
    assert body["renewable"] is True, body
    assert secret_value["password"] not in body["lease_id"]
    lease = listed(qm, gateway)[body["lease_id"]]
    assert abs(parse_time(lease["expire_time"]) - (started + LEASE_TTL)) <= SLACK, lease


def test_each_read_gets_its_own_lease(qm, secret_value, gateway):
    first = leased_read(qm, LEASED_PATH, gateway)["lease_id"]
    second = leased_read(qm, LEASED_PATH, gateway)["lease_id"]
    assert first != second


def test_read_under_a_grant_without_lease_terms_is_not_leased(qm, secret_value, gateway):
    response = read(qm, UNLEASED_PATH, gateway)
    assert response.status_code == 200, describe(response)
    body = response.json()
    assert body.get("lease_id") is None and body.get("lease_duration") is None, f"an unleased grant handed out a lease: {describe(response)}"


def test_administrator_read_is_not_leased(qm, secret_value):
    """The lease terms belong to the grant that allowed the read: the administrator's grant has none."""
    response = read(qm, LEASED_PATH, qm.admin_token)
    assert response.status_code == 200, describe(response)
    assert response.json().get("lease_id") is None, describe(response)


def test_refused_read_hands_out_no_lease(qm, secret_value, orchestrator):
    before = set(listed(qm, qm.admin_token, subject="orchestrator-service"))
    assert_api_error(read(qm, LEASED_PATH, orchestrator), 403)
    assert set(listed(qm, qm.admin_token, subject="orchestrator-service")) == before, "a refused read created a lease"


# --------------------------------------------------------------------------------------
# Listing


def test_own_leases_are_listed(qm, lease):
    assert lease["subject"] == "gateway-service"
    assert lease["kind"] == "secret"
    assert lease["resource"] == f"secret/{LEASED_PATH}"
    assert lease["renewable"] is True
    assert lease.get("parent_id") is None, f"a lease taken with an API key hangs under {lease['parent_id']}"
    issued = parse_time(lease["issue_time"])
    assert abs(parse_time(lease["expire_time"]) - issued - LEASE_TTL) <= SLACK, lease
    assert abs(parse_time(lease["max_expire_time"]) - issued - LEASE_MAX_TTL) <= SLACK, lease
    assert LEASE_TTL - SLACK <= lease["ttl"] <= LEASE_TTL, lease


def test_listing_by_prefix(qm, lease, gateway):
    assert lease["lease_id"] in listed(qm, gateway, prefix=f"secret/{LEASED_PATH}/")
    assert lease["lease_id"] in listed(qm, gateway, prefix="secret/leased/")
    assert lease["lease_id"] not in listed(qm, gateway, prefix="secret/leased/other/")


def test_another_identity_does_not_see_my_leases(qm, lease, orchestrator):
    assert lease["lease_id"] not in listed(qm, orchestrator)
    response = qm.get("/v1/leases", params={"subject": "gateway-service"}, headers=qm.bearer(orchestrator))
    assert_api_error(response, 403)
    assert lease["lease_id"] not in response.text


def test_administrator_lists_another_subjects_leases(qm, lease):
    assert lease["lease_id"] in gateway_leases(qm)


def test_listing_requires_authentication(qm, lease):
    response = qm.get("/v1/leases", params={"subject": "gateway-service"})
    assert_api_error(response, 401)
    assert lease["lease_id"] not in response.text


# --------------------------------------------------------------------------------------
# Renewal


def test_renew_extends_the_lease(qm, lease, gateway):
    started = now()
    response = renew(qm, gateway, lease["lease_id"], "30m")
    assert response.status_code == 200, describe(response)
    renewed = response.json()["data"]
    assert renewed["lease_id"] == lease["lease_id"]
    expires = parse_time(renewed["expire_time"])
    assert abs(expires - (started + 30 * 60)) <= SLACK, f"renewed by 30m from {started}: {renewed}"
    assert expires > parse_time(lease["expire_time"]), renewed
    assert renewed["max_expire_time"] == lease["max_expire_time"], "renewal moved the maximum"
    assert listed(qm, gateway)[lease["lease_id"]]["expire_time"] == renewed["expire_time"]


def test_renew_never_passes_max_ttl(qm, lease, gateway):
    response = renew(qm, gateway, lease["lease_id"], "2h")
    assert response.status_code == 200, describe(response)
    renewed = response.json()["data"]
    assert renewed["expire_time"] == lease["max_expire_time"], f"a 2h renewal is capped at max_expire_time: {renewed}"
    assert renewed["ttl"] <= LEASE_MAX_TTL, renewed


def test_renew_without_increment_uses_the_original_ttl(qm, lease, gateway):
    """No increment: the lease's original TTL (15m) from now, also after an earlier renewal
    made it longer."""
    assert renew(qm, gateway, lease["lease_id"], "30m").status_code == 200
    started = now()
    response = renew(qm, gateway, lease["lease_id"])
    assert response.status_code == 200, describe(response)
    expires = parse_time(response.json()["data"]["expire_time"])
    assert abs(expires - (started + LEASE_TTL)) <= SLACK, (
        f"renewal without increment: expected expire_time about now + {LEASE_TTL} s, got now + {expires - started:.0f} s: {describe(response)}"
    )


@pytest.mark.parametrize("increment", ["soon", "0s", "-5m", "15"])
def test_malformed_increment_is_refused(qm, lease, gateway, increment):
    assert_api_error(renew(qm, gateway, lease["lease_id"], increment), 400)
    assert listed(qm, gateway)[lease["lease_id"]]["expire_time"] == lease["expire_time"], "a refused renewal changed the lease"


# --------------------------------------------------------------------------------------
# Revocation by the subject, by others, by the administrator


def test_owner_revokes_a_lease(qm, lease, gateway):
    response = revoke(qm, gateway, lease["lease_id"])
    assert response.status_code == 200, describe(response)
    assert response.json()["data"]["revoked"] == [lease["lease_id"]], describe(response)
    assert lease["lease_id"] not in listed(qm, gateway)
    assert lease["lease_id"] not in gateway_leases(qm)
    again = renew(qm, gateway, lease["lease_id"], "10m")
    assert again.status_code in (403, 404), f"a revoked lease was renewed: {describe(again)}"


def test_another_identity_cannot_renew_or_revoke(qm, lease, gateway, orchestrator):
    assert_api_error(renew(qm, orchestrator, lease["lease_id"], "1h"), 403)
    assert_api_error(revoke(qm, orchestrator, lease["lease_id"]), 403)
    after = listed(qm, gateway).get(lease["lease_id"])
    assert after is not None, "another identity revoked gateway-service's lease"
    assert after["expire_time"] == lease["expire_time"], "another identity renewed gateway-service's lease"


def test_unknown_lease_looks_like_anothers_lease(qm, gateway):
    """Lease ids cannot be probed: renewing an id that does not exist is refused exactly like
    renewing another identity's lease."""
    assert_api_error(renew(qm, gateway, f"secret/leased/db/orders/{uuid.uuid4().hex[:24]}"), 403)


def test_administrator_renews_and_revokes_any_lease(qm, lease, gateway):
    renewed = renew(qm, qm.admin_token, lease["lease_id"], "20m")
    assert renewed.status_code == 200, describe(renewed)
    revoked = revoke(qm, qm.admin_token, lease["lease_id"])
    assert revoked.status_code == 200, describe(revoked)
    assert revoked.json()["data"]["revoked"] == [lease["lease_id"]]
    assert lease["lease_id"] not in listed(qm, gateway)
    assert_api_error(renew(qm, qm.admin_token, lease["lease_id"]), 404)


@pytest.mark.parametrize("lease_id", ["", "../secret", "secret//x", "secret/./x"])
def test_malformed_lease_id_is_a_bad_request(qm, gateway, lease_id):
    assert_api_error(revoke(qm, gateway, lease_id), 400)


def test_revoke_prefix_by_administrator(qm, secret_value, gateway):
    batch = f"leased/batch-{uuid.uuid4().hex[:8]}"
    qm.write_secret(f"{batch}/a", {"n": "1"})
    qm.write_secret(f"{batch}/b", {"n": "2"})
    taken = sorted(leased_read(qm, path, gateway)["lease_id"] for path in (f"{batch}/a", f"{batch}/a", f"{batch}/b"))
    bystander = leased_read(qm, LEASED_PATH, gateway)["lease_id"]

    refused = qm.post("/v1/leases/revoke-prefix", json={"prefix": f"secret/{batch}/"}, headers=qm.bearer(gateway))
    assert_api_error(refused, 403)
    assert set(taken) <= set(listed(qm, gateway)), "a refused revoke-prefix revoked leases"

    response = qm.post("/v1/leases/revoke-prefix", json={"prefix": f"secret/{batch}/"}, headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    assert sorted(response.json()["data"]["revoked"]) == taken, describe(response)
    remaining = listed(qm, gateway)
    assert not set(taken) & set(remaining), "revoked leases are still listed"
    assert bystander in remaining, "revoke-prefix revoked a lease outside the prefix"


# --------------------------------------------------------------------------------------
# Leases under access tokens


def test_lease_taken_with_an_access_token_hangs_under_the_token(qm, secret_value):
    token = qm.client_credentials_token("gateway-service")
    claims = split_jwt(token)[1]
    body = leased_read(qm, LEASED_PATH, token)
    assert body["lease_duration"] <= claims["exp"] - claims["iat"], "the lease outlives the token it was taken with"
    mine = listed(qm, token)
    token_lease = f"token/{claims['jti']}"
    assert mine[body["lease_id"]]["parent_id"] == token_lease, mine[body["lease_id"]]
    assert token_lease in mine, f"the token's own lease is not listed: {sorted(mine)}"
    assert mine[token_lease]["kind"] == "token" and mine[token_lease]["renewable"] is False, mine[token_lease]
    assert parse_time(mine[body["lease_id"]]["max_expire_time"]) <= claims["exp"], "the lease may be renewed past the token's exp"


def test_revoking_the_access_token_revokes_its_leases(qm, secret_value, gateway):
    token = qm.client_credentials_token("gateway-service")
    jti = split_jwt(token)[1]["jti"]
    taken = [leased_read(qm, LEASED_PATH, token)["lease_id"] for _ in range(2)]
    unrelated = leased_read(qm, LEASED_PATH, gateway)["lease_id"]
    assert set(taken) | {f"token/{jti}"} <= set(gateway_leases(qm))

    revoke_token(qm, "gateway-service", token)

    assert_inactive(qm.introspect(token))
    assert_api_error(read(qm, LEASED_PATH, token), 401)
    remaining = gateway_leases(qm)
    assert not (set(taken) | {f"token/{jti}"}) & set(remaining), f"leases of the revoked token are still live: {sorted(remaining)}"
    assert unrelated in remaining, "revoking a token revoked a lease it was not used for"
    assert_api_error(renew(qm, qm.admin_token, taken[0]), 404)


def test_revoking_the_token_lease_revokes_the_token(qm, secret_value):
    """The other direction: revoking the lease token/<jti> revokes the token itself."""
    token = qm.client_credentials_token("gateway-service")
    jti = split_jwt(token)[1]["jti"]
    taken = leased_read(qm, LEASED_PATH, token)["lease_id"]
    response = revoke(qm, qm.admin_token, f"token/{jti}")
    assert response.status_code == 200, describe(response)
    assert sorted(response.json()["data"]["revoked"]) == sorted([f"token/{jti}", taken]), describe(response)
    assert_inactive(qm.introspect(token))


def test_exchanged_token_is_leased_under_its_subject_token(qm, secret_value):
    """Down-scoping exchange: the new token's lease hangs under the subject token's lease, so
    revoking the subject token revokes the exchanged token and what was leased with it."""
    original = qm.client_credentials_token("gateway-service")
    original_jti = split_jwt(original)[1]["jti"]
    first = leased_read(qm, LEASED_PATH, original)["lease_id"]  # gives the original token its lease

    derived = exchanged(qm, original)
    derived_jti = split_jwt(derived)[1]["jti"]
    derived_lease = gateway_leases(qm).get(f"token/{derived_jti}")
    assert derived_lease is not None, f"the exchanged token has no lease token/{derived_jti}"
    assert derived_lease["parent_id"] == f"token/{original_jti}", derived_lease
    second = leased_read(qm, LEASED_PATH, derived)["lease_id"]
    assert gateway_leases(qm)[second]["parent_id"] == f"token/{derived_jti}"

    revoke_token(qm, "gateway-service", original)

    assert_inactive(qm.introspect(original))
    assert_inactive(qm.introspect(derived))
    remaining = gateway_leases(qm)
    gone = {first, second, f"token/{original_jti}", f"token/{derived_jti}"}
    assert not gone & set(remaining), f"still live after revoking the original token: {sorted(gone & set(remaining))}"


def test_delegated_token_is_leased_under_the_actor_token(qm):
    """Delegation: worker-service acts for orchestrator-service with an actor token that is
    itself leased (obtained by exchange); revoking the actor token revokes the delegated one."""
    actor = exchanged(qm, qm.client_credentials_token("worker-service"))
    actor_jti = split_jwt(actor)[1]["jti"]
    subject = qm.client_credentials_token("orchestrator-service")
    delegated = exchanged(qm, subject, actor_token=actor, actor_token_type=TOKEN_TYPE_ACCESS_TOKEN)
    claims = split_jwt(delegated)[1]
    assert claims.get("act") == {"sub": "worker-service"}, claims

    entry = listed(qm, qm.admin_token, subject="orchestrator-service", prefix=f"token/{claims['jti']}").get(f"token/{claims['jti']}")
    assert entry is not None, f"the delegated token has no lease token/{claims['jti']}"
    assert entry["parent_id"] == f"token/{actor_jti}", entry

    revoke_token(qm, "worker-service", actor)

    assert_inactive(qm.introspect(delegated))
    assert f"token/{claims['jti']}" not in listed(qm, qm.admin_token, subject="orchestrator-service")
