import Foundation
@testable import QuartermasterHTTP
import Synchronization
import Testing

@Suite("Facts derived from a sealed secret version")
struct SecretReadFactsTests {
    private static func facts(_ mac: String) -> SecretReadFacts.Facts {
        .init(valueMAC: mac, createdTime: "2026-12-04T00:00:00Z")
    }

    @Test("the same sealed bytes derive once")
    func derivedOnce() {
        let cache = SecretReadFacts()
        let derivations = Mutex(0)
        for _ in 0..<3 {
            let facts = cache.facts(sealedValue: Data([1, 2, 3])) {
                derivations.withLock { $0 += 1 }
                return Self.facts("mac-a")
            }
            #expect(facts.valueMAC == "mac-a")
        }
        #expect(derivations.withLock { $0 } == 1)
    }

    @Test("other sealed bytes derive their own facts")
    func otherBytes() {
        let cache = SecretReadFacts()
        _ = cache.facts(sealedValue: Data([1, 2, 3])) { Self.facts("mac-a") }
        let other = cache.facts(sealedValue: Data([1, 2, 4])) { Self.facts("mac-b") }
        #expect(other.valueMAC == "mac-b")
    }

    @Test("a full cache starts over rather than grow")
    func bounded() {
        let cache = SecretReadFacts(capacity: 2)
        _ = cache.facts(sealedValue: Data([1])) { Self.facts("one") }
        _ = cache.facts(sealedValue: Data([2])) { Self.facts("two") }
        _ = cache.facts(sealedValue: Data([3])) { Self.facts("three") }
        let again = cache.facts(sealedValue: Data([1])) { Self.facts("one, derived again") }
        #expect(again.valueMAC == "one, derived again")
    }
}
