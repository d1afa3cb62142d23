import Foundation
import QuartermasterCrypto

/// A seal whose key is local: the root key file (the dev default) or an environment variable.
public struct LocalRootKeySeal: RootKeySeal {
    public let sealID: String
    private let key: KeyEncryptionKey

    /// `source` names where the key came from, such as "file" or "env".
    public init(key: KeyEncryptionKey, source: String) {
        self.key = key
        sealID = source
    }

    public func seal(_ rootKey: Data, context: String) async throws -> Data {
        try key.seal(rootKey, context: "root-key:" + context)
    }

    public func open(_ sealed: Data, context: String) async throws -> Data {
        try key.open(sealed, context: "root-key:" + context)
    }
}
