using System.Text;
using System.Text.Json;

namespace RestMan.ClickHouse;

/// <summary>
/// ClickHouse over its HTTP interface. Every failure, from ClickHouse or the network, surfaces as
/// <see cref="ClickHouseException"/>.
/// </summary>
public sealed class ClickHouseClient(HttpClient http, ClickHouseConnectionSettings settings)
{
    // wait_end_of_query: ClickHouse buffers the result, so a late error becomes an HTTP error status
    // instead of text appended to a 200 body. Unquoted 64-bit integers map straight onto long/ulong.
    private const string QuerySettings = "wait_end_of_query=1&output_format_json_quote_64bit_integers=0";

    public ClickHouseConnectionSettings Settings => settings;

    /// <summary>Runs a statement that returns no rows (DDL, INSERT … SELECT, ALTER …).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        using var response = await SendAsync(RequestUri(settings.Database, query: null), SqlContent(sql), ct);
    }

    /// <summary>Inserts the rows in one <c>INSERT INTO {table} FORMAT JSONEachRow</c>; property names become snake_case columns.</summary>
    public async Task InsertAsync<T>(string table, IReadOnlyCollection<T> rows, CancellationToken ct)
    {
        ClickHouseSql.Identifier(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var uri = RequestUri(settings.Database, $"INSERT INTO {table} FORMAT JSONEachRow");
        using var response = await SendAsync(uri, new JsonEachRowContent<T>(rows), ct);
    }

    /// <summary>Runs a SELECT (without a FORMAT clause) and maps each row's columns onto <typeparamref name="T"/> by snake_case name.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        // On its own line, so a trailing "-- comment" in the SQL cannot swallow it.
        var statement = sql.TrimEnd().TrimEnd(';') + "\nFORMAT JSON";
        using var response = await SendAsync(RequestUri(settings.Database, query: null), SqlContent(statement), ct);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var result = await JsonSerializer.DeserializeAsync<JsonFormatResult<T>>(body, ClickHouseJson.Options, ct);
            return result?.Data ?? [];
        }
        catch (JsonException ex)
        {
            throw new ClickHouseException($"ClickHouse's answer does not map onto {typeof(T).Name}: {ex.Message}", response.StatusCode, ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new ClickHouseException($"ClickHouse's answer was cut off: {ex.Message}", response.StatusCode, ex);
        }
    }

    /// <summary>Creates the configured database if missing; the request names no database, so it works before one exists.</summary>
    public async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var sql = $"CREATE DATABASE IF NOT EXISTS {settings.Database}";
        using var response = await SendAsync(RequestUri(database: null, query: null), SqlContent(sql), ct);
    }

    private Uri RequestUri(string? database, string? query)
    {
        var parameters = new StringBuilder(QuerySettings);
        if (database is not null)
        {
            parameters.Append("&database=").Append(Uri.EscapeDataString(database));
        }

        if (query is not null)
        {
            parameters.Append("&query=").Append(Uri.EscapeDataString(query));
        }

        return new UriBuilder(settings.Endpoint) { Query = parameters.ToString() }.Uri;
    }

    private static StringContent SqlContent(string sql) => new(sql, Encoding.UTF8, "text/plain");

    private async Task<HttpResponseMessage> SendAsync(Uri uri, HttpContent content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Add("X-ClickHouse-User", settings.Username);
        if (settings.Password.Length > 0)
        {
            request.Headers.Add("X-ClickHouse-Key", settings.Password);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new ClickHouseException($"ClickHouse at {settings.Endpoint} is unreachable: {ex.Message}", null, ex);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Timeouts and whatever resilience handlers the host adds (timeout or circuit-breaker rejections).
            throw new ClickHouseException($"ClickHouse at {settings.Endpoint} did not answer: {ex.Message}", null, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = await response.Content.ReadAsStringAsync(ct);
            throw new ClickHouseException(error.Trim(), response.StatusCode);
        }
    }

    private sealed class JsonFormatResult<T>
    {
        public List<T>? Data { get; init; }
    }
}
