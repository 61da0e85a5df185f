import Testing

@testable import DealTools

/// How many requests each profile has due by a moment of the run, and when each is due: pure arithmetic, no clock.
@Suite struct RateScheduleTests {
    /// (profile, run seconds, moment, requests due by then)
    @Test(arguments: [
        // 10/s: the first at the start, then one every 100 ms, 100 in all.
        (LoadProfile.constant(10), 10.0, -1.0, 0),
        (.constant(10), 10, 0, 1),
        (.constant(10), 10, 0.05, 1),
        (.constant(10), 10, 0.95, 10),
        (.constant(10), 10, 9.95, 100),
        (.constant(10), 10, 10, 100),
        (.constant(10), 10, 60, 100),
        // 0 to 100/s over 10 s: 5·t² due by t, 500 in all.
        (.ramp(base: 0, peak: 100), 10, 1.1, 7),
        (.ramp(base: 0, peak: 100), 10, 5.05, 128),
        (.ramp(base: 0, peak: 100), 10, 10, 500),
        // 100 to 300/s over 10 s: 100·t + 10·t², 2,000 in all.
        (.ramp(base: 100, peak: 300), 10, 5.01, 753),
        (.ramp(base: 100, peak: 300), 10, 10, 2000),
        // 100/s, 500/s from 4 s to 6 s, 100/s again: 1,800 in all.
        (.spike(base: 100, factor: 5), 10, 3.995, 400),
        (.spike(base: 100, factor: 5), 10, 4.513, 657),
        (.spike(base: 100, factor: 5), 10, 6.515, 1452),
        (.spike(base: 100, factor: 5), 10, 10, 1800),
        // 3 s each at 100, 200, 400/s: 2,100 in all.
        (.steps([100, 200, 400]), 9, 2.995, 300),
        (.steps([100, 200, 400]), 9, 4.513, 603),
        (.steps([100, 200, 400]), 9, 9, 2100),
        // A pause: nothing more is due during the middle second.
        (.steps([100, 0, 100]), 3, 1.5, 101),
        (.steps([100, 0, 100]), 3, 1.99, 101),
        (.steps([100, 0, 100]), 3, 3, 200),
    ])
    func countsTheRequestsDueByAMoment(profile: LoadProfile, duration: Double, time: Double, due: Int) {
        #expect(RateSchedule(profile, duration: duration).dueCount(by: time) == due)
    }

    @Test(arguments: [
        (LoadProfile.constant(10), 10.0),
        (.ramp(base: 0, peak: 100), 10),
        (.ramp(base: 300, peak: 100), 10),
        (.spike(base: 100, factor: 5), 10),
        (.steps([100, 200, 400]), 9),
        (.steps([100, 0, 100]), 3),
        (.steps([0, 50]), 4),
    ])
    func eachRequestIsDueWhenTheCountReachesIt(profile: LoadProfile, duration: Double) throws {
        let schedule = RateSchedule(profile, duration: duration)
        var previous = 0.0
        for index in 0..<schedule.totalRequests {
            let due = try #require(schedule.dueTime(of: index))
            #expect(due >= previous && due < duration, "request \(index) at \(due)")
            #expect(schedule.dueCount(by: due) >= index + 1, "request \(index) at \(due)")
            #expect(schedule.dueCount(by: due - 1e-6) <= index, "request \(index) at \(due)")
            previous = due
        }
        #expect(schedule.dueTime(of: schedule.totalRequests) == nil)
        #expect(schedule.dueCount(by: duration) == schedule.totalRequests)
    }

    @Test func theRateFollowsTheProfile() {
        let ramp = RateSchedule(.ramp(base: 100, peak: 300), duration: 10)
        #expect(ramp.rate(at: 0) == 100 && ramp.rate(at: 5) == 200 && ramp.rate(at: 10) == 0)
        let spike = RateSchedule(.spike(base: 100, factor: 5), duration: 10)
        #expect(spike.rate(at: 3.9) == 100 && spike.rate(at: 5) == 500 && spike.rate(at: 6.1) == 100)
        let steps = RateSchedule(.steps([100, 200, 400]), duration: 9)
        #expect(steps.rate(at: 1) == 100 && steps.rate(at: 4) == 200 && steps.rate(at: 8.9) == 400)
    }
}
