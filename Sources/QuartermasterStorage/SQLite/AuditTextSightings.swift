import Synchronization

/// The reason and details texts an SQLite audit store has stored in a row once, so that the
/// next record carrying one keeps it in `audit_texts` instead (`AuditRecordInsert`).
///
/// Only a hint: forgetting a text costs one more copy of it in a row, and remembering one
/// whose transaction rolled back costs nothing, since the text goes into `audit_texts` by
/// its own insert. Bounded: past `capacity` texts it starts over.
final class AuditTextSightings: Sendable {
    private let texts = Mutex<Set<String>>([])
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// Records `text` as seen; true when it was seen before.
    func sight(_ text: String) -> Bool {
        texts.withLock { texts in
            if texts.remove(text) != nil { return true }
            if texts.count >= capacity { texts.removeAll(keepingCapacity: true) }
            texts.insert(text)
            return false
        }
    }
}
