/// A Kubernetes service account by name alone: what a verified service-account token names.
struct ServiceAccountKey: Sendable, Hashable {
    /// The cluster whose issuer signed the token.
    let cluster: String
    /// The `kubernetes.io/serviceaccount/namespace` of the token.
    let namespace: String
    /// The service account's name.
    let serviceAccount: String
}
