import Yams

extension PolicyDocumentReader {
    /// Reads the `clusters` list. Ids and Kubernetes issuers are unique: a token's issuer names
    /// exactly one cluster.
    mutating func readClusters(_ node: Node) -> [Cluster] {
        guard let items = items(node, for: "clusters") else { return [] }
        var firstDefinitions: [String: SourceLocation] = [:], firstIssuers: [String: SourceLocation] = [:]
        return items.compactMap { readCluster($0, firstDefinitions: &firstDefinitions, firstIssuers: &firstIssuers) }
    }

    private mutating func readCluster(
        _ node: Node,
        firstDefinitions: inout [String: SourceLocation],
        firstIssuers: inout [String: SourceLocation]
    ) -> Cluster? {
        guard let fields = fields(of: node, in: "cluster", allowed: ["id", "environment", "kubernetes"]) else { return nil }
        let idNode = required("id", in: fields)
        let id = idNode.flatMap { string($0, for: "id") }
        let environment = required("environment", in: fields).flatMap { string($0, for: "environment") }
        let kubernetes = fields["kubernetes"].flatMap { readKubernetesIssuer($0, firstIssuers: &firstIssuers) }
        guard let id, let idNode else { return nil }
        declaredClusters.insert(id)
        if fields["kubernetes"] != nil { kubernetesClusters.insert(id) }
        guard claim(id, noun: "cluster id", at: idNode, in: &firstDefinitions), let environment else { return nil }
        return Cluster(id: id, environment: environment, kubernetes: kubernetes, location: location(of: node))
    }

    private mutating func readKubernetesIssuer(_ node: Node, firstIssuers: inout [String: SourceLocation]) -> KubernetesIssuer? {
        guard let fields = fields(of: node, in: "kubernetes", allowed: ["issuer", "jwks_uri", "audiences"]) else { return nil }
        let issuerNode = required("issuer", in: fields)
        let issuer = issuerNode.flatMap { readURL($0, for: "issuer") }
        let jwksURI = fields["jwks_uri"].flatMap { readURL($0, for: "jwks_uri") }
        let audiences = fields["audiences"].flatMap { strings($0, for: "audiences") } ?? []
        guard let issuer, let issuerNode, claim(issuer, noun: "kubernetes issuer", at: issuerNode, in: &firstIssuers) else {
            return nil
        }
        return KubernetesIssuer(issuer: issuer, jwksURI: jwksURI, audiences: audiences.map(\.text), location: location(of: node))
    }
}
