import Foundation
import QuartermasterCore

/// Rules both backends apply to an audit record before storing it.
extension AuditRecord {
    /// Checks that this record extends `head` (next sequence, linked hash) and returns it as it
    /// will be stored (time at storage precision).
    ///
    /// Throws `StorageError.conflict` when `seal` returned a record that does not continue the
    /// chain, so a gap or a fork can never be written.
    func linked(to head: AuditChainHead) throws -> AuditRecord {
        try checkExtends(head)
        var stored = self
        stored.time = time.atStoragePrecision
        return stored
    }

    /// Throws `StorageError.conflict` unless this record extends `head`: the next sequence,
    /// linked to its hash.
    func checkExtends(_ head: AuditChainHead) throws {
        guard sequence == head.sequence + 1, previousHash == head.hash else {
            throw StorageError.conflict("audit record \(sequence) does not extend the chain head \(head.sequence)")
        }
    }

    /// `details` as stored: a JSON object with sorted keys.
    var detailsJSON: String { JSONText.object(details) }

    /// Decodes a stored `details` column.
    static func details(fromJSON json: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw StorageError.unavailable("audit record details are not a JSON object of strings")
        }
    }
}
