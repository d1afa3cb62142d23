import Foundation
import QuartermasterServices

/// What a secret read derives from a stored version and would otherwise recompute on every
/// read: the value's audit HMAC and its creation time as ISO 8601 text.
///
/// An entry is found only by the version's exact sealed bytes (each version is sealed under a
/// data key and nonce of its own), so a different version, a rewritten path or an altered
/// row never finds one. Neither fact is secret: the HMAC is what the audit record holds. The
/// plaintext is not kept. When full, the cache starts over empty.
final class SecretReadFacts: Sendable {
    /// The facts kept for one version.
    struct Facts: Sendable {
        let valueMAC: String
        let createdTime: String
    }

    private let facts: BoundedCache<Data, Facts>

    init(capacity: Int = 10_000) {
        facts = BoundedCache(capacity: capacity)
    }

    /// The facts kept for `sealedValue`, or those `derive` returns, kept from then on.
    func facts(sealedValue: Data, derive: () -> Facts) -> Facts {
        facts.value(for: sealedValue, compute: derive)
    }
}
