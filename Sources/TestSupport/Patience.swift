/// How long a test waits for something that must happen when nothing is wrong.
///
/// `swift test` runs every test at once on two cores: an operation that takes milliseconds alone
/// can wait most of the suite's run (16–25 s uncapped on the 2-core machine) for a thread. A
/// deadline that is not itself what a test checks must outlast that, so it only bounds a broken
/// test and never decides a passing one. Deadlines that *are* the subject (a hung peer must time
/// out) stay short: their outcome does not depend on how busy the machine is.
public enum Patience {
    /// For connects, handshakes, replies, lookups and probes that must succeed.
    public static let deadline: Duration = .seconds(45)

    /// The probe deadline for a fleet in which some peers never answer: their probes must time
    /// out for the test to go on, so it cannot be `deadline`. It is still longer than any probe
    /// of an answering peer took while the whole suite ran at once (under 10 s seen), so those
    /// never time out with it.
    public static let hungPeerDeadline: Duration = .seconds(15)
}
