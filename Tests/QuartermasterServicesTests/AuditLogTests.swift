import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Synchronization
import Testing

@Suite("Audit log hash chain")
struct AuditLogTests {
    /// Writes five records, reads them back (which commits journaled records to the table,
    /// where the tampering tests change them) and returns the log and backend.
    private func fiveRecords(_ kind: BackendKind) async throws -> (AuditLog, TestBackend) {
        let test = try await TestBackend.make(kind)
        let log = AuditLog(store: test.backend.audit, key: AuditKey.generate().key, writeTimeout: Fixtures.writeTimeout)
        for number in 1...5 {
            try await log.record(Fixtures.event(number))
        }
        #expect(try await log.records(AuditQuery()).count == 5)
        return (log, test)
    }

    @Test("an untouched chain verifies", arguments: BackendKind.available)
    func intact(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        let result = try await log.verify()
        #expect(result.isIntact)
        #expect(result.recordsChecked == 5)
    }

    @Test("records link to their predecessor and keep their details", arguments: BackendKind.available)
    func linking(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        let records = try await log.records(AuditQuery(limit: 10))
        #expect(records.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(records[0].previousHash == AuditChainHead.genesis.hash)
        for (earlier, later) in zip(records, records.dropFirst()) {
            #expect(later.previousHash == earlier.hash)
        }
        #expect(records[2].details == ["n": "3"])
    }

    @Test("an edited record is named as the first bad one", arguments: BackendKind.available)
    func edited(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        try await test.execute("UPDATE audit_records SET decision = 'deny' WHERE sequence = 3")
        let problem = try #require(try await log.verify().firstProblem)
        #expect(problem.sequence == 3)
        #expect(problem.kind == .edited)
    }

    @Test("a deleted record is named", arguments: BackendKind.available)
    func deleted(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        try await test.execute("DELETE FROM audit_records WHERE sequence = 2")
        let problem = try #require(try await log.verify().firstProblem)
        #expect(problem.sequence == 2)
        #expect(problem.kind == .deleted)
    }

    @Test("deleting the newest record is caught by the chain head", arguments: BackendKind.available)
    func deletedTail(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        try await test.execute("DELETE FROM audit_records WHERE sequence = 5")
        let problem = try #require(try await log.verify().firstProblem)
        #expect(problem.sequence == 5)
        #expect(problem.kind == .deleted)
    }

    @Test("an inserted record is named", arguments: BackendKind.available)
    func inserted(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        // Shift records 3...5 up by one and forge a record 3 that links to record 2.
        try await test.execute("UPDATE audit_records SET sequence = sequence + 100 WHERE sequence >= 3")
        try await test.execute("UPDATE audit_records SET sequence = sequence - 99 WHERE sequence >= 103")
        try await test.execute("""
            INSERT INTO audit_records (sequence, time, request_id, subject, action, resource, decision, reason, source, details, previous_hash, hash)
            SELECT 3, time, 'forged', 'intruder', action, resource, 'allow', 'forged', source, details, hash, hash FROM audit_records WHERE sequence = 2
            """)
        let problem = try #require(try await log.verify().firstProblem)
        #expect(problem.sequence == 3)
        #expect(problem.kind == .edited || problem.kind == .inserted)
    }

    @Test("swapped records are named", arguments: BackendKind.available)
    func reordered(kind: BackendKind) async throws {
        let (log, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        try await test.execute("UPDATE audit_records SET sequence = 100 WHERE sequence = 2")
        try await test.execute("UPDATE audit_records SET sequence = 2 WHERE sequence = 3")
        try await test.execute("UPDATE audit_records SET sequence = 3 WHERE sequence = 100")
        let problem = try #require(try await log.verify().firstProblem)
        #expect(problem.sequence == 2)
        #expect(problem.kind == .reordered || problem.kind == .inserted)
    }

    @Test("editing a reason that SQLite keeps once breaks every record that uses it")
    func editedSharedText() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let log = AuditLog(store: test.backend.audit, key: AuditKey.generate().key, writeTimeout: Fixtures.writeTimeout)
        for number in 1...4 {
            var event = Fixtures.event(number)
            event.reason = "allowed by role gateway-read grant read secret/gateway/** at policy.yaml:40:7"
            try await log.record(event)
        }
        #expect(try await log.verify().isIntact)
        try await test.execute("UPDATE audit_texts SET text = 'denied by default' WHERE text LIKE 'allowed by role gateway-read%'")
        let problem = try #require(try await log.verify().firstProblem)
        #expect(problem.sequence == 2, "the first record keeps its own reason; the second is the first to use the kept one")
        #expect(problem.kind == .edited)
    }

    @Test("a chain written under one key does not verify under another", arguments: BackendKind.available)
    func wrongKey(kind: BackendKind) async throws {
        let (_, test) = try await fiveRecords(kind)
        defer { Task { try await test.cleanup() } }
        let stranger = AuditLog(store: test.backend.audit, key: AuditKey.generate().key, writeTimeout: Fixtures.writeTimeout)
        let problem = try #require(try await stranger.verify().firstProblem)
        #expect(problem.sequence == 1)
    }

    @Test("many concurrent writers share commits and still form one intact, gapless chain", arguments: BackendKind.available)
    func groupCommit(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let log = AuditLog(store: test.backend.audit, key: AuditKey.generate().key, writeTimeout: Fixtures.writeTimeout)
        let sequences = try await withThrowingTaskGroup(of: Int64.self) { group in
            for number in 1...200 {
                group.addTask { try await log.record(Fixtures.event(number)).sequence }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(sequences.sorted() == Array(1...200))
        let result = try await log.verify()
        #expect(result.isIntact)
        #expect(result.recordsChecked == 200)
    }

    @Test("a failing store makes the write fail fast with unavailable")
    func failingStore() async throws {
        let log = AuditLog(store: FailingAuditStore(), key: AuditKey.generate().key)
        await #expect(throws: ServiceError.unavailable("the audit log cannot be written")) {
            try await log.record(Fixtures.event(1))
        }
    }

    @Test("a hanging store makes the write fail at the timeout instead of hanging")
    func hangingStore() async throws {
        let log = AuditLog(store: HangingAuditStore(), key: AuditKey.generate().key, writeTimeout: .milliseconds(100))
        await #expect(throws: ServiceError.unavailable("the audit log cannot be written")) {
            try await log.record(Fixtures.event(1))
        }
    }

    @Test("a failing store that appends on its own thread makes the write fail fast with unavailable")
    func failingBlockingStore() async throws {
        let log = AuditLog(store: FailingBlockingAuditStore(), key: AuditKey.generate().key)
        await #expect(throws: ServiceError.unavailable("the audit log cannot be written")) {
            try await log.record(Fixtures.event(1))
        }
    }

    @Test("a failing store that appends on the requesting task makes the write fail with unavailable")
    func failingImmediateStore() async throws {
        let log = AuditLog(store: FailingImmediateAuditStore(), key: AuditKey.generate().key)
        await #expect(throws: ServiceError.unavailable("the audit log cannot be written")) {
            try await log.record(Fixtures.event(1))
        }
    }

    @Test("a store that blocks its thread past the timeout fails the write instead of hanging, and once it answers the next write commits")
    func stalledBlockingStore() async throws {
        let store = StallingBlockingAuditStore()
        let log = AuditLog(store: store, key: AuditKey.generate().key, writeTimeout: .milliseconds(100))
        await #expect(throws: ServiceError.unavailable("the audit log cannot be written")) {
            try await log.record(Fixtures.event(1))
        }
        store.release()
        let record = try await log.record(Fixtures.event(2))
        #expect(record.requestID == "req-2")
    }

    @Test("the JSON-lines copy gets one line per record")
    func jsonLinesCopy() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = AuditLog(store: test.backend.audit, key: AuditKey.generate().key, copy: try AuditLineWriter(destination: path), writeTimeout: Fixtures.writeTimeout)
        try await log.record(Fixtures.event(1))
        try await log.record(Fixtures.event(2))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains("\"requestID\":\"req-2\""))
    }
}

/// A store whose writes always fail, as when the disk is full or the database is down.
struct FailingAuditStore: AuditStore {
    struct Down: Error {}
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] { throw Down() }
    func records(_ query: AuditQuery) async throws -> [AuditRecord] { throw Down() }
    func head() async throws -> AuditChainHead { throw Down() }
}

/// A store whose writes never return and ignore cancellation.
struct HangingAuditStore: AuditStore {
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] {
        await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
        fatalError("unreachable")
    }
    func records(_ query: AuditQuery) async throws -> [AuditRecord] { [] }
    func head() async throws -> AuditChainHead { .genesis }
}

/// A store appending on the calling thread whose writes always fail.
struct FailingBlockingAuditStore: BlockingAuditStore {
    func appendBlocking(count: Int, _ seal: (AuditChainHead, Int) throws -> AuditRecord) throws -> [AuditRecord] { throw FailingAuditStore.Down() }
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] { throw FailingAuditStore.Down() }
    func records(_ query: AuditQuery) async throws -> [AuditRecord] { [] }
    func head() async throws -> AuditChainHead { .genesis }
}

/// A store appending on the requesting task whose writes always fail, as a full disk.
struct FailingImmediateAuditStore: ImmediateAuditStore {
    func appendImmediately(_ record: AuditRecord, hash: (AuditChainHead) -> String) throws -> AuditRecord { throw FailingAuditStore.Down() }
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] { throw FailingAuditStore.Down() }
    func records(_ query: AuditQuery) async throws -> [AuditRecord] { [] }
    func head() async throws -> AuditChainHead { .genesis }
}

/// A store appending on the calling thread that blocks it until `release()`, as a disk that
/// stops answering for a while.
final class StallingBlockingAuditStore: BlockingAuditStore {
    private let released = DispatchSemaphore(value: 0)
    private let head = Mutex(AuditChainHead.genesis)

    /// Lets the stalled append, and every later one, through.
    func release() { released.signal() }

    func appendBlocking(count: Int, _ seal: (AuditChainHead, Int) throws -> AuditRecord) throws -> [AuditRecord] {
        released.wait()
        released.signal()
        return try head.withLock { head in
            try (0..<count).map { index in
                let record = try seal(head, index)
                head = AuditChainHead(sequence: record.sequence, hash: record.hash)
                return record
            }
        }
    }

    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] {
        try appendBlocking(count: count, seal)
    }

    func records(_ query: AuditQuery) async throws -> [AuditRecord] { [] }
    func head() async throws -> AuditChainHead { head.withLock { $0 } }
}
