import Exposition

/// The fixed families behind the golden files: every type, the escapes, NaN/Inf and out-of-order input.
enum GoldenFamilies {
    static func make() throws -> [MetricFamily] {
        [
            try up(), try status(), try probes(), try duration(), try server(), try specialValues(),
            try escapedHelp(), try legacy(), try buildInfo(),
            try MetricFamily(name: "demo_never_set", help: "A family with no series is left out.", type: .gauge),
        ]
    }

    static func up() throws -> MetricFamily {
        var family = try MetricFamily(name: "demo_up", help: "1 when the atSign is activated, else 0.", type: .gauge)
        family.add(try LabelSet(["atsign": "@bob"]), 0)
        family.add(try LabelSet(["atsign": "@alice"]), 1)
        family.add(try LabelSet(["atsign": "@al"]), 1)
        family.add(try LabelSet(["atsign": "@al ice"]), 1)
        return family
    }

    static func status() throws -> MetricFamily {
        var family = try MetricFamily(name: "demo_status", help: "The status, one series per state.", type: .gauge)
        for name in ["@bob", "@alice"] {
            let atsign = try LabelSet(["atsign": name])
            for state in ["notFound", "activated", "error"] {
                family.add(try atsign.appending(try LabelSet(["status": state])), state == "activated" ? 1 : 0)
            }
        }
        return family
    }

    static func probes() throws -> MetricFamily {
        var family = try MetricFamily(name: "demo_probes_total", help: "Probes made.", type: .counter)
        family.add(try LabelSet(["result": "success"]), 42)
        family.add(try LabelSet(["result": "failure"]), 3)
        return family
    }

    static func duration() throws -> MetricFamily {
        var family = try MetricFamily(
            name: "demo_probe_duration_seconds",
            help: "Duration of every probe.",
            type: .histogram,
            unit: "seconds"
        )
        var fast = try Histogram(upperBounds: [0.005, 0.25, 1, 2.5, 100_000, 1_000_000])
        for value in [0.001, 0.1, 0.2, 0.75, 3] { fast.observe(value) }
        family.add(try LabelSet(["result": "success"]), histogram: fast)
        var slow = try Histogram(upperBounds: [0.005, 0.25, 1, 2.5, 100_000, 1_000_000])
        slow.observe(2_000_000)
        family.add(try LabelSet(["result": "failure"]), histogram: slow)
        return family
    }

    static func server() throws -> MetricFamily {
        var family = try MetricFamily(
            name: "demo_server_info",
            help: "What the atServer told about itself.",
            type: .info
        )
        let weird = "3.0 \"beta\" \\ build\nline two 🚀"
        family.add(try LabelSet(["version": weird, "atsign": "@émile", "location": "host:6464"]))
        family.add(try LabelSet(["version": "3.0.1", "atsign": "@alice", "location": ""]))
        return family
    }

    static func specialValues() throws -> MetricFamily {
        var family = try MetricFamily(name: "demo_values", help: "Values that need care.", type: .gauge)
        let values: [(String, Double)] = [
            ("nan", .nan), ("pos_inf", .infinity), ("neg_inf", -.infinity), ("neg_zero", -0.0),
            ("eighth", 0.125), ("timestamp", 1_700_000_000.5), ("tiny", 1e-7), ("huge", 1e22),
            ("negative", -3), ("third", 1.0 / 3.0), ("million", 1e6),
        ]
        for (name, value) in values { family.add(try LabelSet(["case": name]), value) }
        return family
    }

    static func escapedHelp() throws -> MetricFamily {
        var family = try MetricFamily(
            name: "demo_escaping",
            help: "Help with a backslash \\ a \"quote\", a newline\nand an owl 🦉.",
            type: .gauge
        )
        family.add(.empty, 1)
        return family
    }

    static func legacy() throws -> MetricFamily {
        var family = try MetricFamily(name: "demo_legacy", help: "A metric of unknown type.", type: .unknown)
        family.add(.empty, 7)
        return family
    }

    static func buildInfo() throws -> MetricFamily {
        var family = try MetricFamily(name: "demo_build_info", help: "Build information.", type: .gauge)
        family.add(try LabelSet(["version": "1.2.3", "revision": "abc123", "swiftversion": "6.3.1"]), 1)
        return family
    }
}
