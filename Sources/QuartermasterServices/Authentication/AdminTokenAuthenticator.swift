import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Authenticates admin tokens (`qm_admin_ID_SECRET`) against their stored hashes.
public struct AdminTokenAuthenticator: Authenticator {
    /// The prefix of every admin token.
    public static let prefix = "qm_admin"
    /// The credential kind under which admin tokens are stored.
    public static let kind = "admin_token"

    private let credentials: any CredentialStore

    public init(credentials: any CredentialStore) {
        self.credentials = credentials
    }

    public func authenticate(bearer credential: String) async throws -> Principal? {
        guard let token = SecretToken.parse(credential, prefix: Self.prefix) else { return nil }
        let stored: StoredCredential?
        do {
            stored = try await credentials.find(id: token.id)
        } catch {
            throw ServiceError.unavailable("credential storage: \(error)")
        }
        guard let stored, stored.kind == Self.kind, token.matches(storedHash: stored.secretHash) else {
            throw ServiceError.unauthenticated("invalid admin token")
        }
        if stored.revokedAt != nil {
            throw ServiceError.unauthenticated("admin token revoked")
        }
        if let expiresAt = stored.expiresAt, expiresAt <= Date() {
            throw ServiceError.unauthenticated("admin token expired")
        }
        return Principal(identity: stored.identity, method: Self.kind, credentialID: stored.id)
    }

    /// Creates the first admin token when none exists; returns its text (shown once) or nil.
    public static func bootstrap(credentials: any CredentialStore, identity: String = "admin", now: Date = Date()) async throws -> String? {
        guard try await credentials.count(kind: kind) == 0 else { return nil }
        let token = SecretToken.generate(prefix: prefix)
        try await credentials.insert(
            StoredCredential(id: token.id, kind: kind, identity: identity, secretHash: token.secretHash, createdAt: now)
        )
        return token.text
    }
}
