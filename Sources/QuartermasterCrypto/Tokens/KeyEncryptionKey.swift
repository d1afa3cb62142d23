import Crypto
import Foundation

/// The key that seals private keys at rest (AES-256-GCM). The associated data binds a sealed
/// blob to what it belongs to (for example a key id), so a blob copied onto another row fails to open.
public struct KeyEncryptionKey: Sendable {
    private let key: SymmetricKey

    /// Wraps exactly 32 bytes.
    public init(bytes: Data) throws(KeyEncryptionKeyError) {
        guard bytes.count == 32 else { throw .wrongLength(bytes.count) }
        key = SymmetricKey(data: bytes)
    }

    /// A fresh random key and its bytes.
    public static func generate() -> (key: KeyEncryptionKey, bytes: Data) {
        let bytes = RandomBytes.data(count: 32)
        return (try! KeyEncryptionKey(bytes: bytes), bytes)
    }

    /// Nonce, ciphertext and tag in one blob.
    public func seal(_ plaintext: Data, context: String) throws -> Data {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8)).combined else {
            throw KeyEncryptionKeyError.sealFailed
        }
        return combined
    }

    /// Opens a blob sealed with the same key and context; throws when either differs or the blob was altered.
    public func open(_ sealed: Data, context: String) throws(KeyEncryptionKeyError) -> Data {
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(context.utf8))
        } catch {
            throw .cannotOpen
        }
    }
}

/// Why a sealed key could not be used.
public enum KeyEncryptionKeyError: Error, Equatable, CustomStringConvertible {
    case wrongLength(Int)
    case sealFailed
    case cannotOpen

    public var description: String {
        switch self {
        case .wrongLength(let count): "the key-encryption key has \(count) bytes; it needs 32"
        case .sealFailed: "sealing failed"
        case .cannotOpen: "a sealed key does not open with this key-encryption key (wrong key, or the stored row was altered)"
        }
    }
}
