import Foundation
import QuartermasterStorage
import Testing

@Suite("RegistrationStore contract")
struct RegistrationStoreTests {
    @Test("list returns registrations newest first, by service, up to the limit", arguments: BackendKind.available)
    func list(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.registrations
            #expect(try await store.list(service: nil, limit: 10).isEmpty)
            let gateway1 = registration("gw-1", service: "gateway", at: 10)
            let gateway2 = registration("gw-2", service: "gateway", at: 30)
            let worker1 = registration("wk-1", service: "worker", at: 20)
            let worker2 = registration("wk-2", service: "worker", at: 20)
            for item in [gateway1, worker2, gateway2, worker1] {
                try await store.upsert(item)
            }
            #expect(try await store.list(service: nil, limit: 10) == [gateway2, worker1, worker2, gateway1],
                    "newest first, ties by instance id")
            #expect(try await store.list(service: "gateway", limit: 10) == [gateway2, gateway1])
            #expect(try await store.list(service: "worker", limit: 1) == [worker1])
            #expect(try await store.list(service: "missing", limit: 10).isEmpty)
            #expect(try await store.list(service: nil, limit: 2) == [gateway2, worker1])
            #expect(try await store.list(service: nil, limit: 0).isEmpty)
        }
    }

    @Test("upserting an instance id replaces its registration", arguments: BackendKind.available)
    func upsertReplaces(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.registrations
            try await store.upsert(registration("i-1", service: "gateway", at: 10))
            try await store.upsert(registration("i-2", service: "gateway", at: 20))
            var moved = registration("i-1", service: "worker", at: 30)
            moved.clusterID = "cluster-us-2"
            try await store.upsert(moved)
            #expect(try await store.list(service: nil, limit: 10) == [moved, registration("i-2", service: "gateway", at: 20)])
            #expect(try await store.list(service: "gateway", limit: 10).map(\.instanceID) == ["i-2"])
            #expect(try await store.list(service: "worker", limit: 10) == [moved])

            _ = try await concurrently(8) { index in
                try await store.upsert(registration("i-3", service: "batch", at: Int64(100 + index)))
            }
            #expect(try await store.list(service: "batch", limit: 10).count == 1, "racing upserts leave one row")
        }
    }
}
