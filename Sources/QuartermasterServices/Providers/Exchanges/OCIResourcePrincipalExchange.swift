import Foundation
import QuartermasterCrypto

/// OCI resource principal, version 2.2: the platform (OCI Functions, Data Science, ...) writes a
/// resource principal session token (RPST, a JWT) and the PEM private key of the session to two
/// files and rewrites both before the token expires. Requests are signed with that key under the
/// key id `ST$<RPST>` (`OCIRequestSigner`).
///
/// This reads what the `oci` SDK's `get_resource_principals_signer()` reads for
/// `OCI_RESOURCE_PRINCIPAL_VERSION=2.2` (its `EphemeralResourcePrincipalSigner`), with
/// `OCI_RESOURCE_PRINCIPAL_RPST` and `OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM` naming files. Nothing
/// is sent over the network: each fetch reads both files again (a rotated pair is picked up),
/// checks that the token is a JWT with an `exp` still ahead, whose signature OCI verifies (as the
/// SDK, this does not), and that the key is an RSA private key that can sign. The credential
/// expires at the token's `exp`.
///
/// Unlike the SDK, the token and key are always files (the SDK also takes them as the values of
/// those variables), and the key must be unencrypted: a passphrase
/// (`OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE`) is not supported. The region
/// (`OCI_RESOURCE_PRINCIPAL_REGION`) is the provider instance's, not read here.
public struct OCIResourcePrincipalExchange: CredentialExchange {
    /// Where the platform writes the session.
    public struct Settings: Sendable, Equatable {
        /// The file holding the resource principal session token (a JWT).
        public var sessionTokenFile: String
        /// The file holding the session's unencrypted PEM RSA private key (PKCS#1 or PKCS#8).
        public var privateKeyFile: String

        public init(sessionTokenFile: String, privateKeyFile: String) {
            self.sessionTokenFile = sessionTokenFile
            self.privateKeyFile = privateKeyFile
        }
    }

    public let settings: Settings

    public var method: String { "oci_resource_principal" }

    public init(settings: Settings) {
        self.settings = settings
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        let token = try await Self.read(settings.sessionTokenFile, what: "session token")
        let expiresAt = try Self.expiry(ofSessionToken: token, in: settings.sessionTokenFile)
        guard expiresAt > now else {
            throw .tokenSource("the session token in \(settings.sessionTokenFile) expired at \(expiresAt.formatted(.iso8601)) and has not been replaced")
        }
        let privateKeyPEM = try await Self.read(settings.privateKeyFile, what: "private key")
        do {
            _ = try OCIRequestSigner(keyID: "ST$" + token, privateKeyPEM: privateKeyPEM)
        } catch {
            throw .tokenSource("the private key in \(settings.privateKeyFile) cannot sign: \(error)")
        }
        return ProviderCredential(kind: .ociSession(sessionToken: token, privateKeyPEM: privateKeyPEM), expiresAt: expiresAt, obtainedAt: now)
    }

    /// The content of the file at `path`, without surrounding whitespace; `.configuration` when
    /// no path is set, `.tokenSource` when it cannot be read or is empty.
    private static func read(_ path: String, what: String) async throws(CredentialExchangeError) -> String {
        guard !path.isEmpty else { throw .configuration("no \(what) file is set") }
        let content: String
        do {
            content = try await CredentialFileSource.reading(path)()
        } catch let error as CredentialExchangeError {
            throw error
        } catch {
            throw .tokenSource("cannot read \(path): \(error)")
        }
        guard !content.isEmpty else { throw .tokenSource("the \(what) file \(path) is empty") }
        return content
    }

    /// The `exp` of the JWT `token`, read without verifying its signature. `.tokenSource` naming
    /// `path` (never the token) when the token is not three base64url segments whose first two
    /// are JSON objects, or has no numeric `exp`.
    static func expiry(ofSessionToken token: String, in path: String) throws(CredentialExchangeError) -> Date {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3,
              let header = base64URLDecoded(segments[0]), (try? JSONSerialization.jsonObject(with: header)) is [String: Any],
              base64URLDecoded(segments[2]) != nil,
              let payload = base64URLDecoded(segments[1]), let claims = try? JSONDecoder().decode(SessionTokenClaims.self, from: payload)
        else {
            throw .tokenSource("the session token in \(path) is not a JWT")
        }
        guard let exp = claims.exp else {
            throw .tokenSource("the session token in \(path) has no numeric exp claim")
        }
        return Date(timeIntervalSince1970: exp)
    }

    /// The bytes of an unpadded base64url segment; `nil` for any other character.
    private static func base64URLDecoded(_ segment: Substring) -> Data? {
        guard segment.utf8.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }) else { return nil }
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// The claims of a session token that the exchange reads: a JSON object whose `exp`, when a
/// number, is the expiry in seconds since 1970.
private struct SessionTokenClaims: Decodable {
    var exp: Double?

    enum CodingKeys: String, CodingKey {
        case exp
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exp = try? container.decode(Double.self, forKey: .exp)
    }
}
