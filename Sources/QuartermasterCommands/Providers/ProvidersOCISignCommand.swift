import ArgumentParser
import Foundation
import QuartermasterCrypto
import QuartermasterServices

/// `providers oci-sign`: obtains an OCI resource-principal session from its files and signs one
/// request with it, printing the headers to send. For checking a resource-principal setup, and
/// the differential test against the `oci` SDK's signer. Prints
/// `{"method", "expires_at" (epoch seconds), "headers": [[name, value], ...]}`; on failure one
/// line on standard error and exit status 1.
struct ProvidersOCISignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "oci-sign", abstract: "Sign one request with an OCI resource-principal session (prints the headers as JSON).")

    @Option(help: "The resource principal session token (RPST) file.") var sessionTokenFile: String
    @Option(help: "The session's private key (PEM, unencrypted).") var privateKeyFile: String
    @Option(help: "HTTP method.") var method: String
    @Option(help: "The exact URL to sign.") var url: String
    @Option(help: "The signing instant, in seconds since 1970.") var date: Double
    @Option(help: "A file holding the exact body bytes.") var bodyFile: String?
    @Option(help: "An extra header, 'Name: value' (repeatable).") var header: [String] = []

    func run() async throws {
        guard let target = URL(string: url) else { throw CLIError("--url is not a URL") }
        var headers: [OCIRequestSigner.Header] = []
        for line in header {
            guard let colon = line.firstIndex(of: ":") else { throw CLIError("--header wants 'Name: value'") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " })))
        }
        var body = Data()
        if let bodyFile {
            guard let data = FileManager.default.contents(atPath: bodyFile) else { throw CLIError("cannot read \(bodyFile)") }
            body = data
        }
        let exchange = OCIResourcePrincipalExchange(settings: .init(sessionTokenFile: sessionTokenFile, privateKeyFile: privateKeyFile))
        let credential: ProviderCredential
        do {
            credential = try await exchange.fetch(now: Date())
        } catch {
            throw CLIError(error.description)
        }
        guard case .ociSession(let token, let privateKeyPEM) = credential.kind else { throw CLIError("unexpected credential kind \(credential.kind.name)") }
        let signer: OCIRequestSigner
        do {
            signer = try OCIRequestSigner(keyID: "ST$" + token, privateKeyPEM: privateKeyPEM)
        } catch {
            throw CLIError(error.description)
        }
        let sent = signer.sign(method: method, url: target, headers: headers, body: body, date: Date(timeIntervalSince1970: date))
        let output: [String: Any] = [
            "method": exchange.method,
            "expires_at": credential.expiresAt.map { Int($0.timeIntervalSince1970) } as Any,
            "headers": sent.map { [$0.name, $0.value] },
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys]), as: UTF8.self))
    }
}
