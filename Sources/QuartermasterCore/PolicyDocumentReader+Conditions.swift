import Yams

extension PolicyDocumentReader {
    /// Reads a grant's `conditions` mapping.
    mutating func readConditions(_ node: Node, referrer: String) -> Conditions? {
        let allowed = ConditionKey.allCases.map(\.rawValue)
        guard let fields = fields(of: node, in: "conditions", allowed: allowed, keyNoun: "condition key") else { return nil }
        func values(_ key: ConditionKey, _ read: (inout Self, String, Node) -> String?) -> [String]? {
            guard let node = fields[key.rawValue] else { return nil }
            return conditionValues(node, key: key, read: read)
        }
        let clusterIDs = values(.clusterID) { reader, text, node in
            reader.expect(.cluster, named: text, by: "cluster_id condition of \(referrer)", at: node)
            return text
        }
        return Conditions(
            clusterIDs: clusterIDs,
            environments: values(.environment) { _, text, _ in text },
            namespaces: values(.namespace) { _, text, _ in text },
            timeWindow: fields[ConditionKey.timeWindow.rawValue].flatMap { readTimeWindow($0) },
            sourceCIDRs: fields[ConditionKey.sourceCIDR.rawValue].flatMap { readCIDRBlocks($0) },
            attestationMeasurements: values(.attestationMeasurement) { reader, text, node in
                reader.validated(text, at: node, isValid: Self.isMeasurement(_:),
                                 problem: "malformed attestation measurement; expected sha256:, sha384: or sha512: and a lowercase hex digest")
            },
            keyVersions: values(.keyVersion) { reader, text, node in
                reader.validated(text, at: node, isValid: Self.isKeyVersion(_:),
                                 problem: "malformed key version; expected a non-negative integer without leading zeros")
            }
        )
    }

    /// The values of a list-valued condition (a single scalar counts as a list of one).
    private mutating func conditionValues(_ node: Node, key: ConditionKey, read: (inout Self, String, Node) -> String?) -> [String]? {
        guard let entries = stringOrStrings(node, for: key.rawValue) else { return nil }
        guard !entries.isEmpty else {
            report("condition '\(key.rawValue)' lists no values, so it could never hold", at: node)
            return nil
        }
        return entries.compactMap { read(&self, $0.text, $0.node) }
    }

    private mutating func validated(_ text: String, at node: Node, isValid: (String) -> Bool, problem: String) -> String? {
        guard isValid(text) else {
            report("\(problem), found '\(text)'", at: node)
            return nil
        }
        return text
    }

    private mutating func readTimeWindow(_ node: Node) -> TimeWindow? {
        let key = ConditionKey.timeWindow.rawValue
        guard let fields = fields(of: node, in: key, allowed: ["after", "before"]) else { return nil }
        let after = required("after", in: fields).flatMap { readClock($0, for: "after") }
        let before = required("before", in: fields).flatMap { readClock($0, for: "before") }
        guard let after, let before else { return nil }
        guard let window = TimeWindow(afterMinute: after, beforeMinute: before) else {
            report("\(key) 'after' and 'before' must differ", at: node)
            return nil
        }
        return window
    }

    private mutating func readClock(_ node: Node, for key: String) -> Int? {
        guard let text = string(node, for: key) else { return nil }
        guard let minute = TimeWindow.minuteOfDay(text) else {
            report("malformed time '\(text)' for '\(key)'; expected HH:MM in UTC, 00:00 to 23:59", at: node)
            return nil
        }
        return minute
    }

    private mutating func readCIDRBlocks(_ node: Node) -> [CIDRBlock]? {
        let key = ConditionKey.sourceCIDR.rawValue
        guard let entries = stringOrStrings(node, for: key) else { return nil }
        guard !entries.isEmpty else {
            report("condition '\(key)' lists no values, so it could never hold", at: node)
            return nil
        }
        return entries.compactMap { entry in
            guard let block = CIDRBlock(entry.text) else {
                report("malformed CIDR '\(entry.text)'; expected an address and prefix length such as 10.0.0.0/8 or fd00::/8", at: entry.node)
                return nil
            }
            return block
        }
    }

    private static func isMeasurement(_ text: String) -> Bool {
        let digestLengths = ["sha256": 64, "sha384": 96, "sha512": 128]
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let length = digestLengths[String(parts[0])] else { return false }
        return parts[1].utf8.count == length && parts[1].utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
    }

    private static func isKeyVersion(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 18 else { return false }
        let isDigits = text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return isDigits && (first != UInt8(ascii: "0") || text.utf8.count == 1)
    }
}
