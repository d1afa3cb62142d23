import Foundation
import QuartermasterCore

/// Small helpers for tests that write policies inline as YAML.
enum PolicyFixtures {
    /// The file name diagnostics carry in these tests.
    static let sourceName = "policy.yaml"

    /// Roles and identities that keep a policy from locking out administrators; append after
    /// the test's own lists (they continue the `identities:` and `roles:` sequences).
    static let adminIdentity = """
      - name: admin
        kind: human
        roles: [admin]
    """

    /// The role granting `admin` everything under `sys/`.
    static let adminRole = """
      - name: admin
        grants:
          - actions: ["*"]
            resources: [sys/**]
    """

    /// Parses a document that must be valid.
    static func policy(_ yaml: String) throws -> Policy {
        try PolicyParser.parse(yaml: yaml, sourceName: sourceName)
    }

    /// The problems of a document that must be invalid, as `line:column: message`.
    static func problems(_ yaml: String) -> [String] {
        do throws(PolicyErrors) {
            _ = try PolicyParser.parse(yaml: yaml, sourceName: sourceName)
            return []
        } catch {
            return error.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        }
    }

    /// An engine over a document that must be valid.
    static func engine(_ yaml: String) throws -> PolicyEngine {
        PolicyEngine(policy: try policy(yaml))
    }
}
