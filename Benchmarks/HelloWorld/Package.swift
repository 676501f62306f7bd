// swift-tools-version: 6.1
// The ceiling for the API benchmark in BENCHMARKS.md: a plain Hummingbird hello-world, measured
// with the same wrk runs on the same machine. Not part of rectify.
import PackageDescription

let package = Package(
    name: "HelloWorld",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")],
    targets: [
        .executableTarget(name: "HelloWorld", dependencies: [.product(name: "Hummingbird", package: "hummingbird")])
    ]
)
