import Foundation

extension Data {
    /// Unpadded base64url (RFC 4648 section 5).
    public func base64URLEncodedString() -> String {
        var bytes = Array(base64EncodedString().utf8)
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "+"): bytes[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Sequence<UInt8> {
    /// Lowercase hex of these bytes.
    public var hexString: String {
        var ascii: [UInt8] = []
        ascii.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            ascii.append(hexDigit(byte >> 4))
            ascii.append(hexDigit(byte & 0x0f))
        }
        return String(decoding: ascii, as: UTF8.self)
    }

    private func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }
}
