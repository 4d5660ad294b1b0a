import Basics
import Glibc

/// IMF-fixdate (RFC 9110 §5.6.7) for the `Date` header, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    public static func string(unixSeconds: Int) -> String { WallTime.imfFixdate(unixSeconds: Int64(unixSeconds)) }

    /// The current time, for a response about to be sent.
    public static func now() -> String { string(unixSeconds: Int(time(nil))) }
}
