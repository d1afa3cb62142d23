/// A loaded policy document: clusters, identities and the roles they hold.
public struct Policy: Sendable, Hashable {
    /// The document format version; always 1 today.
    public let version: Int
    /// The clusters workloads may run in.
    public let clusters: [Cluster]
    /// The attestation services whose tokens are trusted.
    public let attestationIssuers: [AttestationIssuer]
    /// The principals.
    public let identities: [Identity]
    /// The roles identities hold.
    public let roles: [Role]
    /// The name the document was loaded under, usually its path.
    public let sourceName: String

    private let identityPositions: [String: Int]
    private let rolePositions: [String: Int]
    private let clusterPositions: [String: Int]
    private let serviceAccountOwners: [ServiceAccountKey: Int]
    private let issuerPositions: [String: Int]

    /// Creates a policy; names, service accounts and issuers are expected to be unique, and the
    /// first of duplicates wins lookups.
    public init(version: Int = 1, clusters: [Cluster], attestationIssuers: [AttestationIssuer] = [], identities: [Identity], roles: [Role], sourceName: String) {
        self.version = version
        self.clusters = clusters
        self.attestationIssuers = attestationIssuers
        self.identities = identities
        self.roles = roles
        self.sourceName = sourceName
        identityPositions = Self.positions(of: identities.map(\.name))
        rolePositions = Self.positions(of: roles.map(\.name))
        clusterPositions = Self.positions(of: clusters.map(\.id))
        serviceAccountOwners = Self.positions(of: identities.map { $0.kubernetesServiceAccounts.map(\.key) })
        issuerPositions = Self.positions(of: clusters.map { $0.kubernetes.map { [$0.issuer] } ?? [] })
    }

    /// The identity with this name, if any.
    public func identity(named name: String) -> Identity? {
        identityPositions[name].map { identities[$0] }
    }

    /// The role with this name, if any.
    public func role(named name: String) -> Role? {
        rolePositions[name].map { roles[$0] }
    }

    /// The cluster with this identifier, if any.
    public func cluster(id: String) -> Cluster? {
        clusterPositions[id].map { clusters[$0] }
    }

    /// The identity a verified Kubernetes service-account token authenticates as: the one whose
    /// `kubernetes` list names this cluster, namespace and service account.
    public func identity(forCluster cluster: String, namespace: String, serviceAccount: String) -> Identity? {
        let key = ServiceAccountKey(cluster: cluster, namespace: namespace, serviceAccount: serviceAccount)
        return serviceAccountOwners[key].map { identities[$0] }
    }

    /// The cluster whose Kubernetes issuer URL is exactly `issuer`, if any.
    public func cluster(issuer: String) -> Cluster? {
        issuerPositions[issuer].map { clusters[$0] }
    }

    /// The trusted attestation service whose issuer URL is exactly `issuer`, if any.
    public func attestationIssuer(_ issuer: String) -> AttestationIssuer? {
        attestationIssuers.first { $0.issuer == issuer }
    }

    /// The roles an identity holds, skipping names that resolve to no role.
    public func roles(of identity: Identity) -> [Role] {
        identity.roles.compactMap(role(named:))
    }

    private static func positions(of names: [String]) -> [String: Int] {
        positions(of: names.map { [$0] })
    }

    /// The position of the first element carrying each key, for elements carrying several.
    private static func positions<Key: Hashable>(of keysByElement: [[Key]]) -> [Key: Int] {
        var positions: [Key: Int] = [:]
        for (position, keys) in keysByElement.enumerated() {
            for key in keys where positions[key] == nil {
                positions[key] = position
            }
        }
        return positions
    }
}
