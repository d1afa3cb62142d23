import Foundation

/// Both backends store instants as integer microseconds since 1970-01-01T00:00:00Z.
///
/// Integers compare and index the same way in SQLite and PostgreSQL, keep microsecond
/// precision, and round-trip exactly: a `Date` rebuilt from the stored value converts back
/// to the same value, so a value returned by a write equals the one read back later.
extension Date {
    /// Microseconds since 1970, rounded to the nearest microsecond.
    var storageMicroseconds: Int64 {
        Int64((timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The instant `microseconds` after 1970-01-01T00:00:00Z.
    init(storageMicroseconds microseconds: Int64) {
        self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// This instant at storage precision: what a backend returns after storing it.
    var atStoragePrecision: Date {
        Date(storageMicroseconds: storageMicroseconds)
    }
}
