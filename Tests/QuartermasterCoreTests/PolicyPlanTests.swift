import Foundation
import Testing
import QuartermasterCore

@Suite("Plans between policies")
struct PolicyPlanTests {
    static let current = """
    version: 1
    clusters:
      - {id: prod-eu-1, environment: production}
      - {id: staging-1, environment: staging}
    identities:
      - {name: orchestrator, kind: service, clusters: [prod-eu-1], roles: [orchestrator]}
      - {name: legacy, kind: service, roles: [orchestrator]}
    \(PolicyFixtures.adminIdentity)
    roles:
      - name: orchestrator
        grants:
          - {actions: [read], resources: [secret/llm/**, secret/integrations/**]}
    \(PolicyFixtures.adminRole)
    """

    static let proposed = """
    version: 1
    clusters:
      - {id: prod-eu-1, environment: production}
      - {id: staging-1, environment: staging}
    identities:
      - {name: orchestrator, kind: service, clusters: [prod-eu-1, staging-1], roles: [orchestrator]}
      - {name: llm-runtime, kind: service, roles: [llm]}
    \(PolicyFixtures.adminIdentity)
    roles:
      - name: orchestrator
        grants:
          - actions: [read]
            resources: [secret/llm/**]
            conditions: {cluster_id: prod-eu-1}
      - name: llm
        grants:
          - {actions: [read], resources: [secret/llm/**]}
    \(PolicyFixtures.adminRole)
    """

    @Test("the plan lists, per identity, access and clusters added and removed")
    func perIdentityChanges() throws {
        let plan = PolicyPlan.between(current: try PolicyFixtures.policy(Self.current), proposed: try PolicyFixtures.policy(Self.proposed))
        #expect(plan.identitiesAdded == ["llm-runtime"])
        #expect(plan.identitiesRemoved == ["legacy"])
        #expect(plan.changes == [
            IdentityAccessChange(
                identity: "orchestrator",
                status: .changed,
                added: [AccessEntry(access: "allow read secret/llm/** [cluster_id in prod-eu-1]", role: "orchestrator")],
                removed: [
                    AccessEntry(access: "allow read secret/llm/**", role: "orchestrator"),
                    AccessEntry(access: "allow read secret/integrations/**", role: "orchestrator"),
                ],
                clustersAdded: ["staging-1"]
            ),
            IdentityAccessChange(
                identity: "llm-runtime",
                status: .added,
                added: [AccessEntry(access: "allow read secret/llm/**", role: "llm")],
                removed: []
            ),
            IdentityAccessChange(
                identity: "legacy",
                status: .removed,
                added: [],
                removed: [
                    AccessEntry(access: "allow read secret/llm/**", role: "orchestrator"),
                    AccessEntry(access: "allow read secret/integrations/**", role: "orchestrator"),
                ]
            ),
        ])
        #expect(!plan.isEmpty)
    }

    @Test("the text rendering marks added, changed and removed identities and sums up")
    func text() throws {
        let plan = PolicyPlan.between(current: try PolicyFixtures.policy(Self.current), proposed: try PolicyFixtures.policy(Self.proposed))
        #expect(plan.text == """
        ~ identity orchestrator
            + runs in cluster staging-1
            + allow read secret/llm/** [cluster_id in prod-eu-1] via role orchestrator
            - allow read secret/llm/** via role orchestrator
            - allow read secret/integrations/** via role orchestrator
        + identity llm-runtime
            + allow read secret/llm/** via role llm
        - identity legacy
            - allow read secret/llm/** via role orchestrator
            - allow read secret/integrations/** via role orchestrator

        Plan: 1 identity to add, 1 to change, 1 to remove; 2 access entries to add, 4 to remove.

        """)
    }

    @Test("identical policies give an empty plan")
    func emptyPlan() throws {
        let policy = try PolicyFixtures.policy(Self.current)
        let plan = PolicyPlan.between(current: policy, proposed: policy)
        #expect(plan.isEmpty)
        #expect(plan.text == "No changes: every identity keeps exactly its current access.\n")
    }

    @Test("a role change that leaves every identity's access as it was is no change")
    func descriptionChangesAreNoChange() throws {
        let describedRole = Self.current.replacingOccurrences(of: "  - name: orchestrator\n    grants:", with: "  - name: orchestrator\n    description: Reads integrations.\n    grants:")
        #expect(describedRole != Self.current)
        let plan = PolicyPlan.between(current: try PolicyFixtures.policy(Self.current), proposed: try PolicyFixtures.policy(describedRole))
        #expect(plan.isEmpty)
    }

    @Test("without a current policy every identity is added")
    func firstApply() throws {
        let plan = PolicyPlan.between(current: nil, proposed: try PolicyFixtures.policy(Self.current))
        #expect(plan.identitiesAdded == ["orchestrator", "legacy", "admin"])
        #expect(plan.changes.allSatisfy { $0.status == .added && $0.removed.isEmpty })
    }
}
