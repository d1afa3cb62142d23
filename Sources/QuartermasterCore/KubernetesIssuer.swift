/// The Kubernetes service-account token issuer trusted for a cluster.
public struct KubernetesIssuer: Sendable, Hashable {
    /// The `iss` claim of projected service-account tokens.
    public let issuer: String
    /// Where the issuer's signing keys are published; discovered from the issuer when absent.
    public let jwksURI: String?
    /// Audiences a token must carry to be accepted.
    public let audiences: [String]
    /// Where the `kubernetes` mapping starts.
    public let location: SourceLocation

    /// Creates an issuer description.
    public init(issuer: String, jwksURI: String? = nil, audiences: [String] = [], location: SourceLocation) {
        self.issuer = issuer
        self.jwksURI = jwksURI
        self.audiences = audiences
        self.location = location
    }
}
