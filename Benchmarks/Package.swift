// swift-tools-version:6.1
// In-process benchmarks (ordo-one/benchmark). Run: `cd Benchmarks && swift package benchmark`.
//
// Kept out of the main package so that `swift test` does not build the benchmark tooling.
// The benchmarked targets are compiled here from the main package's sources through the
// symlinks in Sources/, so that this package does not depend on the checkout's folder name.
import PackageDescription

let package = Package(
    name: "QuartermasterBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "QuartermasterCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            path: "Sources/QuartermasterCore"
        ),
        .target(
            name: "QuartermasterCrypto",
            dependencies: [
                "QuartermasterCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            path: "Sources/QuartermasterCrypto"
        ),
        .executableTarget(
            name: "TokenSigningBenchmark",
            dependencies: [
                "QuartermasterCrypto",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TokenSigning",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TransitBenchmark",
            dependencies: [
                "QuartermasterCrypto",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Transit",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "PolicyEngineBenchmark",
            dependencies: [
                "QuartermasterCore",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PolicyEngine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
