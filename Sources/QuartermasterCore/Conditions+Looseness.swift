extension Conditions {
    /// Whether these conditions hold whenever `other` holds: every key here is present in
    /// `other`, and accepts at least what `other` accepts there (a superset of values, networks
    /// containing `other`'s networks, a window containing `other`'s window).
    public func isAtLeastAsLoose(as other: Conditions) -> Bool {
        ConditionKey.allCases.allSatisfy { key in
            guard isPresent(key) else { return true }
            guard other.isPresent(key) else { return false }
            switch key {
            case .timeWindow:
                guard let mine = timeWindow, let theirs = other.timeWindow else { return false }
                return mine.contains(theirs)
            case .sourceCIDR:
                let mine = sourceCIDRs ?? [], theirs = other.sourceCIDRs ?? []
                return theirs.allSatisfy { block in mine.contains { $0.contains(block) } }
            default:
                return Set(other.acceptedValues(key) ?? []).isSubset(of: acceptedValues(key) ?? [])
            }
        }
    }
}
