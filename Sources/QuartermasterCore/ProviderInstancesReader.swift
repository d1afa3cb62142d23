import Yams

/// Walks a composed `provider-instances.yaml` into `ProviderInstance`s, collecting every
/// problem on the way with the reading helpers it shares with the policy reader.
struct ProviderInstancesReader: DocumentReading {
    /// The name the document was loaded under.
    let sourceName: String
    var diagnostics: [PolicyDiagnostic] = []

    /// The most characters an instance name may have.
    static let maximumNameLength = 64

    init(sourceName: String) {
        self.sourceName = sourceName
    }

    /// Reads the whole document: a mapping with `instances` and nothing else.
    mutating func readDocument(_ root: Node) -> [ProviderInstance] {
        guard let fields = fields(of: root, in: "the provider instances document", allowed: ["instances"]),
              let node = required("instances", in: fields)
        else { return [] }
        return readInstances(node)
    }

    /// Reads the `instances` mapping: instance name to instance. Empty means no providers.
    private mutating func readInstances(_ node: Node) -> [ProviderInstance] {
        guard let mapping = node.mapping else {
            report("expected a mapping for instances, found \(Self.shape(of: node))", at: node)
            return []
        }
        var firstDefinitions: [String: SourceLocation] = [:]
        return mapping.compactMap { nameNode, value in
            guard let name = nameNode.scalar?.string, !nameNode.isNull else {
                report("expected a string key in instances, found \(Self.shape(of: nameNode))", at: nameNode)
                return nil
            }
            let isValidName = readInstanceName(name, at: nameNode)
            let instance = readInstance(value, name: name, nameNode: nameNode)
            guard isValidName, claim(name, noun: "instance", at: nameNode, in: &firstDefinitions) else { return nil }
            return instance
        }
    }

    /// Whether an instance name is 1 to 64 of `[a-z0-9_-]`; reports it when not.
    private mutating func readInstanceName(_ name: String, at node: Node) -> Bool {
        let isAllowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard isAllowed, !name.isEmpty, name.utf8.count <= Self.maximumNameLength else {
            report("malformed instance name '\(name)'; expected 1 to \(Self.maximumNameLength) lowercase letters, digits, '_' and '-'", at: node)
            return false
        }
        return true
    }

    private mutating func readInstance(_ node: Node, name: String, nameNode: Node) -> ProviderInstance? {
        let context = "instance '\(name)'"
        guard let fields = fields(of: node, in: context, allowed: ["type", "region", "refresh", "authentication"]) else { return nil }
        let type = required("type", in: fields).flatMap { readProviderType($0) }
        let region = fields["region"].flatMap { string($0, for: "region") }
        let refresh: RefreshSettings? = if let node = fields["refresh"] { readRefreshSettings(node) } else { RefreshSettings() }
        let authentication = required("authentication", in: fields).flatMap { readAuthentication($0, providerType: type) }
        guard let type, let refresh, let authentication else { return nil }
        return ProviderInstance(name: name, type: type, region: region, refresh: refresh, authentication: authentication, location: location(of: nameNode))
    }

    private mutating func readProviderType(_ node: Node) -> ProviderType? {
        guard let text = string(node, for: "type") else { return nil }
        guard let type = ProviderType(rawValue: text) else {
            let known = ProviderType.allCases.map(\.rawValue).joined(separator: ", ")
            report("unknown provider type '\(text)'; expected one of: \(known)", at: node)
            return nil
        }
        return type
    }
}
