import Foundation

/// Who is calling, as established by an authenticator from verified input only.
public struct Principal: Sendable, Equatable {
    /// The identity's name in the policy.
    public var identity: String
    /// How it authenticated, e.g. `admin_token`.
    public var method: String
    /// The id of the credential used (never the secret), for the audit log.
    public var credentialID: String
    /// Verified attributes that policy conditions may check (e.g. `cluster_id`).
    public var attributes: [String: String]
    /// When the credential stops being valid, for credentials that expire (access tokens).
    public var expiresAt: Date?

    /// The attribute naming the only roles a restricted credential (an API key) may use.
    public static let rolesAttribute = "credential_roles"

    public init(identity: String, method: String, credentialID: String, attributes: [String: String] = [:], expiresAt: Date? = nil) {
        self.identity = identity
        self.method = method
        self.credentialID = credentialID
        self.attributes = attributes
        self.expiresAt = expiresAt
    }
}
