import Foundation
import QuartermasterServices
import Testing

/// The files an OCI resource principal exchange reads, in a scratch directory.
private struct SessionFiles {
    let directory: URL
    let tokenFile: String
    let keyFile: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("qm-oci-rp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        tokenFile = directory.appendingPathComponent("rpst").path
        keyFile = directory.appendingPathComponent("private.pem").path
    }

    func write(token: String? = nil, key: String? = nil) throws {
        if let token { try Data(token.utf8).write(to: URL(fileURLWithPath: tokenFile)) }
        if let key { try Data(key.utf8).write(to: URL(fileURLWithPath: keyFile)) }
    }

    var exchange: OCIResourcePrincipalExchange {
        OCIResourcePrincipalExchange(settings: .init(sessionTokenFile: tokenFile, privateKeyFile: keyFile))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A JWT with `claims` (its signature is not checked).
    static func token(_ claims: String, header: String = #"{"alg":"RS256","typ":"JWT"}"#) -> String {
        [header, claims].map { Data($0.utf8).base64URLSegment }.joined(separator: ".") + "." + Data("signature".utf8).base64URLSegment
    }

    /// The RSA test key of the OCI signer vectors (PKCS#8 and PKCS#1).
    static let keys: (pkcs8: String, pkcs1: String) = {
        struct Vectors: Decodable { var privateKeyPEM: String, privateKeyPKCS1PEM: String }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../QuartermasterCryptoTests/Fixtures/oci-vectors.json").standardized
        let vectors = try! JSONDecoder().decode(Vectors.self, from: Data(contentsOf: path))
        return (vectors.privateKeyPEM, vectors.privateKeyPKCS1PEM)
    }()
}

extension Data {
    fileprivate var base64URLSegment: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

@Suite("OCI resource principal exchange")
struct OCIResourcePrincipalExchangeTests {
    let now = Date(timeIntervalSince1970: 1_773_480_000)
    let token = SessionFiles.token(#"{"sub":"ocid1.fnfunc.oc1..aaaa","res_tenant":"ocid1.tenancy.oc1..aaaa","exp":1773483600,"iat":1773480000}"#)

    private func refusal(_ files: SessionFiles) async -> CredentialExchangeError? {
        do {
            _ = try await files.exchange.fetch(now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test("the token and key become an oci_session credential expiring at the token's exp", arguments: ["PKCS#8", "PKCS#1"])
    func readsTheSession(keyForm: String) async throws {
        let key = keyForm == "PKCS#8" ? SessionFiles.keys.pkcs8 : SessionFiles.keys.pkcs1
        let files = try SessionFiles()
        defer { files.remove() }
        try files.write(token: token + "\n", key: key)
        let credential = try await files.exchange.fetch(now: now)
        #expect(credential.kind == .ociSession(sessionToken: token, privateKeyPEM: key.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(credential.expiresAt == Date(timeIntervalSince1970: 1_773_483_600))
        #expect(credential.obtainedAt == now)
        #expect(files.exchange.method == "oci_resource_principal")
        #expect(!String(describing: credential).contains(token))
    }

    @Test("every fetch reads both files again")
    func rereadsRotatedFiles() async throws {
        let files = try SessionFiles()
        defer { files.remove() }
        try files.write(token: token, key: SessionFiles.keys.pkcs8)
        _ = try await files.exchange.fetch(now: now)
        let rotated = SessionFiles.token(#"{"exp":1773487200.5}"#)
        try files.write(token: rotated, key: SessionFiles.keys.pkcs1)
        let credential = try await files.exchange.fetch(now: now)
        #expect(credential.kind == .ociSession(sessionToken: rotated, privateKeyPEM: SessionFiles.keys.pkcs1.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(credential.expiresAt == Date(timeIntervalSince1970: 1_773_487_200.5))
    }

    @Test("a missing or empty file is refused, naming the file")
    func unreadableFiles() async throws {
        let files = try SessionFiles()
        defer { files.remove() }
        #expect(await refusal(files) == .tokenSource("cannot read \(files.tokenFile): No such file or directory"))
        try files.write(token: "\n")
        #expect(await refusal(files) == .tokenSource("the session token file \(files.tokenFile) is empty"))
        try files.write(token: token)
        #expect(await refusal(files) == .tokenSource("cannot read \(files.keyFile): No such file or directory"))
        let unset = OCIResourcePrincipalExchange(settings: .init(sessionTokenFile: "", privateKeyFile: files.keyFile))
        await #expect(throws: CredentialExchangeError.configuration("no session token file is set")) { try await unset.fetch(now: now) }
    }

    @Test("a token that is not a JWT is refused without being shown", arguments: [
        "opaque-session-token",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3NzM0ODM2MDB9",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3NzM0ODM2MDB9.c2ln.extra",
        "bm90IGpzb24.eyJleHAiOjE3NzM0ODM2MDB9.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.WzEsMl0.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3NzM0ODM2MDB9.c2ln\"injected",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3NzM0ODM2MDB9 .c2ln",
    ])
    func malformedToken(token: String) async throws {
        let files = try SessionFiles()
        defer { files.remove() }
        try files.write(token: token, key: SessionFiles.keys.pkcs8)
        let error = try #require(await refusal(files))
        #expect(error == .tokenSource("the session token in \(files.tokenFile) is not a JWT"))
    }

    @Test("a token without a numeric exp, or past it, is refused")
    func expiry() async throws {
        let files = try SessionFiles()
        defer { files.remove() }
        for claims in [#"{"sub":"x"}"#, #"{"exp":"1773483600"}"#, #"{"exp":null}"#] {
            try files.write(token: SessionFiles.token(claims), key: SessionFiles.keys.pkcs8)
            #expect(await refusal(files) == .tokenSource("the session token in \(files.tokenFile) has no numeric exp claim"))
        }
        try files.write(token: SessionFiles.token(#"{"exp":1773480000}"#))
        #expect(await refusal(files) == .tokenSource(
            "the session token in \(files.tokenFile) expired at 2026-03-14T09:20:00Z and has not been replaced"))
    }

    @Test("a key that cannot sign is refused, saying why")
    func unusableKey() async throws {
        let files = try SessionFiles()
        defer { files.remove() }
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
        try files.write(token: token, key: encrypted)
        #expect(await refusal(files) == .tokenSource(
            "the private key in \(files.keyFile) cannot sign: the private key is encrypted; only unencrypted PEM keys are supported"))
        try files.write(key: "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n")
        #expect(await refusal(files) == .tokenSource(
            "the private key in \(files.keyFile) cannot sign: not a PEM-encoded RSA private key (PKCS#1 or PKCS#8)"))
    }
}
