import Foundation
import GRDB

/// `RegistrationStore` on SQLite.
struct SQLiteRegistrationStore: RegistrationStore {
    let database: SQLiteDatabase

    private static let columns = "instance_id, service, cluster_id, registered_at, credential_id"

    func upsert(_ registration: StoredRegistration) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO registrations (\(Self.columns)) VALUES (?, ?, ?, ?, ?) \
                    ON CONFLICT (instance_id) DO UPDATE SET service = excluded.service, \
                    cluster_id = excluded.cluster_id, registered_at = excluded.registered_at, \
                    credential_id = excluded.credential_id
                    """,
                arguments: [
                    registration.instanceID, registration.service, registration.clusterID,
                    registration.registeredAt.storageMicroseconds, registration.credentialID,
                ])
        }
    }

    func list(service: String?, limit: Int) async throws -> [StoredRegistration] {
        var arguments: StatementArguments = []
        var filter = ""
        if let service {
            filter = "WHERE service = ?"
            arguments += [service]
        }
        arguments += [max(0, limit)]
        let sql = """
            SELECT \(Self.columns) FROM registrations \(filter) \
            ORDER BY registered_at DESC, instance_id LIMIT ?
            """
        return try await database.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.registration)
        }
    }

    private static func registration(_ row: Row) -> StoredRegistration {
        StoredRegistration(
            instanceID: row["instance_id"], service: row["service"], clusterID: row["cluster_id"],
            registeredAt: Date(storageMicroseconds: row["registered_at"]), credentialID: row["credential_id"])
    }
}
