import Foundation
@testable import QuartermasterServices
import Testing

// The pieces the provider exchanges share. The requests themselves are compared with the
// providers' SDKs by Tests/interop/providers (differential tests); these cover the encoders'
// corner cases and that nothing prints a secret.

@Suite struct ExchangeFormTests {
    @Test func keepsUnreservedAndEncodesTheRestWithUppercaseHex() {
        #expect(ExchangeForm.escape("AZaz09-._~") == "AZaz09-._~")
        #expect(ExchangeForm.escape("arn:aws:iam::1:role/r+s=t,u@v") == "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr%2Bs%3Dt%2Cu%40v")
        #expect(ExchangeForm.escape("é") == "%C3%A9")
    }

    @Test func spacesAsPlusOrPercent() {
        #expect(String(decoding: ExchangeForm.encode(["scope": "a b"], space: .plus), as: UTF8.self) == "scope=a+b")
        #expect(String(decoding: ExchangeForm.encode(["scope": "a b"], space: .percent), as: UTF8.self) == "scope=a%20b")
    }

    @Test func keepsFieldOrder() {
        let body = ExchangeForm.encode(["z": "1", "a": "2", "m": ""], space: .plus)
        #expect(String(decoding: body, as: UTF8.self) == "z=1&a=2&m=")
    }

    @Test func pathEscapingCanKeepSlashes() {
        #expect(ExchangeForm.escape("team a/openai:prod", keeping: [UInt8(ascii: "/")]) == "team%20a/openai%3Aprod")
    }
}

@Suite struct ExchangeJSONTests {
    /// Python's `json.dumps` with its defaults writes the same bytes.
    @Test func writesWhatPythonJSONDumpsWrites() {
        let body = ExchangeJSON.object(["delegates": .null, "scope": .strings(["a", "b"]), "lifetime": .string("3600s")])
        #expect(String(decoding: body, as: UTF8.self) == #"{"delegates": null, "scope": ["a", "b"], "lifetime": "3600s"}"#)
    }

    @Test func escapesEverythingOutsidePrintableASCII() {
        let body = ExchangeJSON.object(["k": .string("\"\\\n\r\t\u{08}\u{0C}\u{01}\u{7F}/é😀")])
        #expect(String(decoding: body, as: UTF8.self) == #"{"k": "\"\\\n\r\t\b\f\u0001\u007f/\u00e9\ud83d\ude00"}"#)
    }

    @Test func emptyArray() {
        #expect(String(decoding: ExchangeJSON.object(["scope": .strings([])]), as: UTF8.self) == #"{"scope": []}"#)
    }
}

@Suite struct ExchangeRedactionTests {
    @Test func removesSecretsAndJWTs() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
        let message = ExchangeRedaction.providerMessage("bad key sk-123 and token \(jwt)", redacting: ["sk-123"])
        #expect(message == "bad key [redacted] and token [redacted]")
    }

    @Test func makesOneLine() {
        #expect(ExchangeRedaction.providerMessage("1 error occurred:\n\t* permission denied\r\n\n", redacting: []) == "1 error occurred: * permission denied")
    }

    @Test func truncatesAfterRedacting() {
        let secret = String(repeating: "s", count: 400)
        let message = ExchangeRedaction.providerMessage(String(repeating: "x", count: 299) + secret, redacting: [secret])
        #expect(!message.contains("s"))
        #expect(message.count == ExchangeRedaction.maximumLength)
        #expect(message.hasSuffix("…"))
    }
}

@Suite struct ExchangeTimestampTests {
    @Test func readsRFC3339WithAndWithoutFractions() {
        let whole = Date(timeIntervalSince1970: 1_927_599_906)
        #expect(ExchangeTimestamp.parse("2031-01-31T04:25:06Z") == whole)
        #expect(ExchangeTimestamp.parse("2031-01-31T06:25:06+02:00") == whole)
        let fractional = ExchangeTimestamp.parse("2031-01-31T04:25:06.5Z")?.timeIntervalSince1970
        #expect(fractional.map { abs($0 - 1_927_599_906.5) < 0.001 } == true)
        #expect(ExchangeTimestamp.parse("next tuesday") == nil)
    }
}

@Suite struct ExchangeEndpointTests {
    @Test func appendsPathsToHTTPURLs() throws {
        #expect(try ExchangeEndpoint.url("https://iam.cloud.ibm.com/", appending: "/identity/token", setting: "x") == "https://iam.cloud.ibm.com/identity/token")
    }

    @Test func refusesOtherURLs() {
        for url in ["ftp://host", "https://", "not a url", "https://host/?q=1", "https://user@host"] {
            #expect(throws: CredentialExchangeError.self) { try ExchangeEndpoint.validated(url, setting: "the endpoint") }
        }
    }
}

@Suite struct ProviderCredentialTests {
    static let credential = ProviderCredential(
        kind: .aws(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret-access-key", sessionToken: "session-token"),
        expiresAt: Date(timeIntervalSince1970: 1_900_000_000),
        obtainedAt: Date(timeIntervalSince1970: 1_899_996_400)
    )

    @Test(arguments: [
        ProviderCredential.Kind.aws(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "wJalrXUtnFEMI", sessionToken: "IQoJb3JpZ2lu"),
        .bearer(token: "ya29.bearer-token"),
        .apiKey(value: "sk-proj-key"),
    ])
    func neverPrintsTheSecret(kind: ProviderCredential.Kind) {
        let credential = ProviderCredential(kind: kind, expiresAt: nil, obtainedAt: Date())
        var dumped = ""
        dump(credential, to: &dumped)
        for text in [String(describing: credential), String(reflecting: credential), "\(credential.kind)", dumped] {
            for secret in ["wJalrXUtnFEMI", "IQoJb3JpZ2lu", "ya29.bearer-token", "sk-proj-key"] {
                #expect(!text.contains(secret), "\(text)")
            }
        }
    }

    @Test func showsKindAccessKeyIDAndTimes() {
        #expect(Self.credential.description == "aws(ASIAEXAMPLE, secret redacted) obtained 2030-03-17T16:46:40Z, expires 2030-03-17T17:46:40Z")
        #expect(Self.credential.kind.name == "aws")
    }
}

@Suite struct CredentialFileSourceTests {
    @Test func readsTheFileAtEachCallWithoutSurroundingWhitespace() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qm-token-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = CredentialFileSource.reading(path)
        try Data("first.jwt\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await source() == "first.jwt")
        try Data("second.jwt".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await source() == "second.jwt")
    }

    @Test func namesTheFileAndTheReasonWhenItCannotRead() async {
        await #expect(throws: CredentialExchangeError.tokenSource("cannot read /nonexistent/qm-token: No such file or directory")) {
            try await CredentialFileSource.reading("/nonexistent/qm-token")()
        }
    }
}
