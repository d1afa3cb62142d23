extension Conditions: CustomStringConvertible {
    /// The present conditions, such as `cluster_id in prod-eu-1; time_window 08:00-18:00 UTC`;
    /// empty when there are none.
    public var description: String {
        keys.map { key in
            switch key {
            case .timeWindow:
                "\(key.rawValue) \(timeWindow?.description ?? "")"
            case .sourceCIDR:
                "\(key.rawValue) in \(Self.list((sourceCIDRs ?? []).map(\.text)))"
            default:
                "\(key.rawValue) in \(Self.list(acceptedValues(key) ?? []))"
            }
        }.joined(separator: "; ")
    }

    private static func list(_ values: [String]) -> String {
        values.count == 1 ? values[0] : "{" + values.joined(separator: ", ") + "}"
    }
}
