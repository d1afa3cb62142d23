import AsyncHTTPClient
import Foundation
import NIOCore
import QuartermasterCrypto

/// Seals root keys with an AWS KMS key: `Encrypt` and `Decrypt` over KMS's JSON 1.1 HTTP API,
/// signed with Signature Version 4. The root key id is bound as the encryption context
/// `{"quartermaster_root_key": <id>}`, so a sealed key opens only for the id it was sealed for.
public struct AWSKMSSeal: RootKeySeal {
    /// Which KMS key, where, and with which credentials.
    public struct Configuration: Sendable, Equatable {
        /// A key id, key ARN, alias name (`alias/...`) or alias ARN.
        public var keyID: String
        public var region: String
        /// Where requests go: `https://kms.<region>.amazonaws.com` unless given (a test server,
        /// a VPC endpoint, a private cloud).
        public var endpoint: URL
        public var credentials: AWSCredentials
        /// How long one call may take, connecting included.
        public var timeout: Duration

        /// Throws `AWSKMSError.invalidConfiguration` for an empty key id, a region that is not
        /// of letters, digits and dashes, or an endpoint that is not an http(s) URL with a host.
        public init(keyID: String, region: String, credentials: AWSCredentials, endpoint: URL? = nil, timeout: Duration = .seconds(10)) throws(AWSKMSError) {
            guard !keyID.isEmpty else { throw .invalidConfiguration("the KMS key id is empty") }
            guard !region.isEmpty, region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw .invalidConfiguration("the AWS region \"\(region)\" is not a region name such as us-east-1")
            }
            guard let endpoint = endpoint ?? URL(string: "https://kms.\(region).amazonaws.com"),
                  ["http", "https"].contains(endpoint.scheme?.lowercased()), endpoint.host?.isEmpty == false
            else { throw .invalidConfiguration("the KMS endpoint is not an http or https URL with a host") }
            guard timeout > .zero else { throw .invalidConfiguration("the KMS timeout must be positive") }
            self.keyID = keyID
            self.region = region
            self.endpoint = endpoint
            self.credentials = credentials
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    private let http: HTTPClient

    /// A seal making its calls through `http`.
    public init(_ configuration: Configuration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    public var sealID: String { "awskms:\(configuration.keyID)" }

    /// KMS `Encrypt`; returns the ciphertext blob. Throws `AWSKMSError`.
    public func seal(_ rootKey: Data, context: String) async throws(AWSKMSError) -> Data {
        let request = EncryptRequest(keyID: configuration.keyID, plaintext: rootKey, encryptionContext: Self.encryptionContext(context))
        let response: EncryptResponse = try await perform("Encrypt", request, redacting: [rootKey.base64EncodedString()])
        return response.ciphertextBlob
    }

    /// KMS `Decrypt` with the same key and context; returns the root key. Throws `AWSKMSError`.
    public func open(_ sealed: Data, context: String) async throws(AWSKMSError) -> Data {
        let request = DecryptRequest(keyID: configuration.keyID, ciphertextBlob: sealed, encryptionContext: Self.encryptionContext(context))
        let response: DecryptResponse = try await perform("Decrypt", request)
        return response.plaintext
    }

    private static func encryptionContext(_ context: String) -> [String: String] {
        ["quartermaster_root_key": context]
    }

    /// Calls the KMS operation `operation` (such as "Encrypt") with `request` as its JSON body
    /// and decodes the answer. `sensitive` strings (besides the credentials' secrets) are
    /// blanked out of any error message KMS sends back.
    func perform<Response: Decodable>(_ operation: String, _ request: some Encodable, redacting sensitive: [String] = []) async throws(AWSKMSError) -> Response {
        guard let body = try? JSONEncoder().encode(request) else {
            throw .invalidConfiguration("the \(operation) request cannot be encoded as JSON")
        }
        let signer = AWSSignatureV4(credentials: configuration.credentials, region: configuration.region, service: "kms")
        let headers = signer.sign(
            method: "POST", url: configuration.endpoint,
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "TrentService.\(operation)")],
            body: body)
        var httpRequest = HTTPClientRequest(url: configuration.endpoint.absoluteString)
        httpRequest.method = .POST
        for header in headers {
            httpRequest.headers.add(name: header.name, value: header.value)
        }
        httpRequest.body = .bytes(ByteBuffer(bytes: body))

        let status: Int
        let answer: Data
        do {
            let response = try await http.execute(httpRequest, timeout: TimeAmount(configuration.timeout))
            status = Int(response.status.code)
            answer = Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw .unreachable(operation: operation, endpoint: endpointText, reason: "no answer within \(configuration.timeout)")
        } catch is NIOTooManyBytesError {
            throw .malformedResponse(operation: operation, detail: "the answer is larger than 1 MiB")
        } catch {
            throw .unreachable(operation: operation, endpoint: endpointText, reason: String(describing: error))
        }

        guard status == 200 else {
            guard let failure = try? JSONDecoder().decode(ErrorResponse.self, from: answer), let type = failure.type, !type.isEmpty else {
                throw .httpStatus(operation: operation, status: status)
            }
            var message = failure.message ?? ""
            for secret in [configuration.credentials.secretAccessKey, configuration.credentials.sessionToken ?? ""] + sensitive where !secret.isEmpty {
                message = message.replacingOccurrences(of: secret, with: "<redacted>")
            }
            throw .rejected(operation: operation, type: Self.shortErrorType(type), message: String(message.prefix(500)), status: status)
        }
        do {
            return try JSONDecoder().decode(Response.self, from: answer)
        } catch {
            throw .malformedResponse(operation: operation, detail: "the answer is not the JSON KMS sends for \(operation)")
        }
    }

    private var endpointText: String { configuration.endpoint.absoluteString }

    /// `NotFoundException` from `com.amazonaws.kms#NotFoundException` or `NotFoundException:http://...`.
    private static func shortErrorType(_ type: String) -> String {
        let afterNamespace = type.split(separator: "#").last.map(String.init) ?? type
        return afterNamespace.split(separator: ":").first.map(String.init) ?? afterNamespace
    }

    private struct EncryptRequest: Encodable {
        var keyID: String
        var plaintext: Data
        var encryptionContext: [String: String]

        enum CodingKeys: String, CodingKey {
            case keyID = "KeyId", plaintext = "Plaintext", encryptionContext = "EncryptionContext"
        }
    }

    private struct EncryptResponse: Decodable {
        var ciphertextBlob: Data

        enum CodingKeys: String, CodingKey { case ciphertextBlob = "CiphertextBlob" }
    }

    private struct DecryptRequest: Encodable {
        var keyID: String
        var ciphertextBlob: Data
        var encryptionContext: [String: String]

        enum CodingKeys: String, CodingKey {
            case keyID = "KeyId", ciphertextBlob = "CiphertextBlob", encryptionContext = "EncryptionContext"
        }
    }

    private struct DecryptResponse: Decodable {
        var plaintext: Data

        enum CodingKeys: String, CodingKey { case plaintext = "Plaintext" }
    }

    /// KMS's JSON error body: `{"__type": "NotFoundException", "message": "..."}`.
    private struct ErrorResponse: Decodable {
        var type: String?
        var message: String?

        enum CodingKeys: String, CodingKey { case type = "__type", message, capitalizedMessage = "Message" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decodeIfPresent(String.self, forKey: .type)
            message = try container.decodeIfPresent(String.self, forKey: .message)
                ?? container.decodeIfPresent(String.self, forKey: .capitalizedMessage)
        }
    }
}

/// Why an AWS KMS seal could not be configured or a call failed. Messages name the operation,
/// endpoint and KMS's error, never key material, the secret access key or the session token.
public enum AWSKMSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The seal's configuration is unusable.
    case invalidConfiguration(String)
    /// KMS refused the call: its error type (such as "NotFoundException"), message and HTTP status.
    case rejected(operation: String, type: String, message: String, status: Int)
    /// An HTTP error status without a KMS error body: something other than KMS answered.
    case httpStatus(operation: String, status: Int)
    /// The endpoint could not be reached (refused, name resolution, TLS) or did not answer in time.
    case unreachable(operation: String, endpoint: String, reason: String)
    /// A successful status whose body is not what KMS sends.
    case malformedResponse(operation: String, detail: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let detail):
            return "AWS KMS seal configuration: \(detail)"
        case .rejected(let operation, let type, let message, let status):
            var text = "AWS KMS \(operation) failed: \(type) (HTTP \(status))"
            if !message.isEmpty { text += ": \(message)" }
            if operation == "Decrypt", ["InvalidCiphertextException", "IncorrectKeyException"].contains(type) {
                text += " (the sealed root key does not open with this KMS key and root key id: it was sealed"
                    + " under another key or for another root key, or it is damaged)"
            }
            return text
        case .httpStatus(let operation, let status):
            return "AWS KMS \(operation) failed: HTTP \(status) without a KMS error body (is the endpoint a KMS endpoint?)"
        case .unreachable(let operation, let endpoint, let reason):
            return "AWS KMS \(operation) failed: the endpoint \(endpoint) cannot be reached: \(reason)"
        case .malformedResponse(let operation, let detail):
            return "AWS KMS \(operation) failed: malformed response: \(detail)"
        }
    }
}
