import Testing

@testable import Exposition

@Suite struct LabelSetTests {
    @Test func rendersSortedByNameAndEscaped() throws {
        let labels = try LabelSet(["b": "x\"y", "a": "back\\slash\nnew line 🦉"])
        #expect(labels.description == #"{a="back\\slash\nnew line 🦉",b="x\"y"}"#)
        #expect(labels.renderedCount == labels.description.utf8.count)
    }

    @Test func emptySetRendersNothing() throws {
        #expect(LabelSet.empty.description.isEmpty)
        #expect(try LabelSet([:]) == .empty)
        #expect(LabelSet.empty.renderedCount == 0)
    }

    @Test func refusesDuplicateAndInvalidNames() {
        #expect(throws: ExpositionError.duplicateLabelName("a")) { try LabelSet(pairs: [("a", "1"), ("a", "2")]) }
        #expect(
            ExpositionError.duplicateLabelName("a").description
                == "label name \"a\" appears more than once in one label set")
        #expect(throws: ExpositionError.self) { try LabelSet(["a-b": "1"]) }
    }

    @Test func appendingInOrderSharesBothBuffers() throws {
        let atsign = try LabelSet(["atsign": "@alice"])
        let status = try LabelSet(["status": "found"])
        let combined = try atsign.appending(status)
        #expect(combined == (try LabelSet(["status": "found", "atsign": "@alice"])))
        #expect(combined.hashValue == (try LabelSet(["atsign": "@alice", "status": "found"])).hashValue)
        #expect(combined.description == #"{atsign="@alice",status="found"}"#)
        #expect(
            combined.first.withUnsafeBufferPointer { $0.baseAddress }
                == atsign.first.withUnsafeBufferPointer { $0.baseAddress })
        #expect(
            combined.second.withUnsafeBufferPointer { $0.baseAddress }
                == status.first.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func appendingOutOfOrderMerges() throws {
        let combined = try (try LabelSet(["version": "1\"2"])).appending(try LabelSet(["atsign": "@a", "zone": "z"]))
        #expect(combined.description == #"{atsign="@a",version="1\"2",zone="z"}"#)
        let three = try (try LabelSet(["a": "1"])).appending(try LabelSet(["b": "2"])).appending(
            try LabelSet(["c": "3"]))
        #expect(three == (try LabelSet(["a": "1", "b": "2", "c": "3"])))
        #expect(try LabelSet.empty.appending(three) == three)
        #expect(try three.appending(.empty) == three)
    }

    @Test func appendingRefusesSharedName() throws {
        let atsign = try LabelSet(["atsign": "@a", "b": "1"])
        #expect(throws: ExpositionError.duplicateLabelName("atsign")) {
            try atsign.appending(try LabelSet(["atsign": "@b"]))
        }
    }

    @Test func ordersByValuesWithPrefixesFirst() throws {
        let names = ["@bob", "@alice", "@al ice", "@al", "@al\"", "@al\\"]
        let sorted = try names.map { try LabelSet(["atsign": $0]) }.sorted().map(\.description)
        #expect(
            sorted == [
                #"{atsign="@al"}"#, #"{atsign="@al ice"}"#, #"{atsign="@al\""}"#, #"{atsign="@al\\"}"#,
                #"{atsign="@alice"}"#, #"{atsign="@bob"}"#,
            ])
    }

    @Test func ordersByFirstLabelThenSecond() throws {
        let a2 = try LabelSet(["atsign": "@a", "status": "b"])
        let a10 = try LabelSet(["atsign": "@a", "status": "a"])
        let b1 = try LabelSet(["atsign": "@b", "status": "a"])
        let split = try (try LabelSet(["atsign": "@a"])).appending(try LabelSet(["status": "a"]))
        #expect([b1, a2, a10].sorted() == [a10, a2, b1])
        #expect(split == a10)
        #expect(!(split < a10) && !(a10 < split))
        #expect(split < a2)
    }
}
