import AsyncHTTPClient
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// AWS STS `AssumeRoleWithWebIdentity` (IRSA): exchanges a web identity token for temporary
/// credentials of a role.
///
/// The request is the one botocore sends: an unsigned `POST /` with the form
/// `Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=…&RoleSessionName=…&WebIdentityToken=…&DurationSeconds=…`
/// (`Content-Type: application/x-www-form-urlencoded; charset=utf-8`, spaces as `%20`). The answer
/// is STS's XML: `Credentials` (`AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`),
/// or an `ErrorResponse` whose `Code` and `Message` become the error's provider text.
public struct AWSWebIdentityExchange: CredentialExchange {
    /// Which role, and where STS is.
    public struct Settings: Sendable, Equatable {
        /// The role assumed, `arn:aws:iam::ACCOUNT:role/NAME`.
        public var roleARN: String
        /// The role session name STS records (2 to 64 of letters, digits and `+=,.@_-`).
        public var sessionName: String
        /// The requested session lifetime, sent in whole seconds (STS takes 15 minutes to 12 hours,
        /// capped by the role's maximum).
        public var duration: Duration
        /// The STS endpoint, such as `https://sts.us-east-1.amazonaws.com`.
        public var endpoint: String

        /// Creates settings; the defaults are those of `provider-instances.yaml`.
        public init(
            roleARN: String,
            sessionName: String = "quartermaster",
            duration: Duration = .seconds(3600),
            endpoint: String = "https://sts.amazonaws.com"
        ) {
            self.roleARN = roleARN
            self.sessionName = sessionName
            self.duration = duration
            self.endpoint = endpoint
        }
    }

    public let settings: Settings
    private let token: WebIdentityTokenSource
    private let httpClient: HTTPClient
    private let timeout: Duration

    public var method: String { "aws_irsa" }

    /// An exchange presenting the token from `token`; one fetch takes at most `timeout`.
    public init(settings: Settings, token: @escaping WebIdentityTokenSource, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.token = token
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        var url = try ExchangeEndpoint.validated(settings.endpoint, setting: "the STS endpoint")
        if URLComponents(string: url)?.path.isEmpty ?? true { url += "/" }
        let webIdentityToken = try await ExchangeSecret.read(token, what: "the web identity token")
        let form = ExchangeForm.encode(
            [
                "Action": "AssumeRoleWithWebIdentity",
                "Version": "2011-06-15",
                "RoleArn": settings.roleARN,
                "RoleSessionName": settings.sessionName,
                "WebIdentityToken": webIdentityToken,
                "DurationSeconds": String(settings.duration.components.seconds),
            ],
            space: .percent
        )
        let request = ExchangeRequest(
            method: .POST,
            url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: form
        )
        let response = try await ExchangeTransport(client: httpClient, timeout: timeout).send(request)
        let document = AWSSTSDocument(response.body)
        guard response.isSuccess else {
            let message = document.flatMap { document -> String? in
                guard document.root == "ErrorResponse", let code = document["Error", "Code"] else { return nil }
                return [code, document["Error", "Message"]].compactMap { $0 }.joined(separator: ": ")
            }
            throw response.refusal(message: message, redacting: [webIdentityToken])
        }
        guard let document, document.root == "AssumeRoleWithWebIdentityResponse" else {
            throw .malformedResponse("the STS answer is not an AssumeRoleWithWebIdentityResponse document")
        }
        let names = ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]
        let values = names.map { document["Credentials", $0] ?? "" }
        let missing = zip(names, values).filter { $0.1.isEmpty }.map(\.0)
        guard missing.isEmpty else {
            throw .malformedResponse("the STS answer has no Credentials \(missing.joined(separator: ", "))")
        }
        let (accessKeyID, secretAccessKey, sessionToken, expiration) = (values[0], values[1], values[2], values[3])
        guard let expiresAt = ExchangeTimestamp.parse(expiration) else {
            throw .malformedResponse("the STS Expiration '\(expiration.prefix(40))' is not an ISO 8601 time")
        }
        return ProviderCredential(
            kind: .aws(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken),
            expiresAt: expiresAt,
            obtainedAt: now
        )
    }
}

/// The text of each leaf element of an STS XML answer, by its parent's and its own name
/// (`Credentials`/`AccessKeyId`, `Error`/`Code`), and the root element's name.
private struct AWSSTSDocument {
    let root: String
    private let leaves: [String: String]

    /// `nil` when `data` is not well-formed XML.
    init?(_ data: Data) {
        let parser = XMLParser(data: data)
        let collector = LeafCollector()
        parser.delegate = collector
        guard parser.parse(), let root = collector.root else { return nil }
        self.root = root
        self.leaves = collector.leaves
    }

    subscript(parent: String, name: String) -> String? {
        leaves[parent + "/" + name]
    }

    private final class LeafCollector: NSObject, XMLParserDelegate {
        var root: String?
        var leaves: [String: String] = [:]
        private var path: [String] = []
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            path.append(name)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if path.count >= 2 {
                let key = path[path.count - 2] + "/" + name
                if leaves[key] == nil { leaves[key] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            path.removeLast()
            text = ""
        }
    }
}
