import Foundation
import Hummingbird
import QuartermasterCore
import QuartermasterServices
import QuartermasterStorage

/// The policy administration API. Documents travel as YAML text bodies; `?source=NAME`
/// names the file they came from so that decision reasons cite `NAME:line:column`.
///
/// | route | action on `sys/policy` |
/// |---|---|
/// | `GET /v1/policy` | read |
/// | `POST /v1/policy/validate`, `POST /v1/policy/plan` | read |
/// | `PUT /v1/policy`, `POST /v1/policy/rollback` | write |
/// | `GET /v1/policy/history` | list |
struct PolicyRoutes {
    let components: ServerComponents

    /// A stored version without its document text.
    struct VersionSummary: Encodable {
        var version: Int
        var source_name: String
        var digest: String
        var created_at: Date
        var created_by: String
        var comment: String

        init(_ stored: StoredPolicy) {
            version = stored.version
            source_name = stored.sourceName
            digest = stored.digest
            created_at = stored.createdAt
            created_by = stored.createdBy
            comment = stored.comment
        }
    }

    struct ActiveDocument: Encodable {
        var version: VersionSummary
        var document: String
    }

    struct ValidationAnswer: Encodable {
        var valid: Bool
        var identities: Int
        var roles: Int
        var clusters: Int
    }

    struct HistoryAnswer: Encodable {
        var versions: [VersionSummary]
    }

    struct RollbackBody: Decodable {
        var version: Int
    }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let policies = components.policies

        router.get("/v1/policy") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/policy", request: context.requestInfo)
            guard let active = policies.current else {
                throw APIError(status: .notFound, error: "not_found", detail: "no policy has been applied")
            }
            return JSONResponse.make(ActiveDocument(version: VersionSummary(active.stored), document: active.stored.document))
        }

        router.post("/v1/policy/validate") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/policy", request: context.requestInfo)
            let policy = try policies.validate(yaml: try await request.bodyText(context: context), sourceName: Self.sourceName(request))
            return JSONResponse.make(ValidationAnswer(valid: true, identities: policy.identities.count, roles: policy.roles.count, clusters: policy.clusters.count))
        }

        router.post("/v1/policy/plan") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/policy", request: context.requestInfo)
            let plan = try policies.plan(yaml: try await request.bodyText(context: context), sourceName: Self.sourceName(request))
            return JSONResponse.make(plan)
        }

        router.put("/v1/policy") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: "sys/policy", request: context.requestInfo)
            let text = try await request.bodyText(context: context)
            let sourceName = Self.sourceName(request)
            let applied: ActivePolicy
            do {
                applied = try await policies.apply(yaml: text, sourceName: sourceName, by: caller.identity)
            } catch {
                try await gate.recordOutcome(caller, action: "apply", resource: "sys/policy", outcome: "error", reason: "policy not applied: \(APIError.from(error).error)", request: context.requestInfo)
                throw error
            }
            try await gate.recordOutcome(caller, action: "apply", resource: "sys/policy", outcome: "ok", reason: "applied policy version \(applied.version)", details: ["digest": applied.stored.digest, "source": sourceName], request: context.requestInfo)
            return JSONResponse.make(VersionSummary(applied.stored), status: .created)
        }

        router.get("/v1/policy/history") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "list", resource: "sys/policy", request: context.requestInfo)
            let limit = try Self.limit(request, default: 50)
            return JSONResponse.make(HistoryAnswer(versions: try await policies.history(limit: limit).map(VersionSummary.init)))
        }

        router.post("/v1/policy/rollback") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: "sys/policy", request: context.requestInfo)
            let body = try await request.decodeJSON(RollbackBody.self, context: context)
            let applied = try await policies.rollback(to: body.version, by: caller.identity)
            try await gate.recordOutcome(caller, action: "rollback", resource: "sys/policy", outcome: "ok", reason: "rolled back to version \(body.version) as version \(applied.version)", request: context.requestInfo)
            return JSONResponse.make(VersionSummary(applied.stored), status: .created)
        }
    }

    static func sourceName(_ request: Request) -> String {
        let name = request.uri.queryParameters.get("source") ?? "policy.yaml"
        return name.isEmpty || name.utf8.count > 256 ? "policy.yaml" : name
    }

    /// `?limit=N`, 1...1000.
    static func limit(_ request: Request, default defaultLimit: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultLimit }
        guard let limit = Int(text), (1...1000).contains(limit) else {
            throw APIError(status: .badRequest, error: "invalid_request", detail: "limit must be a whole number from 1 to 1000")
        }
        return limit
    }
}
