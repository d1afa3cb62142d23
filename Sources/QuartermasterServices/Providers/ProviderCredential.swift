import Foundation

/// A short-lived credential obtained from a provider by a `CredentialExchange`.
///
/// `description`, `debugDescription` and the reflection `dump` uses never show the secret
/// values: only the kind, the AWS access key id (an identifier, not a secret) and the times.
public struct ProviderCredential: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The credential itself, in the form the provider's API takes it.
    public enum Kind: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// An OAuth access token, sent as `Authorization: Bearer <token>`.
        case bearer(token: String)
        /// AWS temporary credentials, for Signature Version 4.
        case aws(accessKeyID: String, secretAccessKey: String, sessionToken: String)
        /// A provider API key.
        case apiKey(value: String)
        /// An OCI resource-principal session: the session token (RPST) and the PEM private
        /// session key that signs requests (OCI HTTP signatures).
        case ociSession(sessionToken: String, privateKeyPEM: String)

        /// The kind's name: `bearer`, `aws` or `api_key`.
        public var name: String {
            switch self {
            case .bearer: "bearer"
            case .aws: "aws"
            case .apiKey: "api_key"
            case .ociSession: "oci_session"
            }
        }

        public var description: String {
            switch self {
            case .aws(let accessKeyID, _, _): "aws(\(accessKeyID), secret redacted)"
            case .bearer, .apiKey, .ociSession: "\(name)(redacted)"
            }
        }

        public var debugDescription: String { description }

        public var customMirror: Mirror { Mirror(self, children: ["kind": description]) }
    }

    /// The credential.
    public let kind: Kind
    /// When the provider says it expires; `nil` when it does not say.
    public let expiresAt: Date?
    /// When it was obtained (the `now` the exchange ran at).
    public let obtainedAt: Date

    /// Creates a credential.
    public init(kind: Kind, expiresAt: Date?, obtainedAt: Date) {
        self.kind = kind
        self.expiresAt = expiresAt
        self.obtainedAt = obtainedAt
    }

    public var description: String {
        let expiry = expiresAt.map { "expires \($0.formatted(.iso8601))" } ?? "no expiry"
        return "\(kind) obtained \(obtainedAt.formatted(.iso8601)), \(expiry)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["kind": kind.description, "expiresAt": expiresAt as Any, "obtainedAt": obtainedAt])
    }
}
