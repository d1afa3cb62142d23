import Foundation
import QuartermasterCrypto

/// Data keys already unwrapped, so a read opens one AES-GCM seal (the value's) instead of two.
///
/// An entry is found only by the root key id, the context (path and version) and the exact
/// wrapped bytes it was unwrapped from: a rewrapped, moved or altered row never finds one and
/// is unwrapped, and so checked, again. Keeping them adds nothing to what memory already
/// holds, since the root keys that unwrap every data key are resident too. When full, the
/// cache starts over empty.
final class DataKeyCache: Sendable {
    private struct Entry: Hashable, Sendable {
        let rootKeyID: String
        let context: String
        let wrappedDataKey: Data
    }

    private let keys: BoundedCache<Entry, KeyEncryptionKey>

    init(capacity: Int = 10_000) {
        keys = BoundedCache(capacity: capacity)
    }

    /// The cached data key, or what `unwrap` returns, cached when it returns.
    func key(rootKeyID: String, context: String, wrappedDataKey: Data, unwrap: () throws(KeyEncryptionKeyError) -> KeyEncryptionKey) throws(KeyEncryptionKeyError) -> KeyEncryptionKey {
        try keys.value(for: Entry(rootKeyID: rootKeyID, context: context, wrappedDataKey: wrappedDataKey), compute: unwrap)
    }
}
