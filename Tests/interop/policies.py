"""The policy the interop harness runs with (validated by `quartermaster policy validate`)."""

from __future__ import annotations

import hashlib

# The measurement of the one TEE image allowed to decrypt the model weights, and the key
# version the weights are bound to (tee-runtime's decrypt grant on transit/model-weights).
APPROVED_MEASUREMENT = "sha256:" + hashlib.sha256(b"quartermaster interop: approved TEE image").hexdigest()
MODEL_WEIGHTS_KEY = "model-weights"
BOUND_KEY_VERSION = 3

# Reads of secret/leased/** by gateway-service are leased on these terms (seconds).
LEASE_TTL = 15 * 60
LEASE_MAX_TTL = 60 * 60


def policy_yaml(
    k8s_issuer: str,
    *,
    attestation_issuers: list[str],
    issuer_fields: bool = True,
    transit_fields: bool = True,
    extra_identities: str = "",
) -> str:
    """The test policy. `issuer_fields=False` leaves out the fields the issuer work adds;
    `transit_fields=False` leaves out what the transit, attestation and lease work adds (the
    `attestation` section, grant `lease` terms, `key_version` and `attestation_measurement`
    conditions, and the identities and roles that need them). `attestation_issuers` are the
    URLs of the attestation services to trust (each publishes `/jwks.json`); the first one
    names its audience and measurement claim, the others take the defaults."""

    def field(text: str) -> str:
        return text if issuer_fields else ""

    def transit(text: str) -> str:
        return text if transit_fields else ""

    attestation = ""
    if transit_fields and attestation_issuers:
        entries = []
        for index, url in enumerate(attestation_issuers):
            entry = f"    - issuer: {url}\n      jwks_uri: {url}/jwks.json\n"
            if index == 0:
                entry += "      audiences: [quartermaster]\n      measurement_claim: measurement\n"
            entries.append(entry)
        attestation = "attestation:\n  issuers:\n" + "".join(entries)

    return f"""\
# Written by Tests/interop/conftest.py for the interop session.
version: 1

{attestation}
clusters:
  - id: test-k8s
    environment: test
    kubernetes:
      issuer: {k8s_issuer}
      audiences: [quartermaster]
  - id: other-1
    environment: test

identities:
  - name: gateway-service
    kind: service
    description: Interop gateway; runs in test-k8s as ai/gateway.
    clusters: [test-k8s]
    roles: [gateway-proxy-keys, gateway-rate-limits{transit(', gateway-leased-secrets')}]
{field('''    token:
      ttl: 15m
      audiences: [quartermaster, sts.amazonaws.com]
    kubernetes:
      - cluster: test-k8s
        namespace: ai
        service_account: gateway
''')}
  - name: orchestrator-service
    kind: service
    description: Interop orchestrator; desired only in other-1.
    clusters: [other-1]
    roles: [orchestrator-read-secrets]
{field('''    token:
      ttl: 15m
      audiences: [quartermaster]
''')}
  - name: worker-service
    kind: service
    description: Interop worker; no standing access, acts for the orchestrator per job.
    clusters: [test-k8s]
    roles: []
{field('''    token:
      ttl: 15m
      audiences: [quartermaster]
    may_act_for: [orchestrator-service]
''')}
{transit('''  - name: tee-runtime
    kind: service
    description: Interop confidential-computing runtime; decrypts the model weights only attested.
    roles: [tee-runtime]
''')}
{extra_identities}
  - name: admin
    kind: human
    description: Interop administrator.
    roles: [admin, admin-data]

roles:
  - name: gateway-proxy-keys
    grants:
      - actions: [read]
        resources: [secret/gateway/proxy-auth/**]
  - name: gateway-rate-limits
    grants:
      - actions: [read]
        resources: [secret/gateway/rate-limits/**]
  - name: orchestrator-read-secrets
    grants:
      - actions: [read]
        resources: [secret/integrations/**, secret/llm/**]
  - name: admin
    grants:
      - actions: ["*"]
        resources: [sys/**]
  - name: admin-data
    description: Writes the secrets the tests read; manages transit keys but never decrypts the model weights.
    grants:
      - actions: ["*"]
        resources: [secret/**{transit(', transit/**')}]
{transit(f'''      - effect: deny
        actions: [decrypt]
        resources: [transit/{MODEL_WEIGHTS_KEY}]
  - name: gateway-leased-secrets
    grants:
      - actions: [read]
        resources: [secret/leased/**]
        lease: {{ttl: {LEASE_TTL // 60}m, max_ttl: {LEASE_MAX_TTL // 3600}h}}
  - name: tee-runtime
    grants:
      - actions: [decrypt]
        resources: [transit/{MODEL_WEIGHTS_KEY}]
        conditions:
          key_version: [{BOUND_KEY_VERSION}]
          attestation_measurement: [{APPROVED_MEASUREMENT}]
''')}"""


EPHEMERAL_IDENTITY = """\
  - name: ephemeral-service
    kind: service
    description: Interop identity whose tokens live three seconds (expiry tests).
    roles: []
    token:
      ttl: 3s
      audiences: [quartermaster]
"""
