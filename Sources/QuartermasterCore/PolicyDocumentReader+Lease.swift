import Yams

extension PolicyDocumentReader {
    /// Reads a grant's `lease` mapping: `ttl` (required), `max_ttl` (at least `ttl`; default
    /// `ttl`) and `renewable` (default true).
    mutating func readLeaseTerms(_ node: Node) -> LeaseTerms? {
        guard let fields = fields(of: node, in: "lease", allowed: ["ttl", "max_ttl", "renewable"]) else { return nil }
        let ttl = required("ttl", in: fields).flatMap { readPositiveDuration($0, for: "ttl") }
        let maxTTL = fields["max_ttl"].flatMap { readPositiveDuration($0, for: "max_ttl") }
        var renewable = true
        if let node = fields["renewable"] {
            guard let flag = node.scalar.flatMap({ Bool.construct(from: $0) }) else {
                report("expected true or false for 'renewable', found \(Self.shape(of: node))", at: node)
                return nil
            }
            renewable = flag
        }
        guard let ttl else { return nil }
        if let maxTTL, maxTTL < ttl, let node = fields["max_ttl"] {
            report("'max_ttl' (\(DurationText.format(maxTTL))) is shorter than 'ttl' (\(DurationText.format(ttl)))", at: node)
            return nil
        }
        return LeaseTerms(ttl: ttl, maxTTL: maxTTL, renewable: renewable)
    }
}
