import Foundation
import JWTKit
import QuartermasterCore

/// The JSON encoder jwt-kit signs with: access-token claims, and headers whose fields are all
/// strings, are written directly (they are encoded on every issuance); anything else goes
/// through `JSONEncoder`. The text equals `JSONEncoder`'s with sorted keys.
struct TokenJSONEncoder: JWTJSONEncoder {
    private static let fallback: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    func encode<T: Encodable>(_ value: T) throws -> Data {
        if let claims = value as? AccessTokenClaims { return Data(Self.json(claims)) }
        if let header = value as? JWTHeader, let text = Self.json(header) { return Data(text) }
        return try Self.fallback.encode(value)
    }

    /// The claims as one object, members in key order, absent optionals left out.
    static func json(_ claims: AccessTokenClaims) -> [UInt8] {
        var writer = JSONObjectWriter(capacity: 384)
        if let act = claims.act { writer.object("act") { $0.string("sub", act.sub) } }
        writer.strings("aud", claims.aud)
        writer.string("client_id", claims.client_id)
        if let cluster = claims.cluster_id { writer.string("cluster_id", cluster) }
        writer.number("exp", claims.exp)
        writer.number("iat", claims.iat)
        writer.string("iss", claims.iss)
        if let job = claims.job_id { writer.string("job_id", job) }
        writer.string("jti", claims.jti)
        writer.number("nbf", claims.nbf)
        if let scope = claims.scope { writer.string("scope", scope) }
        writer.string("sub", claims.sub)
        return writer.finish()
    }

    /// The header as one object when every field is a string; nil otherwise.
    static func json(_ header: JWTHeader) -> [UInt8]? {
        var strings: [String: String] = [:]
        for (name, field) in header.fields {
            guard case .string(let value) = field else { return nil }
            strings[name] = value
        }
        return Array(JSONText.object(strings).utf8)
    }
}
