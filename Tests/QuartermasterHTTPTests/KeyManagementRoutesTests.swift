import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Leases, transit keys and the root keyring over HTTP")
struct KeyManagementRoutesTests {
    struct CreatedKey: Decodable { var key: String }
    struct LeasedRead: Decodable { var lease_id: String?; var lease_duration: Int?; var renewable: Bool? }
    struct Leases: Decodable { var data: List; struct List: Decodable { var leases: [Lease] } }
    struct Lease: Decodable { var lease_id: String; var subject: String; var expire_time: Date }
    struct LeaseAnswer: Decodable { var data: Lease }
    struct Revoked: Decodable { var data: IDs; struct IDs: Decodable { var revoked: [String] } }
    struct Ciphertext: Decodable { var data: Inner; struct Inner: Decodable { var ciphertext: String; var key_version: Int } }
    struct Plaintext: Decodable { var data: Inner; struct Inner: Decodable { var plaintext: String } }
    struct Progress: Decodable { var data: Inner; struct Inner: Decodable { var rewrapped: Int; var remaining: Int; var deleted_root_keys: [String] } }
    struct RootKeys: Decodable { var data: Inner; struct Inner: Decodable { var keys: [Key] }; struct Key: Decodable { var id: String; var active: Bool; var items_sealed: Int } }

    private func apiKey(_ client: any TestClientProtocol, _ server: TestServer, identity: String) async throws -> HTTPFields {
        let response = try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"\#(identity)","name":"test"}"#))
        return [.authorization: "Bearer \(try decode(CreatedKey.self, response).key)"]
    }

    private func post(_ client: any TestClientProtocol, _ uri: String, _ headers: HTTPFields, _ body: String = "") async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a read under a leasing grant returns a lease its holder can list, renew and revoke; others may not touch it")
    func leasedSecretRead() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let gateway = try await apiKey(client, server, identity: "gateway-service")
            let tee = try await apiKey(client, server, identity: "tee-runtime")
            _ = try await client.execute(uri: "/v1/secrets/leased/db", method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"password":"p"}}"#))
            let read = try decode(LeasedRead.self, try await client.execute(uri: "/v1/secrets/leased/db", method: .get, headers: gateway))
            let leaseID = try #require(read.lease_id)
            #expect(leaseID.hasPrefix("secret/leased/db/"))
            #expect(read.lease_duration == 900 && read.renewable == true)
            _ = try await client.execute(uri: "/v1/secrets/gateway/plain", method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"k":"v"}}"#))
            #expect(try decode(LeasedRead.self, try await client.execute(uri: "/v1/secrets/gateway/plain", method: .get, headers: gateway)).lease_id == nil, "grants without lease terms hand out no lease")

            let listed = try decode(Leases.self, try await client.execute(uri: "/v1/leases", method: .get, headers: gateway))
            #expect(listed.data.leases.map(\.lease_id) == [leaseID])
            #expect(try await client.execute(uri: "/v1/leases?subject=gateway-service", method: .get, headers: tee).status == .forbidden)

            let renewed = try await post(client, "/v1/leases/renew", gateway, #"{"lease_id":"\#(leaseID)","increment":"30m"}"#)
            #expect(renewed.status == .ok)
            #expect(try await post(client, "/v1/leases/renew", gateway, #"{"lease_id":"\#(leaseID)","increment":"soon"}"#).status == .badRequest)
            #expect(try await post(client, "/v1/leases/revoke", tee, #"{"lease_id":"\#(leaseID)"}"#).status == .forbidden)

            let revoked = try decode(Revoked.self, try await post(client, "/v1/leases/revoke", gateway, #"{"lease_id":"\#(leaseID)"}"#))
            #expect(revoked.data.revoked == [leaseID])
            #expect(try decode(Leases.self, try await client.execute(uri: "/v1/leases", method: .get, headers: gateway)).data.leases.isEmpty)
            #expect(try await post(client, "/v1/leases/renew", server.adminHeaders, #"{"lease_id":"\#(leaseID)"}"#).status == .notFound)
            #expect(try await post(client, "/v1/leases/renew", gateway, #"{"lease_id":"\#(leaseID)"}"#).status == .forbidden, "once gone, nobody owns it: a policy question")
            #expect(try await post(client, "/v1/leases/revoke-prefix", server.adminHeaders, #"{"prefix":"../x"}"#).status == .badRequest)
            #expect(try await post(client, "/v1/leases/revoke-prefix", gateway, #"{"prefix":"secret/leased"}"#).status == .forbidden)
        }
    }

    @Test("decrypt is decided with the ciphertext's key version; older versions, altered and malformed ciphertexts and untrusted attestation are refused")
    func transit() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let tee = try await apiKey(client, server, identity: "tee-runtime")
            let admin = server.adminHeaders
            #expect(try await post(client, "/v1/transit/keys/model-weights", admin).status == .created)
            #expect(try await post(client, "/v1/transit/keys/model-weights", admin).status == .conflict)
            #expect(try await post(client, "/v1/transit/keys/Bad..Name", admin).status == .badRequest)
            let plaintext = Data("weights".utf8).base64EncodedString()
            let v1 = try decode(Ciphertext.self, try await post(client, "/v1/transit/encrypt/model-weights", admin, #"{"plaintext":"\#(plaintext)"}"#)).data
            #expect(v1.key_version == 1 && v1.ciphertext.hasPrefix("qm:v1:"))
            #expect(try await post(client, "/v1/transit/keys/model-weights/rotate", admin).status == .ok)
            let v2 = try decode(Ciphertext.self, try await post(client, "/v1/transit/encrypt/model-weights", admin, #"{"plaintext":"\#(plaintext)"}"#)).data

            let opened = try decode(Plaintext.self, try await post(client, "/v1/transit/decrypt/model-weights", tee, #"{"ciphertext":"\#(v2.ciphertext)"}"#))
            #expect(opened.data.plaintext == plaintext)
            let older = try await post(client, "/v1/transit/decrypt/model-weights", tee, #"{"ciphertext":"\#(v1.ciphertext)"}"#)
            #expect(older.status == .forbidden)
            #expect(try decode(ErrorBody.self, older).detail.contains("key_version"))
            #expect(try await post(client, "/v1/transit/decrypt/model-weights", admin, #"{"ciphertext":"\#(v2.ciphertext)"}"#).status == .forbidden, "the admin manages keys but does not decrypt")

            var altered = Array(v2.ciphertext)
            altered[altered.count - 3] = altered[altered.count - 3] == "A" ? "B" : "A"
            #expect(try await post(client, "/v1/transit/decrypt/model-weights", tee, #"{"ciphertext":"\#(String(altered))"}"#).status == .badRequest)
            #expect(try await post(client, "/v1/transit/decrypt/model-weights", tee, #"{"ciphertext":"vault:v2:abc"}"#).status == .badRequest)
            let untrusted = try await post(client, "/v1/transit/decrypt/model-weights", tee, #"{"ciphertext":"\#(v2.ciphertext)","attestation_token":"eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSJ9.c2ln"}"#)
            #expect(untrusted.status == .forbidden)
            #expect(try decode(ErrorBody.self, untrusted).detail.contains("not an attestation service the policy trusts"))

            #expect(try await post(client, "/v1/transit/keys/model-weights/config", admin, #"{"min_decryption_version":3}"#).status == .badRequest)
            #expect(try await post(client, "/v1/transit/keys/model-weights/config", admin, #"{"min_decryption_version":2}"#).status == .ok)
            let rewrapped = try await post(client, "/v1/transit/rewrap/model-weights", admin, #"{"ciphertext":"\#(v1.ciphertext)"}"#)
            #expect(rewrapped.status == .badRequest, "version 1 is below min_decryption_version")
        }
    }

    @Test("rotating the root key and rewrapping moves every item to the new key and deletes the old one; secrets still read")
    func rootKeys() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let admin = server.adminHeaders
            let gateway = try await apiKey(client, server, identity: "gateway-service")
            for index in 1...3 {
                _ = try await client.execute(uri: "/v1/secrets/gateway/s\(index)", method: .put, headers: admin, body: ByteBuffer(string: #"{"data":{"k":"v\#(index)"}}"#))
            }
            #expect(try await post(client, "/v1/sys/root-keys/rotate", admin).status == .ok)
            var keys = try decode(RootKeys.self, try await client.execute(uri: "/v1/sys/root-keys", method: .get, headers: admin)).data.keys
            #expect(keys.map(\.id) == ["root-1", "root-2"] && keys.map(\.active) == [false, true])
            #expect(keys[0].items_sealed == 4, "three secret versions and the signing key")
            #expect(try await post(client, "/v1/sys/root-keys/rewrap?batch=0", admin).status == .badRequest)
            #expect(try await post(client, "/v1/sys/root-keys/rewrap", gateway).status == .forbidden)
            let first = try decode(Progress.self, try await post(client, "/v1/sys/root-keys/rewrap?batch=3", admin)).data
            #expect(first.rewrapped == 3 && first.remaining == 1)
            let second = try decode(Progress.self, try await post(client, "/v1/sys/root-keys/rewrap?batch=3", admin)).data
            #expect(second.remaining == 0 && second.deleted_root_keys == ["root-1"])
            keys = try decode(RootKeys.self, try await client.execute(uri: "/v1/sys/root-keys", method: .get, headers: admin)).data.keys
            #expect(keys.map(\.id) == ["root-2"] && keys[0].items_sealed == 4)
            let read = try await client.execute(uri: "/v1/secrets/gateway/s2", method: .get, headers: gateway)
            #expect(String(buffer: read.body).contains(#""k":"v2""#))
        }
    }
}
