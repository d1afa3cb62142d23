import Foundation
import Hummingbird
import QuartermasterCore
import QuartermasterServices

/// `POST /v1/authorize`: asks the engine about one request or a batch.
///
/// The caller needs `read` on `sys/authorize`. Each evaluated question is audited as a
/// decision about its subject, noting who asked.
struct AuthorizeRoutes {
    let components: ServerComponents

    /// Either one question or `{"requests": [...]}`.
    struct Body: Decodable {
        var single: AuthorizationRequest?
        var batch: [AuthorizationRequest]?

        private enum CodingKeys: String, CodingKey { case requests }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if container.contains(.requests) {
                batch = try container.decode([AuthorizationRequest].self, forKey: .requests)
            } else {
                single = try AuthorizationRequest(from: decoder)
            }
        }
    }

    struct BatchAnswer: Encodable {
        var decisions: [Decision]
    }

    static let maxBatch = 1000

    func register(on router: Router<QuartermasterRequestContext>) {
        router.post("/v1/authorize") { request, context in
            let caller = try await components.gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/authorize", request: context.requestInfo)
            let body = try await request.decodeJSON(Body.self, context: context)
            if let batch = body.batch {
                guard batch.count <= Self.maxBatch else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "a batch holds at most \(Self.maxBatch) requests")
                }
                var decisions: [Decision] = []
                decisions.reserveCapacity(batch.count)
                for question in batch {
                    decisions.append(try await evaluate(question, askedBy: caller, context: context))
                }
                return JSONResponse.make(BatchAnswer(decisions: decisions))
            }
            guard let question = body.single else {
                throw APIError(status: .badRequest, error: "invalid_request", detail: "expected a request or {\"requests\": [...]}")
            }
            return JSONResponse.make(try await evaluate(question, askedBy: caller, context: context))
        }
    }

    private func evaluate(_ question: AuthorizationRequest, askedBy caller: Principal, context: QuartermasterRequestContext) async throws -> Decision {
        let decision = components.policies.decide(question)
        components.metrics.recordDecision(allowed: decision.allowed)
        try await components.audit.record(AuditEvent(
            requestID: context.requestInfo.requestID,
            subject: question.subject,
            action: question.action,
            resource: question.resource,
            decision: decision.allowed ? "allow" : "deny",
            reason: decision.reason,
            source: context.source,
            details: ["asked_by": caller.identity, "kind": "what-if"]
        ))
        return decision
    }
}
