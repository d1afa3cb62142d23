import Foundation

/// Envelope encryption for stored values: each value is sealed under its own random data key
/// (AES-256-GCM), and the data key is sealed under the root key. Both seals bind the value's
/// place (`context`, such as path and version) as associated data, so a row copied to another
/// place, or altered, fails to open instead of returning garbage.
public enum EnvelopeCipher {
    /// The associated data binding a wrapped data key to its value's place.
    public static func dataKeyContext(_ context: String) -> String { "data-key:" + context }

    /// The sealed value and the data key wrapped by `rootKey`.
    public static func seal(_ plaintext: Data, context: String, rootKey: KeyEncryptionKey) throws -> (sealedValue: Data, wrappedDataKey: Data) {
        let (dataKey, dataKeyBytes) = KeyEncryptionKey.generate()
        let sealedValue = try dataKey.seal(plaintext, context: "value:" + context)
        let wrappedDataKey = try rootKey.seal(dataKeyBytes, context: dataKeyContext(context))
        return (sealedValue, wrappedDataKey)
    }

    /// The plaintext; throws `KeyEncryptionKeyError.cannotOpen` when anything does not match.
    public static func open(sealedValue: Data, wrappedDataKey: Data, context: String, rootKey: KeyEncryptionKey) throws(KeyEncryptionKeyError) -> Data {
        try open(sealedValue: sealedValue, context: context, dataKey: unwrapDataKey(wrappedDataKey, context: context, rootKey: rootKey))
    }

    /// The data key of the value at `context`; throws `KeyEncryptionKeyError.cannotOpen` when
    /// the wrapped key was altered, belongs to another place or to another root key.
    public static func unwrapDataKey(_ wrappedDataKey: Data, context: String, rootKey: KeyEncryptionKey) throws(KeyEncryptionKeyError) -> KeyEncryptionKey {
        try KeyEncryptionKey(bytes: rootKey.open(wrappedDataKey, context: dataKeyContext(context)))
    }

    /// The plaintext of a value sealed under `dataKey` at `context`; throws
    /// `KeyEncryptionKeyError.cannotOpen` when anything does not match.
    public static func open(sealedValue: Data, context: String, dataKey: KeyEncryptionKey) throws(KeyEncryptionKeyError) -> Data {
        try dataKey.open(sealedValue, context: "value:" + context)
    }
}
