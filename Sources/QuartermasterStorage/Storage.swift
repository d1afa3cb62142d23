import Foundation
import Logging

/// How a process uses the storage it opens.
public enum StorageRole: Sendable {
    /// The server: on SQLite, the one process that appends to the audit log; opening fails
    /// while another process holds the file's audit journal.
    case server
    /// Another opener of storage a server may be using (`audit verify`, tests): on SQLite its
    /// audit log is read-only and shows the records committed to the table; on PostgreSQL,
    /// where replicas share the chain, it is the same as `server`.
    case secondary
}

/// Opens the storage backend a URL names.
public enum Storage {
    /// Opens and migrates the backend for `url`:
    ///
    /// - `sqlite:PATH`, `sqlite://PATH` or a plain file path: `SQLiteBackend` (`sqlite:///abs/x.db`
    ///   and `sqlite:/abs/x.db` are absolute, `sqlite:x.db` is relative to the working directory);
    /// - `postgres://...` or `postgresql://...`: `PostgresBackend`.
    ///
    /// - Throws: `StorageError.invalidURL` for any other URL (the message names the scheme,
    ///   never the whole URL), `StorageError.unavailable` when the backend cannot be opened.
    public static func open(url: String, logger: Logger, role: StorageRole = .server) async throws -> any StorageBackend {
        switch try Location(url) {
        case .sqlite(let path):
            let backend = try SQLiteBackend(path: path, role: role)
            logger.info("opened SQLite storage", metadata: ["path": "\(path)"])
            return backend
        case .postgres:
            return try await PostgresBackend.connect(url: url, logger: logger)
        }
    }

    /// Which backend a storage URL names.
    enum Location: Equatable {
        case sqlite(path: String)
        case postgres

        init(_ url: String) throws {
            let lowercased = url.lowercased()
            if lowercased.hasPrefix("postgres://") || lowercased.hasPrefix("postgresql://") {
                self = .postgres
                return
            }
            let path: String
            if lowercased.hasPrefix("sqlite://") {
                path = String(url.dropFirst("sqlite://".count))
            } else if lowercased.hasPrefix("sqlite:") {
                path = String(url.dropFirst("sqlite:".count))
            } else if let scheme = Self.scheme(of: url) {
                throw StorageError.invalidURL("unsupported scheme \(scheme):, expected sqlite:, postgres:// or a file path")
            } else {
                path = url
            }
            guard !path.isEmpty else {
                throw StorageError.invalidURL("no SQLite database path")
            }
            self = .sqlite(path: path)
        }

        /// The URL scheme when `url` starts with one (`letter *(letter / digit / + / - / .) ":"`).
        private static func scheme(of url: String) -> String? {
            guard let colon = url.firstIndex(of: ":") else { return nil }
            let scheme = url[..<colon]
            guard let first = scheme.first, first.isASCII, first.isLetter,
                  scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
            else { return nil }
            return String(scheme)
        }
    }
}
