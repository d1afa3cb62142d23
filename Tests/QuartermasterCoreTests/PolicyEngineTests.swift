import Foundation
import Testing
import QuartermasterCore

@Suite("Policy engine decisions")
struct PolicyEngineTests {
    static let now = Date(timeIntervalSince1970: 1_771_070_400)

    /// Lines: the `reader` role's allow is at 17:9, its deny at 19:9, the conditional allow at 24:9.
    static let document = """
    version: 1
    clusters:
      - {id: prod-eu-1, environment: production}
      - {id: dev-1, environment: development}
    identities:
      - name: gateway
        kind: service
        roles: [reader, conditional]
      - name: idle
        kind: service
    \(PolicyFixtures.adminIdentity)
    roles:
      - name: reader
        grants:
          - actions: [read, list]
            resources: [secret/gateway/**]
          - effect: deny
            actions: [read]
            resources: [secret/gateway/root/**]
      - name: conditional
        grants:
          - actions: [write]
            resources: [secret/gateway/cache/*]
            conditions:
              cluster_id: [prod-eu-1]
    \(PolicyFixtures.adminRole)
    """

    static func decide(_ subject: String, _ action: String, _ resource: String, _ context: [String: String] = [:]) throws -> Decision {
        try PolicyFixtures.engine(document)
            .decide(AuthorizationRequest(subject: subject, action: action, resource: resource, context: context), now: now)
    }

    @Test("an allow grants, and names its role, grant and location")
    func allowNamesItsGrant() throws {
        let decision = try Self.decide("gateway", "read", "secret/gateway/proxy-auth/tls")
        #expect(decision.allowed)
        #expect(decision.reason == "allowed by role reader grant read,list secret/gateway/** at policy.yaml:17:9")
        #expect(decision.grant == GrantReference(
            role: "reader", effect: .allow, pattern: "secret/gateway/**", actions: ["read", "list"], location: "policy.yaml:17:9"
        ))
    }

    @Test("an explicit deny wins over an allow that also matches")
    func denyWinsOverAllow() throws {
        let decision = try Self.decide("gateway", "read", "secret/gateway/root/ca-key")
        #expect(!decision.allowed)
        #expect(decision.reason == "denied by role reader grant read secret/gateway/root/** at policy.yaml:19:9")
        #expect(decision.grant?.effect == .deny)
    }

    @Test("a deny only covers its own actions")
    func denyIsPerAction() throws {
        #expect(try Self.decide("gateway", "list", "secret/gateway/root/ca-key").allowed)
    }

    @Test("nothing matching means deny by default, with no grant")
    func defaultDeny() throws {
        let decision = try Self.decide("gateway", "delete", "secret/gateway/proxy-auth/tls")
        #expect(decision == Decision(allowed: false, reason: "no grant of identity gateway allows delete on secret/gateway/proxy-auth/tls"))
        #expect(try Self.decide("idle", "read", "secret/gateway/x").reason == "no grant of identity idle allows read on secret/gateway/x")
    }

    @Test("unknown identities, unknown actions and invalid resources are denied with the reason")
    func malformedRequests() throws {
        #expect(try Self.decide("ghost", "read", "secret/gateway/x") == Decision(allowed: false, reason: "unknown identity ghost"))
        #expect(try Self.decide("gateway", "peek", "secret/gateway/x") == Decision(allowed: false, reason: "unknown action peek"))
        #expect(try Self.decide("gateway", "*", "secret/gateway/x") == Decision(allowed: false, reason: "unknown action *"))
        #expect(try Self.decide("gateway", "read", "secret/gateway/../../sys/policy") == Decision(allowed: false, reason: "invalid resource secret/gateway/../../sys/policy"))
    }

    @Test("an allow whose conditions fail denies, and says which condition and grant")
    func conditionsNotMet() throws {
        let decision = try Self.decide("gateway", "write", "secret/gateway/cache/session", ["cluster_id": "dev-1"])
        #expect(!decision.allowed)
        #expect(decision.grant == nil)
        #expect(decision.reason == "conditions not met: cluster_id is \"dev-1\", needs one of [prod-eu-1] (role conditional grant write secret/gateway/cache/* at policy.yaml:24:9)")
        #expect(try Self.decide("gateway", "write", "secret/gateway/cache/session", ["cluster_id": "prod-eu-1"]).allowed)
    }

    @Test("`*` as a grant action covers every action")
    func anyActionGrant() throws {
        for action in ["read", "write", "delete", "rotate"] {
            #expect(try Self.decide("admin", action, "sys/policy").allowed)
        }
        #expect(try !Self.decide("admin", "read", "secret/gateway/x").allowed)
    }

    @Test("an identity holds only its own roles' grants")
    func noBorrowedRoles() throws {
        #expect(try !Self.decide("admin", "read", "secret/gateway/proxy-auth/tls").allowed)
        #expect(try !Self.decide("gateway", "write", "sys/policy").allowed)
    }

    @Test("a conditional deny applies only while its conditions hold")
    func conditionalDeny() throws {
        let engine = try PolicyFixtures.engine("""
        version: 1
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
              - effect: deny
                actions: [write]
                resources: [sys/**]
                conditions:
                  time_window: {after: "22:00", before: "06:00"}
        """)
        let night = AuthorizationRequest(subject: "admin", action: "write", resource: "sys/policy", context: ["time": "2026-02-14T23:00:00Z"])
        let day = AuthorizationRequest(subject: "admin", action: "write", resource: "sys/policy", context: ["time": "2026-02-14T10:00:00Z"])
        #expect(!engine.decide(night).allowed)
        #expect(engine.decide(day).allowed)
    }

    @Test("when several allows match, the first in document order decides")
    func firstAllowDecides() throws {
        let engine = try PolicyFixtures.engine("""
        version: 1
        identities:
          - {name: svc, kind: service, roles: [wide, narrow]}
        \(PolicyFixtures.adminIdentity)
        roles:
          - {name: narrow, grants: [{actions: [read], resources: [secret/a/b]}]}
          - {name: wide, grants: [{actions: [read], resources: [secret/**]}]}
        \(PolicyFixtures.adminRole)
        """)
        #expect(engine.decide(AuthorizationRequest(subject: "svc", action: "read", resource: "secret/a/b")).grant?.role == "narrow")
    }

    @Test("batch decisions answer each request in order")
    func batch() throws {
        let engine = try PolicyFixtures.engine(Self.document)
        let decisions = engine.decide([
            AuthorizationRequest(subject: "gateway", action: "read", resource: "secret/gateway/a"),
            AuthorizationRequest(subject: "gateway", action: "write", resource: "secret/gateway/a"),
        ], now: Self.now)
        #expect(decisions.map(\.allowed) == [true, false])
    }
}
