import Foundation

/// Obtains one short-lived provider credential over HTTP.
///
/// An exchange is stateless: every `fetch` runs the provider's whole protocol again (reading the
/// token file, logging in, exchanging). Scheduling refreshes and caching are the caller's.
public protocol CredentialExchange: Sendable {
    /// "aws_irsa", "azure_workload_identity", ... (metrics label)
    var method: String { get }
    func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential
}

/// Returns the JWT an exchange presents to the provider: a token our issuer mints, or the
/// content of a projected token file. Called once per `fetch`, so a rotated token is picked up.
public typealias WebIdentityTokenSource = @Sendable () async throws -> String

/// Returns a secret an exchange logs in with (an IBM API key, a Vault AppRole secret id).
/// Called once per `fetch`, so a rotated secret is picked up.
public typealias ProviderSecretSource = @Sendable () async throws -> String

/// Sources that read a token or secret from a file, such as a Kubernetes projected
/// service-account token, which the kubelet rewrites before it expires.
public enum CredentialFileSource {
    /// The largest file read; tokens and keys are a few kilobytes.
    static let maximumSize = 1 << 20

    /// Reads the file at `path` at every call and returns its UTF-8 content without surrounding
    /// whitespace (a JWT or key never contains any; an editor's final newline is dropped). Throws
    /// `CredentialExchangeError.tokenSource` with the system's reason when it cannot.
    public static func reading(_ path: String) -> @Sendable () async throws -> String {
        { () throws(CredentialExchangeError) -> String in
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure(path, errno) }
            defer { close(descriptor) }
            var content: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw failure(path, errno) }
                if count == 0 { break }
                content += chunk[..<count]
                guard content.count <= maximumSize else { throw .tokenSource("\(path) is larger than 1 MiB") }
            }
            guard let text = String(validating: content, as: UTF8.self) else { throw .tokenSource("\(path) is not UTF-8 text") }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> CredentialExchangeError {
        .tokenSource("cannot read \(path): \(String(cString: strerror(code)))")
    }
}

/// Why an exchange did not produce a credential. Messages never contain tokens, keys or secrets.
public enum CredentialExchangeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No connection to `endpoint` (refused, no route, name not resolved, TLS handshake failed).
    case unreachable(endpoint: String)
    /// The provider did not answer within the exchange's timeout, or the fetch was cancelled.
    case timeout
    /// The provider answered with an HTTP error. `providerError` is the error code and message of
    /// the provider's documented error body, on one line, truncated, with every secret the
    /// exchange sent removed; `nil` when the body is not that shape.
    case httpStatus(code: Int, providerError: String?)
    /// A success answer that is not the provider's documented shape.
    case malformedResponse(String)
    /// The exchange's settings cannot work (an endpoint that is not an http(s) URL, say).
    case configuration(String)
    /// The web identity token or secret could not be read, or is empty.
    case tokenSource(String)

    public var description: String {
        switch self {
        case .unreachable(let endpoint): "cannot reach \(endpoint)"
        case .timeout: "the provider did not answer in time"
        case .httpStatus(let code, let providerError?): "the provider answered HTTP \(code): \(providerError)"
        case .httpStatus(let code, nil): "the provider answered HTTP \(code)"
        case .malformedResponse(let detail): "malformed provider response: \(detail)"
        case .configuration(let detail): "invalid exchange configuration: \(detail)"
        case .tokenSource(let detail): "no token or secret to present: \(detail)"
        }
    }
}
