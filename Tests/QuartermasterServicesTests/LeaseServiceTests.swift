import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Leases: granted under the caller's token, renewed within bounds, revoked as a tree")
struct LeaseServiceTests {
    private let terms = LeaseTerms(ttl: .seconds(900), maxTTL: .seconds(3600))

    private func tokenCaller(jti: String, expiresIn seconds: TimeInterval, now: Date) -> Principal {
        Principal(identity: "gateway-service", method: "access_token", credentialID: jti, expiresAt: now.addingTimeInterval(seconds))
    }

    /// Grants a lease on `secret/team/N` to the Nth caller, all at once; the leases in any order.
    private func grantAtOnce(_ leases: LeaseService, to callers: [Principal], now: Date) async throws -> [StoredLease] {
        let terms = self.terms
        return try await withThrowingTaskGroup(of: StoredLease.self) { group in
            for (index, caller) in callers.enumerated() {
                group.addTask { try await leases.grant(kind: "secret", resource: "secret/team/\(index)", terms: terms, to: caller, now: now) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("a lease taken with an access token hangs under the token's lease and never outlives the token", arguments: BackendKind.available)
    func underToken(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let leases = LeaseService(store: test.backend.leases, revocations: test.backend.revocations)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let lease = try await leases.grant(kind: "secret", resource: "secret/gateway/proxy-auth/upstream", terms: terms, to: tokenCaller(jti: "j1", expiresIn: 600, now: now), now: now)
        #expect(lease.id.hasPrefix("secret/gateway/proxy-auth/upstream/"))
        #expect(lease.parentID == "token/j1")
        #expect(lease.expiresAt == now.addingTimeInterval(600), "capped by the token's expiry")
        #expect(try await leases.lease(id: "token/j1", now: now).kind == "token")
    }

    @Test("leases granted at once are each stored and each readable afterwards", arguments: BackendKind.available)
    func concurrentGrants(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let leases = LeaseService(store: test.backend.leases, revocations: test.backend.revocations, writeTimeout: Fixtures.writeTimeout)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let callers = (0..<50).map { tokenCaller(jti: "c\($0)", expiresIn: 600, now: now) }
        let granted = try await grantAtOnce(leases, to: callers, now: now)
        #expect(Set(granted.map(\.id)).count == 50)
        for lease in granted {
            #expect(try await leases.lease(id: lease.id, now: now) == lease)
        }
    }

    @Test("requests racing with one token all get leases under the one token lease they create", arguments: BackendKind.available)
    func racingOnOneToken(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let leases = LeaseService(store: test.backend.leases, revocations: test.backend.revocations, writeTimeout: Fixtures.writeTimeout)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let caller = tokenCaller(jti: "shared", expiresIn: 600, now: now)
        let granted = try await grantAtOnce(leases, to: Array(repeating: caller, count: 20), now: now)
        #expect(granted.count == 20)
        #expect(granted.allSatisfy { $0.parentID == "token/shared" })
        #expect(try await leases.lease(id: "token/shared", now: now).kind == "token")
    }

    @Test("renewal extends by the increment up to max_ttl; expired or unknown leases are not found", arguments: BackendKind.available)
    func renew(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let leases = LeaseService(store: test.backend.leases, revocations: test.backend.revocations)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let caller = Principal(identity: "gateway-service", method: "api_key", credentialID: "k1")
        let lease = try await leases.grant(kind: "secret", resource: "secret/a", terms: terms, to: caller, now: now)
        let renewed = try await leases.renew(id: lease.id, increment: .seconds(1800), now: now.addingTimeInterval(600))
        #expect(renewed.expiresAt == now.addingTimeInterval(2400))
        let capped = try await leases.renew(id: lease.id, increment: .seconds(7200), now: now.addingTimeInterval(1200))
        #expect(capped.expiresAt == now.addingTimeInterval(3600))
        await #expect(throws: ServiceError.self) { _ = try await leases.renew(id: lease.id, increment: nil, now: now.addingTimeInterval(3601)) }
        await #expect(throws: ServiceError.self) { _ = try await leases.renew(id: "secret/a/nope", increment: nil, now: now) }
        let fixed = try await leases.grant(kind: "secret", resource: "secret/b", terms: LeaseTerms(ttl: .seconds(60), renewable: false), to: caller, now: now)
        await #expect(throws: ServiceError.invalidInput("lease \(fixed.id) is not renewable")) { _ = try await leases.renew(id: fixed.id, increment: nil, now: now) }
    }

    @Test("revoking a token's lease revokes what was leased under it and the token itself; prefix revocation is literal", arguments: BackendKind.available)
    func revokeTree(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let leases = LeaseService(store: test.backend.leases, revocations: test.backend.revocations)
        let now = Date()
        let caller = tokenCaller(jti: "orchestrator-jti", expiresIn: 900, now: now)
        let child = try await leases.grantToken(jti: "job-jti", subject: "worker", expiresAt: now.addingTimeInterval(300), parentJTI: "orchestrator-jti", now: now)
        #expect(child.parentID == nil, "no parent lease exists yet for the orchestrator's token")
        let secret = try await leases.grant(kind: "secret", resource: "secret/llm/openai", terms: terms, to: caller, now: now)
        let job = try await leases.grantToken(jti: "job-2", subject: "worker", expiresAt: now.addingTimeInterval(300), parentJTI: "orchestrator-jti", now: now)
        #expect(job.parentID == "token/orchestrator-jti")
        let revoked = try await leases.revoke(id: "token/orchestrator-jti", reason: "test", now: now)
        #expect(Set(revoked.map(\.id)) == ["token/orchestrator-jti", secret.id, "token/job-2"])
        #expect(try await test.backend.revocations.isRevoked(jti: "orchestrator-jti"))
        #expect(try await test.backend.revocations.isRevoked(jti: "job-2"))
        #expect(try await test.backend.revocations.isRevoked(jti: "job-jti") == false)

        let other = Principal(identity: "gateway-service", method: "api_key", credentialID: "k")
        let a = try await leases.grant(kind: "secret", resource: "secret/gateway/a", terms: terms, to: other, now: now)
        _ = try await leases.grant(kind: "secret", resource: "secret/gatewayx/b", terms: terms, to: other, now: now)
        #expect(try await leases.revoke(prefix: "secret/gateway/", reason: "test", now: now).map(\.id) == [a.id])
        await #expect(throws: ServiceError.invalidInput("prefix must not be empty")) { _ = try await leases.revoke(prefix: "", reason: "t", now: now) }
    }

    @Test("the sweeper removes expired leases in bounded batches and audits each batch", arguments: BackendKind.available)
    func sweeper(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let now = Date()
        for index in 0..<25 {
            try await test.backend.leases.insert(StoredLease(id: "secret/x/\(index)", subject: "s", kind: "secret", resource: "secret/x", issuedAt: now.addingTimeInterval(-100), expiresAt: now.addingTimeInterval(-1), maxExpiresAt: now.addingTimeInterval(-1), renewable: true))
        }
        try await test.backend.leases.insert(StoredLease(id: "secret/x/live", subject: "s", kind: "secret", resource: "secret/x", issuedAt: now, expiresAt: now.addingTimeInterval(60), maxExpiresAt: now.addingTimeInterval(60), renewable: true))
        let audit = AuditLog(store: test.backend.audit, key: AuditKey.generate().key, writeTimeout: Fixtures.writeTimeout)
        let sweeper = LeaseSweeper(store: test.backend.leases, audit: audit, batchSize: 10, maxBatchesPerPass: 2, logger: .init(label: "test"))
        #expect(try await sweeper.sweepPass(now: now) == 20, "at most two batches per pass")
        #expect(try await sweeper.sweepPass(now: now) == 5)
        #expect(try await sweeper.sweepPass(now: now) == 0)
        #expect(try await test.backend.leases.countLive(now: now) == 1)
        let records = try await audit.tail(10)
        #expect(records.filter { $0.action == "expire" }.map(\.reason) == ["10 lease(s) expired", "10 lease(s) expired", "5 lease(s) expired"])
    }
}
