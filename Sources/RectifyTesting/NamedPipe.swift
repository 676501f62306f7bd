public import Foundation

/// A named pipe (FIFO) in the temporary directory, for a test that feeds a reader which opens
/// it by path, such as `rectify import PIPE`.
public struct NamedPipe: Sendable {
    /// Where the pipe is.
    public let path: String

    /// Creates the pipe.
    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rectify-pipe-\(UUID().uuidString)").path
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// The pipe's writing end, opened once a reader has the pipe open. It is opened without
    /// blocking, so a reader that fails before opening it gives `nil` after `timeout` instead
    /// of hanging the test. A reader that exits before reading everything makes a later write
    /// throw `EPIPE` instead of ending the whole test process with `SIGPIPE`.
    public func openForWriting(timeout: Duration = .seconds(60)) async throws -> FileHandle? {
        signal(SIGPIPE, SIG_IGN)
        var descriptor: Int32 = -1
        let opened = try await eventually(timeout: timeout) {
            descriptor = open(path, O_WRONLY | O_NONBLOCK)
            return descriptor >= 0
        }
        return opened ? FileHandle(fileDescriptor: descriptor, closeOnDealloc: true) : nil
    }

    /// Removes the pipe.
    public func remove() {
        unlink(path)
    }
}
