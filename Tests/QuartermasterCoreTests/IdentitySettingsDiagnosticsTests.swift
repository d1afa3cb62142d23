import Testing
import QuartermasterCore

@Suite("Problems in identity token, kubernetes and may_act_for settings are reported at file:line:column")
struct IdentitySettingsDiagnosticsTests {
    /// Clusters for these tests: two with a Kubernetes issuer, one without.
    static let clusters = """
    clusters:
      - {id: prod, environment: production, kubernetes: {issuer: "https://oidc.prod.example"}}
      - {id: staging, environment: staging, kubernetes: {issuer: "https://oidc.staging.example"}}
      - {id: ci, environment: ci}
    """

    /// The problems of a document made of `clusters`, the given identities (plus admin) and the admin role.
    static func problems(identities: String) -> [String] {
        PolicyFixtures.problems("""
        version: 1
        \(clusters)
        identities:
        \(identities)
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
        """)
    }

    @Test("unknown keys in token and kubernetes entries, and in the identity")
    func unknownKeys() {
        let problems = Self.problems(identities: """
          - name: orchestrator
            kind: service
            token:
              ttl: 15m
              lifetime: 1h
            kubernetes:
              - cluster: prod
                namespace: ai
                service_account: orchestrator
                serviceAccount: orchestrator
            delegates_to: [worker]
        """)
        #expect(problems == [
            "11:7: unknown key 'lifetime' in token; expected one of: ttl, audiences",
            "16:9: unknown key 'serviceAccount' in kubernetes service account; expected one of: cluster, namespace, service_account",
            "17:5: unknown key 'delegates_to' in identity; expected one of: name, kind, description, clusters, roles, token, kubernetes, may_act_for",
        ])
    }

    @Test("a ttl must be a Go-style duration greater than zero", arguments: [
        ("15", "9:18: malformed duration '15' for 'ttl'; expected a number and a unit (ns, us, ms, s, m, h) such as 30s, 15m, 1h or 1h30m"),
        ("15 minutes", "9:18: malformed duration '15 minutes' for 'ttl'; expected a number and a unit (ns, us, ms, s, m, h) such as 30s, 15m, 1h or 1h30m"),
        ("1d", "9:18: malformed duration '1d' for 'ttl'; expected a number and a unit (ns, us, ms, s, m, h) such as 30s, 15m, 1h or 1h30m"),
        ("0s", "9:18: 'ttl' must be greater than zero, found '0s'"),
        ("0", "9:18: 'ttl' must be greater than zero, found '0'"),
        ("-5m", "9:18: 'ttl' must be greater than zero, found '-5m'"),
        ("[15m]", "9:18: expected a string for 'ttl', found a list"),
    ])
    func badTTL(ttl: String, expected: String) {
        let problems = Self.problems(identities: """
          - name: orchestrator
            kind: service
            token: {ttl: \(ttl)}
        """)
        #expect(problems == [expected])
    }

    @Test("audiences: not empty, no empty entry, none twice; token must be a mapping")
    func badAudiences() {
        let problems = Self.problems(identities: """
          - name: a
            kind: service
            token: {audiences: []}
          - name: b
            kind: service
            token:
              audiences: [quartermaster, "", sts.amazonaws.com, quartermaster]
          - name: c
            kind: service
            token: [15m]
          - name: d
            kind: service
            token:
        """)
        #expect(problems == [
            "9:24: 'audiences' must list at least one entry",
            "13:34: 'audiences' must not be empty",
            "13:57: duplicate audience 'quartermaster'; first defined at policy.yaml:13:19",
            "16:12: expected a mapping for token, found a list",
            "19:11: expected a mapping for token, found null",
        ])
    }

    @Test("a kubernetes entry must name a known cluster that has a kubernetes issuer")
    func kubernetesClusters() {
        let problems = Self.problems(identities: """
          - name: orchestrator
            kind: service
            kubernetes:
              - {cluster: prod, namespace: ai, service_account: orchestrator}
              - {cluster: mars, namespace: ai, service_account: orchestrator}
              - {cluster: ci, namespace: ai, service_account: orchestrator}
        """)
        #expect(problems == [
            "11:19: kubernetes service account of identity 'orchestrator' names unknown cluster 'mars'",
            "12:19: kubernetes service account of identity 'orchestrator' names cluster 'ci', which has no kubernetes issuer",
        ])
    }

    @Test("a cluster whose issuer is malformed is not also reported as having none")
    func malformedIssuerIsReportedOnce() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - {id: prod, environment: production, kubernetes: {issuer: "http://oidc.prod.example"}}
        identities:
          - name: orchestrator
            kind: service
            kubernetes: [{cluster: prod, namespace: ai, service_account: orchestrator}]
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
        """)
        #expect(problems == [
            "3:62: 'issuer' must be an absolute https URL (http only on localhost), found 'http://oidc.prod.example'",
        ])
    }

    @Test("kubernetes entries need cluster, namespace and service_account, as Kubernetes names")
    func kubernetesEntryShape() {
        let problems = Self.problems(identities: """
          - name: orchestrator
            kind: service
            kubernetes:
              - {cluster: prod, namespace: ai}
              - {namespace: ai, service_account: orchestrator}
              - {cluster: prod, namespace: AI, service_account: orchestrator}
              - {cluster: prod, namespace: ai-, service_account: Orchestrator}
              - {cluster: prod, namespace: ai, service_account: orchestrator..v2}
              - {cluster: prod, namespace: ai, service_account: orchestrator.v2}
              - prod/ai/orchestrator
          - name: worker
            kind: service
            kubernetes: {cluster: prod, namespace: ai, service_account: worker}
        """)
        let namespaceRule = "expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"
        let nameRule = "expected lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, at most 253 characters"
        #expect(problems == [
            "10:9: missing required key 'service_account' in kubernetes service account",
            "11:9: missing required key 'cluster' in kubernetes service account",
            "12:36: malformed namespace 'AI'; \(namespaceRule)",
            "13:36: malformed namespace 'ai-'; \(namespaceRule)",
            "13:58: malformed service_account 'Orchestrator'; \(nameRule)",
            "14:57: malformed service_account 'orchestrator..v2'; \(nameRule)",
            "16:9: expected a mapping for kubernetes service account, found 'prod/ai/orchestrator'",
            "19:17: expected a list for 'kubernetes', found a mapping",
        ])
    }

    @Test("one service account mapped twice, to another identity or the same one")
    func serviceAccountMappedTwice() {
        let problems = Self.problems(identities: """
          - name: orchestrator
            kind: service
            kubernetes:
              - {cluster: prod, namespace: ai, service_account: orchestrator}
              - {cluster: staging, namespace: ai, service_account: orchestrator}
          - name: impostor
            kind: service
            kubernetes:
              - {cluster: staging, namespace: ai, service_account: impostor}
              - {cluster: prod, namespace: ai, service_account: orchestrator}
              - {cluster: staging, namespace: ai, service_account: impostor}
        """)
        #expect(problems == [
            "16:9: kubernetes service account prod/ai/orchestrator of identity 'impostor' is already mapped to identity 'orchestrator' at policy.yaml:10:9",
            "17:9: kubernetes service account staging/ai/impostor of identity 'impostor' is already mapped to identity 'impostor' at policy.yaml:15:9",
        ])
    }

    @Test("may_act_for names other, defined identities, as a list")
    func mayActFor() {
        let problems = Self.problems(identities: """
          - name: worker
            kind: service
            may_act_for: [orchestrator, worker, ghost, broken]
          - name: broken
            kind: robot
          - name: helper
            kind: service
            may_act_for: worker
        """)
        #expect(problems == [
            "9:19: may_act_for of identity 'worker' names unknown identity 'orchestrator'",
            "9:33: identity 'worker' may not act for itself",
            "9:41: may_act_for of identity 'worker' names unknown identity 'ghost'",
            "11:11: unknown identity kind 'robot'; expected one of: service, agent, ci, human",
            "14:18: expected a list for 'may_act_for', found 'worker'",
        ])
    }

    @Test("two clusters may not share a kubernetes issuer: the issuer names the cluster of a token")
    func duplicateIssuer() {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - id: prod
            environment: production
            kubernetes: {issuer: "https://oidc.example"}
          - id: prod-copy
            environment: production
            kubernetes: {issuer: "https://oidc.example"}
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
        """)
        #expect(problems == ["8:26: duplicate kubernetes issuer 'https://oidc.example'; first defined at policy.yaml:5:26"])
    }
}
