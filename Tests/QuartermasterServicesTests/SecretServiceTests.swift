import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Secret service: envelope encryption at rest")
struct SecretServiceTests {
    @Test("values are not stored in clear and round-trip through the envelope", arguments: BackendKind.available)
    func sealedAtRest(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let secrets = SecretService(store: test.backend.secrets, keyring: try await Fixtures.keyring(test.backend))
        let path = try SecretPath(raw: "llm/openai")
        try await secrets.put(path, data: ["api_key": "sk-live-abcdef"], cas: nil, customMetadata: nil)
        let stored = try #require(try await test.backend.secrets.read(path: "llm/openai", version: nil))
        #expect(!String(decoding: stored.sealedValue, as: UTF8.self).contains("sk-live"))
        #expect(try await secrets.get(path, version: nil).data == ["api_key": "sk-live-abcdef"])
    }

    @Test("values with quotes, backslashes, control characters, non-ASCII text and empty strings read back exactly")
    func awkwardValuesRoundTrip() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let secrets = SecretService(store: test.backend.secrets, keyring: try await Fixtures.keyring(test.backend))
        let path = try SecretPath(raw: "app/awkward")
        let data = [
            "quote": "a \"quoted\" word", "backslash": #"C:\dir\n"#, "control": "line1\nline2\t\u{01}",
            "unicode": "clé ü 鍵 🔑", "empty": "", "json": #"{"nested":[1,2]}"#, "": "empty key",
        ]
        try await secrets.put(path, data: data, cas: nil, customMetadata: nil)
        #expect(try await secrets.get(path, version: nil).data == data)
    }

    @Test("a row copied onto another version fails to decrypt with a clear error, never garbage", arguments: BackendKind.available)
    func copiedRowRefused(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let secrets = SecretService(store: test.backend.secrets, keyring: try await Fixtures.keyring(test.backend))
        let path = try SecretPath(raw: "db/password")
        try await secrets.put(path, data: ["v": "one"], cas: nil, customMetadata: nil)
        try await secrets.put(path, data: ["v": "two"], cas: nil, customMetadata: nil)
        try await test.execute("""
            UPDATE secret_versions SET
              sealed_value = (SELECT sealed_value FROM secret_versions WHERE path = 'db/password' AND version = 1),
              wrapped_data_key = (SELECT wrapped_data_key FROM secret_versions WHERE path = 'db/password' AND version = 1)
            WHERE path = 'db/password' AND version = 2
            """)
        await #expect(throws: SecretError.undecryptable(path: "db/password", version: 2)) {
            try await secrets.get(path, version: 2)
        }
        #expect(try await secrets.get(path, version: 1).data == ["v": "one"])
    }

    @Test("a version whose row names another root key than the one that sealed it fails to decrypt", arguments: BackendKind.available)
    func wrongRootKey(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let keyring = try await Fixtures.keyring(test.backend)
        let secrets = SecretService(store: test.backend.secrets, keyring: keyring)
        let path = try SecretPath(raw: "x")
        try await secrets.put(path, data: ["v": "1"], cas: nil, customMetadata: nil)
        try await keyring.rotate()
        try await test.execute("UPDATE secret_versions SET root_key_id = 'root-2'")
        await #expect(throws: SecretError.undecryptable(path: "x", version: 1)) {
            try await secrets.get(path, version: nil)
        }
    }

    @Test("paths with traversal, empty segments, encoding or bad characters are refused", arguments: ["", ".", "..", "a/..", "a/../b", "é/x", "a/\u{301}b", "a//b", "a/./b", "a%2Fb", "a b", "a\u{0}b", "/a", "a/"])
    func badPaths(raw: String) {
        #expect(throws: ServiceError.self) { try SecretPath(raw: raw) }
    }
}
