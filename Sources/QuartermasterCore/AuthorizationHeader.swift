/// Reads an HTTP `Authorization` header (RFC 9110 section 11.6.2): a scheme, compared
/// without regard to ASCII case, a space, then the credentials.
public enum AuthorizationHeader {
    /// The credentials after `scheme` (a lowercase ASCII word such as "bearer"), spaces and
    /// tabs around them trimmed; nil when the header uses another scheme.
    public static func credentials(_ header: String, scheme: StaticString) -> Substring? {
        let bytes = header.utf8
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let matches = scheme.withUTF8Buffer { expected in
            bytes[..<space].elementsEqual(expected) { $0 | 0x20 == $1 }
        }
        guard matches else { return nil }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let credentials = bytes[space...].drop(while: isBlank)
        guard let last = credentials.lastIndex(where: { !isBlank($0) }) else { return Substring(credentials) }
        return Substring(credentials[...last])
    }
}
