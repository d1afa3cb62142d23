import Foundation
import Yams

extension PolicyDocumentReader {
    /// Reads the `clusters` list.
    mutating func readClusters(_ node: Node) -> [Cluster] {
        guard let items = items(node, for: "clusters") else { return [] }
        var firstDefinitions: [String: SourceLocation] = [:]
        return items.compactMap { readCluster($0, firstDefinitions: &firstDefinitions) }
    }

    private mutating func readCluster(_ node: Node, firstDefinitions: inout [String: SourceLocation]) -> Cluster? {
        guard let fields = fields(of: node, in: "cluster", allowed: ["id", "environment", "kubernetes"]) else { return nil }
        let idNode = required("id", in: fields)
        let id = idNode.flatMap { string($0, for: "id") }
        let environment = required("environment", in: fields).flatMap { string($0, for: "environment") }
        let kubernetes = fields["kubernetes"].flatMap { readKubernetesIssuer($0) }
        guard let id, let idNode else { return nil }
        declaredClusters.insert(id)
        guard claim(id, noun: "cluster id", at: idNode, in: &firstDefinitions), let environment else { return nil }
        return Cluster(id: id, environment: environment, kubernetes: kubernetes, location: location(of: node))
    }

    private mutating func readKubernetesIssuer(_ node: Node) -> KubernetesIssuer? {
        guard let fields = fields(of: node, in: "kubernetes", allowed: ["issuer", "jwks_uri", "audiences"]) else { return nil }
        let issuer = required("issuer", in: fields).flatMap { readURL($0, for: "issuer") }
        let jwksURI = fields["jwks_uri"].flatMap { readURL($0, for: "jwks_uri") }
        let audiences = fields["audiences"].flatMap { strings($0, for: "audiences") } ?? []
        guard let issuer else { return nil }
        return KubernetesIssuer(issuer: issuer, jwksURI: jwksURI, audiences: audiences.map(\.text), location: location(of: node))
    }

    /// An absolute `https` URL, or `http` on a loopback host for local clusters.
    private mutating func readURL(_ node: Node, for key: String) -> String? {
        guard let text = string(node, for: key) else { return nil }
        let loopbackHosts = ["localhost", "127.0.0.1", "::1"]
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
              components.scheme == "https" || (components.scheme == "http" && loopbackHosts.contains(host))
        else {
            report("'\(key)' must be an absolute https URL (http only on localhost), found '\(text)'", at: node)
            return nil
        }
        return text
    }
}
