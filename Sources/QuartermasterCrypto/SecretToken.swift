
/// High-entropy secrets handed to callers once and stored only as hashes.
///
/// A token reads `PREFIX_ID_SECRET`: the id (16 hex characters) finds the stored row,
/// the secret (32 random bytes, base64url) is checked against the stored SHA-256 in
/// constant time. SHA-256 without salt is enough here because the secret is random,
/// not a password.
public struct SecretToken: Sendable, Equatable {
    /// Recognisable prefix, e.g. `qm_admin`.
    public let prefix: String
    /// Public lookup id.
    public let id: String
    /// The secret part; never logged or stored.
    public let secret: String

    /// A token from its parts.
    public init(prefix: String, id: String, secret: String) {
        self.prefix = prefix
        self.id = id
        self.secret = secret
    }

    /// The full text handed to the caller.
    public var text: String { "\(prefix)_\(id)_\(secret)" }

    /// SHA-256 of the secret part, hex: what storage keeps.
    public var secretHash: String { Self.hash(secret) }

    /// A fresh token with a random id and secret.
    public static func generate(prefix: String) -> SecretToken {
        SecretToken(prefix: prefix, id: RandomBytes.hex(count: 8), secret: RandomBytes.base64URL(count: 32))
    }

    /// Parses `PREFIX_ID_SECRET`; nil when the text is not a token of this prefix.
    public static func parse(_ text: String, prefix: String) -> SecretToken? {
        guard text.utf8.count <= 256, text.hasPrefix(prefix + "_") else { return nil }
        let rest = text.dropFirst(prefix.count + 1)
        guard rest.count > 17 else { return nil }
        let id = rest.prefix(16)
        let separator = rest.index(rest.startIndex, offsetBy: 16)
        guard rest[separator] == "_", id.allSatisfy(\.isHexDigit) else { return nil }
        let secret = rest[rest.index(after: separator)...]
        return SecretToken(prefix: prefix, id: String(id), secret: String(secret))
    }

    /// True when this token's secret hashes to `storedHash` (constant-time).
    public func matches(storedHash: String) -> Bool {
        ConstantTime.equals(secretHash, storedHash)
    }

    /// SHA-256 of a string, hex.
    public static func hash(_ value: String) -> String {
        Digest.sha256Hex(value)
    }
}
