import Foundation
import QuartermasterCrypto
import Synchronization

/// Data keys already unwrapped, so a read opens one AES-GCM seal (the value's) instead of two.
///
/// An entry is found only by the root key id, the context (path and version) and the exact
/// wrapped bytes it was unwrapped from: a rewrapped, moved or altered row never finds one and
/// is unwrapped, and so checked, again. Keeping them adds nothing to what memory already
/// holds, since the root keys that unwrap every data key are resident too. When full, the
/// cache starts over empty.
final class DataKeyCache: Sendable {
    private struct Entry: Hashable {
        let rootKeyID: String
        let context: String
        let wrappedDataKey: Data
    }

    private let capacity: Int
    private let keys = Mutex<[Entry: KeyEncryptionKey]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The cached data key, or what `unwrap` returns, cached when it returns.
    func key(rootKeyID: String, context: String, wrappedDataKey: Data, unwrap: () throws(KeyEncryptionKeyError) -> KeyEncryptionKey) throws(KeyEncryptionKeyError) -> KeyEncryptionKey {
        let entry = Entry(rootKeyID: rootKeyID, context: context, wrappedDataKey: wrappedDataKey)
        if let cached = keys.withLock({ $0[entry] }) { return cached }
        let key = try unwrap()
        keys.withLock { keys in
            if keys.count >= capacity { keys.removeAll(keepingCapacity: true) }
            keys[entry] = key
        }
        return key
    }
}
