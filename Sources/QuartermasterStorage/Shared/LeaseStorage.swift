import Foundation

/// The lease ids that start with a prefix, as a range of the primary key both backends scan.
///
/// Both schemas compare ids bytewise (SQLite's default BINARY collation, PostgreSQL's "C"),
/// and UTF-8 orders strings as their Unicode scalars do, so the ids starting with `prefix`
/// are exactly those in `lowerBound..<upperBound`. No pattern is involved: `%`, `_` and `\`
/// are ordinary characters.
struct LeaseIDRange {
    /// The prefix itself.
    let lowerBound: String
    /// The least string above every string that starts with the prefix: the prefix with its
    /// last scalar incremented, once trailing U+10FFFF scalars are dropped. Nil when there is
    /// none (the prefix is empty or only U+10FFFF): every id from `lowerBound` on matches.
    let upperBound: String?

    init(prefix: String) {
        lowerBound = prefix
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            // The scalar after U+D7FF is U+E000: the surrogates in between are not scalars.
            if let next = Unicode.Scalar(last.value == 0xD7FF ? 0xE000 : last.value + 1) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                view.append(next)
                upperBound = String(view)
                return
            }
        }
        upperBound = nil
    }

    /// The range of a prefix to revoke; throws `StorageError.conflict` for the empty prefix,
    /// which would revoke every lease.
    static func revoking(prefix: String) throws -> LeaseIDRange {
        guard !prefix.isEmpty else {
            throw StorageError.conflict("an empty lease prefix would revoke every lease")
        }
        return LeaseIDRange(prefix: prefix)
    }
}

extension [StoredLease] {
    /// By id, bytewise (the order `revoke` returns).
    func sortedByID() -> [StoredLease] {
        sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    /// By expiry, then id (the order `sweep` returns).
    func sortedByExpiry() -> [StoredLease] {
        sorted {
            $0.expiresAt != $1.expiresAt ? $0.expiresAt < $1.expiresAt : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
        }
    }
}

/// The stored form of `StoredLease.ttl`.
enum LeaseTTL {
    /// Seconds from stored microseconds; nil (the first lifetime) for rows written before the
    /// column existed, which hold 0.
    static func seconds(storedMicroseconds: Int64) -> TimeInterval? {
        storedMicroseconds > 0 ? TimeInterval(storedMicroseconds) / 1_000_000 : nil
    }
}
