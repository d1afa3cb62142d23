import Foundation
import Testing
import QuartermasterCore

@Suite("The compiled index answers like a scan over every grant")
struct IndexEquivalenceTests {
    static let segments = ["a", "b", "c", "llm"]
    static let actions = ["read", "write", "list"]
    static let clusters = ["c1", "c2"]
    static let location = SourceLocation(file: "random.yaml", line: 1, column: 1)

    @Test("random policies and random paths get the same decision and deciding grant", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func indexMatchesNaiveScan(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let policy = try Self.randomPolicy(using: &random)
        let engine = PolicyEngine(policy: policy)
        var answers: Set<Bool> = []
        for _ in 0..<2_000 {
            let request = Self.randomRequest(in: policy, using: &random)
            let decision = engine.decide(request)
            answers.insert(decision.allowed)
            let expected = Self.naiveDecision(for: request, in: policy)
            #expect(decision.allowed == expected.allowed, "\(request)")
            #expect(decision.grant?.role == expected.grant?.role, "\(request)")
            #expect(decision.grant?.pattern == expected.grant?.pattern, "\(request)")
            #expect(decision.grant?.location == expected.grant?.location, "\(request)")
        }
        #expect(answers == [true, false], "the generated requests must exercise both answers")
    }

    /// The reference semantics: the first applicable deny in document order, else the first
    /// applicable allow, else deny.
    static func naiveDecision(for request: AuthorizationRequest, in policy: Policy) -> (allowed: Bool, grant: GrantReference?) {
        guard let identity = policy.identity(named: request.subject) else { return (false, nil) }
        let roles = policy.roles.filter { identity.roles.contains($0.name) }
        var firstAllow: GrantReference?
        for role in roles {
            for grant in role.grants where grant.covers(action: request.action) && grant.conditions.holds(in: request.context, now: Date()) {
                for pattern in grant.resources where pattern.matches(request.resource) {
                    let reference = GrantReference(
                        role: role.name, effect: grant.effect, pattern: pattern.text, actions: grant.actions, location: grant.location.description
                    )
                    if grant.effect == .deny { return (false, reference) }
                    if firstAllow == nil { firstAllow = reference }
                }
            }
        }
        return (firstAllow != nil, firstAllow)
    }

    static func randomPolicy(using random: inout SeededGenerator) throws -> Policy {
        var line = 0
        let roles = try (0..<8).map { roleNumber in
            let grants = try (0..<Int.random(in: 1...12, using: &random)).map { _ in
                line += 1
                let patterns = try (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    try ResourcePattern(randomPattern(using: &random))
                }
                let actions = Bool.random(using: &random) && Bool.random(using: &random)
                    ? ["*"]
                    : Array(Set((0..<Int.random(in: 1...2, using: &random)).map { _ in Self.actions.randomElement(using: &random)! })).sorted()
                return Grant(
                    effect: Int.random(in: 0..<5, using: &random) == 0 ? .deny : .allow,
                    actions: actions,
                    resources: patterns,
                    conditions: Bool.random(using: &random) ? Conditions() : Conditions(clusterIDs: [clusters.randomElement(using: &random)!]),
                    location: SourceLocation(file: "random.yaml", line: line, column: 9)
                )
            }
            return Role(name: "r\(roleNumber)", grants: grants, location: location)
        }
        let identities = (0..<5).map { number in
            Identity(
                name: "i\(number)",
                kind: .service,
                roles: roles.map(\.name).filter { _ in Int.random(in: 0..<3, using: &random) == 0 },
                location: location
            )
        }
        return Policy(clusters: [], identities: identities, roles: roles, sourceName: "random.yaml")
    }

    static func randomPattern(using random: inout SeededGenerator) -> String {
        let depth = Int.random(in: 0...4, using: &random)
        let tail = (0..<depth).map { _ -> String in
            switch Int.random(in: 0..<6, using: &random) {
            case 0: "*"
            case 1: "**"
            default: segments.randomElement(using: &random)!
            }
        }
        return (["secret"] + tail).joined(separator: "/")
    }

    static func randomRequest(in policy: Policy, using random: inout SeededGenerator) -> AuthorizationRequest {
        let depth = Int.random(in: 0...5, using: &random)
        let path = (["secret"] + (0..<depth).map { _ in segments.randomElement(using: &random)! }).joined(separator: "/")
        let context = Bool.random(using: &random) ? [:] : ["cluster_id": clusters.randomElement(using: &random)!]
        return AuthorizationRequest(
            subject: policy.identities.randomElement(using: &random)!.name,
            action: actions.randomElement(using: &random)!,
            resource: path,
            context: context
        )
    }
}
