import Foundation
import QuartermasterCore
import QuartermasterCrypto

/// Puts a brokered credential on an upstream request the way each provider's API takes it:
/// AWS Signature Version 4 for Bedrock (service `bedrock`, with the session token), an OCI HTTP
/// signature with the resource-principal session, `api-key` for an Azure OpenAI key, `x-api-key`
/// for an Anthropic key, and `Authorization: Bearer` for every token and any other key. Used
/// by the egress gateway; the request must then be sent with exactly the URL and body signed.
public struct ProviderRequestAuthorizer: Sendable {
    public typealias Header = (name: String, value: String)

    /// The headers to send: `headers` plus (or with replaced) authentication headers.
    public static func authorize(
        method: String, url: URL, headers: [Header], body: Data,
        credential: ProviderCredential, instance: ProviderInstance, date: Date = Date()
    ) throws(ServiceError) -> [Header] {
        switch credential.kind {
        case let .aws(accessKeyID, secretAccessKey, sessionToken):
            let signer = AWSSignatureV4(
                credentials: AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken),
                region: instance.region ?? "us-east-1", service: "bedrock"
            )
            return signer.sign(method: method, url: url, headers: headers, body: body, date: date).map { ($0.name, $0.value) }
        case let .ociSession(sessionToken, privateKeyPEM):
            do {
                let signer = try OCIRequestSigner(keyID: "ST$" + sessionToken, privateKeyPEM: privateKeyPEM)
                return signer.sign(method: method, url: url, headers: headers, body: body, date: date).map { ($0.name, $0.value) }
            } catch {
                throw .unavailable("the OCI session key of \(instance.name) does not load: \(error)")
            }
        case .bearer(let token):
            return replacing("authorization", with: "Bearer \(token)", in: headers)
        case .apiKey(let key):
            switch instance.type {
            case .azure: return replacing("api-key", with: key, in: headers)
            case .anthropic: return replacing("x-api-key", with: key, in: headers)
            default: return replacing("authorization", with: "Bearer \(key)", in: headers)
            }
        }
    }

    private static func replacing(_ name: String, with value: String, in headers: [Header]) -> [Header] {
        headers.filter { $0.name.lowercased() != name } + [(name, value)]
    }
}
