import Foundation
@testable import QuartermasterCommands
import Testing

@Suite("Server configuration")
struct ConfigurationLoaderTests {
    /// Writes `text` to a new file in the temporary directory; the caller removes it.
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qm-config-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a file sets each key")
    func fromFile() throws {
        let path = try write("""
            listen: 0.0.0.0:9000
            storage: postgres://qm@db:5432/qm
            data_dir: /var/lib/qm
            audit_log: "-"
            initial_policy: policy.yaml
            max_body_bytes: 4096
            log_level: debug
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try ConfigurationLoader.load(path: path, environment: [:])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.storage == "postgres://qm@db:5432/qm")
        #expect(configuration.resolvedAuditKeyFile == "/var/lib/qm/audit.key")
        #expect(configuration.auditLog == "-")
        #expect(configuration.maxBodyBytes == 4096)
    }

    @Test("QUARTERMASTER_<KEY> overrides the file")
    func environmentOverrides() throws {
        let path = try write("listen: 127.0.0.1:8420\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try ConfigurationLoader.load(path: path, environment: ["QUARTERMASTER_LISTEN": "127.0.0.1:9999", "QUARTERMASTER_STORAGE": "sqlite:/tmp/x.db"])
        #expect(configuration.port == 9999)
        #expect(configuration.storage == "sqlite:/tmp/x.db")
    }

    @Test("a bad key fails with one line naming the file, line, column, key and problem", arguments: [
        ("listen: nowhere\n", "1:1: listen: expected HOST:PORT"),
        ("log_level: loud\n", "1:1: log_level: expected one of"),
        ("storage: mysql://x\n", "1:1: storage: expected sqlite:PATH"),
        ("listen: 127.0.0.1:1\nmax_body_bytes: 12\n", "2:1: max_body_bytes: expected a number of bytes"),
        ("listen: 127.0.0.1:1\n  colour: blue\n", "yaml"),
        ("lsten: 127.0.0.1:1\n", "1:1: lsten: unknown key"),
        ("listen: [a, b]\n", "1:1: listen: expected a single value"),
    ])
    func badFile(text: String, expected: String) throws {
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: ConfigurationLoader.Problem.self) {
            try ConfigurationLoader.load(path: path, environment: [:])
        }
        let line = try #require(error).description
        #expect(line.contains(expected), "\(line)")
        #expect(!line.contains("\n"))
    }

    @Test("a bad environment value names the variable")
    func badEnvironment() {
        let error = #expect(throws: ConfigurationLoader.Problem.self) {
            try ConfigurationLoader.load(path: nil, environment: ["QUARTERMASTER_LISTEN": "abc"])
        }
        #expect(error?.description.contains("QUARTERMASTER_LISTEN") == true)
    }

    @Test("a missing file is a clear error")
    func missingFile() {
        #expect(throws: ConfigurationLoader.Problem.self) {
            try ConfigurationLoader.load(path: "/nonexistent/qm.yaml", environment: [:])
        }
    }
}
