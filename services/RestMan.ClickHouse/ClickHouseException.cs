using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace RestMan.ClickHouse;

/// <summary>
/// ClickHouse refused a statement or could not be reached. The message is ClickHouse's own text, which can
/// quote the SQL: log it, but never put it in a response to a client.
/// </summary>
public sealed partial class ClickHouseException : Exception
{
    public ClickHouseException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = ParseErrorCode(message);
    }

    /// <summary>ClickHouse's numeric error code ("Code: 62" is a syntax error), when it sent one.</summary>
    public int? ErrorCode { get; }

    /// <summary>The HTTP status of ClickHouse's answer; null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }

    private static int? ParseErrorCode(string message)
    {
        var match = CodePrefix().Match(message);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^Code: (\d+)")]
    private static partial Regex CodePrefix();
}
