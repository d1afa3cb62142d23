import Foundation
import QuartermasterCrypto

/// Migration mode for the legacy shared `SERVICE_TOKEN` (seed 004): while `mode` is `accept`
/// or `warn`, the static token can be exchanged for a short-lived JWT of one configured
/// identity; `reject` refuses it. Every use is audited and counted.
public struct StaticTokenMigration: Sendable {
    /// How the static token is treated.
    public enum Mode: String, Sendable, CaseIterable {
        case accept, warn, reject
    }

    /// The token type a client names for the static token in a token exchange.
    public static let tokenType = "urn:quartermaster:params:token-type:static-service-token"

    public let mode: Mode
    /// The identity a static-token exchange yields (least privilege: a dedicated legacy identity).
    public let identity: String
    private let tokenHash: String
    /// Called on every presentation with the mode in force (for the metric).
    private let onUse: @Sendable (Mode) -> Void

    public init(token: String, mode: Mode, identity: String, onUse: @escaping @Sendable (Mode) -> Void = { _ in }) {
        self.tokenHash = SecretToken.hash(token)
        self.mode = mode
        self.identity = identity
        self.onUse = onUse
    }

    /// Checks a presented static token; returns the identity to issue for, or `invalid_grant`.
    func exchange(_ presented: String) throws(OAuthError) -> String {
        guard ConstantTime.equals(SecretToken.hash(presented), tokenHash) else {
            throw .invalidGrant("the static service token is not valid")
        }
        onUse(mode)
        guard mode != .reject else {
            throw .invalidGrant("the static service token is no longer accepted; use a workload identity")
        }
        return identity
    }
}
