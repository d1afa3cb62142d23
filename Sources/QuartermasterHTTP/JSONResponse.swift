import Foundation
import HTTPTypes
import Hummingbird
import QuartermasterCore

/// Encodes response bodies as JSON with stable key order.
enum JSONResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","detail":"response encoding failed"}"#.utf8)
        return make(json: data, status: status)
    }

    /// A response of JSON text already written (for the hottest answers, written directly).
    static func make(json: some Sequence<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer(bytes: json)
        buffer.writeInteger(UInt8(0x0a))
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer)
        )
    }
}

extension Request {
    /// Decodes the JSON body, with the size limit enforced.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError.from(error)
        }
    }

    /// Decodes the JSON body, or returns `empty` when there is no body.
    func decodeJSONIfPresent<T: Decodable>(_ type: T.Type, context: some RequestContext, empty: T) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return empty }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw APIError.from(error)
        }
    }

    /// Collects the body as UTF-8 text, with the size limit enforced.
    func bodyText(context: some RequestContext) async throws -> String {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw APIError(status: .badRequest, error: "invalid_request", detail: "the body is not UTF-8 text")
        }
        return text
    }

    /// The bearer credential from `Authorization`, if any.
    var bearerToken: String? {
        guard let header = headers[.authorization], let token = AuthorizationHeader.credentials(header, scheme: "bearer") else { return nil }
        return String(token)
    }
}

/// The Vault-style `{"data": ...}` wrapper of the secrets, leases, transit and root-key answers.
struct DataEnvelope<T: Encodable>: Encodable {
    var data: T
}
