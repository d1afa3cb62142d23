import Yams

extension ProviderInstancesReader {
    /// The keys of `vault_dynamic` authentication, `type` included.
    static let vaultDynamicKeys = ["type", "vault_path", "field", "refresh_interval", "store", "vault"]
    /// The keys of `static` authentication, `type` included.
    static let staticKeys = ["type", "secret_path", "field"]
    /// The values of an authentication `type`; the keys of `workload_identity` depend on its provider.
    static let authenticationTypes = ["workload_identity", "vault_dynamic", "static"]

    /// Reads an instance's `authentication` mapping. The keys allowed depend on `type` and, for
    /// `workload_identity`, on `provider`, which must serve the instance's provider type.
    mutating func readAuthentication(_ node: Node, providerType: ProviderType?) -> ProviderAuthentication? {
        let (context, allowed) = Self.authenticationKeys(of: node)
        guard let fields = fields(of: node, in: context, allowed: allowed),
              let typeNode = required("type", in: fields), let type = string(typeNode, for: "type")
        else { return nil }
        switch type {
        case "workload_identity":
            return readWorkloadIdentity(fields, typeNode: typeNode, providerType: providerType)
        case "vault_dynamic":
            return readVaultDynamic(fields).map(ProviderAuthentication.vaultDynamic)
        case "static":
            return readStaticSecret(fields).map(ProviderAuthentication.staticSecret)
        default:
            report("unknown authentication type '\(type)'; expected one of: \(Self.authenticationTypes.joined(separator: ", "))", at: typeNode)
            return nil
        }
    }

    /// The context for messages and the allowed keys of an `authentication` mapping, from a look
    /// at its `type` and `provider` (all keys any method takes when they do not decide it).
    private static func authenticationKeys(of node: Node) -> (context: String, keys: [String]) {
        let type = node.mapping?["type"]?.scalar?.string
        let provider = (node.mapping?["provider"]?.scalar?.string).flatMap(WorkloadIdentityProvider.init(rawValue:))
        switch (type, provider) {
        case ("workload_identity", let provider?): return ("\(provider.rawValue) authentication", provider.keys)
        case ("workload_identity", nil): return ("workload_identity authentication", union(WorkloadIdentityProvider.allCases.map(\.keys)))
        case ("vault_dynamic", _): return ("vault_dynamic authentication", vaultDynamicKeys)
        case ("static", _): return ("static authentication", staticKeys)
        default: return ("authentication", union(WorkloadIdentityProvider.allCases.map(\.keys) + [vaultDynamicKeys, staticKeys]))
        }
    }

    /// The keys of several lists, each once, in order of first appearance.
    static func union(_ lists: [[String]]) -> [String] {
        var seen: Set<String> = []
        return lists.joined().filter { seen.insert($0).inserted }
    }

    /// `workload_identity`: the provider must serve the instance's type; the provider's own keys
    /// are read even when it does not, so that every problem is reported.
    private mutating func readWorkloadIdentity(_ fields: MappingFields, typeNode: Node, providerType: ProviderType?) -> ProviderAuthentication? {
        let providerNode = required("provider", in: fields)
        let provider = providerNode.flatMap { readWorkloadIdentityProvider($0) }
        var fits = true
        if let providerType, !providerType.supportsWorkloadIdentity {
            fits = false
            report("workload_identity is not available for type '\(providerType.rawValue)'; use vault_dynamic or static", at: typeNode)
        } else if let providerType, let provider, let providerNode, provider.providerType != providerType {
            fits = false
            let fitting = WorkloadIdentityProvider.serving(providerType).map(\.rawValue).joined(separator: " or ")
            report("provider '\(provider.rawValue)' does not fit type '\(providerType.rawValue)'; \(providerType.rawValue) instances use \(fitting)", at: providerNode)
        }
        guard let provider else { return nil }
        let authentication: ProviderAuthentication? = switch provider {
        case .awsIRSA: readAWSWebIdentity(fields).map(ProviderAuthentication.awsWebIdentity)
        case .azureWorkloadIdentity: readAzureWorkloadIdentity(fields).map(ProviderAuthentication.azureWorkloadIdentity)
        case .gcpWorkloadIdentity: readGCPWorkloadIdentity(fields).map(ProviderAuthentication.gcpWorkloadIdentity)
        case .ibmTrustedProfile: readIBMTrustedProfile(fields).map(ProviderAuthentication.ibmTrustedProfile)
        case .ibmAPIKey: readIBMAPIKey(fields).map(ProviderAuthentication.ibmAPIKey)
        case .ociResourcePrincipal: readOCIResourcePrincipal(fields).map(ProviderAuthentication.ociResourcePrincipal)
        }
        return fits ? authentication : nil
    }

    private mutating func readWorkloadIdentityProvider(_ node: Node) -> WorkloadIdentityProvider? {
        guard let text = string(node, for: "provider") else { return nil }
        guard let provider = WorkloadIdentityProvider(rawValue: text) else {
            let known = WorkloadIdentityProvider.allCases.map(\.rawValue).joined(separator: ", ")
            report("unknown workload identity provider '\(text)'; expected one of: \(known)", at: node)
            return nil
        }
        return provider
    }

    /// A path below `secret/` in our own secret store, such as `llm/anthropic`.
    mutating func readSecretPath(_ node: Node, for key: String) -> String? {
        guard let text = string(node, for: key) else { return nil }
        guard ResourcePath.isValid("secret/" + text) else {
            report("malformed secret path '\(text)' for '\(key)'; expected a path below secret/ such as llm/anthropic, segments of A-Z a-z 0-9 . _ : @ = + - separated by '/', none empty, '.' or '..'", at: node)
            return nil
        }
        return text
    }
}
