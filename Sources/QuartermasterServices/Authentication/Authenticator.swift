/// One way of turning a presented credential into a `Principal`.
///
/// Authenticators form a chain: each returns nil for a credential it does not
/// recognise, a principal for one that verifies, and throws
/// `ServiceError.unauthenticated` for one it recognises but that fails.
public protocol Authenticator: Sendable {
    /// Verifies a bearer credential.
    func authenticate(bearer credential: String) async throws -> Principal?
}

/// Tries authenticators in order; the first that recognises the credential decides.
public struct AuthenticatorChain: Sendable {
    private let authenticators: [any Authenticator]

    public init(_ authenticators: [any Authenticator]) {
        self.authenticators = authenticators
    }

    /// The principal for a bearer credential, or `ServiceError.unauthenticated`.
    public func authenticate(bearer credential: String?) async throws -> Principal {
        guard let credential, !credential.isEmpty else {
            throw ServiceError.unauthenticated("missing bearer token")
        }
        for authenticator in authenticators {
            if let principal = try await authenticator.authenticate(bearer: credential) {
                return principal
            }
        }
        throw ServiceError.unauthenticated("unrecognised bearer token")
    }
}
