import Crypto
import Foundation
import QuartermasterCrypto
import Testing

@Suite("Secret tokens")
struct SecretTokenTests {
    @Test("a generated token parses back to the same id and secret")
    func roundTrip() throws {
        let token = SecretToken.generate(prefix: "qm_admin")
        let parsed = try #require(SecretToken.parse(token.text, prefix: "qm_admin"))
        #expect(parsed == token)
        #expect(token.id.count == 16)
        #expect(token.text.hasPrefix("qm_admin_"))
    }

    @Test("two generated tokens differ")
    func unique() {
        #expect(SecretToken.generate(prefix: "qm_admin") != SecretToken.generate(prefix: "qm_admin"))
    }

    @Test("the stored hash matches only the right secret", arguments: ["", "x", "wrong-secret"])
    func hashMatching(other: String) {
        let token = SecretToken.generate(prefix: "qm_admin")
        #expect(token.matches(storedHash: token.secretHash))
        let forged = SecretToken(prefix: token.prefix, id: token.id, secret: other)
        #expect(!forged.matches(storedHash: token.secretHash))
    }

    @Test("text that is not a token of the prefix is refused", arguments: [
        "", "qm_admin", "qm_admin_", "qm_other_0123456789abcdef_secret", "qm_admin_0123456789abcdeX_secret",
        "qm_admin_0123456789abcdef", "qm_admin_0123456789abcdefXsecret", String(repeating: "a", count: 5000),
    ])
    func refusesMalformed(text: String) {
        #expect(SecretToken.parse(text, prefix: "qm_admin") == nil)
    }
}

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("equal bytes compare equal; any difference or length change does not")
    func comparison() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "ab"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(ConstantTime.equals("", ""))
    }
}

@Suite("Audit key")
struct AuditKeyTests {
    @Test("a key shorter than 32 bytes is refused")
    func shortKey() {
        #expect(throws: AuditKeyError.tooShort(16)) { try AuditKey(bytes: Data(count: 16)) }
    }

    @Test("MACs are stable per value, differ per key, and never contain the value")
    func macs() throws {
        let (key, bytes) = AuditKey.generate()
        let again = try AuditKey(bytes: bytes)
        let other = AuditKey.generate().key
        #expect(key.mac("sk-live-123") == again.mac("sk-live-123"))
        #expect(key.mac("sk-live-123") != other.mac("sk-live-123"))
        #expect(!key.mac("sk-live-123").contains("sk-live"))
        #expect(key.mac("sk-live-123").hasPrefix("hmac-sha256:"))
    }

    @Test("the chain MAC separates fields unambiguously")
    func fieldSeparation() {
        let key = AuditKey.generate().key
        #expect(key.chainMAC(fields: ["ab", "c"]) != key.chainMAC(fields: ["a", "bc"]))
        #expect(key.chainMAC(fields: ["a", "b"]) == key.chainMAC(fields: ["a", "b"]))
    }

    @Test("a chain MAC over leading fields and fields encoded earlier equals the MAC over all of them")
    func encodedTail() {
        let key = AuditKey.generate().key
        let fields = ["previous", "7", "1700000000123", "é", "", "details"]
        for split in 0...fields.count {
            let leading = Array(fields[..<split])
            let rest = Array(fields[split...])
            #expect(key.chainMAC(leading: leading, encodedFields: AuditKey.encode(rest)) == key.chainMAC(fields: fields))
        }
    }

    @Test("MACs are HMAC-SHA256 under the key: the value's bytes, and each field as an 8-byte big-endian length then its bytes")
    func knownAnswers() throws {
        let bytes = Data((0..<32).map { UInt8($0) })
        let key = try AuditKey(bytes: bytes)
        let symmetric = SymmetricKey(data: bytes)
        let hex = { (mac: HashedAuthenticationCode<SHA256>) in mac.map { String(format: "%02x", $0) }.joined() }
        #expect(key.mac("sk-café") == "hmac-sha256:" + hex(HMAC<SHA256>.authenticationCode(for: Data("sk-café".utf8), using: symmetric)))
        var message = Data()
        for field in ["prev", "", "é"] {
            message.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, UInt8(field.utf8.count)])
            message.append(contentsOf: field.utf8)
        }
        #expect(key.chainMAC(fields: ["prev", "", "é"]) == hex(HMAC<SHA256>.authenticationCode(for: message, using: symmetric)))
        #expect(key.mac("sk-café") == key.mac("sk-café"), "each MAC starts from the keyed state, untouched by earlier ones")
    }
}
