import QuartermasterCore
import QuartermasterServices

extension TokenResponse {
    /// The token endpoint's answer as JSON text, written directly (it is encoded on every
    /// issuance); equal to `JSONResponse`'s encoding: sorted keys, absent optionals left out.
    var json: [UInt8] {
        var writer = JSONObjectWriter(capacity: access_token.utf8.count + 128)
        writer.string("access_token", access_token)
        writer.number("expires_in", expires_in)
        if let issued_token_type { writer.string("issued_token_type", issued_token_type) }
        if let scope { writer.string("scope", scope) }
        writer.string("token_type", token_type)
        return writer.finish()
    }
}
