import Foundation
import QuartermasterCore
import Testing

@Suite("Trusted attestation issuers and lease terms are read from the policy, with problems at file:line:column")
struct AttestationAndLeaseSettingsTests {
    static func document(attestation: String = "", grant: String = "") -> String {
        """
        version: 1
        \(attestation)
        identities:
          - {name: tee, kind: service, roles: [reader]}
        \(PolicyFixtures.adminIdentity)
        roles:
          - name: reader
            grants:
              - actions: [read]
                resources: [secret/llm/**]
        \(grant)
        \(PolicyFixtures.adminRole)
        """
    }

    @Test("an attestation issuer with its JWKS, audiences and measurement claim is trusted by exact issuer URL")
    func attestationIssuer() throws {
        let policy = try PolicyFixtures.policy(Self.document(attestation: """
        attestation:
          issuers:
            - issuer: https://attest.example
              jwks_uri: https://attest.example/keys
              audiences: [quartermaster, tee]
              measurement_claim: x-ms-sevsnpvm-launchmeasurement
            - issuer: http://127.0.0.1:8421
        """))
        let trusted = try #require(policy.attestationIssuer("https://attest.example"))
        #expect(trusted.jwksURI == "https://attest.example/keys")
        #expect(trusted.audiences == ["quartermaster", "tee"])
        #expect(trusted.measurementClaim == "x-ms-sevsnpvm-launchmeasurement")
        #expect(policy.attestationIssuer("http://127.0.0.1:8421")?.measurementClaim == "measurement")
        #expect(policy.attestationIssuer("https://attest.example/") == nil)
    }

    @Test("attestation problems: plain http off loopback, a duplicate issuer, an unknown key")
    func attestationProblems() {
        let problems = PolicyFixtures.problems(Self.document(attestation: """
        attestation:
          issuers:
            - issuer: http://attest.example
            - issuer: https://a.example
            - issuer: https://a.example
              measurement: m
        """))
        #expect(problems.contains { $0.hasPrefix("4:") && $0.contains("must be an absolute https URL") })
        #expect(problems.contains { $0.hasPrefix("6:") && $0.contains("duplicate attestation issuer 'https://a.example'") })
        #expect(problems.contains { $0.hasPrefix("7:") && $0.contains("measurement") })
    }

    @Test("a grant's lease terms reach the decision that grant makes")
    func leaseTermsInDecision() throws {
        let policy = try PolicyFixtures.policy(Self.document(grant: """
          - name: leased
            grants:
              - actions: [read]
                resources: [secret/db/**]
                lease: {ttl: 15m, max_ttl: 1h}
        """).replacingOccurrences(of: "roles: [reader]", with: "roles: [reader, leased]"))
        let engine = PolicyEngine(policy: policy)
        let leased = engine.decide(AuthorizationRequest(subject: "tee", action: "read", resource: "secret/db/orders"))
        #expect(leased.allowed)
        #expect(leased.grant?.lease == LeaseTerms(ttl: .seconds(900), maxTTL: .seconds(3600), renewable: true))
        let plain = engine.decide(AuthorizationRequest(subject: "tee", action: "read", resource: "secret/llm/openai"))
        #expect(plain.allowed)
        #expect(plain.grant?.lease == nil)
    }

    @Test("lease problems: max_ttl shorter than ttl, a bad duration, a lease on a deny grant, a non-boolean renewable")
    func leaseProblems() {
        let problems = PolicyFixtures.problems(Self.document(grant: """
          - name: leased
            grants:
              - actions: [read]
                resources: [secret/a/**]
                lease: {ttl: 1h, max_ttl: 15m}
              - actions: [read]
                resources: [secret/b/**]
                lease: {ttl: soon}
              - effect: deny
                actions: [read]
                resources: [secret/c/**]
                lease: {ttl: 1h}
              - actions: [read]
                resources: [secret/d/**]
                lease: {ttl: 1h, renewable: maybe}
        """))
        #expect(problems.contains { $0.contains("'max_ttl' (15m) is shorter than 'ttl' (1h)") })
        #expect(problems.contains { $0.contains("malformed duration 'soon' for 'ttl'") })
        #expect(problems.contains { $0.contains("a deny grant hands nothing out") })
        #expect(problems.contains { $0.contains("expected true or false for 'renewable'") })
    }
}
