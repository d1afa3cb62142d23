import Foundation
import HTTPTypes
import Hummingbird
import QuartermasterServices
import QuartermasterStorage

/// The OAuth 2.0 endpoints: token (RFC 6749, 7523, 8693), introspection (RFC 7662),
/// revocation (RFC 7009), and the public revocation list for verifiers that cache.
struct OAuthRoutes {
    let components: ServerComponents

    struct OAuthErrorBody: Encodable {
        var error: String
        var error_description: String
    }

    struct RevocationList: Encodable {
        var revocations: [Entry]
        struct Entry: Encodable {
            var jti: String
            var revoked_at: Date
            var expires_at: Date
        }
    }

    func register(on router: Router<QuartermasterRequestContext>) {
        let issuer = components.issuer
        router.post("/oauth2/token") { request, context in
            try await Self.answer {
                let form = try await Self.form(request, context: context)
                return JSONResponse.make(json: try await issuer.tokens.handle(form, request: context.requestInfo).json)
            }
        }
        router.post("/oauth2/introspect") { request, context in
            try await Self.answer {
                let form = try await Self.form(request, context: context)
                let caller = try await callerIdentity(form, request: request, context: context, action: "read")
                guard let token = form["token"] else { throw OAuthError("invalid_request", "token is required") }
                return JSONResponse.make(try await issuer.introspection.introspect(token, caller: caller.identity, request: context.requestInfo))
            }
        }
        router.post("/oauth2/revoke") { request, context in
            try await Self.answer {
                let form = try await Self.form(request, context: context)
                let caller = try await callerIdentity(form, request: request, context: context, action: "write")
                guard let token = form["token"] else { throw OAuthError("invalid_request", "token is required") }
                try await issuer.introspection.revoke(token, caller: caller.client, callerIdentity: caller.identity, request: context.requestInfo)
                return JSONResponse.make([String: String]())
            }
        }
        router.get("/v1/revocations") { request, _ in
            var since: Date?
            if let text = request.uri.queryParameters.get("since") {
                guard let date = ISO8601DateFormatter().date(from: text) else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "since must be an RFC 3339 time")
                }
                since = date
            }
            let limit = try PolicyRoutes.limit(request, default: 1000)
            let list = try await issuer.revocations.list(since: since, limit: limit)
            return JSONResponse.make(RevocationList(revocations: list.map { .init(jti: $0.jti, revoked_at: $0.revokedAt, expires_at: $0.expiresAt) }))
        }
    }

    /// The caller of introspection or revocation: an OAuth client, or an admin bearer token
    /// allowed `action` on `sys/tokens`.
    private func callerIdentity(_ form: OAuthForm, request: Request, context: QuartermasterRequestContext, action: String) async throws -> (identity: String, client: AuthenticatedClient?) {
        if request.bearerToken != nil {
            let principal = try await components.gate.admit(bearer: request.bearerToken, action: action, resource: "sys/tokens", request: context.requestInfo)
            return (principal.identity, nil)
        }
        guard let client = try await components.issuer.tokens.clients.authenticate(form) else {
            throw OAuthError("invalid_client", "client authentication is required")
        }
        return (client.identity, client)
    }

    private static func form(_ request: Request, context: QuartermasterRequestContext) async throws -> OAuthForm {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            throw OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded")
        }
        return try OAuthForm.parse(try await request.bodyText(context: context), authorization: request.headers[.authorization])
    }

    /// Runs `body`, turning OAuth errors into RFC 6749 error responses; adds `no-store`.
    private static func answer(_ body: () async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await body()
        } catch let error as OAuthError {
            response = JSONResponse.make(OAuthErrorBody(error: error.code, error_description: error.detail), status: HTTPResponse.Status(code: error.status))
            if error.status == 401 { response.headers[.wwwAuthenticate] = "Basic realm=\"quartermaster\"" }
        } catch let error as ServiceError {
            switch error {
            case .unauthenticated(let detail), .forbidden(let detail):
                let status: HTTPResponse.Status = error == .unauthenticated(detail) ? .unauthorized : .forbidden
                response = JSONResponse.make(OAuthErrorBody(error: "invalid_client", error_description: detail), status: status)
            default:
                throw error
            }
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[HTTPField.Name("Pragma")!] = "no-cache"
        return response
    }
}
