import Foundation
import Hummingbird
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage

/// Admin API for the issuer: OAuth clients (`sys/clients`) and signing keys (`sys/keys`).
struct IssuerAdminRoutes {
    let components: ServerComponents

    struct NewClient: Decodable {
        var identity: String
        var jwks: JSONValue?
    }

    struct CreatedClient: Encodable {
        var client_id: String
        var client_secret: String?
        var identity: String
        var auth_methods: [String]
    }

    struct KeyView: Encodable {
        var kid: String
        var algorithm: String
        var state: String
        var signs_from: Date
        var signs_until: Date
        var published_until: Date
    }

    struct KeyList: Encodable { var keys: [KeyView] }

    struct RotateBody: Decodable {
        var algorithm: String?
        var immediate: Bool?
    }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let issuer = components.issuer

        router.post("/v1/clients") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: "sys/clients", request: context.requestInfo)
            let body = try await request.decodeJSON(NewClient.self, context: context)
            guard components.policies.current?.policy.identity(named: body.identity) != nil else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "identity \(body.identity) is not in the policy")
            }
            var jwksText: String?
            if let jwks = body.jwks {
                jwksText = try jwks.jsonText()
                guard case .object(let object) = jwks, case .array(let keys)? = object["keys"], !keys.isEmpty else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "jwks must be {\"keys\": [...]} with at least one public key")
                }
                if keys.contains(where: { if case .object(let key) = $0 { return key["d"] != nil }; return true }) {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "jwks must hold public keys only")
                }
            }
            let clientID = "qmc_" + RandomBytes.hex(count: 8)
            let secret = jwksText == nil ? RandomBytes.base64URL(count: 32) : nil
            try await issuer.clients.insert(StoredClient(clientID: clientID, identity: body.identity, secretHash: secret.map(SecretToken.hash), jwks: jwksText, createdAt: Date()))
            try await gate.recordOutcome(caller, action: "create", resource: "sys/clients", outcome: "ok", reason: "created client \(clientID) for \(body.identity)", request: context.requestInfo)
            let methods = secret == nil ? ["private_key_jwt"] : ["client_secret_basic", "client_secret_post"]
            return JSONResponse.make(CreatedClient(client_id: clientID, client_secret: secret, identity: body.identity, auth_methods: methods), status: .created)
        }

        router.get("/v1/keys") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/keys", request: context.requestInfo)
            let now = Date()
            return JSONResponse.make(KeyList(keys: issuer.keys.entries.map {
                KeyView(kid: $0.stored.kid, algorithm: $0.stored.algorithm, state: $0.state(at: now), signs_from: $0.stored.signsFrom, signs_until: $0.stored.signsUntil, published_until: $0.stored.publishedUntil)
            }))
        }

        router.post("/v1/keys/rotate") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: "sys/keys", request: context.requestInfo)
            let body = try await request.decodeJSONIfPresent(RotateBody.self, context: context, empty: RotateBody(algorithm: nil, immediate: nil))
            var algorithm: SigningAlgorithm?
            if let name = body.algorithm {
                guard let parsed = SigningAlgorithm(rawValue: name) else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "algorithm must be ES256, EdDSA or RS256")
                }
                algorithm = parsed
            }
            let entry = try await issuer.keys.rotate(algorithm: algorithm, immediate: body.immediate ?? false)
            try await gate.recordOutcome(caller, action: "rotate", resource: "sys/keys", outcome: "ok", reason: "published key \(entry.stored.kid) (\(entry.stored.algorithm)), signing from \(entry.stored.signsFrom.formatted(.iso8601))", request: context.requestInfo)
            return JSONResponse.make(KeyView(kid: entry.stored.kid, algorithm: entry.stored.algorithm, state: entry.state(at: Date()), signs_from: entry.stored.signsFrom, signs_until: entry.stored.signsUntil, published_until: entry.stored.publishedUntil))
        }
    }
}
