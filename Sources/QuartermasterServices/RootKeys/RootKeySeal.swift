import Foundation

/// What protects the root keyring at rest: it seals each root key before it is stored and
/// opens it at start. Implementations: the root key file or environment variable
/// (`LocalRootKeySeal`) and AWS KMS (`AWSKMSSeal`).
public protocol RootKeySeal: Sendable {
    /// Names the seal in storage, such as "file" or "awskms:<key id>".
    var sealID: String { get }
    /// Seals root key bytes; `context` (the root key id) is bound so a sealed key copied onto
    /// another row fails to open.
    func seal(_ rootKey: Data, context: String) async throws -> Data
    /// Opens what `seal` produced with the same context.
    func open(_ sealed: Data, context: String) async throws -> Data
}
