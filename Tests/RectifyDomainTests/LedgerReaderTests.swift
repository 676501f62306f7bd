import Foundation
import RectifyDomain
import RectifyTesting
import Testing

@Suite("Reading the ledger interchange file")
struct LedgerReaderTests {
    @Test("a valid file reads into typed records")
    func validFile() throws {
        let ledger = try LedgerReader.read(SampleLedger.json())
        #expect(ledger.recordCount == 10)
        #expect(ledger.tasks[1].status == .closed)
        #expect(ledger.tasks[1].closedOn == Day("2023-07-15"))
        #expect(ledger.accountability[0].persons[0].rank == .division)
        #expect(ledger.regions[0].parent == nil)
        let zero = try LedgerReader.read(SampleLedger.json(LedgerEdit("tasks", 0, "progress", .number(0)).apply))
        #expect(zero.tasks[0].progress == 0, "0 and 1 are numbers, not booleans")
    }

    @Test("the same records arrive whatever the chunk size and batch size")
    func chunkBoundaries() throws {
        let data = SampleLedger.json()
        let whole = try LedgerReader.read(data)
        for chunkSize in [1, 7, 64, 1000] {
            var reader = LedgerReader(data: data, chunkSize: chunkSize)
            var ledger = Ledger()
            var batches = 0
            while let batch = try reader.next(limit: 1) {
                #expect(batch.count == 1)
                ledger.append(batch)
                batches += 1
            }
            #expect(ledger == whole, "chunks of \(chunkSize) bytes")
            #expect(batches == 10)
            #expect(reader.bytesRead == data.count)
        }
    }

    @Test("each invalid record is refused with array, index, id and field",
          arguments: SampleLedger.refusals.filter { !$0.acrossRecords })
    func invalidRecords(refusal: SampleLedger.Refusal) {
        let error = #expect(throws: LedgerError.self) { try LedgerReader.read(SampleLedger.json(refusal.edit.apply)) }
        #expect(error?.description == refusal.error)
    }

    @Test("whole-file problems: invalid UTF-8, truncated JSON, unknown or repeated keys, another format")
    func fileProblems() {
        var invalidUTF8 = SampleLedger.json()
        invalidUTF8.insert(0xFF, at: 22)
        #expect(throws: LedgerError(location: "accountability[0]", message: "is not valid UTF-8")) {
            try LedgerReader.read(invalidUTF8)
        }
        for cut in [1, 200, SampleLedger.json().count - 1] {
            let error = #expect(throws: LedgerError.self) { try LedgerReader.read(SampleLedger.json().prefix(cut)) }
            #expect(error?.description.hasPrefix("the file is not valid JSON (it ends") == true, "cut at \(cut): \(error!)")
        }
        #expect(throws: LedgerError(location: LedgerError.wholeFile, message: #"has an unknown key "taskz""#)) {
            try LedgerReader.read(SampleLedger.json { $0["taskz"] = [] })
        }
        #expect(throws: LedgerError(location: LedgerError.wholeFile, message: #"has the key "tasks" twice"#)) {
            try LedgerReader.read(Data(#"{"format": "rectify-ledger/1", "tasks": [], "tasks": []}"#.utf8))
        }
        #expect(throws: LedgerError(location: "format", message: #""rectify-ledger/2" is not supported (expected "rectify-ledger/1")"#)) {
            try LedgerReader.read(SampleLedger.json { $0["format"] = "rectify-ledger/2" })
        }
        #expect(throws: LedgerError(location: "format", message: "is missing")) {
            try LedgerReader.read(SampleLedger.json { $0["format"] = nil })
        }
        #expect(throws: LedgerError(location: "tasks[0]", message: "must be an object")) {
            try LedgerReader.read(Data(#"{"format": "rectify-ledger/1", "tasks": [42]}"#.utf8))
        }
        let trailing = #expect(throws: LedgerError.self) {
            try LedgerReader.read(Data(#"{"format": "rectify-ledger/1"} {"#.utf8))
        }
        #expect(trailing?.description == "the file is not valid JSON (expected the end of the file after the closing '}' but found '{' at byte 31)")
    }
}
