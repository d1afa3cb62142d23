import Benchmark
import Foundation
import QuartermasterCrypto

/// Transit encrypt and decrypt per second in process (AES-256-GCM with the key name bound),
/// for a 32-byte data key and a 4 KiB payload, plus the envelope seal and open of a secret
/// version (a fresh data key wrapped by the root key).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput],
        maxDuration: .seconds(3),
        maxIterations: 1_000_000
    )

    for size in [32, 4096] {
        Benchmark("transit/encrypt/\(size)B") { benchmark, context in
            for _ in benchmark.scaledIterations {
                blackHole(try context.cipher.encrypt(context.plaintext))
            }
        } setup: {
            try TransitContext(size: size)
        }

        Benchmark("transit/decrypt/\(size)B") { benchmark, context in
            for _ in benchmark.scaledIterations {
                blackHole(try context.cipher.decrypt(context.ciphertext))
            }
        } setup: {
            try TransitContext(size: size)
        }

        Benchmark("transit/parse+decrypt/\(size)B") { benchmark, context in
            for _ in benchmark.scaledIterations {
                blackHole(try context.cipher.decrypt(try TransitCiphertext(parsing: context.text)))
            }
        } setup: {
            try TransitContext(size: size)
        }
    }

    Benchmark("envelope/seal") { benchmark, context in
        for _ in benchmark.scaledIterations {
            blackHole(try EnvelopeCipher.seal(context.plaintext, context: "secret/gateway/token#3", rootKey: context.rootKey))
        }
    } setup: {
        try TransitContext(size: 64)
    }

    Benchmark("envelope/open") { benchmark, context in
        for _ in benchmark.scaledIterations {
            blackHole(try EnvelopeCipher.open(sealedValue: context.envelope.sealedValue, wrappedDataKey: context.envelope.wrappedDataKey, context: "secret/gateway/token#3", rootKey: context.rootKey))
        }
    } setup: {
        try TransitContext(size: 64)
    }
}

/// A transit key version, a payload, its ciphertext, and an envelope-sealed copy.
struct TransitContext: Sendable {
    let cipher: TransitCipher
    let plaintext: Data
    let ciphertext: TransitCiphertext
    let text: String
    let rootKey: KeyEncryptionKey
    let envelope: (sealedValue: Data, wrappedDataKey: Data)

    init(size: Int) throws {
        cipher = try TransitCipher(keyName: "model-weights", version: 3, keyBytes: TransitCipher.generateKeyBytes())
        plaintext = RandomBytes.data(count: size)
        ciphertext = try cipher.encrypt(plaintext)
        text = ciphertext.description
        rootKey = KeyEncryptionKey.generate().key
        envelope = try EnvelopeCipher.seal(plaintext, context: "secret/gateway/token#3", rootKey: rootKey)
    }
}
