import Foundation

/// Collects the grants matching one request: the first applicable deny, the first applicable
/// allow, and the first allow whose conditions failed. "First" is in policy order, so answers
/// do not depend on how the index is walked.
struct GrantMatches: ResourceTrieVisitor {
    private let grants: [CompiledGrant]
    private let context: [String: String]
    private let now: Date
    private(set) var deny: Int?
    private(set) var allow: Int?
    private(set) var unmetAllow: Int?

    init(grants: [CompiledGrant], context: [String: String], now: Date) {
        self.grants = grants
        self.context = context
        self.now = now
    }

    mutating func visit(grant index: Int) {
        let grant = grants[index]
        switch grant.effect {
        case .deny:
            guard deny.map({ index < $0 }) ?? true, holds(grant) else { return }
            deny = index
        case .allow:
            guard allow.map({ index < $0 }) ?? true else { return }
            if holds(grant) {
                allow = index
            } else if unmetAllow.map({ index < $0 }) ?? true {
                unmetAllow = index
            }
        }
    }

    private func holds(_ grant: CompiledGrant) -> Bool {
        !grant.isConditional || grant.conditions.firstUnmetKey(in: context, now: now) == nil
    }
}
