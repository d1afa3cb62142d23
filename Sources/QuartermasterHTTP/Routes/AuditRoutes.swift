import Foundation
import Hummingbird
import QuartermasterServices
import QuartermasterStorage

/// Reading and verifying the audit log; both need `read` on `sys/audit`.
struct AuditRoutes {
    let components: ServerComponents

    struct RecordsAnswer: Encodable {
        var records: [AuditRecord]
    }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let audit = components.audit

        router.get("/v1/audit") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/audit", request: context.requestInfo)
            if let tail = request.uri.queryParameters.get("tail") {
                guard let count = Int(tail), (1...1000).contains(count) else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "tail must be a whole number from 1 to 1000")
                }
                return JSONResponse.make(RecordsAnswer(records: try await audit.tail(count)))
            }
            let query = try Self.query(request)
            return JSONResponse.make(RecordsAnswer(records: try await audit.records(query)))
        }

        router.get("/v1/audit/verify") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/audit", request: context.requestInfo)
            return JSONResponse.make(try await audit.verify())
        }
    }

    /// `?subject=&since=RFC3339&after=SEQUENCE&limit=N` (or `?tail=N` for the newest N).
    static func query(_ request: Request) throws -> AuditQuery {
        let parameters = request.uri.queryParameters
        var query = AuditQuery(limit: try PolicyRoutes.limit(request, default: 100))
        if let subject = parameters.get("subject"), !subject.isEmpty {
            query.subject = subject
        }
        if let since = parameters.get("since") {
            guard let date = ISO8601DateFormatter().date(from: since) else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "since must be an RFC 3339 time such as 2026-11-23T14:00:00Z")
            }
            query.since = date
        }
        if let after = parameters.get("after") {
            guard let sequence = Int64(after), sequence >= 0 else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "after must be a record sequence number")
            }
            query.afterSequence = sequence
        }
        return query
    }
}
