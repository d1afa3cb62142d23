import Foundation
import QuartermasterStorage
import Testing

@Suite("PolicyStore contract")
struct PolicyStoreTests {
    @Test("append numbers versions 1, 2, 3; latest, version and history read them back", arguments: BackendKind.available)
    func appendAndRead(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.policies
            #expect(try await store.latest() == nil)
            #expect(try await store.history(limit: 10).isEmpty)

            let before = Date()
            var appended: [StoredPolicy] = []
            for index in 1...3 {
                appended.append(try await store.append(
                    document: "version: \(index)\n", sourceName: "policy.yaml", digest: "digest-\(index)",
                    createdBy: "admin", comment: index == 3 ? "rollback to version 1" : ""))
            }
            #expect(appended.map(\.version) == [1, 2, 3])
            #expect(appended[2].comment == "rollback to version 1")
            #expect(abs(appended[0].createdAt.timeIntervalSince(before)) < 5)

            #expect(try await store.latest() == appended[2])
            #expect(try await store.version(2) == appended[1])
            #expect(try await store.version(4) == nil)
            #expect(try await store.history(limit: 10) == appended.reversed())
            #expect(try await store.history(limit: 2).map(\.version) == [3, 2])
            #expect(try await store.history(limit: 0).isEmpty)
        }
    }

    @Test("concurrent appends get distinct, gapless versions", arguments: BackendKind.available)
    func concurrentAppends(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.policies
            let count = 12
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<count {
                    group.addTask {
                        try await store.append(
                            document: "n: \(index)\n", sourceName: "policy.yaml", digest: "d\(index)",
                            createdBy: "admin", comment: "").version
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(versions.sorted() == Array(1...count))
            #expect(try await store.history(limit: 100).map(\.version) == Array((1...count).reversed()))
        }
    }
}
