import Testing
import QuartermasterCore

@Suite("subset_of is proven at validation")
struct SubsetProofTests {
    /// A document whose role `child` claims `subset_of: parent`, with the given grant lists.
    static func document(parent: String, child: String) -> String {
        """
        version: 1
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
          - name: parent
            grants:
        \(parent)
          - name: child
            subset_of: parent
            grants:
        \(child)
        """
    }

    @Test("a role whose grants are all covered by its parent is accepted")
    func coveredRoleIsAccepted() {
        let problems = PolicyFixtures.problems(Self.document(
            parent: """
                  - actions: [read, list]
                    resources: [secret/integrations/**, secret/llm/**]
            """,
            child: """
                  - actions: [read]
                    resources: [secret/llm/openai/*, secret/llm]
            """
        ))
        #expect(problems.isEmpty)
    }

    @Test("an allow the parent does not cover is reported at its pattern")
    func uncoveredAllow() {
        let problems = PolicyFixtures.problems(Self.document(
            parent: """
                  - actions: [read]
                    resources: [secret/llm/**]
            """,
            child: """
                  - actions: [read, write]
                    resources: [secret/llm/**, secret/**]
            """
        ))
        #expect(problems == [
            "19:21: role 'child' is not a subset of 'parent': allow write secret/llm/** is not covered by any allow grant of 'parent'",
            "19:36: role 'child' is not a subset of 'parent': allow read secret/** is not covered by any allow grant of 'parent'",
            "19:36: role 'child' is not a subset of 'parent': allow write secret/** is not covered by any allow grant of 'parent'",
        ])
    }

    @Test("`*` in the child needs `*` in the parent")
    func anyActionNeedsAnyAction() {
        let problems = PolicyFixtures.problems(Self.document(
            parent: """
                  - actions: [read, list, write]
                    resources: [secret/llm/**]
            """,
            child: """
                  - actions: ["*"]
                    resources: [secret/llm/**]
            """
        ))
        #expect(problems == [
            "19:21: role 'child' is not a subset of 'parent': allow * secret/llm/** is not covered by any allow grant of 'parent'",
        ])
    }

    @Test("the parent's conditions must be at least as loose as the child's", arguments: [
        ("cluster_id: [prod-eu-1]", "cluster_id: [prod-eu-1]", true),
        ("cluster_id: [prod-eu-1, staging-1]", "cluster_id: [prod-eu-1]", true),
        ("cluster_id: [prod-eu-1]", "cluster_id: [prod-eu-1, staging-1]", false),
        ("cluster_id: [prod-eu-1]", "environment: production", false),
        ("", "cluster_id: [prod-eu-1]", true),
        ("cluster_id: [prod-eu-1]", "", false),
        ("source_cidr: [10.0.0.0/8]", "source_cidr: [10.1.0.0/16, 10.2.3.4/32]", true),
        ("source_cidr: [10.0.0.0/16]", "source_cidr: [10.0.0.0/8]", false),
        ("source_cidr: [\"fd00::/8\"]", "source_cidr: [\"fd12::/16\"]", true),
        ("time_window: {after: \"22:00\", before: \"06:00\"}", "time_window: {after: \"23:00\", before: \"01:00\"}", true),
        ("time_window: {after: \"22:00\", before: \"06:00\"}", "time_window: {after: \"05:00\", before: \"07:00\"}", false),
        ("time_window: {after: \"08:00\", before: \"18:00\"}", "time_window: {after: \"09:00\", before: \"17:00\"}", true),
    ])
    func conditionLooseness(parentConditions: String, childConditions: String, isSubset: Bool) {
        let problems = PolicyFixtures.problems("""
        version: 1
        clusters:
          - {id: prod-eu-1, environment: production}
          - {id: staging-1, environment: staging}
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
          - name: parent
            grants:
              - {actions: [read], resources: [secret/llm/**], conditions: {\(parentConditions)}}
          - name: child
            subset_of: parent
            grants:
              - {actions: [read], resources: [secret/llm/**], conditions: {\(childConditions)}}
        """)
        #expect(problems.isEmpty == isSubset, "\(problems)")
    }

    @Test("every deny of the parent must be mirrored by a deny in the child, reported at subset_of")
    func parentDeniesMustBeMirrored() {
        let problems = PolicyFixtures.problems(Self.document(
            parent: """
                  - actions: [read]
                    resources: [secret/llm/**]
                  - effect: deny
                    actions: [read]
                    resources: [secret/llm/admin/**]
            """,
            child: """
                  - actions: [read]
                    resources: [secret/llm/**]
            """
        ))
        #expect(problems == [
            "19:16: role 'child' is not a subset of 'parent': 'parent' has deny read secret/llm/admin/** at policy.yaml:15:9 and 'child' has no deny covering it",
        ])
        let mirrored = PolicyFixtures.problems(Self.document(
            parent: """
                  - actions: [read]
                    resources: [secret/llm/**]
                  - effect: deny
                    actions: [read]
                    resources: [secret/llm/admin/**]
            """,
            child: """
                  - actions: [read]
                    resources: [secret/llm/**]
                  - effect: deny
                    actions: ["*"]
                    resources: [secret/llm/admin/**]
            """
        ))
        #expect(mirrored.isEmpty)
    }

    @Test("subset_of naming an unknown role is reported at the name")
    func unknownParent() {
        let problems = PolicyFixtures.problems("""
        version: 1
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
          - name: child
            subset_of: orchestrator
            grants: []
        """)
        #expect(problems == ["12:16: subset_of of role 'child' names unknown role 'orchestrator'"])
    }

    @Test("subset_of cycles are reported once per cycle, including a role naming itself")
    func cycles() {
        let problems = PolicyFixtures.problems("""
        version: 1
        identities:
        \(PolicyFixtures.adminIdentity)
        roles:
        \(PolicyFixtures.adminRole)
          - {name: a, subset_of: b, grants: []}
          - {name: b, subset_of: c, grants: []}
          - {name: c, subset_of: a, grants: []}
          - {name: d, subset_of: d, grants: []}
          - {name: e, subset_of: a, grants: []}
        """)
        #expect(problems == [
            "11:26: subset_of cycle: a -> b -> c -> a",
            "14:26: subset_of cycle: d -> d",
        ])
    }
}
