import Foundation
import QuartermasterStorage
import Synchronization

/// Appends each audit record as one JSON line to a file or to standard output.
public final class AuditLineWriter: Sendable {
    private let handle: Mutex<FileHandle>
    private let encoder: JSONEncoder

    /// `destination` is a file path (created if missing, appended to) or `-` for stdout.
    public init(destination: String) throws {
        if destination == "-" {
            handle = Mutex(FileHandle.standardOutput)
        } else {
            if !FileManager.default.fileExists(atPath: destination) {
                _ = FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            guard let file = FileHandle(forWritingAtPath: destination) else {
                throw ServiceError.invalidInput("audit_log: cannot open \(destination) for writing")
            }
            file.seekToEndOfFile()
            handle = Mutex(file)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        self.encoder = encoder
    }

    /// Writes one record as a line.
    public func write(_ record: AuditRecord) {
        guard var line = try? encoder.encode(record) else { return }
        line.append(0x0a)
        handle.withLock { $0.write(line) }
    }
}
