import Foundation
import HTTPTypes
import Hummingbird
@testable import QuartermasterHTTP
import Synchronization
import Testing

@Suite("The secret read answer written directly")
struct SecretReadJSONTests {
    static let views: [SecretRoutes.ReadView] = [
        .init(data: .init(data: ["api_key": "sk-1"], metadata: .init(version: 3, created_time: Date(timeIntervalSince1970: 1_790_000_000), custom_metadata: [:]))),
        .init(
            lease_id: "lease/secret/é\"1", lease_duration: 300, renewable: false,
            data: .init(
                data: ["pass\nword": "a\"b\\c/d\u{1}", "ü": "☕", "": ""],
                metadata: .init(version: 12, created_time: Date(timeIntervalSince1970: 1_790_000_000.75), custom_metadata: ["owner": "ml team"]))),
    ]

    @Test("its bytes equal the JSONEncoder answer's", arguments: views)
    func equalsEncoder(view: SecretRoutes.ReadView) async throws {
        var direct = JSONResponse.make(json: view.json).body
        var encoded = JSONResponse.make(view).body
        let directBytes = try await collect(&direct)
        let encodedBytes = try await collect(&encoded)
        #expect(String(decoding: directBytes, as: UTF8.self) == String(decoding: encodedBytes, as: UTF8.self))
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
