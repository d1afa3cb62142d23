import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 in the `Authorization` header, as AWS
/// documents it ("Create a signed AWS API request") and botocore implements it.
///
/// The canonical URI is the request's percent-encoded path with dot and empty segments removed,
/// URI-encoded once more (the rule for every service but S3); the query is decoded and re-encoded
/// parameter by parameter, then sorted. Headers that proxies may rewrite (`User-Agent`,
/// `Connection`, `Expect`, ... — botocore's list) are sent but not signed. The payload is always
/// signed (its SHA-256 is in the canonical request).
public struct AWSSignatureV4: Sendable {
    /// An HTTP header as sent: name and value.
    public typealias Header = (name: String, value: String)

    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    /// A signer for `service` (such as "kms") in `region` (such as "us-east-1").
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to send with the request: `headers` (less any `Authorization`, `X-Amz-Date` or
    /// `X-Amz-Security-Token` they carry), then `Host` when `headers` has none, `X-Amz-Date`,
    /// `X-Amz-Security-Token` when the credentials have a session token, and `Authorization`.
    ///
    /// `url` must be the URL the request goes to, with its path and query percent-encoded as
    /// sent; `body` the exact bytes sent.
    public func sign(method: String, url: URL, headers: [Header], body: some DataProtocol, date: Date = Date()) -> [Header] {
        signing(method: method, url: url, headers: headers, body: body, date: date).headers
    }

    /// Every intermediate value of one signature; `sign` returns `headers`.
    struct Signing {
        var headers: [Header]
        var canonicalRequest: String
        var stringToSign: String
    }

    func signing(method: String, url: URL, headers: [Header], body: some DataProtocol, date: Date) -> Signing {
        let timestamp = Self.timestamp(date)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"

        var sent = headers.filter { !Self.replacedHeaders.contains($0.name.lowercased()) }
        if !sent.contains(where: { $0.name.lowercased() == "host" }) {
            sent.append(("Host", Self.hostHeader(url)))
        }
        sent.append(("X-Amz-Date", timestamp))
        if let token = credentials.sessionToken {
            sent.append(("X-Amz-Security-Token", token))
        }

        var valuesByName: [String: [String]] = [:]
        for header in sent {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            valuesByName[name, default: []].append(header.value.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        let names = valuesByName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonicalHeaders = names.map { "\($0):\(valuesByName[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            method.uppercased(),
            Self.canonicalURI(url.path(percentEncoded: true)),
            Self.canonicalQuery(url.query(percentEncoded: true) ?? ""),
            canonicalHeaders,
            signedHeaders,
            Self.hex(SHA256.hash(data: body)),
        ].joined(separator: "\n")
        let stringToSign = [
            "AWS4-HMAC-SHA256",
            timestamp,
            scope,
            Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(timestamp.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))

        sent.append((
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        ))
        return Signing(headers: sent, canonicalRequest: canonicalRequest, stringToSign: stringToSign)
    }

    /// Headers the signer sets itself; copies in the input are dropped.
    private static let replacedHeaders: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token"]

    /// Hop-by-hop and tracing headers that proxies may add or rewrite: sent, never signed
    /// (botocore's SIGNED_HEADERS_BLACKLIST).
    private static let unsignedHeaders: Set<String> = [
        "baggage", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "traceparent", "tracestate", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, fractions of a second dropped.
    private static func timestamp(_ date: Date) -> String {
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        return Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard, timeSeparator: .omitted, timeZone: .gmt)
            .format(whole)
    }

    /// The lowercase host, bracketed when IPv6, with the port unless it is the scheme's default.
    private static func hostHeader(_ url: URL) -> String {
        var host = (url.host(percentEncoded: false) ?? "").lowercased()
        if host.contains(":") { host = "[\(host)]" }
        guard let port = url.port else { return host }
        let defaultPort = switch url.scheme?.lowercased() {
        case "http": 80
        case "https": 443
        default: -1
        }
        return port == defaultPort ? host : "\(host):\(port)"
    }

    /// The encoded path without empty, `.` and `..` segments (keeping a leading and a trailing
    /// slash), URI-encoded again with `/` kept.
    private static func canonicalURI(_ encodedPath: String) -> String {
        guard !encodedPath.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in encodedPath.split(separator: "/") where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        let leading = encodedPath.hasPrefix("/") ? "/" : ""
        let trailing = encodedPath.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return uriEncode(Array((leading + segments.joined(separator: "/") + trailing).utf8), keepingSlash: true)
    }

    /// Each `name=value` decoded and URI-encoded, sorted by name then value.
    private static func canonicalQuery(_ encodedQuery: String) -> String {
        guard !encodedQuery.isEmpty else { return "" }
        let pairs = encodedQuery.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = uriEncode(percentDecode(parts[0]), keepingSlash: false)
            let value = parts.count > 1 ? uriEncode(percentDecode(parts[1]), keepingSlash: false) : ""
            return (name, value)
        }
        return pairs
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The bytes of `text` with each valid `%XX` replaced by the byte it stands for.
    private static func percentDecode(_ text: Substring) -> [UInt8] {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 3986 encoding as SigV4 wants it: unreserved bytes (`A-Z a-z 0-9 - . _ ~`) as they are,
    /// `/` too when `keepingSlash`, every other byte as `%XX` with uppercase hex.
    private static func uriEncode(_ bytes: [UInt8], keepingSlash: Bool) -> String {
        var output = ""
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                output.append("/")
            default:
                output += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0f, radix: 16, uppercase: true)
            }
        }
        return output
    }

    /// Lowercase hex.
    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
