import Foundation
import Hummingbird
import QuartermasterCore
import QuartermasterServices
import QuartermasterStorage

/// API keys for agents (`sys/api-keys`): create (the key is returned once), list, rotate with
/// a grace period, revoke. Stored keys are listed without any secret material.
struct APIKeyRoutes {
    let components: ServerComponents

    struct CreateBody: Decodable {
        var identity: String
        var name: String
        var roles: [String]?
        /// A duration such as `720h`; none means the key does not expire.
        var ttl: String?
    }

    struct RotateBody: Decodable {
        /// How long the old key keeps working, e.g. `24h` (default `1h`).
        var grace: String?
    }

    struct View: Encodable {
        var id: String
        var identity: String
        var name: String
        var roles: [String]
        var created_at: Date
        var expires_at: Date?
        var revoked_at: Date?
        var last_used_at: Date?
        var replaced_by: String?
        var grace_until: Date?

        init(_ key: StoredAPIKey) {
            id = key.id
            identity = key.identity
            name = key.name
            roles = key.roles
            created_at = key.createdAt
            expires_at = key.expiresAt
            revoked_at = key.revokedAt
            last_used_at = key.lastUsedAt
            replaced_by = key.replacedBy
            grace_until = key.graceUntil
        }
    }

    struct Created: Encodable {
        var key: String
        var api_key: View
    }

    struct List: Encodable { var api_keys: [View] }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let keys = components.apiKeys

        router.post("/v1/api-keys") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: "sys/api-keys", request: context.requestInfo)
            let body = try await request.decodeJSON(CreateBody.self, context: context)
            let ttl = try body.ttl.map { text -> Duration in
                guard let duration = DurationText.parse(text), duration > .zero else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "ttl must be a duration such as 720h")
                }
                return duration
            }
            let created = try await keys.create(identity: body.identity, name: body.name, roles: body.roles ?? [], ttl: ttl)
            try await gate.recordOutcome(caller, action: "create", resource: "sys/api-keys", outcome: "ok", reason: "created API key \(created.stored.id) for \(body.identity)", request: context.requestInfo)
            return JSONResponse.make(Created(key: created.text, api_key: View(created.stored)), status: .created)
        }

        router.get("/v1/api-keys") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "list", resource: "sys/api-keys", request: context.requestInfo)
            return JSONResponse.make(List(api_keys: try await keys.list(identity: request.uri.queryParameters.get("identity")).map(View.init)))
        }

        router.post("/v1/api-keys/:id/rotate") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: "sys/api-keys", request: context.requestInfo)
            let id = try context.parameters.require("id")
            let body = try await request.decodeJSONIfPresent(RotateBody.self, context: context, empty: RotateBody(grace: nil))
            guard let grace = DurationText.parse(body.grace ?? "1h"), grace >= .zero else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "grace must be a duration such as 24h")
            }
            let created = try await keys.rotate(id: id, grace: grace)
            try await gate.recordOutcome(caller, action: "rotate", resource: "sys/api-keys", outcome: "ok", reason: "rotated API key \(id) to \(created.stored.id)", request: context.requestInfo)
            return JSONResponse.make(Created(key: created.text, api_key: View(created.stored)), status: .created)
        }

        router.delete("/v1/api-keys/:id") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "delete", resource: "sys/api-keys", request: context.requestInfo)
            let id = try context.parameters.require("id")
            let revoked = try await keys.revoke(id: id)
            try await gate.recordOutcome(caller, action: "revoke", resource: "sys/api-keys", outcome: "ok", reason: "revoked API key \(id)", request: context.requestInfo)
            return JSONResponse.make(View(revoked))
        }
    }
}
