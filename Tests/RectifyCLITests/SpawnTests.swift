import Foundation
import RectifyLocalCluster
import Testing

@Suite("Starting child programs")
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
}
