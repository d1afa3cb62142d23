import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every thrown error into a JSON error response with the right status.
/// A 5xx is logged with the request id; its body never carries internals.
/// `handle` is `@concurrent` as Hummingbird's `MiddlewareProtocol` requirement is.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    @concurrent func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))", "status": "\(apiError.status)"])
            }
            return JSONResponse.make(apiError, status: HTTPResponse.Status(code: apiError.status))
        }
    }
}
