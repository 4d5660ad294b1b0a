#if canImport(Glibc)
    import Glibc
#endif

/// IMF-fixdate (RFC 9110 §5.6.7) for the `Date` header, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    public static func string(unixSeconds: Int) -> String {
        var time = time_t(unixSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }

    /// The current time, for a response about to be sent.
    public static func now() -> String { string(unixSeconds: Int(time(nil))) }
}
