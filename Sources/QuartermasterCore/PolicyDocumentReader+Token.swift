import Yams

extension PolicyDocumentReader {
    /// Reads an identity's `token` mapping; an absent `audiences` means `quartermaster`.
    mutating func readTokenSettings(_ node: Node) -> TokenSettings? {
        guard let fields = fields(of: node, in: "token", allowed: ["ttl", "audiences"]) else { return nil }
        let ttl = fields["ttl"].flatMap { readTTL($0) }
        let audiences = fields["audiences"].flatMap { readAudiences($0) }
        return TokenSettings(ttl: ttl, audiences: audiences ?? TokenSettings.defaultAudiences, location: location(of: node))
    }

    /// A Go-style duration greater than zero.
    private mutating func readTTL(_ node: Node) -> Duration? {
        guard let text = string(node, for: "ttl") else { return nil }
        guard let ttl = DurationText.parse(text) else {
            report("malformed duration '\(text)' for 'ttl'; expected a number and a unit (ns, us, ms, s, m, h) such as 30s, 15m, 1h or 1h30m", at: node)
            return nil
        }
        guard ttl > .zero else {
            report("'ttl' must be greater than zero, found '\(text)'", at: node)
            return nil
        }
        return ttl
    }

    /// At least one audience, none twice.
    private mutating func readAudiences(_ node: Node) -> [String]? {
        guard let entries = nonEmptyStrings(node, for: "audiences") else { return nil }
        var firstDefinitions: [String: SourceLocation] = [:]
        return entries.filter { claim($0.text, noun: "audience", at: $0.node, in: &firstDefinitions) }.map(\.text)
    }
}
