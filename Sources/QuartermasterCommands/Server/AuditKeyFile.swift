import Foundation
import QuartermasterCrypto

/// Loads the audit key from its file, creating it (mode 0600) on first start.
enum AuditKeyFile {
    static func loadOrCreate(path: String) throws -> AuditKey {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
            else {
                throw StartupError("audit key file \(path) is unreadable or not base64")
            }
            return try AuditKey(bytes: bytes)
        }
        let (key, bytes) = AuditKey.generate()
        try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard manager.createFile(atPath: path, contents: Data(bytes.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StartupError("cannot create audit key file \(path)")
        }
        return key
    }
}

/// Loads the root key file (it seals the root keyring at rest), creating it (mode 0600) on first start.
enum RootKeyFile {
    /// The key's 32 bytes.
    static func loadOrCreate(path: String) throws -> Data {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
            else {
                throw StartupError("root key file \(path) is unreadable or not base64")
            }
            guard bytes.count == 32 else { throw StartupError("root key file \(path) holds \(bytes.count) bytes; it needs 32") }
            return bytes
        }
        let bytes = KeyEncryptionKey.generate().bytes
        guard manager.createFile(atPath: path, contents: Data(bytes.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StartupError("cannot create root key file \(path)")
        }
        return bytes
    }
}

/// A reason the server cannot start, printed as one line.
struct StartupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
