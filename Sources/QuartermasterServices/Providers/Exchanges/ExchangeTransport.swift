import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// What the exchanges share: building endpoint URLs, encoding bodies exactly as the official
// SDKs do, sending with one deadline per fetch, and turning failures into
// `CredentialExchangeError`s that never carry a secret.

/// One HTTP request of an exchange.
struct ExchangeRequest: Sendable {
    var method: HTTPMethod
    var url: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]?
}

/// A provider's answer, its body read whole (at most `ExchangeTransport.maximumBodySize`).
struct ExchangeResponse: Sendable {
    let status: Int
    let body: Data

    var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as `T`, or `nil` when it is not that JSON.
    func decode<T: Decodable>(_ type: T.Type) -> T? {
        try? JSONDecoder().decode(type, from: body)
    }

    /// The error to throw for a non-success answer: the status, with `message` (the provider's
    /// error text, read from its documented error body) made safe to show.
    func refusal(message: String?, redacting secrets: [String]) -> CredentialExchangeError {
        .httpStatus(code: status, providerError: message.map { ExchangeRedaction.providerMessage($0, redacting: secrets) })
    }
}

/// Sends an exchange's requests with one `HTTPClient` and one deadline for the whole fetch.
struct ExchangeTransport: Sendable {
    /// The largest answer read; providers answer in a few kilobytes.
    static let maximumBodySize = 1 << 20

    let client: HTTPClient
    /// The deadline, as the client takes it (it enforces it until the response head arrives)...
    let deadline: NIODeadline
    /// ...and as this transport enforces it while reading the body.
    let bodyDeadline: ContinuousClock.Instant

    init(client: HTTPClient, timeout: Duration) {
        self.client = client
        self.deadline = .now() + TimeAmount(timeout)
        self.bodyDeadline = .now + timeout
    }

    func send(_ request: ExchangeRequest) async throws(CredentialExchangeError) -> ExchangeResponse {
        var http = HTTPClientRequest(url: request.url)
        http.method = request.method
        for header in request.headers {
            http.headers.add(name: header.name, value: header.value)
        }
        if let body = request.body {
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(http, deadline: deadline)
            let body = try await collect(response.body)
            return ExchangeResponse(status: Int(response.status.code), body: body)
        } catch let error as HTTPClientError where Self.timeouts.contains(error) {
            throw .timeout
        } catch is CancellationError {
            throw .timeout
        } catch is NIOTooManyBytesError {
            throw .malformedResponse("the answer from \(ExchangeEndpoint.display(request.url)) is larger than 1 MiB")
        } catch {
            throw .unreachable(endpoint: ExchangeEndpoint.display(request.url))
        }
    }

    /// The whole body, unless the deadline passes first (the client's deadline stops applying
    /// once the response head has arrived).
    private func collect(_ body: HTTPClientResponse.Body) async throws -> Data {
        try await withThrowingTaskGroup(of: Data?.self) { [bodyDeadline] group in
            group.addTask {
                Data(try await body.collect(upTo: Self.maximumBodySize).readableBytesView)
            }
            group.addTask {
                try await Task.sleep(until: bodyDeadline)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw HTTPClientError.deadlineExceeded }
            return first
        }
    }

    /// The client errors that mean the deadline passed (or the task was cancelled while waiting).
    private static let timeouts: [HTTPClientError] = [
        .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout,
        .getConnectionFromPoolTimeout, .cancelled,
    ]
}

/// Endpoint URLs from settings.
enum ExchangeEndpoint {
    /// `base` (an http or https URL with a host; a trailing `/` is dropped) followed by `path`.
    /// Throws `.configuration` naming `setting` otherwise.
    static func url(_ base: String, appending path: String, setting: String) throws(CredentialExchangeError) -> String {
        try validated(base, setting: setting) + path
    }

    /// `url` itself when it is an http or https URL with a host and no query or fragment, without a
    /// trailing `/`; throws `.configuration` naming `setting` otherwise.
    static func validated(_ url: String, setting: String) throws(CredentialExchangeError) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", components.host?.isEmpty == false,
              components.query == nil, components.fragment == nil, components.user == nil
        else {
            throw .configuration("\(setting) '\(url)' is not an http or https URL with a host")
        }
        var trimmed = Substring(url)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// A URL as error messages show it: without its query.
    static func display(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}

/// Reads the token or secret an exchange presents.
enum ExchangeSecret {
    /// The source's value; `.tokenSource` when it throws or returns nothing. `what` names the value
    /// in messages ("the web identity token").
    static func read(_ source: @Sendable () async throws -> String, what: String) async throws(CredentialExchangeError) -> String {
        let value: String
        do {
            value = try await source()
        } catch let error as CredentialExchangeError {
            throw error
        } catch {
            throw .tokenSource("reading \(what) failed: \(error)")
        }
        guard !value.isEmpty else { throw .tokenSource("\(what) is empty") }
        return value
    }
}

/// `application/x-www-form-urlencoded` bodies as Python's `urllib.parse` writes them: bytes other
/// than `A-Z a-z 0-9 - . _ ~` percent-encoded with uppercase hex, fields in the given order.
enum ExchangeForm {
    /// How a space is written.
    enum Space {
        /// `+`, as `urlencode` (requests, google-auth, azure-core) writes it.
        case plus
        /// `%20`, as botocore's `percent_encode` writes it.
        case percent
    }

    static func encode(_ fields: KeyValuePairs<String, String>, space: Space) -> [UInt8] {
        let pairs = fields.map { escape($0.key, space: space) + "=" + escape($0.value, space: space) }
        return Array(pairs.joined(separator: "&").utf8)
    }

    /// `text` percent-encoded, keeping the unreserved characters and those in `keeping`.
    static func escape(_ text: String, space: Space = .percent, keeping: Set<UInt8> = []) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || keeping.contains(byte) {
                output.unicodeScalars.append(UnicodeScalar(byte))
            } else if byte == UInt8(ascii: " "), space == .plus {
                output.append("+")
            } else {
                output.append("%")
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return output
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}

/// JSON objects written exactly as Python's `json.dumps` writes them with its defaults (google-auth
/// and hvac's requests use it): `{"a": "b", "c": ["d", "e"], "f": null}`, members in the given
/// order, everything outside printable ASCII escaped (`\n`, `\u00e9`, surrogate pairs).
enum ExchangeJSON {
    enum Value {
        case string(String)
        case strings([String])
        case null
    }

    static func object(_ members: KeyValuePairs<String, Value>) -> [UInt8] {
        let written = members.map { member in
            let value = switch member.value {
            case .string(let text): quote(text)
            case .strings(let texts): "[" + texts.map(quote).joined(separator: ", ") + "]"
            case .null: "null"
            }
            return quote(member.key) + ": " + value
        }
        return Array(("{" + written.joined(separator: ", ") + "}").utf8)
    }

    private static func quote(_ text: String) -> String {
        var output = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x20...0x7E: output.unicodeScalars.append(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return output + "\""
    }
}

/// Provider error text made safe for logs and error messages.
enum ExchangeRedaction {
    /// The longest provider error text kept, in characters.
    static let maximumLength = 300

    /// `text` with every secret in `secrets` and anything shaped like a JWT replaced by
    /// `[redacted]`, control characters and runs of whitespace made single spaces, and cut to
    /// `maximumLength` characters (with `…`).
    static func providerMessage(_ text: String, redacting secrets: [String]) -> String {
        var text = text
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "[redacted]")
        }
        text = text.replacing(#/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/#, with: "[redacted]")
        let words = text.split { $0.isWhitespace || $0.unicodeScalars.allSatisfy(CharacterSet.controlCharacters.contains) }
        let line = words.joined(separator: " ")
        guard line.count > maximumLength else { return line }
        return line.prefix(maximumLength - 1) + "…"
    }
}

/// Expiry times providers write.
enum ExchangeTimestamp {
    /// An RFC 3339 time (`2026-01-02T03:04:05Z`, with or without fractional seconds, `Z` or an
    /// offset), or `nil`.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A number of seconds that providers write as a JSON number or as a string of digits.
struct ExchangeSeconds: Decodable, Sendable {
    let value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number of seconds")
        }
    }
}
