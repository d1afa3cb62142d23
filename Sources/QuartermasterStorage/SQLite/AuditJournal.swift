import Foundation
import QuartermasterCore

/// The append-only files that hold audit records between their append and their commit to
/// the `audit_records` table: a directory next to the database with numbered segments
/// (`00000001.jsonl`, one JSON object a line, the chain's members last) and a `lock` file.
///
/// An append is one `pwrite` to the active segment: once it returns, the records survive the
/// process being killed (they are in the kernel's page cache); they reach the disk when the
/// table commit that takes them syncs. `rotate()` starts a new segment, so the records
/// appended before it can be deleted once committed (`removeSegments(before:)`) while later
/// appends go on. The lock (`flock`) keeps a second process from appending to the same
/// database's audit log.
///
/// Not thread-safe: the owning store serializes every call.
final class AuditJournal {
    /// The journal directory.
    let directory: String
    private let lockDescriptor: Int32
    private var active: (number: Int, descriptor: Int32, size: Int)

    /// Opens (creating when missing, mode 0700) the journal directory and locks it.
    ///
    /// - Throws: `StorageError.unavailable` when another process holds the lock or a file
    ///   cannot be created.
    init(directory: String) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StorageError.unavailable("cannot create the audit journal directory \(directory): \(error.localizedDescription)")
        }
        lockDescriptor = try Self.open(directory + "/lock", flags: O_RDWR | O_CREAT)
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(lockDescriptor)
            throw StorageError.unavailable("the audit journal \(directory) is locked: another quartermaster process is using this database")
        }
        do {
            let next = (try Self.segmentNumbers(in: directory).last ?? 0) + 1
            active = (next, try Self.open(Self.segmentPath(directory, next), flags: O_WRONLY | O_CREAT | O_TRUNC), 0)
        } catch {
            Glibc.close(lockDescriptor)
            throw error
        }
    }

    /// Writes `records`, one line each, at the end of the active segment in one `pwrite`.
    /// On failure nothing of the batch stays in the file.
    func append(_ records: [AuditRecord]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 512)
        for record in records {
            bytes.append(contentsOf: Self.line(Self.lineStart(record), linking: record))
        }
        try write(bytes)
    }

    /// Writes one record's line, begun earlier by `lineStart(_:)` from the same record.
    func append(_ lineStart: JSONObjectWriter, linking record: AuditRecord) throws {
        try write(Self.line(lineStart, linking: record))
    }

    private func write(_ bytes: [UInt8]) throws {
        let start = active.size
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                pwrite(active.descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(start + written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                _ = ftruncate(active.descriptor, off_t(start))
                throw StorageError.unavailable("cannot write the audit journal \(directory): \(reason)")
            }
            written += result
        }
        active.size = start + written
    }

    /// The number of the segment appends go to.
    var activeSegment: Int { active.number }

    /// Starts a new active segment when the current one holds records, and returns the number
    /// of the segment now active: every record appended before this call is in a segment
    /// with a lower number.
    @discardableResult
    func rotate() throws -> Int {
        guard active.size > 0 else { return active.number }
        let next = active.number + 1
        let descriptor = try Self.open(Self.segmentPath(directory, next), flags: O_WRONLY | O_CREAT | O_TRUNC)
        Glibc.close(active.descriptor)
        active = (next, descriptor, 0)
        return next
    }

    /// Deletes the segments in `directory` numbered below `number` (their records are
    /// committed). Touches no open file, so it runs outside the owner's lock.
    static func removeSegments(in directory: String, before number: Int) throws {
        for segment in try Self.segmentNumbers(in: directory) where segment < number {
            guard unlink(Self.segmentPath(directory, segment)) == 0 || errno == ENOENT else {
                throw StorageError.unavailable("cannot remove the audit journal segment \(Self.segmentPath(directory, segment)): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Every record in the segments before the active one, in the order written. A last line
    /// cut short (a write the killed process never finished, so never acknowledged) is left
    /// out; any other line that does not read back is an error naming its file and line.
    func recordsBeforeActive() throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for segment in try Self.segmentNumbers(in: directory) where segment < active.number {
            let path = Self.segmentPath(directory, segment)
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw StorageError.unavailable("cannot read the audit journal segment \(path)")
            }
            let lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where !line.isEmpty {
                let isUnfinishedLast = index == lines.count - 1
                do {
                    records.append(try JSONDecoder().decode(JournalLine.self, from: line).record)
                } catch {
                    if isUnfinishedLast { break }
                    throw StorageError.unavailable("the audit journal segment \(path) line \(index + 1) is damaged")
                }
            }
        }
        return records
    }

    /// Closes the files and releases the lock.
    func close() {
        Glibc.close(active.descriptor)
        flock(lockDescriptor, LOCK_UN)
        Glibc.close(lockDescriptor)
    }

    /// A record's journal line up to its place in the chain: every member but `sequence`,
    /// `previous_hash` and `hash`, which `line(_:linking:)` adds once they are known. Needs no
    /// lock, so the owning store calls it before taking its own.
    static func lineStart(_ record: AuditRecord) -> JSONObjectWriter {
        var writer = JSONObjectWriter(capacity: 512)
        writer.string("action", record.action)
        writer.string("decision", record.decision)
        writer.object("details", record.details)
        writer.string("reason", record.reason)
        writer.string("request_id", record.requestID)
        writer.string("resource", record.resource)
        writer.string("source", record.source)
        writer.string("subject", record.subject)
        writer.number("time", record.time.storageMicroseconds)
        return writer
    }

    /// The whole line: `lineStart`'s members, then the chain's, then a newline.
    private static func line(_ lineStart: JSONObjectWriter, linking record: AuditRecord) -> [UInt8] {
        var writer = lineStart
        writer.number("sequence", record.sequence)
        writer.string("previous_hash", record.previousHash)
        writer.string("hash", record.hash)
        var bytes = writer.finish()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func open(_ path: String, flags: Int32) throws -> Int32 {
        let descriptor = Glibc.open(path, flags | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StorageError.unavailable("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    private static func segmentPath(_ directory: String, _ number: Int) -> String {
        let digits = String(number)
        return directory + "/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".jsonl"
    }

    private static func segmentNumbers(in directory: String) throws -> [Int] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw StorageError.unavailable("cannot list the audit journal directory \(directory): \(error.localizedDescription)")
        }
        return names.compactMap { name in name.hasSuffix(".jsonl") ? Int(name.dropLast(".jsonl".count)) : nil }.sorted()
    }
}

/// One journal line as written by `AuditJournal.append`.
private struct JournalLine: Decodable {
    let action, decision, hash, reason, resource, source, subject: String
    let details: [String: String]
    let previousHash: String
    let requestID: String
    let sequence: Int64
    let time: Int64

    enum CodingKeys: String, CodingKey {
        case action, decision, details, hash, reason, resource, sequence, source, subject, time
        case previousHash = "previous_hash"
        case requestID = "request_id"
    }

    var record: AuditRecord {
        AuditRecord(
            sequence: sequence, time: Date(storageMicroseconds: time), requestID: requestID, subject: subject,
            action: action, resource: resource, decision: decision, reason: reason, source: source,
            details: details, previousHash: previousHash, hash: hash)
    }
}
