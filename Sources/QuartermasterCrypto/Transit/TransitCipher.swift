import Crypto
import Foundation

/// Encrypts and decrypts with one transit key version (AES-256-GCM). The key's name is bound
/// as associated data, so a ciphertext of another key with the same version number fails to
/// open, as does any altered ciphertext.
public struct TransitCipher: Sendable {
    private let key: SymmetricKey
    private let version: Int
    private let associatedData: Data

    /// `keyBytes` must be 32 bytes.
    public init(keyName: String, version: Int, keyBytes: Data) throws(TransitError) {
        guard keyBytes.count == 32 else { throw .wrongKeyLength(keyBytes.count) }
        key = SymmetricKey(data: keyBytes)
        self.version = version
        associatedData = Data("transit:\(keyName)".utf8)
    }

    /// Fresh key material for a new version.
    public static func generateKeyBytes() -> Data {
        RandomBytes.data(count: 32)
    }

    /// Seals `plaintext` under this version.
    public func encrypt(_ plaintext: Data) throws(TransitError) -> TransitCiphertext {
        guard let combined = try? AES.GCM.seal(plaintext, using: key, authenticating: associatedData).combined else {
            throw .sealFailed
        }
        return TransitCiphertext(version: version, sealed: combined)
    }

    /// Opens a ciphertext of this version; throws `TransitError.cannotDecrypt` when it was
    /// sealed by another key or altered.
    public func decrypt(_ ciphertext: TransitCiphertext) throws(TransitError) -> Data {
        guard ciphertext.version == version else { throw .cannotDecrypt }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: ciphertext.sealed), using: key, authenticating: associatedData)
        } catch {
            throw .cannotDecrypt
        }
    }
}

/// Why a transit operation failed; the descriptions never contain key material or plaintext.
public enum TransitError: Error, Equatable, CustomStringConvertible {
    case wrongKeyLength(Int)
    case sealFailed
    case malformedCiphertext
    case cannotDecrypt

    public var description: String {
        switch self {
        case .wrongKeyLength(let count): "a transit key needs 32 bytes, not \(count)"
        case .sealFailed: "sealing failed"
        case .malformedCiphertext: "the ciphertext is not of the form qm:v<version>:<base64>"
        case .cannotDecrypt: "the ciphertext does not decrypt with this key: it was sealed by another key or altered"
        }
    }
}
