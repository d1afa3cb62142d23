import Foundation

/// The text form of an API key: `qm_` + 16 hex id + 40 base62 secret + 6 base62 CRC-32
/// checksum. The fixed prefix and the checksum let secret scanners recognise a leaked key
/// (and reject look-alikes) without asking the server.
public struct APIKeyText: Sendable, Equatable {
    public static let prefix = "qm_"
    static let idLength = 16
    static let secretLength = 40
    static let checksumLength = 6
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    public let id: String
    public let secret: String

    /// The full key handed to the caller once.
    public var text: String {
        let body = id + secret
        return Self.prefix + body + Self.checksum(body)
    }

    /// A fresh key.
    public static func generate() -> APIKeyText {
        var generator = SystemRandomNumberGenerator()
        let secret = String((0..<secretLength).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] })
        return APIKeyText(id: RandomBytes.hex(count: idLength / 2), secret: secret)
    }

    /// Parses and checks the checksum; nil when the text is not an intact Quartermaster API key.
    public static func parse(_ text: String) -> APIKeyText? {
        let expectedLength = prefix.count + idLength + secretLength + checksumLength
        guard text.utf8.count == expectedLength, text.hasPrefix(prefix) else { return nil }
        let body = String(text.dropFirst(prefix.count).dropLast(checksumLength))
        guard ConstantTime.equals(checksum(body), String(text.suffix(checksumLength))) else { return nil }
        let id = String(body.prefix(idLength)), secret = String(body.dropFirst(idLength))
        guard id.utf8.allSatisfy(isHexDigit), secret.utf8.allSatisfy(isBase62) else { return nil }
        return APIKeyText(id: id, secret: secret)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isBase62(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// CRC-32 (IEEE) of `body`, in base62, zero-padded to six characters.
    static func checksum(_ body: String) -> String {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body.utf8 {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        var value = UInt64(crc ^ 0xFFFF_FFFF)
        var digits: [Character] = []
        while value > 0 {
            digits.append(alphabet[Int(value % 62)])
            value /= 62
        }
        while digits.count < checksumLength { digits.append("0") }
        return String(digits.reversed())
    }
}
