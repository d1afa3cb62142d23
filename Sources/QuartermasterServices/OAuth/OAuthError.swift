/// An OAuth 2.0 error response (RFC 6749 section 5.2, RFC 8693 section 2.2.2).
public struct OAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope` or `invalid_target`.
    public var code: String
    /// A human sentence; never contains a token or secret.
    public var detail: String
    /// 401 for `invalid_client`, 400 otherwise.
    public var status: Int { code == "invalid_client" ? 401 : 400 }

    public init(_ code: String, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }

    static func invalidRequest(_ detail: String) -> OAuthError { OAuthError("invalid_request", detail) }
    static func invalidClient(_ detail: String) -> OAuthError { OAuthError("invalid_client", detail) }
    static func invalidGrant(_ detail: String) -> OAuthError { OAuthError("invalid_grant", detail) }
    static func invalidScope(_ detail: String) -> OAuthError { OAuthError("invalid_scope", detail) }
    static func invalidTarget(_ detail: String) -> OAuthError { OAuthError("invalid_target", detail) }
    static func unauthorizedClient(_ detail: String) -> OAuthError { OAuthError("unauthorized_client", detail) }
}
