"""POST /v1/register: an instance registers as service S only from a cluster its verified
credential proves and the policy's desired state lists; a cluster_id in the body never counts."""

import uuid

from support import assert_unauthenticated, describe


def registrations(qm) -> list[dict]:
    response = qm.get("/v1/registrations", headers=qm.admin_headers())
    assert response.status_code == 200, describe(response)
    return response.json()["registrations"]


def test_register_from_the_verified_cluster(qm):
    token = qm.kubernetes_gateway_token()
    instance = f"i-{uuid.uuid4().hex[:10]}"
    response = qm.register_instance(token, cluster_id=None, instance_id=instance)
    assert response.status_code == 201, describe(response)
    body = response.json()
    assert body["cluster_id"] == "test-k8s"
    assert body.get("service") == "gateway-service"
    assert body.get("instance_id") == instance


def test_forged_cluster_id_in_the_body_is_ignored(qm):
    """The body says cluster_id "forged"; the token says test-k8s; the token wins, in the
    answer and in what is stored."""
    token = qm.kubernetes_gateway_token()
    instance = f"i-{uuid.uuid4().hex[:10]}"
    response = qm.register_instance(token, cluster_id="forged", instance_id=instance)
    assert response.status_code == 201, describe(response)
    assert response.json()["cluster_id"] == "test-k8s", response.json()
    stored = [r for r in registrations(qm) if r.get("instance_id") == instance]
    assert len(stored) == 1, f"registration of {instance} not listed: {registrations(qm)}"
    assert stored[0]["cluster_id"] == "test-k8s" and stored[0].get("service") == "gateway-service", stored[0]
    assert "forged" not in response.text


def test_body_cluster_id_cannot_supply_a_missing_one(qm):
    """A client_credentials token proves no cluster; naming test-k8s in the body does not help."""
    token = qm.client_credentials_token("gateway-service")
    instance = f"i-{uuid.uuid4().hex[:10]}"
    response = qm.register_instance(token, cluster_id="test-k8s", instance_id=instance)
    assert response.status_code == 403, describe(response)
    assert not [r for r in registrations(qm) if r.get("instance_id") == instance], "the refused registration was stored"


def test_service_not_desired_in_the_cluster_is_refused(qm):
    """orchestrator-service is desired in other-1 only; a token from test-k8s cannot
    register it (nor can gateway-service's token register another service)."""
    token = qm.kubernetes_gateway_token()
    response = qm.register_instance(token, service="orchestrator-service", cluster_id="other-1")
    assert response.status_code == 403, describe(response)


def test_register_without_a_token_is_refused(qm):
    response = qm.post("/v1/register", json={"service": "gateway-service", "instance_id": "i-none", "cluster_id": "test-k8s"})
    assert_unauthenticated(response)


def test_register_with_a_malformed_token_is_refused(qm):
    assert_unauthenticated(qm.register_instance("not-a-jwt"))


def test_register_with_a_kubernetes_token_directly_is_refused(qm):
    """The cluster's own service-account token is for exchange, not a Quartermaster credential."""
    assert_unauthenticated(qm.register_instance(qm.k8s.token()))
