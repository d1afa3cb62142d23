import Foundation
import QuartermasterCrypto
@testable import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Audit chain: a record prepared before its place is known")
struct AuditChainTests {
    static let event = AuditEvent(
        time: Date(timeIntervalSince1970: 1_790_000_000.123_456), requestID: "request-1", subject: "orchestrator-service",
        action: "read", resource: "secret/llm/openai", decision: "allow", reason: "policy.yaml:12:9",
        source: "127.0.0.1:5000", details: ["value": "hmac-sha256:ab", "auth_method": "api_key"])

    @Test("placed after a head, it equals the record sealed after that head, and verifies", arguments: [
        AuditChainHead.genesis,
        AuditChainHead(sequence: 41, hash: String(repeating: "7", count: 64)),
    ])
    func preparedEqualsSealed(head: AuditChainHead) {
        let chain = AuditChain(key: AuditKey.generate().key)
        let placed = chain.prepare(Self.event).sealed(after: head)
        #expect(placed == chain.seal(Self.event, after: head))
        #expect(placed.sequence == head.sequence + 1 && placed.previousHash == head.hash)
        #expect(chain.hash(of: placed) == placed.hash)
    }

    @Test("the hash depends on the head it follows")
    func hashFollowsHead() {
        let prepared = AuditChain(key: AuditKey.generate().key).prepare(Self.event)
        let other = AuditChainHead(sequence: 0, hash: String(repeating: "1", count: 64))
        #expect(prepared.hash(after: .genesis) != prepared.hash(after: other))
        #expect(prepared.hash(after: .genesis) != prepared.hash(after: AuditChainHead(sequence: 1, hash: AuditChainHead.genesis.hash)))
    }
}
