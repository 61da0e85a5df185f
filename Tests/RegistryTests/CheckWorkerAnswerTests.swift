import DealModel
import Testing

@testable import ConflictCheck

/// What a check worker sends back of the candidates its index found, best first.
@Suite struct CheckWorkerAnswerTests {
    static func found(_ scores: [Double]) -> [(id: AccountID, score: Double, reasons: [MatchReason])] {
        scores.enumerated().map { (AccountID(number: Int64($0.offset + 1)), $0.element, []) }
    }

    @Test func theBestTwentyOfDistinctCandidates() {
        let answered = CheckWorker.answered(Self.found((0..<30).map { 0.99 - Double($0) * 0.01 }))
        #expect(answered.count == 20 && answered.last?.id == AccountID(number: 20))
    }

    /// 45 accounts scoring the same (one customer registered under 45 accounts a merge has not joined yet): every
    /// one is sent, or the holders past the twentieth go unseen.
    @Test func everyCandidateTiedWithTheBestPastTheTwentieth() {
        #expect(CheckWorker.answered(Self.found(Array(repeating: 1.0, count: 45) + [0.6, 0.5])).count == 45)
        #expect(
            CheckWorker.answered(Self.found(Array(repeating: 1.0, count: 19) + Array(repeating: 0.9, count: 9))).count
                == 20)
    }
}
