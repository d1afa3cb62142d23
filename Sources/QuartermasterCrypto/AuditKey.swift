import Crypto
import Foundation

/// The server's audit key: HMAC-SHA256 for sensitive values in audit records and for
/// the hash chain itself, so that nobody without the key can recompute a chain after
/// editing it.
public struct AuditKey: Sendable {
    /// An HMAC already keyed and fed nothing: each MAC starts from a copy of it, which skips
    /// the key schedule (the copy's hash state is copied on its first update).
    private let keyed: HMAC<SHA256>

    /// Wraps 32 or more bytes of key material.
    public init(bytes: Data) throws(AuditKeyError) {
        guard bytes.count >= 32 else { throw .tooShort(bytes.count) }
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: bytes))
    }

    /// A fresh random key and its bytes (to be stored with mode 0600).
    public static func generate() -> (key: AuditKey, bytes: Data) {
        let bytes = RandomBytes.data(count: 32)
        // 32 bytes always satisfy the length check.
        return (try! AuditKey(bytes: bytes), bytes)
    }

    /// `hmac-sha256:HEX` of a sensitive value: equal values give equal MACs, so records can
    /// be correlated without revealing the value.
    public func mac(_ value: String) -> String {
        var hmac = keyed
        var value = value
        value.withUTF8 { hmac.update(data: $0) }
        return "hmac-sha256:" + hmac.finalize().hexString
    }

    /// HMAC-SHA256 over length-prefixed fields, hex. Length prefixes make the encoding
    /// unambiguous: ("ab","c") and ("a","bc") give different MACs.
    public func chainMAC(fields: [String]) -> String {
        chainMAC(leading: [], encodedFields: Self.encode(fields))
    }

    /// `chainMAC(fields: leading + rest)`, where `encodedFields` is `encode(rest)`, computed
    /// earlier: only the leading fields are encoded here.
    public func chainMAC(leading: [String], encodedFields: [UInt8]) -> String {
        var hmac = keyed
        Self.encode(leading).withUnsafeBytes { hmac.update(data: $0) }
        encodedFields.withUnsafeBytes { hmac.update(data: $0) }
        return hmac.finalize().hexString
    }

    /// The bytes `chainMAC` authenticates for `fields`: each field's UTF-8 length as a
    /// big-endian 64-bit number, then its UTF-8 bytes.
    public static func encode(_ fields: [String]) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(fields.reduce(0) { $0 + 8 + $1.utf8.count })
        for field in fields {
            let length = UInt64(field.utf8.count)
            for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
            message.append(contentsOf: field.utf8)
        }
        return message
    }
}

/// Why audit key material was refused.
public enum AuditKeyError: Error, Equatable, CustomStringConvertible {
    case tooShort(Int)
    case malformed(String)

    public var description: String {
        switch self {
        case .tooShort(let count): "audit key has \(count) bytes; it needs at least 32"
        case .malformed(let detail): "audit key is malformed: \(detail)"
        }
    }
}
