import Foundation
@testable import QuartermasterStorage
import Testing

/// The SQLite audit journal: records acknowledged before they reach the table survive the
/// process, a damaged journal is named, and one process at a time appends.
@Suite("SQLite audit journal")
struct AuditJournalTests {
    /// A temporary directory with a database path in it, removed afterwards.
    private func withDirectory(_ body: (URL) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qm-journal-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory)
    }

    /// Copies the database, its write-ahead log and its audit journal to `destination`: the
    /// files a killed process leaves, taken while nothing is being written.
    private func copyFiles(of database: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-audit-journal"] {
            let source = URL(fileURLWithPath: database.path + suffix)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try FileManager.default.copyItem(at: source, to: destination.appendingPathComponent(source.lastPathComponent))
        }
    }

    /// Five records appended through a backend whose journal is never flushed during the test:
    /// the odd ones sealed under the lock (`append`), the even ones prepared before it and
    /// linked under it (`appendImmediately(_:hash:)`), as the audit log appends.
    private func appendUnflushed(_ path: URL) async throws -> (SQLiteBackend, [AuditRecord]) {
        let backend = try SQLiteBackend.open(path: path.path, auditFlushInterval: .seconds(3600))
        let journal = try #require(backend.audit as? any ImmediateAuditStore)
        var records: [AuditRecord] = []
        for index in 0..<5 {
            let subject = "subject-\(index)"
            if index.isMultiple(of: 2) {
                let prepared = try seal(subject: subject)(.genesis)
                records.append(try journal.appendImmediately(prepared) { head in fakeHash(head.sequence + 1, subject) })
            } else {
                records.append(try await backend.audit.append(seal(subject: subject)))
            }
        }
        return (backend, records)
    }

    /// Five unflushed records and a copy, in `killed/`, of the files a process killed right
    /// after them leaves: the copy's database, the records and the copy's last journal segment.
    private func killedProcessFiles(in directory: URL) async throws -> (database: URL, records: [AuditRecord], lastSegment: URL) {
        let database = directory.appendingPathComponent("live/qm.db")
        let (live, records) = try await appendUnflushed(database)
        let killed = directory.appendingPathComponent("killed")
        try copyFiles(of: database, to: killed)
        try await live.close()
        let copy = killed.appendingPathComponent("qm.db")
        return (copy, records, try #require(try segments(of: copy).last))
    }

    @Test("records acknowledged but not yet in the table are committed when a killed process's files are opened again")
    func recoversAfterKill() async throws {
        try await withDirectory { directory in
            let (killed, records, _) = try await killedProcessFiles(in: directory)

            let reopened = try SQLiteBackend(path: killed.path)
            #expect(try await reopened.audit.records(AuditQuery()) == records)
            #expect(try await reopened.audit.head() == AuditChainHead(sequence: 5, hash: records[4].hash))
            #expect(try await reopened.audit.append(seal()).sequence == 6)
            try await reopened.close()
        }
    }

    @Test("a record prepared before the lock is linked after the head: the next sequence, the head's hash, the hash given for that head")
    func preparedRecordLinks() async throws {
        try await withDirectory { directory in
            let (backend, records) = try await appendUnflushed(directory.appendingPathComponent("qm.db"))
            for (index, record) in records.enumerated() {
                #expect(record.sequence == Int64(index + 1))
                #expect(record.previousHash == (index == 0 ? AuditChainHead.genesis.hash : records[index - 1].hash))
                #expect(record.hash == fakeHash(record.sequence, "subject-\(index)"))
            }
            #expect(try await backend.audit.records(AuditQuery()) == records)
            try await backend.close()
        }
    }

    @Test("closing commits the journal, and the next opener continues the chain")
    func closeCommits() async throws {
        try await withDirectory { directory in
            let database = directory.appendingPathComponent("qm.db")
            let (backend, records) = try await appendUnflushed(database)
            try await backend.close()

            let secondary = try SQLiteBackend(path: database.path, role: .secondary)
            #expect(try await secondary.audit.records(AuditQuery()) == records)
            try await secondary.close()
            let reopened = try SQLiteBackend(path: database.path)
            #expect(try await reopened.audit.append(seal()).previousHash == records[4].hash)
            try await reopened.close()
        }
    }

    @Test("a last line cut short (a write never acknowledged) is left out; the records before it are kept")
    func tornLastLine() async throws {
        try await withDirectory { directory in
            let (killed, records, segment) = try await killedProcessFiles(in: directory)
            let handle = try FileHandle(forWritingTo: segment)
            handle.seekToEndOfFile()
            handle.write(Data(#"{"action":"secret.read","decision":"al"#.utf8))
            try handle.close()

            let reopened = try SQLiteBackend(path: killed.path)
            #expect(try await reopened.audit.records(AuditQuery()) == records)
            try await reopened.close()
        }
    }

    @Test("a damaged line before the end refuses to open, naming the segment and line")
    func damagedLine() async throws {
        try await withDirectory { directory in
            let (killed, _, segment) = try await killedProcessFiles(in: directory)
            var lines = try String(contentsOf: segment, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            lines[1] = "not json"
            try lines.joined(separator: "\n").write(to: segment, atomically: true, encoding: .utf8)

            let error = #expect(throws: StorageError.self) {
                _ = try SQLiteBackend(path: killed.path)
            }
            #expect(error?.description.contains("\(segment.lastPathComponent) line 2 is damaged") == true)
        }
    }

    @Test("a journal that does not continue the database's chain refuses to open")
    func foreignJournal() async throws {
        try await withDirectory { directory in
            let (copy, _, _) = try await killedProcessFiles(in: directory)
            // Another database whose chain already has a record: the copied journal's first
            // record does not link to it.
            let other = directory.appendingPathComponent("other/qm.db")
            let otherBackend = try SQLiteBackend(path: other.path)
            _ = try await otherBackend.audit.append(seal(subject: "someone-else"))
            try await otherBackend.close()
            try FileManager.default.removeItem(atPath: other.path + "-audit-journal")
            try FileManager.default.copyItem(atPath: copy.path + "-audit-journal", toPath: other.path + "-audit-journal")

            let error = #expect(throws: StorageError.self) {
                _ = try SQLiteBackend(path: other.path)
            }
            #expect(error?.description.contains("does not continue this database's audit log") == true)
        }
    }

    @Test("while a server holds the file, a second server is refused and a secondary opener only reads")
    func oneAppender() async throws {
        try await withDirectory { directory in
            let database = directory.appendingPathComponent("qm.db")
            let server = try SQLiteBackend(path: database.path)
            let record = try await server.audit.append(seal())
            #expect(try await server.audit.head().sequence == 1)

            let error = #expect(throws: StorageError.self) {
                _ = try SQLiteBackend(path: database.path)
            }
            #expect(error?.description.contains("another quartermaster process is using this database") == true)

            let secondary = try SQLiteBackend(path: database.path, role: .secondary)
            #expect(try await secondary.audit.records(AuditQuery()) == [record])
            let refused = await #expect(throws: StorageError.self) {
                _ = try await secondary.audit.append(seal())
            }
            #expect(refused?.isUnavailable == true)
            try await secondary.close()
            try await server.close()
        }
    }

    @Test("committed segments are removed, so the journal does not grow")
    func segmentsRemoved() async throws {
        try await withDirectory { directory in
            let database = directory.appendingPathComponent("qm.db")
            let backend = try SQLiteBackend.open(path: database.path, auditFlushInterval: .milliseconds(5))
            for round in 0..<3 {
                for _ in 0..<20 { _ = try await backend.audit.append(seal()) }
                #expect(try await backend.audit.head().sequence == Int64(20 * (round + 1)))
            }
            // Two reads each flush: the segment written before the last one is gone.
            _ = try await backend.audit.append(seal())
            _ = try await backend.audit.head()
            #expect(try segments(of: database).count <= 2)
            try await backend.close()
        }
    }

    @Test("a flush's insert pauses between chunks and stores every record in order")
    func chunkedInsert() async throws {
        let source = try SQLiteBackend.inMemory()
        var records: [AuditRecord] = []
        for index in 0..<10 { records.append(try await source.audit.append(seal(subject: "subject-\(index)"))) }

        let destination = try SQLiteBackend.inMemory()
        let table = try #require(destination.audit as? SQLiteAuditStore)
        var pauses = 0
        let head = try table.insertBlocking(records, chunkSize: 3) { pauses += 1 }
        #expect(pauses == 3)
        #expect(head == AuditChainHead(sequence: 10, hash: records[9].hash))
        #expect(try await destination.audit.records(AuditQuery()) == records)
    }

    private func segments(of database: URL) throws -> [URL] {
        let journal = URL(fileURLWithPath: database.path + "-audit-journal")
        return try FileManager.default.contentsOfDirectory(at: journal, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jsonl" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
