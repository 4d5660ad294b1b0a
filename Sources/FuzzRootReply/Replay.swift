#if !FUZZING
    import FuzzSupport

    /// Without libFuzzer (a plain `swift build`), the target replays the files it is given.
    @main enum Replay {
        static func main() { CorpusReplayer.run(fuzzRootReply) }
    }
#endif
