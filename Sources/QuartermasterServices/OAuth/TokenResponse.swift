/// A successful token endpoint answer (RFC 6749 section 5.1, RFC 8693 section 2.2.1).
public struct TokenResponse: Codable, Sendable, Equatable {
    public var access_token: String
    public var token_type: String = "Bearer"
    public var expires_in: Int64
    public var scope: String?
    public var issued_token_type: String?
}
