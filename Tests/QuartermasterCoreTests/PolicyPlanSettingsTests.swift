import Foundation
import Testing
import QuartermasterCore

@Suite("Plans show changes to Kubernetes service accounts, delegation and token settings")
struct PolicyPlanSettingsTests {
    static let clusters = """
    clusters:
      - {id: prod-eu-1, environment: production, kubernetes: {issuer: "https://oidc.prod-eu-1.example"}}
      - {id: staging-1, environment: staging, kubernetes: {issuer: "https://oidc.staging-1.example"}}
    """

    static let current = """
    version: 1
    \(clusters)
    identities:
      - name: orchestrator
        kind: service
        kubernetes: [{cluster: prod-eu-1, namespace: ai, service_account: orchestrator}]
        token: {ttl: 15m, audiences: [quartermaster, sts.amazonaws.com]}
      - {name: worker, kind: service, may_act_for: [orchestrator], token: {ttl: 15m}}
      - {name: gateway, kind: service, token: {ttl: 10m}}
      - name: legacy
        kind: service
        kubernetes: [{cluster: prod-eu-1, namespace: ai, service_account: legacy}]
        token: {ttl: 1h, audiences: [legacy-api]}
    \(PolicyFixtures.adminIdentity)
    roles:
    \(PolicyFixtures.adminRole)
    """

    static let proposed = """
    version: 1
    \(clusters)
    identities:
      - name: orchestrator
        kind: service
        kubernetes: [{cluster: prod-eu-1, namespace: agents, service_account: orchestrator}]
        token: {ttl: 5m}
      - {name: worker, kind: service, may_act_for: [gateway], token: {ttl: 15m}}
      - {name: gateway, kind: service}
      - name: batch
        kind: service
        kubernetes: [{cluster: staging-1, namespace: jobs, service_account: batch}]
        may_act_for: [orchestrator]
        token: {ttl: 30s, audiences: [quartermaster, sts.amazonaws.com]}
      - {name: plain, kind: service}
    \(PolicyFixtures.adminIdentity)
    roles:
    \(PolicyFixtures.adminRole)
    """

    @Test("each identity lists its setting changes, in a fixed order")
    func settingChanges() throws {
        let plan = PolicyPlan.between(current: try PolicyFixtures.policy(Self.current), proposed: try PolicyFixtures.policy(Self.proposed))
        let settings = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.identity, $0.settings.map(\.description)) })
        #expect(settings["orchestrator"] == [
            "+ kubernetes prod-eu-1/agents/orchestrator",
            "- kubernetes prod-eu-1/ai/orchestrator",
            "~ token ttl 15m -> 5m",
            "- token audience sts.amazonaws.com",
        ])
        #expect(settings["worker"] == ["+ may act for gateway", "- may act for orchestrator"])
        #expect(settings["gateway"] == ["~ token ttl 10m -> default"])
        #expect(settings["batch"] == [
            "+ kubernetes staging-1/jobs/batch",
            "+ may act for orchestrator",
            "+ token ttl 30s",
            "+ token audience quartermaster",
            "+ token audience sts.amazonaws.com",
        ])
        #expect(settings["plain"] == [])
        #expect(settings["legacy"] == ["- kubernetes prod-eu-1/ai/legacy", "- token ttl 1h", "- token audience legacy-api"])
        #expect(plan.changes.first { $0.identity == "orchestrator" }?.settings[2] == IdentitySettingChange(
            status: .changed, setting: .tokenTTL, value: "5m", previous: "15m"
        ))
    }

    @Test("the text rendering shows settings after clusters and before access")
    func text() throws {
        let plan = PolicyPlan.between(current: try PolicyFixtures.policy(Self.current), proposed: try PolicyFixtures.policy(Self.proposed))
        #expect(plan.text == """
        ~ identity orchestrator
            + kubernetes prod-eu-1/agents/orchestrator
            - kubernetes prod-eu-1/ai/orchestrator
            ~ token ttl 15m -> 5m
            - token audience sts.amazonaws.com
        ~ identity worker
            + may act for gateway
            - may act for orchestrator
        ~ identity gateway
            ~ token ttl 10m -> default
        + identity batch
            + kubernetes staging-1/jobs/batch
            + may act for orchestrator
            + token ttl 30s
            + token audience quartermaster
            + token audience sts.amazonaws.com
        + identity plain
        - identity legacy
            - kubernetes prod-eu-1/ai/legacy
            - token ttl 1h
            - token audience legacy-api

        Plan: 2 identities to add, 3 to change, 1 to remove; 0 access entries to add, 0 to remove.

        """)
    }

    @Test("a token setting change alone makes a plan; the same value written differently does not")
    func tokenOnlyChange() throws {
        let base = "version: 1\nidentities:\n  - {name: svc, kind: service, token: {ttl: 1h}}\n\(PolicyFixtures.adminIdentity)\nroles:\n\(PolicyFixtures.adminRole)\n"
        let current = try PolicyFixtures.policy(base)
        let sameTTL = try PolicyFixtures.policy(base.replacingOccurrences(of: "ttl: 1h", with: "ttl: 60m"))
        #expect(PolicyPlan.between(current: current, proposed: sameTTL).isEmpty)
        let explicitDefault = try PolicyFixtures.policy(base.replacingOccurrences(of: "{ttl: 1h}", with: "{ttl: 1h, audiences: [quartermaster]}"))
        #expect(PolicyPlan.between(current: current, proposed: explicitDefault).isEmpty)
        let wider = try PolicyFixtures.policy(base.replacingOccurrences(of: "{ttl: 1h}", with: "{ttl: 1h, audiences: [quartermaster, aud2]}"))
        let plan = PolicyPlan.between(current: current, proposed: wider)
        #expect(plan.changes.map(\.identity) == ["svc"])
        #expect(plan.changes.first?.settings == [IdentitySettingChange(status: .added, setting: .tokenAudience, value: "aud2")])
    }

    @Test("setting changes survive a JSON round trip, as the CLI receives plans")
    func coding() throws {
        let plan = PolicyPlan.between(current: try PolicyFixtures.policy(Self.current), proposed: try PolicyFixtures.policy(Self.proposed))
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(PolicyPlan.self, from: data) == plan)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""setting":"token_ttl""#))
    }
}
