import Foundation
import QuartermasterStorage
import Testing

@Suite("ReplayStore contract")
struct ReplayStoreTests {
    @Test("an id is accepted once until it expires, then again", arguments: BackendKind.available)
    func useOnce(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ throws in
            let replay = backend.replay
            #expect(try await replay.use("jti-1", expiresAt: instant(60), now: instant(0)))
            #expect(try await replay.use("jti-1", expiresAt: instant(60), now: instant(1)) == false)
            #expect(try await replay.use("jti-1", expiresAt: instant(500), now: instant(59, micros: 999_999)) == false)
            #expect(try await replay.use("jti-2", expiresAt: instant(60), now: instant(1)), "ids are independent")

            // At expiresAt the token is expired, so the id is free again, with its new expiry.
            #expect(try await replay.use("jti-1", expiresAt: instant(120), now: instant(60)))
            #expect(try await replay.use("jti-1", expiresAt: instant(120), now: instant(61)) == false)
            #expect(try await replay.use("jti-1", expiresAt: instant(200), now: instant(119)) == false)
            #expect(try await replay.use("jti-1", expiresAt: instant(200), now: instant(121)))
        }
    }

    @Test("of 20 simultaneous uses of one id exactly one succeeds", arguments: BackendKind.available)
    func concurrentUse(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ throws in
            let replay = backend.replay
            let fresh = try await concurrently(20) { _ in
                try await replay.use("jti-race", expiresAt: instant(60), now: instant(0))
            }
            #expect(fresh.count(where: { $0 }) == 1)

            // The same race on an expired entry: exactly one renews it.
            let renewed = try await concurrently(20) { index in
                try await replay.use("jti-race", expiresAt: instant(120 + Int64(index)), now: instant(60))
            }
            #expect(renewed.count(where: { $0 }) == 1)
            #expect(try await replay.use("jti-race", expiresAt: instant(500), now: instant(119)) == false)
        }
    }

    @Test("purge deletes expired entries up to the limit and returns the count", arguments: BackendKind.available)
    func purge(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ throws in
            let replay = backend.replay
            for index in 0..<5 {
                #expect(try await replay.use("old-\(index)", expiresAt: instant(Int64(10 + index)), now: instant(0)))
            }
            #expect(try await replay.use("boundary", expiresAt: instant(100), now: instant(0)))
            #expect(try await replay.use("live", expiresAt: instant(1000), now: instant(0)))

            #expect(try await replay.purge(before: instant(100), limit: 0) == 0)
            #expect(try await replay.purge(before: instant(100), limit: 2) == 2)
            #expect(try await replay.purge(before: instant(100), limit: 10) == 3, "the entry expiring at now stays")
            #expect(try await replay.purge(before: instant(100), limit: 10) == 0)
            #expect(try await replay.use("live", expiresAt: instant(2000), now: instant(100)) == false, "live entries survive a purge")
            #expect(try await replay.use("boundary", expiresAt: instant(2000), now: instant(99)) == false)
            #expect(try await replay.purge(before: instant(100, micros: 1), limit: 10) == 1)
            #expect(try await replay.use("old-0", expiresAt: instant(2000), now: instant(100)))
        }
    }
}
