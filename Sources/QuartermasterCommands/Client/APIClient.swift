import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small client for the Quartermaster API, used by the CLI.
struct APIClient: Sendable {
    let address: String
    let token: String

    /// Sends a request; returns the body on 2xx and throws the server's `detail` otherwise.
    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> Data {
        var request = HTTPClientRequest(url: address.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw CLIError("cannot reach \(address): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let data = Data(buffer: bytes)
        guard (200..<300).contains(Int(response.status.code)) else {
            if let failure = try? JSONDecoder().decode(ErrorBody.self, from: data) {
                throw CLIError("\(response.status.code) \(failure.error): \(failure.detail)")
            }
            throw CLIError("\(response.status.code) \(response.status.reasonPhrase)")
        }
        return data
    }

    /// Sends and decodes a JSON answer.
    func send<T: Decodable>(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json", as type: T.Type) async throws -> T {
        let data = try await send(method, path, body: body, contentType: contentType)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: data)
    }

    private struct ErrorBody: Decodable {
        var error: String
        var detail: String
    }
}

extension String {
    /// Percent-encodes a query parameter value.
    var queryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? self
    }
}
