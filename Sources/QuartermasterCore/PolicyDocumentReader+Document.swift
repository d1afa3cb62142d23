import Yams

extension PolicyDocumentReader {
    /// The format version this reader understands.
    static let supportedVersion = 1

    /// Reads a whole document into a draft.
    mutating func readDocument(_ root: Node) -> PolicyDraft {
        let rootLocation = location(of: root)
        var clusters: [Cluster] = [], identities: [Identity] = [], roles: [Role] = [], attestationIssuers: [AttestationIssuer] = []
        var documentLocation = rootLocation
        if let fields = fields(of: root, in: "the policy document", allowed: ["version", "clusters", "attestation", "identities", "roles"]) {
            if let version = required("version", in: fields) { readVersion(version) }
            if let node = fields["clusters"] { clusters = readClusters(node) }
            if let node = fields["attestation"] { attestationIssuers = readAttestation(node) }
            if let node = fields["roles"] { roles = readRoles(node) }
            if let node = fields["identities"] { identities = readIdentities(node) }
            documentLocation = fields.keyNodes["identities"].map(location(of:)) ?? rootLocation
        }
        return PolicyDraft(
            policy: Policy(version: Self.supportedVersion, clusters: clusters, attestationIssuers: attestationIssuers, identities: identities, roles: roles, sourceName: sourceName),
            diagnostics: diagnostics,
            references: references,
            declaredRoles: declaredRoles,
            declaredClusters: declaredClusters,
            declaredIdentities: declaredIdentities,
            kubernetesClusters: kubernetesClusters,
            subsetOfLocations: subsetOfLocations,
            documentLocation: documentLocation
        )
    }

    private mutating func readVersion(_ node: Node) {
        guard let text = node.scalar?.string, node.isInteger, let version = Int(text) else {
            report("expected an integer for 'version', found \(Self.shape(of: node))", at: node)
            return
        }
        if version != Self.supportedVersion {
            report("unsupported version \(version); expected \(Self.supportedVersion)", at: node)
        }
    }
}
