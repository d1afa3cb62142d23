import Foundation
import QuartermasterCrypto
@testable import QuartermasterServices
import Testing

@Suite("Data key cache")
struct DataKeyCacheTests {
    /// Counts the unwraps the cache asks for.
    final class Unwraps: @unchecked Sendable {
        var count = 0
        let key = KeyEncryptionKey.generate().key

        func unwrap() throws(KeyEncryptionKeyError) -> KeyEncryptionKey {
            count += 1
            return key
        }
    }

    @Test("a data key is unwrapped once for the same root key, context and wrapped bytes")
    func unwrapsOnce() throws {
        let cache = DataKeyCache()
        let unwraps = Unwraps()
        for _ in 0..<3 {
            _ = try cache.key(rootKeyID: "root-1", context: "db/password:2", wrappedDataKey: Data([1, 2, 3]), unwrap: unwraps.unwrap)
        }
        #expect(unwraps.count == 1)
    }

    @Test("another context, wrapped key or root key is unwrapped, and so checked, again")
    func otherPlacesUnwrapAgain() throws {
        let cache = DataKeyCache()
        let unwraps = Unwraps()
        _ = try cache.key(rootKeyID: "root-1", context: "db/password:1", wrappedDataKey: Data([1]), unwrap: unwraps.unwrap)
        _ = try cache.key(rootKeyID: "root-1", context: "db/password:2", wrappedDataKey: Data([1]), unwrap: unwraps.unwrap)
        _ = try cache.key(rootKeyID: "root-1", context: "db/password:1", wrappedDataKey: Data([2]), unwrap: unwraps.unwrap)
        _ = try cache.key(rootKeyID: "root-2", context: "db/password:1", wrappedDataKey: Data([1]), unwrap: unwraps.unwrap)
        #expect(unwraps.count == 4)
    }

    @Test("a failed unwrap is not remembered")
    func failuresAreNotCached() throws {
        let cache = DataKeyCache()
        #expect(throws: KeyEncryptionKeyError.cannotOpen) {
            try cache.key(rootKeyID: "root-1", context: "x:1", wrappedDataKey: Data([9])) { () throws(KeyEncryptionKeyError) in throw .cannotOpen }
        }
        let unwraps = Unwraps()
        _ = try cache.key(rootKeyID: "root-1", context: "x:1", wrappedDataKey: Data([9]), unwrap: unwraps.unwrap)
        #expect(unwraps.count == 1)
    }

    @Test("a full cache starts over instead of growing")
    func boundedByCapacity() throws {
        let cache = DataKeyCache(capacity: 2)
        let unwraps = Unwraps()
        for byte: UInt8 in [1, 2, 3, 1] {
            _ = try cache.key(rootKeyID: "root-1", context: "x:1", wrappedDataKey: Data([byte]), unwrap: unwraps.unwrap)
        }
        #expect(unwraps.count == 4)
    }
}
