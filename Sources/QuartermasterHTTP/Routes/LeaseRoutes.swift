import Foundation
import Hummingbird
import QuartermasterCore
import QuartermasterServices
import QuartermasterStorage

/// Leases under `/v1/leases` (Vault `sys/leases` shapes). A lease's own subject may look up,
/// renew and revoke it; anyone else needs the policy's `read`, `update` or `delete` on
/// `sys/leases/<lease id>` (`list` on `sys/leases` to list other subjects' leases, `delete` on
/// `sys/leases/<prefix>` to revoke by prefix).
struct LeaseRoutes {
    let components: ServerComponents

    struct RenewBody: Decodable {
        var lease_id: String
        /// A duration such as `1h`; default: the lease's original TTL.
        var increment: String?
    }
    struct RevokeBody: Decodable { var lease_id: String }
    struct PrefixBody: Decodable { var prefix: String }

    struct LeaseView: Encodable {
        var lease_id: String
        var subject: String
        var kind: String
        var resource: String
        var issue_time: Date
        var expire_time: Date
        var max_expire_time: Date
        var ttl: Int
        var renewable: Bool
        var parent_id: String?

        init(_ lease: StoredLease, now: Date = Date()) {
            lease_id = lease.id
            subject = lease.subject
            kind = lease.kind
            resource = lease.resource
            issue_time = lease.issuedAt
            expire_time = lease.expiresAt
            max_expire_time = lease.maxExpiresAt
            ttl = max(0, Int(lease.expiresAt.timeIntervalSince(now).rounded(.down)))
            renewable = lease.renewable
            parent_id = lease.parentID
        }
    }

    struct RevokedView: Encodable { var revoked: [String] }
    struct ListView: Encodable { var leases: [LeaseView] }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let leases = components.leases

        router.get("/v1/leases") { request, context in
            let parameters = request.uri.queryParameters
            let prefix = parameters.get("prefix")
            let caller = try await gate.authenticate(bearer: request.bearerToken, action: "list", resource: "sys/leases", request: context.requestInfo)
            let subject = parameters.get("subject") ?? caller.identity
            if subject != caller.identity {
                try await gate.authorize(caller, action: "list", resource: "sys/leases", request: context.requestInfo)
            }
            return JSONResponse.make(DataEnvelope(data: ListView(leases: try await leases.list(subject: subject, prefix: prefix).map { LeaseView($0) })))
        }

        router.post("/v1/leases/renew") { request, context in
            let body = try await request.decodeJSON(RenewBody.self, context: context)
            var increment: Duration?
            if let text = body.increment {
                guard let parsed = DurationText.parse(text), parsed > .zero else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "increment must be a positive duration such as 30m or 1h")
                }
                increment = parsed
            }
            let caller = try await Self.admitOwnerOrPolicy(gate, leases, request: request, context: context, leaseID: body.lease_id, action: "update")
            let renewed = try await leases.renew(id: body.lease_id, increment: increment)
            try await gate.recordOutcome(caller, action: "renew", resource: "sys/leases/\(body.lease_id)", outcome: "ok", reason: "renewed until \(renewed.expiresAt.formatted(.iso8601))", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: LeaseView(renewed)))
        }

        router.post("/v1/leases/revoke") { request, context in
            let body = try await request.decodeJSON(RevokeBody.self, context: context)
            let caller = try await Self.admitOwnerOrPolicy(gate, leases, request: request, context: context, leaseID: body.lease_id, action: "delete")
            let revoked = try await leases.revoke(id: body.lease_id, reason: "revoked by \(caller.identity)")
            try await gate.recordOutcome(caller, action: "revoke", resource: "sys/leases/\(body.lease_id)", outcome: "ok", reason: "revoked \(revoked.count) lease(s)", details: ["leases": revoked.map(\.id).joined(separator: ",")], request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: RevokedView(revoked: revoked.map(\.id))))
        }

        router.post("/v1/leases/revoke-prefix") { request, context in
            let body = try await request.decodeJSON(PrefixBody.self, context: context)
            let resource = try Self.resource(forPrefix: body.prefix)
            let caller = try await gate.admit(bearer: request.bearerToken, action: "delete", resource: resource, request: context.requestInfo)
            let revoked = try await leases.revoke(prefix: body.prefix, reason: "revoked by \(caller.identity)")
            try await gate.recordOutcome(caller, action: "revoke-prefix", resource: resource, outcome: "ok", reason: "revoked \(revoked.count) lease(s)", details: ["leases": revoked.map(\.id).joined(separator: ",")], request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: RevokedView(revoked: revoked.map(\.id))))
        }
    }

    /// The lease's own subject is admitted as such; anyone else must be allowed `action` on
    /// `sys/leases/<id>`. An unknown lease is a 404 for its would-be owner and a policy
    /// question for everyone else, so lease ids cannot be probed.
    static func admitOwnerOrPolicy(_ gate: AccessGate, _ leases: LeaseService, request: Request, context: QuartermasterRequestContext, leaseID: String, action: String) async throws -> Principal {
        let resource = try Self.resource(forPrefix: leaseID)
        let caller = try await gate.authenticate(bearer: request.bearerToken, action: action, resource: resource, request: context.requestInfo)
        let lease = try? await leases.lease(id: leaseID)
        if lease?.subject != caller.identity {
            try await gate.authorize(caller, action: action, resource: resource, request: context.requestInfo)
        }
        return caller
    }

    /// `sys/leases/<id or prefix>`, refusing ids that are not resource paths.
    static func resource(forPrefix text: String) throws -> String {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        let resource = "sys/leases/" + trimmed
        guard !trimmed.isEmpty, ResourcePath.isValid(resource) else {
            throw APIError(status: .badRequest, error: "invalid_request", detail: "a lease id or prefix is a slash-separated path without empty, '.' or '..' segments")
        }
        return resource
    }
}
