import QuartermasterCore
import QuartermasterServices

extension TokenResponse {
    /// The token endpoint's answer as JSON text, written directly (it is encoded on every
    /// issuance); equal to `JSONResponse`'s encoding: sorted keys, absent optionals left out.
    var json: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(access_token.utf8.count + 128)
        output.append(UInt8(ascii: "{"))
        JSONText.appendKey("access_token", to: &output)
        JSONText.appendString(access_token, to: &output)
        output.append(UInt8(ascii: ","))
        JSONText.appendKey("expires_in", to: &output)
        output.append(contentsOf: String(expires_in).utf8)
        if let issued_token_type {
            output.append(UInt8(ascii: ","))
            JSONText.appendKey("issued_token_type", to: &output)
            JSONText.appendString(issued_token_type, to: &output)
        }
        if let scope {
            output.append(UInt8(ascii: ","))
            JSONText.appendKey("scope", to: &output)
            JSONText.appendString(scope, to: &output)
        }
        output.append(UInt8(ascii: ","))
        JSONText.appendKey("token_type", to: &output)
        JSONText.appendString(token_type, to: &output)
        output.append(UInt8(ascii: "}"))
        return output
    }
}
