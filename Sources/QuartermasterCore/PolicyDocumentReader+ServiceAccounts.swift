import Yams

extension PolicyDocumentReader {
    /// Reads an identity's `kubernetes` list: the service accounts that authenticate as it.
    mutating func readServiceAccounts(_ node: Node, referrer: String) -> [KubernetesServiceAccount] {
        guard let items = items(node, for: "kubernetes") else { return [] }
        return items.compactMap { readServiceAccount($0, referrer: referrer) }
    }

    private mutating func readServiceAccount(_ node: Node, referrer: String) -> KubernetesServiceAccount? {
        let context = "kubernetes service account"
        guard let fields = fields(of: node, in: context, allowed: ["cluster", "namespace", "service_account"]) else { return nil }
        let clusterNode = required("cluster", in: fields)
        let cluster = clusterNode.flatMap { string($0, for: "cluster") }
        let namespace = required("namespace", in: fields).flatMap { readNamespace($0) }
        let serviceAccount = required("service_account", in: fields).flatMap { readServiceAccountName($0) }
        if let cluster, let clusterNode {
            expect(.kubernetesCluster, named: cluster, by: "\(context) of \(referrer)", at: clusterNode)
        }
        guard let cluster, let namespace, let serviceAccount else { return nil }
        return KubernetesServiceAccount(cluster: cluster, namespace: namespace, serviceAccount: serviceAccount, location: location(of: node))
    }

    private mutating func readNamespace(_ node: Node) -> String? {
        guard let text = string(node, for: "namespace") else { return nil }
        guard KubernetesName.isNamespace(text) else {
            report("malformed namespace '\(text)'; expected lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters", at: node)
            return nil
        }
        return text
    }

    private mutating func readServiceAccountName(_ node: Node) -> String? {
        guard let text = string(node, for: "service_account") else { return nil }
        guard KubernetesName.isServiceAccount(text) else {
            report("malformed service_account '\(text)'; expected lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit, at most 253 characters", at: node)
            return nil
        }
        return text
    }
}
