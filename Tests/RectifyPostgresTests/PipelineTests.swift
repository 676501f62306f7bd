import RectifyPostgres
import RectifyTesting
import Testing

@Suite("Pipelines: several statements in one round trip", .database)
struct PipelineTests {
    @Test("each statement's rows come back in order, with and without parameters, and the connection serves the next borrower")
    func rowsInOrder() async throws {
        let database = try await TestDatabase.fresh("pipeline")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE progress (task text PRIMARY KEY, percent int)")
            let results = try await pool.withConnection { connection in
                let results = try await connection.pipeline([
                    "INSERT INTO progress VALUES (\("T-1"), \(40)), (\("T-2"), \(55))",
                    "SELECT task, percent FROM progress WHERE percent > \(45)",
                    "SELECT count(*) FROM progress",
                ])
                let prepared = try await connection.query("SELECT statement FROM pg_prepared_statements ORDER BY name")
                    .map { try $0.decode(String.self, at: 0) }
                #expect(prepared.contains("SELECT count(*) FROM progress"), "a statement without parameters is prepared too: \(prepared)")
                return results
            }
            #expect(results.count == 3)
            #expect(results[0].affectedRows == 2)
            #expect(try results[1].map { try $0.decode((String, Int).self) }.map { "\($0.0)=\($0.1)" } == ["T-2=55"])
            #expect(try results[2][0].decode(Int.self, at: 0) == 2)
            let connection = try await pool.withConnection { connection in
                #expect(connection.isReusable)
                return connection.id
            }
            let again = try await pool.withConnection { connection in
                let eight = try await connection.query("SELECT \(7) + 1")[0].decode(Int.self, at: 0)
                #expect(eight == 8)
                return connection.id
            }
            #expect(again == connection, "the pool kept the connection after its pipeline")
        }
    }

    @Test("when a statement fails, none of the pipeline's statements take effect and its error is thrown")
    func allOrNothing() async throws {
        let database = try await TestDatabase.fresh("pipelinefail")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE progress (task text PRIMARY KEY, percent int)")
            try await pool.query("INSERT INTO progress VALUES (\("T-1"), \(40))")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await connection.pipeline([
                        "INSERT INTO progress VALUES (\("T-2"), \(55))",
                        "INSERT INTO progress VALUES (\("T-1"), \(60))",
                        "INSERT INTO progress VALUES (\("T-3"), \(70))",
                    ])
                }
            }
            #expect(error.sqlState == .uniqueViolation && error.constraint == "progress_pkey")
            let tasks = try await pool.query("SELECT task FROM progress ORDER BY task").map { try $0.decode(String.self, at: 0) }
            #expect(tasks == ["T-1"])
            #expect(try await pool.query("SELECT \(1) + 1")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test("a follow-up runs after the pipeline's commit or rollback, in its own transaction, and its own failure is not thrown")
    func followUp() async throws {
        let database = try await TestDatabase.fresh("pipelinefollow")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE progress (task text PRIMARY KEY, percent int)")
            try await pool.query("CREATE TABLE followed (step int)")
            let results = try await pool.withConnection { connection in
                try await connection.pipeline(
                    ["INSERT INTO progress VALUES (\("T-1"), \(40))", "SELECT count(*) FROM progress"],
                    followedBy: "INSERT INTO followed SELECT count(*) FROM progress")
            }
            #expect(try results[1][0].decode(Int.self, at: 0) == 1, "the follow-up's rows are not among the results")
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await connection.pipeline(
                        ["INSERT INTO progress VALUES (\("T-1"), \(60))"], followedBy: "INSERT INTO followed VALUES (\(2))")
                }
            }
            try await pool.withConnection { connection in
                try await connection.pipeline(["INSERT INTO progress VALUES (\("T-2"), \(70))"], followedBy: "SELECT 1 / \(0)")
                let two = try await connection.query("SELECT \(1) + 1")[0].decode(Int.self, at: 0)
                #expect(two == 2, "the connection serves the next statement after a failed follow-up")
            }
            let steps = try await pool.query("SELECT step FROM followed ORDER BY step").map { try $0.decode(Int.self, at: 0) }
            #expect(steps == [1, 2], "the follow-up saw the first pipeline committed and ran after the failed one")
            #expect(try await pool.query("SELECT count(*) FROM progress")[0].decode(Int.self, at: 0) == 2)
        }
    }

    @Test("a connection lost in the follow-up does not hide that the pipeline committed, nor its failure")
    func followUpLosesConnection() async throws {
        let database = try await TestDatabase.fresh("pipelinefollowlost")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE progress (task text PRIMARY KEY, percent int)")
            let results = try await pool.withConnection { connection in
                try await connection.pipeline(
                    ["INSERT INTO progress VALUES (\("T-1"), \(40)) RETURNING task"],
                    followedBy: "SELECT pg_terminate_backend(pg_backend_pid())")
            }
            #expect(try results[0][0].decode(String.self, at: 0) == "T-1")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await connection.pipeline(
                        ["INSERT INTO progress VALUES (\("T-1"), \(60))"], followedBy: "SELECT pg_terminate_backend(pg_backend_pid())")
                }
            }
            #expect(error.sqlState == .uniqueViolation, "the statement's own error, not a lost connection: \(error)")
            #expect(try await pool.query("SELECT percent FROM progress")[0].decode(Int.self, at: 0) == 40)
        }
    }

    @Test("inside a transaction a pipeline's statements roll back with it")
    func insideTransaction() async throws {
        struct Refused: Error {}
        let database = try await TestDatabase.fresh("pipelinetx")
        try await database.withPool { pool in
            try await pool.query("CREATE TABLE progress (task text PRIMARY KEY, percent int)")
            await #expect(throws: Refused.self) {
                try await pool.transaction { connection in
                    try await connection.pipeline(["INSERT INTO progress VALUES (\("T-1"), \(40))", "SELECT 1"])
                    let inTransaction = connection.isInTransaction
                    #expect(inTransaction)
                    throw Refused()
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM progress")[0].decode(Int.self, at: 0) == 0)
        }
    }
}
