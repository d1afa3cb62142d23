import Foundation
import PostgresNIO

/// Connection settings parsed from `postgres://user:pass@host:port/db?sslmode=...`.
///
/// `sslmode=require`, `verify-ca` and `verify-full` turn TLS on (with certificate
/// verification: stricter than libpq's `require`); `disable`, `allow`, `prefer` or no
/// `sslmode` leave it off. Other query parameters are ignored. The password is kept only to
/// authenticate and to scrub it from messages: `location` and errors never contain it.
struct PostgresSettings: Sendable {
    let host: String
    let port: Int
    let username: String
    let password: String?
    let database: String?
    let usesTLS: Bool

    /// Parses a `postgres://` or `postgresql://` URL.
    ///
    /// - Throws: `StorageError.invalidURL`, with a message that does not repeat the URL.
    init(url: String) throws {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql"
        else {
            throw StorageError.invalidURL("not a postgres:// URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StorageError.invalidURL("the postgres URL has no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw StorageError.invalidURL("the postgres URL has no user name")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw StorageError.invalidURL("the postgres URL port is out of range")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else {
            throw StorageError.invalidURL("the postgres URL path must be a single database name")
        }
        let sslMode = components.queryItems?.last(where: { $0.name == "sslmode" })?.value ?? "disable"
        switch sslMode {
        case "disable", "allow", "prefer": usesTLS = false
        case "require", "verify-ca", "verify-full": usesTLS = true
        default: throw StorageError.invalidURL("unknown sslmode \(sslMode)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = path.isEmpty ? nil : path
    }

    /// Where the server is, for messages and logs: `user@host:port/db`, never the password.
    var location: String {
        "\(username)@\(host):\(port)/\(database ?? username)"
    }

    /// Settings for the connection pool.
    var clientConfiguration: PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: usesTLS ? .require(.makeClientConfiguration()) : .disable)
    }

    /// Settings for a single connection (used to migrate before the pool starts).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: usesTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
    }

    /// `message` with the password, should it appear, replaced by `***`.
    func redacting(_ message: String) -> String {
        guard let password, !password.isEmpty else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
