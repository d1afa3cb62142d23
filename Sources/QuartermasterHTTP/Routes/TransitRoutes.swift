import Foundation
import Hummingbird
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage

/// Transit keys under `/v1/transit` (Vault transit shapes), decided by the policy on
/// `transit/<name>` with actions create, read, list, rotate, update, encrypt, decrypt and
/// rewrap. Decrypt puts the ciphertext's key version, and the measurement of a verified
/// attestation token when one is sent, into the request context as `key_version` and
/// `attestation_measurement`, so conditions can require both (seed 001's attested decrypt).
struct TransitRoutes {
    let components: ServerComponents

    struct EncryptBody: Decodable { var plaintext: String }
    struct CiphertextBody: Decodable {
        var ciphertext: String
        var attestation_token: String?
    }
    struct ConfigBody: Decodable { var min_decryption_version: Int }

    struct KeyView: Encodable {
        var name: String
        var latest_version: Int
        var min_decryption_version: Int
        var versions: [String: Date]
        var created_time: Date
        var updated_time: Date

        init(_ key: StoredTransitKey) {
            name = key.name
            latest_version = key.latestVersion
            min_decryption_version = key.minDecryptionVersion
            versions = Dictionary(uniqueKeysWithValues: key.versions.map { (String($0.version), $0.createdAt) })
            created_time = key.createdAt
            updated_time = key.updatedAt
        }
    }

    struct CiphertextView: Encodable { var ciphertext: String; var key_version: Int }
    struct PlaintextView: Encodable { var plaintext: String }
    struct ListView: Encodable { var keys: [String] }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let transit = components.transit
        let attestation = components.attestation
        let audit = components.audit

        router.get("/v1/transit/keys") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "list", resource: "transit", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: ListView(keys: try await transit.names())))
        }

        router.get("/v1/transit/keys/:name") { request, context in
            let name = try Self.name(context)
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: name.resource, request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: KeyView(try await transit.key(name))))
        }

        router.post("/v1/transit/keys/:name") { request, context in
            let name = try Self.name(context)
            let caller = try await gate.admit(bearer: request.bearerToken, action: "create", resource: name.resource, request: context.requestInfo)
            let key = try await transit.create(name)
            try await gate.recordOutcome(caller, action: "create", resource: name.resource, outcome: "ok", reason: "created transit key at version 1", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: KeyView(key)), status: .created)
        }

        router.post("/v1/transit/keys/:name/rotate") { request, context in
            let name = try Self.name(context)
            let caller = try await gate.admit(bearer: request.bearerToken, action: "rotate", resource: name.resource, request: context.requestInfo)
            let key = try await transit.rotate(name)
            try await gate.recordOutcome(caller, action: "rotate", resource: name.resource, outcome: "ok", reason: "rotated to version \(key.latestVersion)", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: KeyView(key)))
        }

        router.post("/v1/transit/keys/:name/config") { request, context in
            let name = try Self.name(context)
            let caller = try await gate.admit(bearer: request.bearerToken, action: "update", resource: name.resource, request: context.requestInfo)
            let body = try await request.decodeJSON(ConfigBody.self, context: context)
            let key = try await transit.setMinDecryptionVersion(name, body.min_decryption_version)
            try await gate.recordOutcome(caller, action: "update", resource: name.resource, outcome: "ok", reason: "min_decryption_version set to \(key.minDecryptionVersion)", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: KeyView(key)))
        }

        router.post("/v1/transit/encrypt/:name") { request, context in
            let name = try Self.name(context)
            let caller = try await gate.admit(bearer: request.bearerToken, action: "encrypt", resource: name.resource, request: context.requestInfo)
            let body = try await request.decodeJSON(EncryptBody.self, context: context)
            guard let plaintext = Data(base64Encoded: body.plaintext) else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "plaintext must be base64")
            }
            let ciphertext = try await SecretRoutes.mapped { try await transit.encrypt(name, plaintext: plaintext) }
            try await gate.recordOutcome(caller, action: "encrypt", resource: name.resource, outcome: "ok", reason: "encrypted with version \(ciphertext.version)", details: ["plaintext": audit.mac(body.plaintext)], request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: CiphertextView(ciphertext: ciphertext.description, key_version: ciphertext.version)))
        }

        router.post("/v1/transit/decrypt/:name") { request, context in
            let name = try Self.name(context)
            let caller = try await gate.authenticate(bearer: request.bearerToken, action: "decrypt", resource: name.resource, request: context.requestInfo)
            let body = try await request.decodeJSON(CiphertextBody.self, context: context)
            let ciphertext = try Self.ciphertext(body.ciphertext)
            var attributes = ["key_version": String(ciphertext.version)]
            if let token = body.attestation_token {
                do throws(ServiceError) {
                    let attested = try await attestation.verify(token, policy: try Self.policy(gate))
                    attributes["attestation_measurement"] = attested.measurement
                } catch {
                    try await gate.recordOutcome(caller, action: "decrypt", resource: name.resource, outcome: "deny", reason: "attestation refused: \(error)", request: context.requestInfo)
                    guard case .unauthenticated(let reason) = error else { throw error }
                    throw ServiceError.forbidden("attestation refused: \(reason)")
                }
            }
            try await gate.authorize(caller, action: "decrypt", resource: name.resource, context: attributes, request: context.requestInfo)
            let plaintext = try await transit.decrypt(name, ciphertext: ciphertext)
            try await gate.recordOutcome(caller, action: "decrypt", resource: name.resource, outcome: "ok", reason: "decrypted with version \(ciphertext.version)", details: attributes, request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: PlaintextView(plaintext: plaintext.base64EncodedString())))
        }

        router.post("/v1/transit/rewrap/:name") { request, context in
            let name = try Self.name(context)
            let caller = try await gate.admit(bearer: request.bearerToken, action: "rewrap", resource: name.resource, request: context.requestInfo)
            let body = try await request.decodeJSON(CiphertextBody.self, context: context)
            let rewrapped = try await transit.rewrap(name, ciphertext: try Self.ciphertext(body.ciphertext))
            try await gate.recordOutcome(caller, action: "rewrap", resource: name.resource, outcome: "ok", reason: "rewrapped to version \(rewrapped.version)", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: CiphertextView(ciphertext: rewrapped.description, key_version: rewrapped.version)))
        }
    }

    static func name(_ context: QuartermasterRequestContext) throws -> TransitKeyName {
        try TransitKeyName(context.parameters.get("name") ?? "")
    }

    static func ciphertext(_ text: String) throws -> TransitCiphertext {
        do {
            return try TransitCiphertext(parsing: text)
        } catch {
            throw APIError(status: .badRequest, error: "invalid_request", detail: error.description)
        }
    }

    static func policy(_ gate: AccessGate) throws(ServiceError) -> Policy {
        guard let active = gate.policies.current else { throw ServiceError.unavailable("no policy is loaded") }
        return active.policy
    }
}
