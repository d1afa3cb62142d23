import Foundation
import QuartermasterCore
import QuartermasterServices
import Testing

@Suite("Brokered credentials go on upstream requests in each provider's own form")
struct ProviderRequestAuthorizerTests {
    static func instance(_ type: ProviderType, region: String? = nil) -> ProviderInstance {
        ProviderInstance(name: "\(type.rawValue)_1", type: type, region: region, authentication: .staticSecret(StaticSecretConfig(secretPath: "llm/x")),
                         location: SourceLocation(file: "provider-instances.yaml", line: 1, column: 1))
    }

    static func value(_ name: String, _ headers: [ProviderRequestAuthorizer.Header]) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test("Bedrock: SigV4 for service bedrock with the session token, equal to botocore's signature for the same request")
    func bedrock() throws {
        let body = Data(#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"Grüße, Quartermaster ✓"}]}"#.utf8)
        let credential = ProviderCredential(kind: .aws(accessKeyID: "ASIAQUARTERMASTER01", secretAccessKey: "c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHk",
                                                       sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token="),
                                            expiresAt: nil, obtainedAt: Date())
        let headers = try ProviderRequestAuthorizer.authorize(
            method: "POST", url: URL(string: "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1:0/invoke")!,
            headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: body,
            credential: credential, instance: Self.instance(.bedrock, region: "us-east-1"),
            date: ISO8601DateFormatter().date(from: "2026-04-01T12:00:00Z")!
        )
        // botocore 1.44.5, Tests/QuartermasterCryptoTests/Fixtures/sigv4-vectors.json, "bedrock-invoke-model-session-token".
        #expect(Self.value("Authorization", headers) == "AWS4-HMAC-SHA256 Credential=ASIAQUARTERMASTER01/20260401/us-east-1/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature=238dc82c9b17a63ad0e02a6efa5f744b4b020393a8cc5b14e77d0552d68608de")
        #expect(Self.value("X-Amz-Security-Token", headers) == "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token=")
    }

    @Test("keys: api-key for Azure OpenAI, x-api-key for Anthropic, Bearer for OpenAI; tokens always Bearer; a caller's own header is replaced", arguments: [
        (ProviderType.azure, ProviderCredential.Kind.apiKey(value: "k"), "api-key", "k"),
        (.anthropic, .apiKey(value: "sk-ant"), "x-api-key", "sk-ant"),
        (.openai, .apiKey(value: "sk-proj"), "authorization", "Bearer sk-proj"),
        (.vertex, .bearer(token: "ya29.t"), "authorization", "Bearer ya29.t"),
        (.azure, .bearer(token: "eyJ.entra"), "authorization", "Bearer eyJ.entra"),
        (.watsonx, .bearer(token: "iam"), "authorization", "Bearer iam"),
    ])
    func headerForms(type: ProviderType, kind: ProviderCredential.Kind, header: String, expected: String) throws {
        let headers = try ProviderRequestAuthorizer.authorize(
            method: "POST", url: URL(string: "https://upstream.example/v1/chat")!,
            headers: [("Content-Type", "application/json"), (header, "the caller's own value")], body: Data(),
            credential: ProviderCredential(kind: kind, expiresAt: nil, obtainedAt: Date()), instance: Self.instance(type)
        )
        #expect(headers.filter { $0.name.lowercased() == header }.map(\.value) == [expected])
        #expect(Self.value("Content-Type", headers) == "application/json")
    }
}
