import Foundation
import HTTPTypes
import Hummingbird
@testable import QuartermasterHTTP
import QuartermasterServices
import Synchronization
import Testing

@Suite("Answers written directly equal JSONEncoder's")
struct DirectJSONTests {
    static let views: [SecretRoutes.ReadView] = [
        .init(data: .init(data: ["api_key": "sk-1"], metadata: .init(version: 3, created_time: Date(timeIntervalSince1970: 1_790_000_000), custom_metadata: [:]))),
        .init(
            lease_id: "lease/secret/é\"1", lease_duration: 300, renewable: false,
            data: .init(
                data: ["pass\nword": "a\"b\\c/d\u{1}", "ü": "☕", "": ""],
                metadata: .init(version: 12, created_time: Date(timeIntervalSince1970: 1_790_000_000.75), custom_metadata: ["owner": "ml team"]))),
    ]

    static let tokens: [TokenResponse] = [
        #"{"access_token":"eyJ.a.b","token_type":"Bearer","expires_in":300}"#,
        #"{"access_token":"eyJ.c.d","token_type":"N_A","expires_in":60,"scope":"read:secret/llm/* \"x\"","issued_token_type":"urn:ietf:params:oauth:token-type:access_token"}"#,
    ].map { try! JSONDecoder().decode(TokenResponse.self, from: Data($0.utf8)) }

    @Test("a secret read, its creation time formatted as SecretReadFacts keeps it", arguments: views)
    func secretRead(view: SecretRoutes.ReadView) async throws {
        let createdTime = view.data.metadata.created_time.formatted(.iso8601)
        try await #expect(text(JSONResponse.make(json: view.json(createdTime: createdTime))) == text(JSONResponse.make(view)))
    }

    @Test("a token endpoint answer", arguments: tokens)
    func token(response: TokenResponse) async throws {
        try await #expect(text(JSONResponse.make(json: response.json)) == text(JSONResponse.make(response)))
    }

    private func text(_ response: Response) async throws -> String {
        var body = response.body
        return String(decoding: try await collect(&body), as: UTF8.self)
    }

    private func collect(_ body: inout ResponseBody) async throws -> [UInt8] {
        let writer = CollectingWriter()
        try await body.write(writer)
        return writer.bytes.withLock { $0 }
    }
}

/// Gathers what a response body writes.
private final class CollectingWriter: ResponseBodyWriter, Sendable {
    let bytes = Mutex<[UInt8]>([])

    func write(_ buffer: ByteBuffer) async throws {
        bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
