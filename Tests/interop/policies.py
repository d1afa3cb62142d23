"""The policy the interop harness runs with (validated by `quartermaster policy validate`)."""

from __future__ import annotations


def policy_yaml(k8s_issuer: str, *, issuer_fields: bool = True, extra_identities: str = "") -> str:
    """The test policy. `issuer_fields=False` leaves out the fields the issuer work adds."""

    def field(text: str) -> str:
        return text if issuer_fields else ""

    return f"""\
# Written by Tests/interop/conftest.py for the interop session.
version: 1

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
    roles: [gateway-proxy-keys, gateway-rate-limits]
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
{extra_identities}
  - name: admin
    kind: human
    description: Interop administrator.
    roles: [admin]

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
"""


EPHEMERAL_IDENTITY = """\
  - name: ephemeral-service
    kind: service
    description: Interop identity whose tokens live three seconds (expiry tests).
    roles: []
    token:
      ttl: 3s
      audiences: [quartermaster]
"""
