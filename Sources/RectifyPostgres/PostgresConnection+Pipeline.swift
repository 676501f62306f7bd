import CLibPQ

extension PostgresConnection {
    /// Sends `queries` in one round trip with libpq's pipeline mode and returns each one's rows,
    /// in order.
    ///
    /// Outside a transaction the statements run as one implicit transaction: either all of them
    /// take effect or, when one fails, none does (the server skips the rest and rolls back).
    /// Inside ``transaction(isolation:_:)`` they are part of that transaction. Every statement,
    /// with parameters or without, uses the connection's prepared statements: a pipeline's
    /// statements are single statements, and the hot paths that send them would otherwise pay
    /// for parsing and planning each time.
    ///
    /// `followUp`, when given, goes in the same round trip after `queries` have ended, only
    /// outside a transaction: it runs once they committed or rolled back, as a transaction of
    /// its own. Its rows and any error of its own are discarded, a lost connection included
    /// (the connection is closed then, and `queries`' outcome is still returned or thrown); it
    /// suits a statement whose failure changes nothing that `queries` did, such as a wake-up.
    ///
    /// - Throws: ``PostgresError`` of the first statement of `queries` that failed, or
    ///   `.connectionLost` when their outcome is unknown.
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery], followedBy followUp: PostgresQuery? = nil) async throws -> [PostgresResult] {
        if Task.isCancelled { throw PostgresError(code: .cancelled, message: "the statements were cancelled") }
        let connection = try liveHandle()
        defer { noteIdleState() }
        let names = try queries.map { try preparedName(for: $0, on: connection) }
        precondition(followUp == nil || !isInTransaction, "a pipeline's follow-up runs only outside a transaction")
        // A follow-up that cannot be prepared is sent as it is; its error is discarded with it.
        let followUpName = followUp.flatMap { (try? preparedName(for: $0, on: connection)) ?? nil }
        guard PQenterPipelineMode(connection) == 1 else {
            throw PostgresError(code: .protocolViolation, message: "cannot enter pipeline mode: \(errorMessage(connection))")
        }
        for (query, name) in zip(queries, names) {
            guard send(query, preparedAs: name, on: connection) else { try abandon(connection, statement: query.sql) }
        }
        guard PQpipelineSync(connection) == 1 else { try abandon(connection, statement: queries.last?.sql ?? "") }
        if let followUp {
            guard send(followUp, preparedAs: followUpName, on: connection), PQpipelineSync(connection) == 1 else {
                try abandon(connection, statement: followUp.sql)
            }
        }
        var results: [PostgresResult] = []
        var failure: PostgresError?
        for query in queries {
            guard let result = PQgetResult(connection) else { try abandon(connection, statement: query.sql) }
            switch PQresultStatus(result) {
            case PGRES_PIPELINE_ABORTED:
                PQclear(result)
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                results.append(PostgresResult(taking: result))
            default:
                failure = failure ?? serverError(result, statement: query.sql)
                PQclear(result)
            }
            // Each statement's results end with a null result.
            while let extra = PQgetResult(connection) { PQclear(extra) }
        }
        try readSync(connection, statement: queries.last?.sql ?? "")
        if followUp != nil, !discardFollowUp(connection) {
            // `queries` ended as read above; only the follow-up's answer was lost, with the connection.
            close()
            if let failure { throw failure }
            return results
        }
        guard PQexitPipelineMode(connection) == 1 else { try abandon(connection, statement: queries.last?.sql ?? "") }
        if let failure { throw failure }
        return results
    }

    /// Reads and drops a follow-up's result and its sync; false when the connection broke.
    private func discardFollowUp(_ connection: OpaquePointer) -> Bool {
        guard let result = PQgetResult(connection) else { return false }
        PQclear(result)
        while let extra = PQgetResult(connection) { PQclear(extra) }
        guard let sync = PQgetResult(connection) else { return false }
        defer { PQclear(sync) }
        return PQresultStatus(sync) == PGRES_PIPELINE_SYNC
    }

    private func readSync(_ connection: OpaquePointer, statement: String) throws {
        guard let sync = PQgetResult(connection), PQresultStatus(sync) == PGRES_PIPELINE_SYNC else {
            try abandon(connection, statement: statement)
        }
        PQclear(sync)
    }

    private func send(_ query: PostgresQuery, preparedAs name: String?, on connection: OpaquePointer) -> Bool {
        let values = query.binds.map(\.postgresText)
        let types = query.bindTypes.map(\.rawValue)
        return withOptionalCStringArray(values) { valuePointers in
            if let name {
                return PQsendQueryPrepared(connection, name, Int32(values.count), valuePointers, nil, nil, 0) == 1
            }
            return PQsendQueryParams(connection, query.sql, Int32(values.count), types, valuePointers, nil, nil, 0) == 1
        }
    }

    /// A pipeline whose state is unknown cannot be handed to anyone: closes the connection and
    /// throws `.connectionLost`.
    private func abandon(_ connection: OpaquePointer, statement: String) throws -> Never {
        let error = PostgresError(
            code: .connectionLost, message: "lost the connection to \(server) in a pipeline: \(errorMessage(connection))",
            statement: statement)
        close()
        throw error
    }

    private func errorMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).asOneLine
    }
}
