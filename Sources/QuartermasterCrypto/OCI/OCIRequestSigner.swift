import Crypto
import CryptoExtras
import Foundation

/// Signs HTTP requests for Oracle Cloud Infrastructure as the OCI SDKs do: an HTTP signature
/// (draft-cavage-http-signatures) in the `authorization` header, exactly as the `oci` Python SDK's
/// `oci.signer.AbstractBaseSigner` writes it:
///
///     Signature algorithm="rsa-sha256",headers="date (request-target) host",keyId="…",signature="…",version="1"
///
/// The signature is RSA PKCS#1 v1.5 over SHA-256 of the signing string, one `name: value` line
/// per signed header. GET, DELETE and HEAD sign `date (request-target) host`; POST, PUT and PATCH
/// also sign `content-length content-type x-content-sha256` (the body's length and base64
/// SHA-256), whatever the body, even empty. The SDK refuses any other method; this signer signs
/// it like a GET. `(request-target)` is the lowercased method, a space, the URL's path (`/` when
/// empty) and `?query` when the query is not empty.
///
/// The key id is `tenancy/user/fingerprint` for an API key, or `ST$<session token>` for a
/// resource or instance principal session.
///
/// Where the SDK's behaviour depends on its HTTP library, this signer signs what is sent: the
/// URL as given (the SDK's `requests` would re-quote it, turning `%7E` into `~`), a `host` header
/// found in `headers` (the SDK signs the URL's host even then), and a `content-length` and
/// `x-content-sha256` computed from `body` (the SDK keeps an `x-content-sha256` it is given).
public struct OCIRequestSigner: Sendable {
    /// An HTTP header as sent: name and value.
    public typealias Header = (name: String, value: String)

    /// Why a private key cannot sign. Messages never contain key material.
    public enum KeyError: Error, Equatable, Sendable, CustomStringConvertible {
        /// A passphrase-protected key (`ENCRYPTED PRIVATE KEY`, or `Proc-Type: 4,ENCRYPTED`):
        /// only unencrypted keys are supported.
        case encrypted
        /// Not a PEM-encoded RSA private key, PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`).
        case unreadable
        /// An RSA key of fewer than 2048 bits.
        case tooSmall

        public var description: String {
            switch self {
            case .encrypted: "the private key is encrypted; only unencrypted PEM keys are supported"
            case .unreadable: "not a PEM-encoded RSA private key (PKCS#1 or PKCS#8)"
            case .tooSmall: "the RSA private key is smaller than 2048 bits"
            }
        }
    }

    /// The `keyId` of the signature.
    public let keyID: String
    private let privateKey: _RSA.Signing.PrivateKey

    /// A signer presenting `keyID` and signing with the RSA private key in `privateKeyPEM`.
    public init(keyID: String, privateKeyPEM: String) throws(KeyError) {
        if privateKeyPEM.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || privateKeyPEM.contains("Proc-Type: 4,ENCRYPTED") {
            throw .encrypted
        }
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch CryptoKitError.incorrectParameterSize {
            throw .tooSmall
        } catch {
            throw .unreadable
        }
        self.keyID = keyID
    }

    /// The headers to send with the request: `headers` (less any `authorization` and `date`
    /// they carry, and for POST, PUT and PATCH any `content-length` and `x-content-sha256`), then
    /// `date`, `host` when `headers` has none, for POST, PUT and PATCH `content-type:
    /// application/json` when `headers` has none (as the SDK), `content-length` and
    /// `x-content-sha256`, and `authorization`. Added names are lowercase, as the SDK writes them.
    ///
    /// `url` must be the URL the request goes to, its path and query percent-encoded as sent;
    /// `body` the exact bytes sent. `date` is sent as an IMF-fixdate, whole seconds.
    public func sign(method: String, url: URL, headers: [Header], body: some DataProtocol, date: Date = Date()) -> [Header] {
        signing(method: method, url: url, headers: headers, body: body, date: date).headers
    }

    /// One signature's headers and the string it signed; `sign` returns `headers`.
    struct Signing {
        var headers: [Header]
        var signingString: String
    }

    func signing(method: String, url: URL, headers: [Header], body: some DataProtocol, date: Date) -> Signing {
        let verb = method.lowercased()
        let signsBody = Self.bodyMethods.contains(verb)
        let replaced = signsBody ? Self.replacedHeaders.union(Self.bodyHeaders) : Self.replacedHeaders

        var sent = headers.filter { !replaced.contains($0.name.lowercased()) }
        sent.append(("date", Self.httpDate(date)))
        if !sent.contains(where: { $0.name.lowercased() == "host" }) {
            sent.append(("host", Self.host(url)))
        }
        var signedNames = ["date", "(request-target)", "host"]
        if signsBody {
            if !sent.contains(where: { $0.name.lowercased() == "content-type" }) {
                sent.append(("content-type", "application/json"))
            }
            sent.append(("content-length", String(body.count)))
            sent.append(("x-content-sha256", Data(SHA256.hash(data: body)).base64EncodedString()))
            signedNames += ["content-length", "content-type", "x-content-sha256"]
        }

        let signingString = signedNames.map { name in
            if name == "(request-target)" {
                return "(request-target): \(verb) \(Self.requestTarget(url))"
            }
            // A header sent more than once is signed with its values joined by ", " (draft-cavage 2.3).
            let values = sent.filter { $0.name.lowercased() == name }.map(\.value)
            return "\(name): \(values.joined(separator: ", "))"
        }.joined(separator: "\n")

        let signature: _RSA.Signing.RSASignature
        do {
            signature = try privateKey.signature(for: SHA256.hash(data: Data(signingString.utf8)), padding: .insecurePKCS1v1_5)
        } catch {
            // BoringSSL fails to sign with a key it parsed only when memory runs out.
            fatalError("RSA signing failed: \(error)")
        }
        let authorization = [
            "algorithm=\"rsa-sha256\"",
            "headers=\"\(signedNames.joined(separator: " "))\"",
            "keyId=\"\(keyID)\"",
            "signature=\"\(signature.rawRepresentation.base64EncodedString())\"",
            "version=\"1\"",
        ].joined(separator: ",")
        sent.append(("authorization", "Signature " + authorization))
        return Signing(headers: sent, signingString: signingString)
    }

    /// The methods whose body is signed.
    private static let bodyMethods: Set<String> = ["post", "put", "patch"]

    /// Headers the signer sets itself; copies in the input are dropped.
    private static let replacedHeaders: Set<String> = ["authorization", "date"]

    /// Headers the signer computes from the body of a POST, PUT or PATCH.
    private static let bodyHeaders: Set<String> = ["content-length", "x-content-sha256"]

    /// The URL's host as the SDK signs it (`urlparse(url).netloc` after `requests` lowercased the
    /// host): lowercase, bracketed when IPv6, with the port when the URL names one, even the
    /// scheme's default.
    private static func host(_ url: URL) -> String {
        var host = (url.host(percentEncoded: true) ?? "").lowercased()
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    /// The encoded path (`/` when empty), with `?` and the encoded query when there is one.
    private static func requestTarget(_ url: URL) -> String {
        let path = url.path(percentEncoded: true)
        let target = path.isEmpty ? "/" : path
        guard let query = url.query(percentEncoded: true), !query.isEmpty else { return target }
        return target + "?" + query
    }

    /// `Sat, 14 Mar 2026 09:26:53 GMT` (RFC 9110 IMF-fixdate, as `email.utils.formatdate(usegmt=True)`),
    /// fractions of a second dropped.
    private static func httpDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: whole)
        func twoDigits(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let weekday = weekdays[(parts.weekday ?? 1) - 1]
        let month = months[(parts.month ?? 1) - 1]
        let time = "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second))"
        return "\(weekday), \(twoDigits(parts.day)) \(month) \(parts.year ?? 1970) \(time) GMT"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension OCIRequestSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the key id, which holds the session token of a resource principal.
    public var description: String { "OCIRequestSigner(key id and private key redacted)" }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["signer": description]) }
}
