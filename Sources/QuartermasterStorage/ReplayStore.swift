import Foundation

/// Single-use identifiers, such as the `jti` of a client assertion (RFC 7523 section 3).
///
/// An entry blocks its identifier while `now < expiresAt`: from `expiresAt` on, the token
/// carrying it is expired anyway (RFC 7519 `exp`), so the identifier may be recorded again.
public protocol ReplayStore: Sendable {
    /// Records `id` as used until `expiresAt`; returns false when it was already recorded and
    /// has not yet expired at `now` (a replay), leaving that entry unchanged.
    ///
    /// Atomic across concurrent callers and replicas: of any number of simultaneous calls
    /// with one id, exactly one returns true.
    func use(_ id: String, expiresAt: Date, now: Date) async throws -> Bool
    /// Deletes at most `limit` entries that expired before `now` (`expiresAt < now`), oldest
    /// first, and returns how many it deleted.
    func purge(before now: Date, limit: Int) async throws -> Int
}
