import Foundation
import QuartermasterCrypto

/// A decoded `application/x-www-form-urlencoded` body plus the `Authorization` header.
public struct OAuthForm: Sendable, Equatable {
    public var fields: [String: String]
    public var authorization: String?

    public init(fields: [String: String], authorization: String? = nil) {
        self.fields = fields
        self.authorization = authorization
    }

    /// Parses a form body; a repeated parameter is an error (RFC 6749 section 3.2).
    public static func parse(_ body: String, authorization: String?) throws(OAuthError) -> OAuthForm {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw .invalidRequest("the form body is not valid URL encoding")
            }
            guard fields[name] == nil else { throw .invalidRequest("parameter \(name) is repeated") }
            fields[name] = value
        }
        return OAuthForm(fields: fields, authorization: authorization)
    }

    public subscript(_ name: String) -> String? {
        guard let value = fields[name], !value.isEmpty else { return nil }
        return value
    }

    private static func decode(_ text: Substring) -> String? {
        FormDecoding.decode(text)
    }
}
