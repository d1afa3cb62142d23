import Foundation
import QuartermasterCrypto
@testable import QuartermasterServices
import Testing

/// The KMS test server: moto's `moto_server`, whose address `QUARTERMASTER_TEST_KMS_URL` gives
/// (`scripts/with-moto` starts it and sets the variable).
enum KMSTestServer {
    static var url: URL? {
        guard let text = ProcessInfo.processInfo.environment["QUARTERMASTER_TEST_KMS_URL"], !text.isEmpty else { return nil }
        return URL(string: text)
    }

    /// Skipped without a server on a developer's machine; on CI (`CI` set) the suite runs and
    /// fails, so a missing server cannot pass unnoticed.
    static var shouldRun: Bool { url != nil || !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

    static let skipReason: Comment =
        "QUARTERMASTER_TEST_KMS_URL is not set: run `scripts/with-moto swift test` to test the AWS KMS seal against moto"

    static func endpoint() throws -> URL {
        try #require(url, "QUARTERMASTER_TEST_KMS_URL is not set (or not a URL) but CI is: CI must run the AWS KMS seal tests against moto, e.g. `scripts/with-moto swift test`")
    }

    /// moto accepts any credentials; this secret must never show in an error.
    static let credentials = AWSCredentials(accessKeyID: "testing", secretAccessKey: "qm-test-secret-never-printed")

    static func seal(keyID: String, endpoint: URL) throws -> AWSKMSSeal {
        AWSKMSSeal(try AWSKMSSeal.Configuration(keyID: keyID, region: "us-east-1", credentials: credentials, endpoint: endpoint))
    }

    /// A new symmetric KMS key, made with KMS `CreateKey` through the seal's own client.
    static func createKey(endpoint: URL) async throws -> String {
        struct CreateKeyRequest: Encodable {
            var description = "quartermaster AWSKMSSealTests"
            enum CodingKeys: String, CodingKey { case description = "Description" }
        }
        struct CreateKeyResponse: Decodable {
            struct Metadata: Decodable {
                var keyID: String
                enum CodingKeys: String, CodingKey { case keyID = "KeyId" }
            }
            var metadata: Metadata
            enum CodingKeys: String, CodingKey { case metadata = "KeyMetadata" }
        }
        let response: CreateKeyResponse = try await seal(keyID: "unused", endpoint: endpoint).perform("CreateKey", CreateKeyRequest())
        return response.metadata.keyID
    }
}

@Suite("AWS KMS seal against moto", .enabled(if: KMSTestServer.shouldRun, KMSTestServer.skipReason))
struct AWSKMSSealTests {
    @Test("a sealed root key opens to the same bytes")
    func roundTrip() async throws {
        let endpoint = try KMSTestServer.endpoint()
        let keyID = try await KMSTestServer.createKey(endpoint: endpoint)
        let seal = try KMSTestServer.seal(keyID: keyID, endpoint: endpoint)
        let rootKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) })

        let sealed = try await seal.seal(rootKey, context: "rk_01")
        #expect(sealed != rootKey)
        #expect(sealed.range(of: rootKey) == nil)
        #expect(try await seal.open(sealed, context: "rk_01") == rootKey)
        #expect(seal.sealID == "awskms:\(keyID)")
    }

    @Test("a sealed root key does not open for another root key id")
    func otherContextFails() async throws {
        let endpoint = try KMSTestServer.endpoint()
        let seal = try KMSTestServer.seal(keyID: try await KMSTestServer.createKey(endpoint: endpoint), endpoint: endpoint)
        let rootKey = Data(repeating: 0x5a, count: 32)
        let sealed = try await seal.seal(rootKey, context: "rk_01")

        let error = await #expect(throws: AWSKMSError.self) { try await seal.open(sealed, context: "rk_02") }
        guard case .rejected(let operation, let type, _, let status) = error else {
            Issue.record("expected KMS to refuse the Decrypt, got \(String(describing: error))")
            return
        }
        #expect(operation == "Decrypt")
        #expect(type == "InvalidCiphertextException")
        #expect(status == 400)
        let text = error?.description ?? ""
        #expect(text.contains("does not open with this KMS key and root key id"))
        #expect(!text.contains(KMSTestServer.credentials.secretAccessKey))
        #expect(!text.contains(rootKey.base64EncodedString()))
    }

    @Test("an unknown key id is reported as KMS's NotFoundException", arguments: ["alias/quartermaster-missing", UUID().uuidString.lowercased()])
    func unknownKey(keyID: String) async throws {
        let seal = try KMSTestServer.seal(keyID: keyID, endpoint: try KMSTestServer.endpoint())
        let error = await #expect(throws: AWSKMSError.self) { try await seal.seal(Data(repeating: 1, count: 32), context: "rk_01") }
        guard case .rejected(let operation, let type, let message, _) = error else {
            Issue.record("expected KMS to refuse the Encrypt, got \(String(describing: error))")
            return
        }
        #expect(operation == "Encrypt")
        #expect(type == "NotFoundException")
        #expect(message.contains(keyID.replacingOccurrences(of: "alias/", with: "")))
        #expect(error?.description.hasPrefix("AWS KMS Encrypt failed: NotFoundException (HTTP 400): ") == true)
        #expect(error?.description.contains(KMSTestServer.credentials.secretAccessKey) == false)
    }
}

@Suite("AWS KMS seal without a server")
struct AWSKMSSealOfflineTests {
    @Test("an endpoint that refuses connections is reported as unreachable")
    func unreachableEndpoint() async throws {
        let endpoint = try #require(URL(string: "http://127.0.0.1:1"))
        let configuration = try AWSKMSSeal.Configuration(
            keyID: "alias/quartermaster", region: "us-east-1", credentials: KMSTestServer.credentials, endpoint: endpoint, timeout: .seconds(2))
        let seal = AWSKMSSeal(configuration)
        let error = await #expect(throws: AWSKMSError.self) { try await seal.open(Data(repeating: 7, count: 64), context: "rk_01") }
        guard case .unreachable(let operation, let reported, _) = error else {
            Issue.record("expected an unreachable endpoint, got \(String(describing: error))")
            return
        }
        #expect(operation == "Decrypt")
        #expect(reported == "http://127.0.0.1:1")
        #expect(error?.description.hasPrefix("AWS KMS Decrypt failed: the endpoint http://127.0.0.1:1 cannot be reached: ") == true)
        #expect(error?.description.contains(KMSTestServer.credentials.secretAccessKey) == false)
    }

    @Test("the seal id names the key; the endpoint defaults to the region's")
    func configuration() throws {
        let configuration = try AWSKMSSeal.Configuration(keyID: "alias/qm-root", region: "eu-west-3", credentials: KMSTestServer.credentials)
        #expect(configuration.endpoint.absoluteString == "https://kms.eu-west-3.amazonaws.com")
        #expect(configuration.timeout == .seconds(10))
        #expect(AWSKMSSeal(configuration).sealID == "awskms:alias/qm-root")
    }

    @Test("unusable configurations are refused with a reason")
    func invalidConfiguration() throws {
        let credentials = KMSTestServer.credentials
        #expect(throws: AWSKMSError.invalidConfiguration("the KMS key id is empty")) {
            try AWSKMSSeal.Configuration(keyID: "", region: "us-east-1", credentials: credentials)
        }
        #expect(throws: AWSKMSError.self) { try AWSKMSSeal.Configuration(keyID: "k", region: "us east/1", credentials: credentials) }
        let ftp = try #require(URL(string: "ftp://kms.example"))
        #expect(throws: AWSKMSError.self) { try AWSKMSSeal.Configuration(keyID: "k", region: "us-east-1", credentials: credentials, endpoint: ftp) }
    }
}
