// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"], .when(configuration: .debug))]

let package = Package(
    name: "dealreg",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dealreg", targets: ["dealreg"]),
        .executable(name: "dealreg-registry", targets: ["dealreg-registry"]),
        .executable(name: "dealreg-check", targets: ["dealreg-check"]),
        .executable(name: "dealreg-enforce", targets: ["dealreg-enforce"]),
        .executable(name: "dealreg-bench", targets: ["dealreg-bench"]),
        .executable(name: "dealreg-fuzz", targets: ["dealreg-fuzz"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", exact: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        // No traits: the services read their own `option = value` files and command lines, so neither the JSON
        // file provider (the default trait) nor the command-line one is built.
        .package(url: "https://github.com/apple/swift-configuration.git", exact: "1.4.0", traits: []),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: strict),
        .target(name: "DealModel", swiftSettings: strict),
        .target(name: "Matching", dependencies: ["DealModel"], swiftSettings: strict),
        .target(name: "DealCSV", swiftSettings: strict),
        .target(
            name: "DealBench",
            dependencies: [
                "DealModel", "Matching", "DealCSV", .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dealreg-bench",
            dependencies: [
                "DealBench", "DealModel", "Registry", "DealLedger", "DealStore", "DealWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DealLedger", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(
            name: "DealStore",
            dependencies: [
                "DealLedger", "CLibPQ", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ], swiftSettings: strict),
        .target(name: "DealTestSupport", dependencies: ["DealStore"], swiftSettings: strict),
        .target(
            name: "DealWire",
            dependencies: ["DealModel", "DealLedger", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strict
        ),
        .target(
            name: "DealBus",
            // Matching for the index snapshot file the check workers and enforcement both start from.
            dependencies: [
                "ZeroMQ", "DealWire", "DealModel", "DealLedger", "Matching",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Registry",
            dependencies: [
                "ZeroMQ", "DealBus", "DealWire", "DealModel", "DealStore", "DealLedger", "Matching",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ConflictCheck",
            dependencies: [
                "ZeroMQ", "DealBus", "DealWire", "DealModel", "Matching",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Enforcement",
            dependencies: [
                "ZeroMQ", "DealBus", "DealWire", "DealModel", "DealStore", "DealLedger", "Matching",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DealCLI",
            dependencies: [
                "ZeroMQ", "DealBus", "DealWire", "DealModel", "DealCSV", "DealLedger",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DealTools",
            // Registry and Enforcement for their store schemas only (`dealreg store migrate` creates a PostgreSQL
            // schema with the service's own migrations); the tools sit above the services, so the graph stays one-way.
            dependencies: [
                "DealCLI", "ZeroMQ", "DealBus", "DealWire", "DealModel", "DealBench", "DealStore", "Registry",
                "Enforcement",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dealreg",
            dependencies: ["DealCLI", "DealTools", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .executableTarget(
            name: "dealreg-registry",
            dependencies: [
                "Registry", "DealBus", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dealreg-check",
            dependencies: [
                "ConflictCheck", "DealBus", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dealreg-enforce",
            dependencies: [
                "Enforcement", "DealBus", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dealreg-fuzz",
            dependencies: [
                "ConflictCheck", "DealBus", "DealCSV", "DealModel", "DealWire", "Enforcement", "Matching", "Registry",
                "ZeroMQ", .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "DealModelTests", dependencies: ["DealModel"]),
        .testTarget(
            name: "DealLedgerTests",
            dependencies: [
                "DealLedger", "DealStore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "DealStoreTests", dependencies: ["DealStore", "DealTestSupport"]),
        .testTarget(name: "MatchingTests", dependencies: ["Matching", "DealModel"]),
        .testTarget(name: "DealBenchTests", dependencies: ["DealBench", "DealCSV", "DealModel", "Matching"]),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "Registry", "ConflictCheck", "Enforcement", "DealBus", "DealWire", "DealModel", "DealLedger",
                "Matching", "DealStore", "DealTestSupport",
                "ZeroMQ",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DealBusTests",
            dependencies: [
                "DealBus", "DealWire", "ZeroMQ", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "EnforcementTests",
            dependencies: [
                "Enforcement", "DealBus", "DealWire", "DealModel", "Matching", "ZeroMQ", "DealLedger", "DealStore",
                "DealTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DealToolsTests",
            dependencies: ["DealTools", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["DealBus", "DealWire", "DealModel", "ZeroMQ", "DealStore", "DealTestSupport"]
        ),
    ]
)
