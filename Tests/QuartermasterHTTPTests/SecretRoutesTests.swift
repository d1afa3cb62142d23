import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Secrets API")
struct SecretRoutesTests {
    struct Written: Decodable { var data: Version; struct Version: Decodable { var version: Int } }
    struct Read: Decodable {
        var data: Inner
        struct Inner: Decodable { var data: [String: String]; var metadata: Metadata }
        struct Metadata: Decodable { var version: Int }
    }
    struct Listed: Decodable { var data: Keys; struct Keys: Decodable { var keys: [String] } }

    private func put(_ client: any TestClientProtocol, _ server: TestServer, _ path: String, _ body: String, headers: HTTPFields? = nil) async throws -> TestResponse {
        try await client.execute(uri: "/v1/secrets/\(path)", method: .put, headers: headers ?? server.adminHeaders, body: ByteBuffer(string: body))
    }

    @Test("a written secret reads back; versions increment; an earlier version stays readable; a wrong cas is refused")
    func roundTrip() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = try await put(client, server, "gateway/proxy-auth/upstream", #"{"data":{"password":"s3cret"}}"#)
            #expect(first.status == .ok)
            #expect(try decode(Written.self, first).data.version == 1)
            let second = try await put(client, server, "gateway/proxy-auth/upstream", #"{"data":{"password":"rotated"},"options":{"cas":1}}"#)
            #expect(try decode(Written.self, second).data.version == 2)
            try await client.execute(uri: "/v1/secrets/gateway/proxy-auth/upstream", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                let read = try decode(Read.self, response)
                #expect(read.data.data == ["password": "rotated"])
                #expect(read.data.metadata.version == 2)
            }
            try await client.execute(uri: "/v1/secrets/gateway/proxy-auth/upstream?version=1", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(try decode(Read.self, response).data.data == ["password": "s3cret"])
            }
            let stale = try await put(client, server, "gateway/proxy-auth/upstream", #"{"data":{"password":"x"},"options":{"cas":1}}"#)
            #expect(stale.status == .conflict)
            try await client.execute(uri: "/v1/secrets/gateway/proxy-auth/upstream?version=9", method: .get, headers: server.adminHeaders) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/audit?subject=admin&limit=100", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                let text = String(buffer: response.body)
                #expect(text.contains("hmac-sha256:"))
                #expect(!text.contains("s3cret") && !text.contains("rotated"))
            }
        }
    }

    @Test("path traversal and smuggled separators are refused with 400", arguments: [
        "a/../b", "a/./b", "a//b", "a%2Fb", "a%00b", "a%2e%2e/b", "a/b%2F", "",
    ])
    func badPaths(path: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/v1/secrets/\(path)", method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"k":"v"}}"#)) { (response: TestResponse) async throws in
                #expect((400..<500).contains(response.status.code), "\(path) gave \(response.status.code)")
                #expect(response.status != .ok)
            }
        }
    }

    @Test("a value over the size limit is a 413 and nothing is stored")
    func tooLarge() async throws {
        let server = try await TestServer.make()
        let big = String(repeating: "x", count: 70 * 1024)
        try await server.test { client in
            let response = try await put(client, server, "big/value", #"{"data":{"blob":"\#(big)"}}"#)
            #expect(response.status == .contentTooLarge)
            try await client.execute(uri: "/v1/secrets/big/value", method: .get, headers: server.adminHeaders) { #expect($0.status == .notFound) }
        }
    }

    @Test("the policy decides per path: the gateway reads its own secrets only")
    func policyPerPath() async throws {
        let server = try await TestServer.make()
        let key = try await server.components.apiKeys.create(identity: "gateway-service", name: "gw", roles: [], ttl: nil).text
        let gateway: HTTPFields = [.authorization: "Bearer \(key)"]
        try await server.test { client in
            _ = try await put(client, server, "gateway/jwt-keys/signing", #"{"data":{"k":"1"}}"#)
            _ = try await put(client, server, "llm/openai", #"{"data":{"k":"2"}}"#)
            try await client.execute(uri: "/v1/secrets/gateway/jwt-keys/signing", method: .get, headers: gateway) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/secrets/llm/openai", method: .get, headers: gateway) { #expect($0.status == .forbidden) }
            let write = try await put(client, server, "gateway/jwt-keys/signing", #"{"data":{"k":"3"}}"#, headers: gateway)
            #expect(write.status == .forbidden)
        }
    }

    @Test("list shows children; delete hides a version, undelete restores it, destroy removes it")
    func listAndDelete() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await put(client, server, "team/a", #"{"data":{"k":"1"}}"#)
            _ = try await put(client, server, "team/sub/b", #"{"data":{"k":"2"}}"#)
            try await client.execute(uri: "/v1/secrets/team/?list=true", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(try decode(Listed.self, response).data.keys == ["a", "sub/"])
            }
            try await client.execute(uri: "/v1/secrets/team/a", method: .delete, headers: server.adminHeaders) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/secrets/team/a", method: .get, headers: server.adminHeaders) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/secrets/team/a?operation=undelete", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"versions":[1]}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/secrets/team/a", method: .get, headers: server.adminHeaders) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/secrets/team/a?operation=destroy", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"versions":[1]}"#)) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/secrets/team/a", method: .get, headers: server.adminHeaders) { #expect($0.status == .notFound) }
        }
    }
}

@Suite("Secret reads are audited with one record each")
struct SecretReadAuditTests {
    @Test("an allowed read writes one record holding the decision and the outcome; a read that fails after the decision records the failure")
    func oneRecordPerRead() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await client.execute(uri: "/v1/secrets/gateway/token", method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"t":"v"}}"#))
            struct Created: Decodable { var key: String }
            let key = try decode(Created.self, try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"gateway-service","name":"t"}"#))).key
            let gateway: HTTPFields = [.authorization: "Bearer \(key)"]
            #expect(try await client.execute(uri: "/v1/secrets/gateway/token", method: .get, headers: gateway).status == .ok)
            #expect(try await client.execute(uri: "/v1/secrets/gateway/absent", method: .get, headers: gateway).status == .notFound)
            let records = try decode(AuditRoutesTests.Records.self, try await client.execute(uri: "/v1/audit?subject=gateway-service&limit=50", method: .get, headers: server.adminHeaders)).records
            let reads = records.filter { $0.action == "read" }
            #expect(reads.count == 2, "\(reads.map(\.reason))")
            #expect(reads.allSatisfy { $0.decision == "allow" })
            #expect(reads[0].resource == "secret/gateway/token" && reads[0].reason.hasSuffix("; read version 1") && reads[0].details["value"]?.hasPrefix("hmac-sha256:") == true)
            #expect(reads[1].resource == "secret/gateway/absent" && reads[1].reason.contains("; not served: ") && reads[1].details["outcome"] == "error")
        }
    }

    @Test("a read records the value's HMAC as its write did, on every read, and a new version's value records its own")
    func valueHMACFollowsTheVersion() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let path = "/v1/secrets/gateway/rotating"
            _ = try await client.execute(uri: path, method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"t":"first"}}"#))
            #expect(try await client.execute(uri: path, method: .get, headers: server.adminHeaders).status == .ok)
            #expect(try await client.execute(uri: path, method: .get, headers: server.adminHeaders).status == .ok)
            _ = try await client.execute(uri: path, method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"t":"second"}}"#))
            #expect(try await client.execute(uri: path, method: .get, headers: server.adminHeaders).status == .ok)
            let values = try decode(AuditRoutesTests.Records.self, try await client.execute(uri: "/v1/audit?limit=100", method: .get, headers: server.adminHeaders)).records
                .filter { $0.resource == "secret/gateway/rotating" }
                .compactMap { record in record.details["value"].map { "\(record.action) \($0)" } }
            let first = try #require(values.first?.dropFirst("write ".count)).description
            let second = try #require(values.dropFirst(3).first?.dropFirst("write ".count)).description
            #expect(first.hasPrefix("hmac-sha256:") && first != second)
            #expect(values == ["write \(first)", "read \(first)", "read \(first)", "write \(second)", "read \(second)"])
        }
    }
}
