"""The interop policy itself: the identity fields of the issuer work and the fields of the
transit work must be accepted."""


def test_policy_with_issuer_fields_validates(qm):
    """`token: {ttl, audiences}`, `kubernetes: [{cluster, namespace, service_account}]` and
    `may_act_for` are part of the policy format; `quartermaster policy validate` accepts the
    harness's policy that uses them (otherwise the server runs a reduced policy and this fails)."""
    assert qm.full_policy_problem is None, (
        "quartermaster policy validate refused the interop policy's issuer fields "
        "(token, kubernetes, may_act_for):\n" + qm.full_policy_problem
    )


def test_policy_with_transit_fields_validates(qm):
    """The top-level `attestation` section, a grant's `lease` terms and the `key_version` and
    `attestation_measurement` conditions are part of the policy format; the validator accepts
    the harness's policy that uses them (otherwise the server runs without them and this fails)."""
    assert qm.transit_policy_problem is None, (
        "quartermaster policy validate refused the interop policy's transit fields "
        "(attestation, lease, key_version, attestation_measurement):\n" + qm.transit_policy_problem
    )


def test_server_is_healthy(qm):
    response = qm.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
