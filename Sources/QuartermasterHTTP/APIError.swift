import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuartermasterServices

/// The JSON error body every failed request gets: `{"error": "...", "detail": "..."}`.
public struct APIError: Error, Codable, Sendable, Equatable {
    public var status: Int
    /// A stable machine-readable code, e.g. `forbidden`.
    public var error: String
    /// A human sentence. Never contains secret values or stack traces.
    public var detail: String

    public init(status: HTTPResponse.Status, error: String, detail: String) {
        self.status = status.code
        self.error = error
        self.detail = detail
    }

    private enum CodingKeys: String, CodingKey { case error, detail }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.status = 0
        self.error = try container.decode(String.self, forKey: .error)
        self.detail = try container.decode(String.self, forKey: .detail)
    }

    /// The API error for any error thrown below the HTTP layer.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let apiError as APIError:
            return apiError
        case let service as ServiceError:
            return from(service)
        case is NIOTooManyBytesError:
            return APIError(status: .contentTooLarge, error: "payload_too_large", detail: "the request body exceeds \(RequestLimits.maxBodyBytes) bytes")
        case let decoding as DecodingError:
            return APIError(status: .badRequest, error: "malformed_json", detail: describe(decoding))
        case let http as any HTTPResponseError:
            let code = http.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            let detail = http.status == .notFound ? "no such route" : http.status.reasonPhrase
            return APIError(status: http.status, error: code, detail: detail)
        default:
            return APIError(status: .internalServerError, error: "internal", detail: "an internal error occurred; see the server log")
        }
    }

    private static func from(_ error: ServiceError) -> APIError {
        switch error {
        case .unauthenticated(let detail): APIError(status: .unauthorized, error: "unauthenticated", detail: detail)
        case .forbidden(let detail): APIError(status: .forbidden, error: "forbidden", detail: detail)
        case .invalidInput(let detail): APIError(status: .badRequest, error: "invalid_request", detail: detail)
        case .notFound(let detail): APIError(status: .notFound, error: "not_found", detail: detail)
        case .conflict(let detail): APIError(status: .conflict, error: "conflict", detail: detail)
        case .unavailable(let detail): APIError(status: .serviceUnavailable, error: "unavailable", detail: detail)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            "the body is not valid JSON" + path(context)
        case .keyNotFound(let key, let context):
            "missing field \"\(key.stringValue)\"" + path(context)
        case .typeMismatch(let type, let context):
            "expected \(type) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .valueNotFound(let type, let context):
            "missing \(type) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default:
            "the body could not be decoded"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "" : " at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    }
}
