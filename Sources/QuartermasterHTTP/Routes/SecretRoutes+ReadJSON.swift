import Foundation
import QuartermasterCore

extension SecretRoutes.ReadView {
    /// The answer to a secret read as JSON text, written directly (it is encoded on every
    /// read); equal to `JSONResponse`'s encoding: sorted keys, ISO 8601 times.
    var json: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        output.append(UInt8(ascii: "{"))
        JSONText.appendKey("data", to: &output)
        output.append(UInt8(ascii: "{"))
        JSONText.appendKey("data", to: &output)
        JSONText.appendObject(data.data, to: &output)
        output.append(UInt8(ascii: ","))
        JSONText.appendKey("metadata", to: &output)
        output.append(UInt8(ascii: "{"))
        JSONText.appendKey("created_time", to: &output)
        JSONText.appendString(data.metadata.created_time.formatted(.iso8601), to: &output)
        output.append(UInt8(ascii: ","))
        JSONText.appendKey("custom_metadata", to: &output)
        JSONText.appendObject(data.metadata.custom_metadata, to: &output)
        output.append(UInt8(ascii: ","))
        JSONText.appendKey("version", to: &output)
        output.append(contentsOf: String(data.metadata.version).utf8)
        output.append(contentsOf: "}}".utf8)
        if let lease_duration {
            output.append(UInt8(ascii: ","))
            JSONText.appendKey("lease_duration", to: &output)
            output.append(contentsOf: String(lease_duration).utf8)
        }
        if let lease_id {
            output.append(UInt8(ascii: ","))
            JSONText.appendKey("lease_id", to: &output)
            JSONText.appendString(lease_id, to: &output)
        }
        if let renewable {
            output.append(UInt8(ascii: ","))
            JSONText.appendKey("renewable", to: &output)
            output.append(contentsOf: (renewable ? "true" : "false").utf8)
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}
