import Crypto
import Foundation

/// Content digests.
public enum Digest {
    /// SHA-256 of the UTF-8 bytes of `text`, lowercase hex.
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }
}
