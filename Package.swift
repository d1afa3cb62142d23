// swift-tools-version:6.1
import PackageDescription

// Layers, each depending only on those above it (see docs/ARCHITECTURE.md):
// Core (pure) -> Crypto -> Storage -> Services -> HTTP -> Commands (CLI) -> quartermaster (executable).
let package = Package(
    name: "quartermaster",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quartermaster", targets: ["quartermaster"]),
        .library(name: "QuartermasterCore", targets: ["QuartermasterCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
    ],
    targets: [
        .target(
            name: "QuartermasterCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "QuartermasterCrypto",
            dependencies: [
                "QuartermasterCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .target(
            name: "QuartermasterStorage",
            dependencies: [
                "QuartermasterCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "QuartermasterServices",
            dependencies: [
                "QuartermasterCore",
                "QuartermasterCrypto",
                "QuartermasterStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "QuartermasterHTTP",
            dependencies: [
                "QuartermasterServices",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "QuartermasterCommands",
            dependencies: [
                "QuartermasterHTTP",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(name: "quartermaster", dependencies: ["QuartermasterCommands", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "QuartermasterCoreTests", dependencies: ["QuartermasterCore"]),
        // Fixtures/ holds test vectors the tests read by path (#filePath), not bundle resources.
        .testTarget(name: "QuartermasterCryptoTests", dependencies: ["QuartermasterCrypto", .product(name: "Crypto", package: "swift-crypto"), .product(name: "JWTKit", package: "jwt-kit")], exclude: ["Fixtures"]),
        .testTarget(
            name: "QuartermasterStorageTests",
            dependencies: [
                "QuartermasterStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "QuartermasterServicesTests",
            dependencies: [
                "QuartermasterServices",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "QuartermasterHTTPTests",
            dependencies: [
                "QuartermasterHTTP",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "QuartermasterCommandsTests", dependencies: ["QuartermasterCommands"]),
    ]
)

// A nonisolated async function runs on its caller's executor (SE-0461) instead of hopping to
// the global one at every call and return. Request tasks run on NIO's event loops, where each
// such hop is a trip through the loop's task queue (docs/PERFORMANCE.md, sixth pass).
for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
}
