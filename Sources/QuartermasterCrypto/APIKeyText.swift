import Foundation

/// The text form of an API key: `qm_` + 16 hex id + 40 base62 secret + 6 base62 CRC-32
/// checksum. The fixed prefix and the checksum let secret scanners recognise a leaked key
/// (and reject look-alikes) without asking the server.
public struct APIKeyText: Sendable, Equatable {
    public static let prefix = "qm_"
    static let idLength = 16
    static let secretLength = 40
    static let checksumLength = 6
    /// The base62 digits, as ASCII bytes.
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

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
        let secret = String(decoding: (0..<secretLength).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }, as: UTF8.self)
        return APIKeyText(id: RandomBytes.hex(count: idLength / 2), secret: secret)
    }

    /// Parses and checks the checksum; nil when the text is not an intact Quartermaster API key.
    /// Works on the UTF-8 bytes: it runs for every request that presents a key.
    public static func parse(_ text: String) -> APIKeyText? {
        let bytes = Array(text.utf8)
        let bodyStart = prefix.utf8.count
        let checksumStart = bodyStart + idLength + secretLength
        guard bytes.count == checksumStart + checksumLength, bytes.starts(with: prefix.utf8) else { return nil }
        let body = bytes[bodyStart..<checksumStart]
        guard ConstantTime.equals(checksumDigits(body), bytes[checksumStart...]) else { return nil }
        let id = body.prefix(idLength), secret = body.dropFirst(idLength)
        guard id.allSatisfy(isHexDigit), secret.allSatisfy(isBase62) else { return nil }
        return APIKeyText(id: String(decoding: id, as: UTF8.self), secret: String(decoding: secret, as: UTF8.self))
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
        String(decoding: checksumDigits(body.utf8), as: UTF8.self)
    }

    /// `checksum` as ASCII bytes.
    private static func checksumDigits(_ body: some Collection<UInt8>) -> [UInt8] {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc = crcTable[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
        }
        var value = UInt64(crc ^ 0xFFFF_FFFF)
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: checksumLength)
        var index = checksumLength
        while value > 0 && index > 0 {
            index -= 1
            digits[index] = alphabet[Int(value % 62)]
            value /= 62
        }
        return digits
    }

    /// CRC-32 (IEEE, reflected polynomial 0xEDB88320) of each byte value.
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 {
            crc = (crc & 1) == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
        }
        return crc
    }
}
