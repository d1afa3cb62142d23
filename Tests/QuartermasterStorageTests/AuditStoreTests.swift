import Foundation
import QuartermasterStorage
import Testing

@Suite("AuditStore contract")
struct AuditStoreTests {
    @Test("append links each record to the head and moves the head", arguments: BackendKind.available)
    func appendLinks(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let audit = backend.audit
            #expect(try await audit.head() == .genesis)

            let first = try await audit.append(seal())
            #expect(first.sequence == 1)
            #expect(first.previousHash == AuditChainHead.genesis.hash)
            #expect(try await audit.head() == AuditChainHead(sequence: 1, hash: first.hash))

            let second = try await audit.append(seal(subject: "bob"))
            #expect(second.sequence == 2)
            #expect(second.previousHash == first.hash)
            #expect(try await audit.head() == AuditChainHead(sequence: 2, hash: second.hash))
            #expect(try await audit.records(AuditQuery()) == [first, second])
        }
    }

    @Test("a throwing seal writes nothing", arguments: BackendKind.available)
    func throwingSeal(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let audit = backend.audit
            let first = try await audit.append(seal())
            await #expect(throws: SealFailure.self) {
                try await audit.append { _ in throw SealFailure() }
            }
            #expect(try await audit.head() == AuditChainHead(sequence: 1, hash: first.hash))
            #expect(try await audit.records(AuditQuery()) == [first])
            #expect(try await audit.append(seal()).sequence == 2)
        }
    }

    @Test("a sealed record that does not extend the head is refused", arguments: BackendKind.available)
    func brokenLink(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ throws in
            let audit = backend.audit
            let valid = seal()
            let skipsSequence: @Sendable (AuditChainHead) throws -> AuditRecord = { head in
                var record = try valid(head)
                record.sequence += 1
                return record
            }
            let forksChain: @Sendable (AuditChainHead) throws -> AuditRecord = { head in
                var record = try valid(head)
                record.previousHash = String(repeating: "f", count: 64)
                return record
            }
            for broken in [skipsSequence, forksChain] {
                let error = await #expect(throws: StorageError.self) {
                    try await audit.append(broken)
                }
                #expect(error?.isConflict == true)
            }
            #expect(try await audit.head() == .genesis)
            #expect(try await audit.records(AuditQuery()).isEmpty)
        }
    }

    @Test("records filters by subject, time and sequence, ascending, up to the limit", arguments: BackendKind.available)
    func recordsQuery(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let audit = backend.audit
            let start = Date(timeIntervalSince1970: 1_750_000_000)
            var stored: [AuditRecord] = []
            for index in 0..<6 {
                stored.append(try await audit.append(seal(
                    subject: index.isMultiple(of: 2) ? "alice" : "bob",
                    time: start.addingTimeInterval(Double(index)))))
            }
            func sequences(_ query: AuditQuery) async throws -> [Int64] {
                try await audit.records(query).map(\.sequence)
            }
            #expect(try await audit.records(AuditQuery()) == stored)
            #expect(try await sequences(AuditQuery(subject: "alice")) == [1, 3, 5])
            #expect(try await sequences(AuditQuery(subject: "carol")) == [])
            #expect(try await sequences(AuditQuery(since: start.addingTimeInterval(3))) == [4, 5, 6])
            #expect(try await sequences(AuditQuery(afterSequence: 4)) == [5, 6])
            #expect(try await sequences(AuditQuery(limit: 2)) == [1, 2])
            #expect(try await sequences(AuditQuery(limit: 0)) == [])
            #expect(try await sequences(AuditQuery(
                subject: "bob", since: start.addingTimeInterval(1), afterSequence: 2, limit: 1)) == [4])
        }
    }

    @Test("details, text and time round-trip", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let time = Date(timeIntervalSince1970: 1_760_000_000.987_654_321)
            let details = [
                "token_hmac": String(repeating: "c", count: 64),
                "quote\"and\\slash/": "line\nbreak, tab\t, ünïcödé ✓",
                "empty": "",
            ]
            let appended = try await backend.audit.append(seal(subject: "spiffe://x/ü", time: time, details: details))
            let read = try #require(try await backend.audit.records(AuditQuery()).first)
            #expect(read == appended)
            #expect(read.details == details)
            #expect(read.subject == "spiffe://x/ü")
            #expect(abs(read.time.timeIntervalSince(time)) < 0.000_001)

            let empty = try await backend.audit.append(seal(details: [:]))
            #expect(try await backend.audit.records(AuditQuery(afterSequence: 1)) == [empty])
        }
    }

    @Test("concurrent appends form one gapless chain", arguments: BackendKind.available)
    func concurrentAppends(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let audit = backend.audit
            let count = 16
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask { _ = try await audit.append(seal(subject: "worker-\(index)")) }
                }
                try await group.waitForAll()
            }
            let records = try await audit.records(AuditQuery(limit: 100))
            #expect(records.map(\.sequence) == Array(1...Int64(count)))
            var previous = AuditChainHead.genesis.hash
            for record in records {
                #expect(record.previousHash == previous)
                previous = record.hash
            }
            #expect(try await audit.head() == AuditChainHead(sequence: Int64(count), hash: previous))
        }
    }
}
