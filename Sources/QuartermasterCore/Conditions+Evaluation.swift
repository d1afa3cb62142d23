import Foundation

extension Conditions {
    /// Whether every present condition holds for the request context at `now`
    /// (`now` stands in when the context has no `time`).
    public func holds(in context: [String: String], now: Date) -> Bool {
        firstUnmetKey(in: context, now: now) == nil
    }

    /// A sentence naming the first condition that fails, such as
    /// `cluster_id is "dev-1", needs one of [prod-eu-1]`; `nil` when all hold.
    public func unmetDescription(in context: [String: String], now: Date) -> String? {
        firstUnmetKey(in: context, now: now).map { describeUnmet($0, in: context, now: now) }
    }

    /// The first present key whose condition fails, checked in `ConditionKey` order without allocating.
    func firstUnmetKey(in context: [String: String], now: Date) -> ConditionKey? {
        if let clusterIDs, !Self.accepts(clusterIDs, context[ConditionKey.clusterID.contextKey]) { return .clusterID }
        if let environments, !Self.accepts(environments, context[ConditionKey.environment.contextKey]) { return .environment }
        if let namespaces, !Self.accepts(namespaces, context[ConditionKey.namespace.contextKey]) { return .namespace }
        if let timeWindow, !Self.accepts(timeWindow, context[ConditionKey.timeWindow.contextKey], now: now) { return .timeWindow }
        if let sourceCIDRs, !Self.accepts(sourceCIDRs, context[ConditionKey.sourceCIDR.contextKey]) { return .sourceCIDR }
        if let attestationMeasurements,
           !Self.accepts(attestationMeasurements, context[ConditionKey.attestationMeasurement.contextKey]) {
            return .attestationMeasurement
        }
        if let keyVersions, !Self.accepts(keyVersions, context[ConditionKey.keyVersion.contextKey]) { return .keyVersion }
        return nil
    }

    private static func accepts(_ accepted: [String], _ value: String?) -> Bool {
        guard let value else { return false }
        return accepted.contains(value)
    }

    private static func accepts(_ window: TimeWindow, _ time: String?, now: Date) -> Bool {
        let second = if let time { UTCClock.secondOfDay(rfc3339: time) } else { UTCClock.secondOfDay(of: now) }
        guard let second else { return false }
        return window.contains(secondOfDay: second)
    }

    private static func accepts(_ blocks: [CIDRBlock], _ address: String?) -> Bool {
        guard let address, let parsed = IPAddress(address) else { return false }
        return blocks.contains { $0.contains(parsed) }
    }

    private func describeUnmet(_ key: ConditionKey, in context: [String: String], now: Date) -> String {
        let name = key.contextKey
        let value = context[name]
        let shown = value.map { "\"\($0)\"" } ?? "missing"
        switch key {
        case .timeWindow:
            let needs = "needs \(timeWindow?.description ?? "")"
            guard let value else { return "time is \(UTCClock.clock(secondOfDay: UTCClock.secondOfDay(of: now))) UTC, \(needs)" }
            guard let second = UTCClock.secondOfDay(rfc3339: value) else { return "time is \(shown), not an RFC 3339 time, \(needs)" }
            return "time is \(shown) (\(UTCClock.clock(secondOfDay: second)) UTC), \(needs)"
        case .sourceCIDR:
            let blocks = (sourceCIDRs ?? []).map(\.text).joined(separator: ", ")
            return "\(name) is \(shown), needs an address in one of [\(blocks)]"
        default:
            let accepted = (acceptedValues(key) ?? []).joined(separator: ", ")
            return "\(name) is \(shown), needs one of [\(accepted)]"
        }
    }
}
