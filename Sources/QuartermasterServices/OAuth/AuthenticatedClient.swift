/// An OAuth client whose credential verified at the token, introspection or revocation endpoint.
public struct AuthenticatedClient: Sendable, Equatable {
    public var clientID: String
    /// The policy identity the client acts as.
    public var identity: String
    /// `client_secret_basic`, `client_secret_post` or `private_key_jwt`.
    public var method: String
}
