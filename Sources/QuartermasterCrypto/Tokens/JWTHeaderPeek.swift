import Foundation

/// The protected header of a compact JWS, read without verifying anything, so that a token
/// can be refused before any expensive work (size, shape, algorithm, key id).
public struct JWTHeaderPeek: Sendable, Equatable {
    public var alg: String
    public var kid: String?
    public var typ: String?

    /// Tokens longer than this are refused unread.
    public static let maxTokenBytes = 8192

    /// Parses the header; nil when the text is not a three-part compact JWS with a JSON header.
    public init?(token: String) {
        guard token.utf8.count <= Self.maxTokenBytes else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty,
              let data = Data(base64URLEncoded: String(parts[0])),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let alg = object["alg"] as? String
        else { return nil }
        self.alg = alg
        self.kid = object["kid"] as? String
        self.typ = object["typ"] as? String
    }

    /// The payload JSON decoded without verification (for routing only: which issuer to ask).
    public static func unverifiedPayload(of token: String) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URLEncoded: String(parts[1])) else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}

extension Data {
    /// Decodes unpadded or padded base64url.
    public init?(base64URLEncoded text: String) {
        var bytes = Array(text.utf8)
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "-"): bytes[index] = UInt8(ascii: "+")
            case UInt8(ascii: "_"): bytes[index] = UInt8(ascii: "/")
            default: break
            }
        }
        while bytes.count % 4 != 0 { bytes.append(UInt8(ascii: "=")) }
        self.init(base64Encoded: String(decoding: bytes, as: UTF8.self))
    }
}
