import Foundation
import PostgresNIO

/// `RegistrationStore` on PostgreSQL.
struct PostgresRegistrationStore: RegistrationStore {
    let gateway: PostgresGateway

    private static let columns = "instance_id, service, cluster_id, registered_at, credential_id"

    func upsert(_ registration: StoredRegistration) async throws {
        try await gateway.run { client in
            _ = try await client.query(
                """
                INSERT INTO registrations (\(unescaped: Self.columns)) VALUES (\(registration.instanceID), \
                \(registration.service), \(registration.clusterID), \(registration.registeredAt.storageMicroseconds), \
                \(registration.credentialID)) \
                ON CONFLICT (instance_id) DO UPDATE SET service = EXCLUDED.service, cluster_id = EXCLUDED.cluster_id, \
                registered_at = EXCLUDED.registered_at, credential_id = EXCLUDED.credential_id
                """)
        }
    }

    func list(service: String?, limit: Int) async throws -> [StoredRegistration] {
        let limit = max(0, limit)
        let query: PostgresQuery = if let service {
            """
            SELECT \(unescaped: Self.columns) FROM registrations WHERE service = \(service) \
            ORDER BY registered_at DESC, instance_id LIMIT \(limit)
            """
        } else {
            """
            SELECT \(unescaped: Self.columns) FROM registrations \
            ORDER BY registered_at DESC, instance_id LIMIT \(limit)
            """
        }
        return try await gateway.run { client in
            var registrations: [StoredRegistration] = []
            for try await (instanceID, service, clusterID, registeredAt, credentialID) in try await client.query(query)
                .decode((String, String, String, Int64, String).self)
            {
                registrations.append(StoredRegistration(
                    instanceID: instanceID, service: service, clusterID: clusterID,
                    registeredAt: Date(storageMicroseconds: registeredAt), credentialID: credentialID))
            }
            return registrations
        }
    }
}
