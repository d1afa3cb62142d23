import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API keys")
struct APIKeyRoutesTests {
    struct Created: Decodable {
        var key: String
        var api_key: View
        struct View: Decodable { var id: String; var identity: String }
    }

    private func create(_ client: any TestClientProtocol, _ server: TestServer, body: String) async throws -> Created {
        try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: body)) { (response: TestResponse) async throws in
            #expect(response.status == .created)
            return try decode(Created.self, response)
        }
    }

    @Test("a key is shown once, works as a bearer credential, and stops working when revoked")
    func lifecycle() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await create(client, server, body: #"{"identity":"admin","name":"ops agent","ttl":"720h"}"#)
            #expect(created.key.hasPrefix("qm_"))
            let bearer: HTTPFields = [.authorization: "Bearer \(created.key)"]
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: bearer) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/api-keys", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(!String(buffer: response.body).contains(created.key))
            }
            try await client.execute(uri: "/v1/api-keys/\(created.api_key.id)", method: .delete, headers: server.adminHeaders) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: bearer) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("after rotation the old and the new key both work during the grace period")
    func rotationGrace() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let old = try await create(client, server, body: #"{"identity":"admin","name":"agent"}"#)
            let new = try await client.execute(uri: "/v1/api-keys/\(old.api_key.id)/rotate", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"grace":"1h"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .created)
                return try decode(Created.self, response)
            }
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: [.authorization: "Bearer \(old.key)"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: [.authorization: "Bearer \(new.key)"]) { #expect($0.status == .ok) }
            let expired = try await client.execute(uri: "/v1/api-keys/\(new.api_key.id)/rotate", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"grace":"0s"}"#)) { try decode(Created.self, $0) }
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: [.authorization: "Bearer \(new.key)"]) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: [.authorization: "Bearer \(expired.key)"]) { #expect($0.status == .ok) }
        }
    }

    @Test("a key with a broken checksum, or for roles the identity lacks, is refused")
    func refusals() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await create(client, server, body: #"{"identity":"admin","name":"agent"}"#)
            var tampered = Array(created.key)
            tampered[10] = tampered[10] == "a" ? "b" : "a"
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: [.authorization: "Bearer \(String(tampered))"]) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"admin","name":"x","roles":["gateway"]}"#)) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"admin","name":"x","ttl":"forever"}"#)) { #expect($0.status == .badRequest) }
        }
    }

    @Test("a key limited to some roles cannot use another role's grants")
    func roleSubset() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let limited = try await create(client, server, body: #"{"identity":"gateway-service","name":"gw","roles":["gateway"]}"#)
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: [.authorization: "Bearer \(limited.key)"]) { #expect($0.status == .forbidden) }
        }
    }
}
