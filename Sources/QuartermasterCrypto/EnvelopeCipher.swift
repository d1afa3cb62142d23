import Foundation

/// Envelope encryption for stored values: each value is sealed under its own random data key
/// (AES-256-GCM), and the data key is sealed under the root key. Both seals bind the value's
/// place (`context`, such as path and version) as associated data, so a row copied to another
/// place, or altered, fails to open instead of returning garbage.
public struct EnvelopeCipher: Sendable {
    private let rootKey: KeyEncryptionKey

    public init(rootKey: KeyEncryptionKey) {
        self.rootKey = rootKey
    }

    /// The sealed value and the wrapped data key.
    public func seal(_ plaintext: Data, context: String) throws -> (sealedValue: Data, wrappedDataKey: Data) {
        let (dataKey, dataKeyBytes) = KeyEncryptionKey.generate()
        let sealedValue = try dataKey.seal(plaintext, context: "value:" + context)
        let wrappedDataKey = try rootKey.seal(dataKeyBytes, context: "data-key:" + context)
        return (sealedValue, wrappedDataKey)
    }

    /// The plaintext; throws `KeyEncryptionKeyError.cannotOpen` when anything does not match.
    public func open(sealedValue: Data, wrappedDataKey: Data, context: String) throws(KeyEncryptionKeyError) -> Data {
        let dataKeyBytes = try rootKey.open(wrappedDataKey, context: "data-key:" + context)
        let dataKey = try KeyEncryptionKey(bytes: dataKeyBytes)
        return try dataKey.open(sealedValue, context: "value:" + context)
    }
}
