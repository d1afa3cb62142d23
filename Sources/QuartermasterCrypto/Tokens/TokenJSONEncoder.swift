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
        var output: [UInt8] = [UInt8(ascii: "{")]
        output.reserveCapacity(384)
        func member(_ name: StaticString, _ write: (inout [UInt8]) -> Void) {
            if output.count > 1 { output.append(UInt8(ascii: ",")) }
            JSONText.appendKey(name, to: &output)
            write(&output)
        }
        func string(_ value: String) -> (inout [UInt8]) -> Void { { JSONText.appendString(value, to: &$0) } }
        func number(_ value: Int64) -> (inout [UInt8]) -> Void { { $0.append(contentsOf: String(value).utf8) } }
        if let act = claims.act {
            member("act") { output in
                output.append(UInt8(ascii: "{"))
                JSONText.appendKey("sub", to: &output)
                JSONText.appendString(act.sub, to: &output)
                output.append(UInt8(ascii: "}"))
            }
        }
        member("aud") { output in
            output.append(UInt8(ascii: "["))
            for (index, audience) in claims.aud.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONText.appendString(audience, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        member("client_id", string(claims.client_id))
        if let cluster = claims.cluster_id { member("cluster_id", string(cluster)) }
        member("exp", number(claims.exp))
        member("iat", number(claims.iat))
        member("iss", string(claims.iss))
        if let job = claims.job_id { member("job_id", string(job)) }
        member("jti", string(claims.jti))
        member("nbf", number(claims.nbf))
        if let scope = claims.scope { member("scope", string(scope)) }
        member("sub", string(claims.sub))
        output.append(UInt8(ascii: "}"))
        return output
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
