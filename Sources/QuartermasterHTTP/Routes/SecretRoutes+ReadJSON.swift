import Foundation
import QuartermasterCore

extension SecretRoutes.ReadView {
    /// The answer to a secret read as JSON text, written directly (it is encoded on every
    /// read); equal to `JSONResponse`'s encoding: sorted keys, ISO 8601 times.
    /// `createdTime` is `data.metadata.created_time` already formatted (`SecretReadFacts`).
    func json(createdTime: String) -> [UInt8] {
        var writer = JSONObjectWriter()
        writer.object("data") { inner in
            inner.object("data", data.data)
            inner.object("metadata") { metadata in
                metadata.string("created_time", createdTime)
                metadata.object("custom_metadata", data.metadata.custom_metadata)
                metadata.number("version", data.metadata.version)
            }
        }
        if let lease_duration { writer.number("lease_duration", lease_duration) }
        if let lease_id { writer.string("lease_id", lease_id) }
        if let renewable { writer.bool("renewable", renewable) }
        return writer.finish()
    }
}
