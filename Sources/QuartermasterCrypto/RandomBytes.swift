import Crypto
import Foundation

/// Cryptographically secure random values.
public enum RandomBytes {
    /// `count` random bytes from the system generator.
    public static func data(count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// `count` random bytes as lowercase hex.
    public static func hex(count: Int) -> String {
        data(count: count).hexString
    }

    /// `count` random bytes as unpadded base64url.
    public static func base64URL(count: Int) -> String {
        data(count: count).base64URLEncodedString()
    }
}
