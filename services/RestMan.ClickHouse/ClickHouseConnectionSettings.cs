using System.Data.Common;
using System.Globalization;

namespace RestMan.ClickHouse;

/// <summary>
/// Where and as whom to reach ClickHouse's HTTP interface, from a connection string such as
/// <c>Host=127.0.0.1;Port=8123;Database=restman_analytics;Username=default;Password=</c>.
/// </summary>
public sealed class ClickHouseConnectionSettings
{
    public required string Host { get; init; }

    public int Port { get; init; } = 8123;

    public string Database { get; init; } = "default";

    public string Username { get; init; } = "default";

    public string Password { get; init; } = "";

    /// <summary>"https" for TLS endpoints such as ClickHouse Cloud; "http" otherwise.</summary>
    public string Protocol { get; init; } = "http";

    public Uri Endpoint => new UriBuilder(Protocol, Host, Port, "/").Uri;

    public static ClickHouseConnectionSettings Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var parts = new DbConnectionStringBuilder();
        try
        {
            parts.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // The builder's own message quotes the string, password included.
            throw new FormatException("The ClickHouse connection string is not a list of key=value pairs.");
        }

        string? Value(params string[] keys) =>
            keys.Select(key => parts.TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null)
                .FirstOrDefault(value => value is not null);

        var host = Value("Host", "Server");
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new FormatException("The ClickHouse connection string has no Host.");
        }

        var port = Value("Port");
        var protocol = (Value("Protocol") ?? "http").ToLowerInvariant();
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException($"The ClickHouse connection string has Protocol '{protocol}'; use http or https.");
        }

        var database = Value("Database") ?? "default";
        if (!ClickHouseSql.IsSimpleIdentifier(database))
        {
            throw new FormatException($"The ClickHouse connection string has an invalid Database '{database}'.");
        }

        return new ClickHouseConnectionSettings
        {
            Host = host,
            Port = port is null ? (protocol == "https" ? 8443 : 8123) : ParsePort(port),
            Database = database,
            Username = Value("Username", "User", "User Id") ?? "default",
            Password = Value("Password") ?? "",
            Protocol = protocol,
        };
    }

    // Never print the password: settings end up in logs and exception messages.
    public override string ToString() => $"{Protocol}://{Host}:{Port}/{Database} as {Username}";

    private static int ParsePort(string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 65535
            ? value
            : throw new FormatException($"The ClickHouse connection string has an invalid Port '{port}'.");
}
