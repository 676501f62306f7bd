import Foundation
import RectifyLocalCluster
import RectifyTesting
import Testing

@Suite("Starting child programs", .processes)
struct SpawnTests {
    @Test("a child inherits stdin, stdout and stderr only, not the descriptors its parent inherited")
    func noInheritedDescriptors() throws {
        // A descriptor opened without close-on-exec, as `flock` hands its lock file down.
        let inherited = open("/dev/null", O_RDONLY)
        #expect(inherited > 2)
        defer { close(inherited) }
        let output = Spawn.temporaryOutputPath("spawn-test")
        defer { unlink(output) }
        let pid = try Spawn.start(["/bin/sh", "-c", "ls /proc/$$/fd"], outputPath: output)
        #expect(Spawn.waitBlocking(pid) == 0)
        let descriptors = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(!descriptors.contains(inherited), "the child still holds descriptor \(inherited): \(descriptors)")
        #expect(descriptors.contains(0) && descriptors.contains(1) && descriptors.contains(2))
    }

    @Test("a reaped child keeps its exit code and is not waited for again")
    func reapedChildKeepsItsExitCode() async throws {
        let process = try RectifyProcess(["no-such-verb"], database: nil)
        let code = try await process.waitForExit()
        #expect(code == 64, "\(process.output)")
        // A second waitpid(2) on a reaped pid fails: the code must come from the first.
        #expect(try await process.waitForExit() == code)
        #expect(process.exitCodeIfExited() == code)
    }

    @Test("a child dropped without a wait is reaped, not left a zombie")
    func droppedChildIsReaped() async throws {
        var process: RectifyProcess? = try RectifyProcess(["no-such-verb"], database: nil)
        let pid = try #require(process?.pid)
        let exited = try await eventually(timeout: .seconds(30)) {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }
        #expect(exited, "the child did not exit")
        process = nil
        // A zombie keeps its /proc entry until it is reaped.
        let reaped = try await eventually(timeout: .seconds(10)) { !FileManager.default.fileExists(atPath: "/proc/\(pid)") }
        #expect(reaped, "the child was left a zombie")
    }
}
