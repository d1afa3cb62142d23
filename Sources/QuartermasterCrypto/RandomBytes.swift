import Crypto
import Foundation

/// Cryptographically secure random values.
public enum RandomBytes {
    /// `count` random bytes from BoringSSL's generator (seeded by the system, no system call
    /// per byte).
    public static func data(count: Int) -> Data {
        guard count > 0 else { return Data() }
        return SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Data($0) }
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
