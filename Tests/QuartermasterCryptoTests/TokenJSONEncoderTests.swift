import Foundation
import JWTKit
@testable import QuartermasterCrypto
import Testing

@Suite("Token JSON encoding")
struct TokenJSONEncoderTests {
    static let claims: [AccessTokenClaims] = [
        AccessTokenClaims(iss: "https://qm.example", sub: "gateway-service", aud: ["llm"], iat: 1, nbf: 1, exp: 301, jti: "abc", client_id: "qmc_1"),
        AccessTokenClaims(
            iss: "https://qm.example/ü", sub: "worker \"7\"", aud: ["a", "b/c"], iat: -5, nbf: 0, exp: Int64.max, jti: "j\\1\n",
            client_id: "qmc_2", scope: "read:secret/llm/* write:secret/x", cluster_id: "prod-eu", act: .init(sub: "orchestrator"), job_id: "job\u{1}42"),
    ]

    @Test("claims are written as JSONEncoder writes them with sorted keys", arguments: claims)
    func claimsMatchFoundation(claims: AccessTokenClaims) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try TokenJSONEncoder().encode(claims) == encoder.encode(claims))
        #expect(try JSONDecoder().decode(AccessTokenClaims.self, from: TokenJSONEncoder().encode(claims)) == claims)
    }

    @Test("a header of strings is written directly; any other header goes through JSONEncoder")
    func headers() throws {
        var header = JWTHeader()
        header.alg = "ES256"
        header.typ = "at+jwt"
        header.kid = "k-1"
        #expect(String(decoding: try TokenJSONEncoder().encode(header), as: UTF8.self) == #"{"alg":"ES256","kid":"k-1","typ":"at+jwt"}"#)
        header.fields["crit"] = .array([.string("exp")])
        #expect(TokenJSONEncoder.json(header) == nil)
        let decoded = try JSONDecoder().decode([String: JWTHeaderField].self, from: TokenJSONEncoder().encode(header))
        #expect(decoded["crit"] == .array([.string("exp")]))
    }

    @Test("random bytes come in the asked number and differ between calls")
    func randomBytes() {
        #expect(RandomBytes.data(count: 16).count == 16)
        #expect(RandomBytes.data(count: 0).isEmpty)
        #expect(RandomBytes.data(count: 32) != RandomBytes.data(count: 32))
    }
}
