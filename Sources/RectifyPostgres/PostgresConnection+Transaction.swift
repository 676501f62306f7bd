extension PostgresConnection {
    /// Runs `body` inside `BEGIN … COMMIT`: commits when it returns, rolls back when it throws.
    ///
    /// - Parameter isolation: the transaction's isolation level; `nil` keeps the session's
    ///   default (read committed).
    ///
    /// The body runs isolated to the connection, so its statements do not hop threads.
    ///
    /// - Throws: whatever `body` throws (after the rollback), or ``PostgresError`` when `BEGIN`
    ///   or `COMMIT` fails. A commit that the server turned into a rollback (because a statement
    ///   inside failed and the error was swallowed) is reported as an error, never as success.
    @discardableResult
    public func transaction<Value: Sendable>(
        isolation: TransactionIsolation? = nil, _ body: (isolated PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await query(PostgresQuery(sql: isolation.map { "BEGIN ISOLATION LEVEL \($0.sql)" } ?? "BEGIN"))
        let value: Value
        do {
            value = try await body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let commit: PostgresResult
        do {
            commit = try run(sql: "COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        if commit.commandTag == "ROLLBACK" {
            throw PostgresError(
                code: .server,
                message: "the transaction was rolled back because a statement inside it failed")
        }
        return value
    }

    /// Rolls back after a failure; ignores errors because the original error matters more.
    private func rollbackQuietly() {
        guard isInTransaction else { return }
        _ = try? run(sql: "ROLLBACK")
    }
}
