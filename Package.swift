// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "rectify",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rectify", targets: ["RectifyCLI"]),
        // The queue as a library for other Swift services: libpq access, the queue, the workers.
        .library(name: "RectifyPostgres", targets: ["RectifyPostgres"]),
        .library(name: "RectifyQueue", targets: ["RectifyQueue"]),
        .library(name: "RectifyWorker", targets: ["RectifyWorker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "RectifyPostgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyLocalCluster",
            dependencies: [
                "RectifyPostgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyQueue",
            dependencies: [
                "RectifyPostgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyWorker",
            dependencies: [
                "RectifyQueue",
                "RectifyPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyDomain",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyLedger",
            dependencies: [
                "RectifyDomain",
                "RectifyPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            // The people of offices who work on the desk: accounts, passwords, sessions.
            name: "RectifyAccounts",
            dependencies: [
                "RectifyDomain",
                "RectifyLedger",
                "RectifyPostgres",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyProgress",
            dependencies: [
                "RectifyDomain",
                "RectifyLedger",
                "RectifyPostgres",
                "RectifyQueue",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyReports",
            dependencies: [
                "RectifyDomain",
                "RectifyLedger",
                "RectifyPostgres",
                "RectifyProgress",
                "RectifyQueue",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            // The `rectify` executable: the commands with rectify's own job kinds.
            name: "RectifyCLI",
            dependencies: ["RectifyCommands", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            // The fault suite's worker: the commands plus job kinds that fail, crash and count
            // their effects (Tests/RectifyFaultTests). Built for the tests; not a product.
            name: "RectifyFaultWorker",
            dependencies: [
                "RectifyCommands", "RectifyWorker", "RectifyQueue", "RectifyPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            // Every verb of `rectify`, and the only place that bootstraps logging and metrics.
            name: "RectifyCommands",
            dependencies: [
                "RectifyPostgres",
                "RectifyLocalCluster",
                "RectifyQueue",
                "RectifyWorker",
                "RectifyDomain",
                "RectifyLedger",
                "RectifyProgress",
                "RectifyReports",
                "RectifySchedule",
                "RectifySchema",
                "RectifyConfig",
                "RectifyAccounts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                "RectifyAPI",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifySchedule",
            dependencies: [
                "RectifyReports",
                "RectifyQueue",
                "RectifyDomain",
                "RectifyPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyConfig",
            dependencies: [
                "RectifyDomain",
                "RectifyPostgres",
                "RectifyReports",
                "RectifyWorker",
                "RectifySchedule",
                "RectifyQueue",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyAPI",
            dependencies: [
                "RectifyAccounts",
                "RectifyLedger",
                "RectifyPostgres",
                "RectifyProgress",
                "RectifyQueue",
                "RectifyReports",
                "RectifySchedule",
                "RectifyDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            // Every component's migrator in one catalog, each declaring what it follows.
            name: "RectifySchema",
            dependencies: [
                "RectifyPostgres", "RectifyQueue", "RectifyLedger", "RectifyProgress", "RectifyReports", "RectifySchedule",
                "RectifyAccounts",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RectifyTesting",
            dependencies: [
                "RectifyPostgres",
                "RectifyLocalCluster",
                "RectifySchema",
                "RectifyWorker",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyPostgresTests",
            dependencies: ["RectifyPostgres", "RectifyTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyQueueTests",
            dependencies: ["RectifyQueue", "RectifyPostgres", "RectifyTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            // Uses the library products' public API only, as another package would; the
            // throwaway database comes from RectifyTesting.
            name: "RectifyLibraryTests",
            dependencies: [
                "RectifyPostgres", "RectifyQueue", "RectifyWorker", "RectifyTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyWorkerTests",
            dependencies: [
                "RectifyWorker", "RectifyQueue", "RectifyPostgres", "RectifyTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyDomainTests",
            dependencies: ["RectifyDomain", "RectifyTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyLedgerTests",
            dependencies: ["RectifyLedger", "RectifyDomain", "RectifyPostgres", "RectifyTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyProgressTests",
            dependencies: [
                "RectifyProgress", "RectifyLedger", "RectifyDomain", "RectifyPostgres", "RectifyQueue", "RectifyWorker", "RectifyTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyAPITests",
            dependencies: [
                "RectifyAPI", "RectifyProgress", "RectifyLedger", "RectifyDomain", "RectifyQueue", "RectifyWorker",
                "RectifyPostgres", "RectifyTesting", "RectifyAccounts",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyReportsTests",
            dependencies: [
                "RectifyReports", "RectifyLedger", "RectifyDomain", "RectifyWorker", "RectifyQueue", "RectifyPostgres",
                "RectifyProgress", "RectifyTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyScheduleTests",
            dependencies: [
                "RectifySchedule", "RectifyDomain", "RectifyPostgres", "RectifyQueue", "RectifyReports", "RectifyTesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyCLITests",
            dependencies: [
                "RectifyQueue", "RectifyPostgres", "RectifyTesting", "RectifyConfig", "RectifySchedule", "RectifyWorker", "RectifyLocalCluster",
                "RectifyProgress", "RectifyLedger", "RectifyDomain",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            // Reads the sources: which module owns which table, and who names whose.
            name: "RectifyArchitectureTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RectifyFaultTests",
            dependencies: [
                "RectifyQueue", "RectifyPostgres", "RectifyTesting", "RectifySchedule", "RectifyLocalCluster",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
