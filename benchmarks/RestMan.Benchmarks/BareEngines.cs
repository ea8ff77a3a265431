using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace RestMan.Benchmarks;

/// <summary>The engines alone on the same instances: pgbench running the order transaction, redis-benchmark GET.</summary>
public static partial class BareEngines
{
    /// <summary>
    /// What Orders' placement transaction does, round trip for round trip (order + lines + first history step, the
    /// Idempotency-Key and the outbox row with its stream number in one pipelined batch; COMMIT), into copies of
    /// its tables in a <c>bench</c> schema so no consumer sees these orders. (A
    /// colon directly before a word is a pgbench variable: the JSON has a space after each.)
    /// </summary>
    private const string OrderTransaction = """
        \set n random(1, 9223372036854775806)
        \startpipeline
        BEGIN ISOLATION LEVEL SERIALIZABLE;
        INSERT INTO bench.orders (id, user_id, restaurant_id, order_type, status, total_price, notes, delivery_address, placed_at, updated_at, completed_at, cancelled_at, order_number, service_day, table_id, covers, reservation_id, rounds, merged_into_order_id, created_at) VALUES (md5('o' || :n)::uuid, md5('u' || :client_id)::uuid, 'b0000000-0000-0000-0000-000000000001', 'dine_in', 'PLACED', 30.00, NULL, NULL, now(), now(), NULL, NULL, substr(md5('o' || :n), 1, 10), current_date, NULL, NULL, NULL, 1, NULL, now());
        INSERT INTO bench.order_items (order_id, line_no, food_id, food_name_snapshot, unit_price, quantity, line_total, round, created_at) VALUES (md5('o' || :n)::uuid, 1, 'f0000000-0000-0000-0000-000000000001', 'Margherita', 9.50, 2, 19.00, 1, now());
        INSERT INTO bench.order_items (order_id, line_no, food_id, food_name_snapshot, unit_price, quantity, line_total, round, created_at) VALUES (md5('o' || :n)::uuid, 2, 'f0000000-0000-0000-0000-000000000002', 'Diavola', 11.00, 1, 11.00, 1, now());
        INSERT INTO bench.order_status_history (order_id, step, old_status, new_status, changed_by, changed_by_user_id, changed_at) VALUES (md5('o' || :n)::uuid, 1, NULL, 'PLACED', 'user', md5('u' || :client_id)::uuid, now());
        INSERT INTO bench.idempotency_keys (user_id, idempotency_key, request_hash, order_id, created_at) VALUES (md5('u' || :client_id)::uuid, md5('k' || :n), md5('h' || :n), md5('o' || :n)::uuid, now());
        WITH stream AS (INSERT INTO bench.outbox_streams AS s (topic, message_key, last_seq, updated_at) VALUES ('order.events', md5('o' || :n), 1, now()) ON CONFLICT (topic, message_key) DO UPDATE SET last_seq = s.last_seq + 1, updated_at = excluded.updated_at RETURNING last_seq) INSERT INTO bench.outbox (event_id, event_type, event_version, topic, message_key, key_seq, payload, source, trace_parent, created_at) SELECT md5('e' || :n)::uuid, 'order.placed', 1, 'order.events', md5('o' || :n), stream.last_seq, '{"order_id": "b0000000-0000-0000-0000-000000000001","user_id": "b0000000-0000-0000-0000-000000000002","restaurant_id": "b0000000-0000-0000-0000-000000000003","order_type": "dine_in","status": "PLACED","total_price": 30.00,"notes": null,"delivery_address": null,"placed_at": "2026-12-02T10:00:00Z","items": [{"food_id": "f0000000-0000-0000-0000-000000000001","food_name": "Margherita","quantity": 2,"unit_price": 9.50,"line_total": 19.00},{"food_id": "f0000000-0000-0000-0000-000000000002","food_name": "Diavola","quantity": 1,"unit_price": 11.00,"line_total": 11.00}]}', 'orders', NULL, now() FROM stream;
        \endpipeline
        COMMIT;
        """;

    /// <summary>
    /// What the kitchen and billing consumers then do for that order, each in its own transaction as one event alone
    /// would cost them: the inbox row and the ticket with its lines; the inbox row, the bill and its
    /// <c>bill.generated</c> outbox row. With the order transaction above: the database work of one order through the
    /// pipeline that no service can avoid (the consumers batch, so they may beat it).
    /// </summary>
    private const string TicketAndBillTransactions = """
        \startpipeline
        BEGIN ISOLATION LEVEL SERIALIZABLE;
        INSERT INTO bench_kitchen.inbox (event_id, event_type, topic, received_at) SELECT e.event_id, e.event_type, e.topic, now() FROM unnest(ARRAY[md5('e' || :n)::uuid], ARRAY['order.placed'], ARRAY['order.events']) AS e (event_id, event_type, topic) ON CONFLICT (event_id) DO NOTHING RETURNING event_id;
        \endpipeline
        WITH ticket AS (INSERT INTO bench_kitchen.kitchen_tickets (id, order_id, restaurant_id, order_type, notes, status, placed_at, created_at, updated_at, round, order_number, table_id, table_number) VALUES (md5('t' || :n)::uuid, md5('o' || :n)::uuid, 'b0000000-0000-0000-0000-000000000001', 'dine_in', NULL, 'NEW', now(), now(), now(), 1, substr(md5('o' || :n), 1, 10), NULL, NULL) ON CONFLICT DO NOTHING RETURNING id), items AS (INSERT INTO bench_kitchen.kitchen_ticket_items (ticket_id, line_no, food_id, food_name, quantity, order_line_no) SELECT ticket.id, item.line_no, item.food_id, item.food_name, item.quantity, item.order_line_no FROM ticket, unnest(ARRAY[1, 2], ARRAY['f0000000-0000-0000-0000-000000000001'::uuid, 'f0000000-0000-0000-0000-000000000002'::uuid], ARRAY['Margherita', 'Diavola'], ARRAY[2, 1], ARRAY[1, 2]) AS item (line_no, food_id, food_name, quantity, order_line_no)) SELECT count(*) FROM ticket;
        COMMIT;
        \startpipeline
        BEGIN ISOLATION LEVEL SERIALIZABLE;
        INSERT INTO bench_billing.inbox (event_id, event_type, topic, received_at) SELECT e.event_id, e.event_type, e.topic, now() FROM unnest(ARRAY[md5('e' || :n)::uuid], ARRAY['order.placed'], ARRAY['order.events']) AS e (event_id, event_type, topic) ON CONFLICT (event_id) DO NOTHING RETURNING event_id;
        \endpipeline
        INSERT INTO bench_billing.bills (id, order_id, user_id, restaurant_id, subtotal, tax_rate, tax_amount, discount_amount, total_amount, status, payment_method, generated_at, paid_at, voided_at, refund_due, order_number, created_at, updated_at) VALUES (md5('b' || :n)::uuid, md5('o' || :n)::uuid, md5('u' || :client_id)::uuid, 'b0000000-0000-0000-0000-000000000001', 30.00, 0.10, 3.00, 0.00, 33.00, 'PENDING', NULL, now(), NULL, NULL, FALSE, substr(md5('o' || :n), 1, 10), now(), now()) ON CONFLICT DO NOTHING;
        WITH stream AS (INSERT INTO bench_billing.outbox_streams AS s (topic, message_key, last_seq, updated_at) VALUES ('bill.events', md5('o' || :n), 1, now()) ON CONFLICT (topic, message_key) DO UPDATE SET last_seq = s.last_seq + 1, updated_at = excluded.updated_at RETURNING last_seq) INSERT INTO bench_billing.outbox (event_id, event_type, event_version, topic, message_key, key_seq, payload, source, trace_parent, created_at) SELECT md5('g' || :n)::uuid, 'bill.generated', 1, 'bill.events', md5('o' || :n), stream.last_seq, '{"bill_id": "b0000000-0000-0000-0000-000000000001","order_id": "b0000000-0000-0000-0000-000000000002","subtotal": 30.00,"tax_amount": 3.00,"total_amount": 33.00}', 'billing', NULL, now() FROM stream;
        COMMIT;
        """;

    // Copies of the tables those transactions write, by schema, so no consumer sees the benchmark's rows.
    private static readonly (string Copy, string Of, string[] Tables)[] Copies =
    [
        ("bench", "orders", ["orders", "order_items", "order_status_history", "idempotency_keys", "outbox", "outbox_streams"]),
        ("bench_kitchen", "kitchen", ["inbox", "kitchen_tickets", "kitchen_ticket_items"]),
        ("bench_billing", "billing", ["inbox", "bills", "outbox", "outbox_streams"]),
    ];

    /// <summary>pgbench running the order transaction alone: tps and average latency.</summary>
    public static Task<(double Tps, double AverageMs)> OrderTransactionAsync(RunningGraph graph, int clients, TimeSpan duration) =>
        PgbenchAsync(graph, clients, duration, OrderTransaction);

    /// <summary>pgbench running, per order, the order transaction, then the kitchen's and billing's: orders/s and average ms.</summary>
    public static Task<(double Tps, double AverageMs)> WholePipelineAsync(RunningGraph graph, int clients, TimeSpan duration) =>
        PgbenchAsync(graph, clients, duration, OrderTransaction + "\n" + TicketAndBillTransactions);

    private static async Task<(double Tps, double AverageMs)> PgbenchAsync(RunningGraph graph, int clients, TimeSpan duration, string transaction)
    {
        await using (var connection = new NpgsqlConnection(graph.Postgres))
        {
            await connection.OpenAsync();
            var ddl = string.Concat(Copies.Select(c => $"DROP SCHEMA IF EXISTS {c.Copy} CASCADE; CREATE SCHEMA {c.Copy};" +
                string.Concat(c.Tables.Select(t => $"CREATE TABLE {c.Copy}.{t} (LIKE {c.Of}.{t} INCLUDING ALL);"))));
            await using var command = new NpgsqlCommand(ddl, connection);
            await command.ExecuteNonQueryAsync();
        }

        var script = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, transaction);
            var output = await RunAsync("pgbench", "-h", "127.0.0.1", "-p", graph.Port("cockroach").ToString(CultureInfo.InvariantCulture),
                "-U", "postgres", "-n", "-M", "extended", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", script, "restman");
            return (Number(PgbenchTps().Match(output)), Number(PgbenchLatency().Match(output)));
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>GET of a value the size of the menu, the operation a cached menu read costs Redis.</summary>
    public static async Task<double> RedisGetAsync(RunningGraph graph, int clients, int valueBytes, int requests)
    {
        var output = await RunAsync("redis-benchmark", "-h", "127.0.0.1", "-p", graph.Port("redis").ToString(CultureInfo.InvariantCulture),
            "-t", "get", "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture),
            "-d", valueBytes.ToString(CultureInfo.InvariantCulture), "--csv");
        return Number(RedisCsv().Match(output));
    }

    /// <summary>
    /// wrk (one thread, like redis-benchmark) GETting <paramref name="url"/>: a C load generator for a C one, so the
    /// client's own CPU does not decide the ratio. Requests/s, p50 and p99 in ms, and answers that were not 2xx/3xx.
    /// </summary>
    public static async Task<(double PerSecond, double P50, double P99, long Failed)> WrkGetAsync(Uri url, int clients, TimeSpan duration, string? bearerToken = null)
    {
        string[] arguments = ["-t1", $"-c{clients}", $"-d{(int)duration.TotalSeconds}s", "--latency"];
        if (bearerToken is not null) arguments = [.. arguments, "-H", $"Authorization: Bearer {bearerToken}"];
        var output = await RunAsync("wrk", [.. arguments, url.ToString()]);
        var failed = WrkFailed().Match(output);
        return (Number(WrkRate().Match(output)), Milliseconds(WrkPercentile("50").Match(output)), Milliseconds(WrkPercentile("99").Match(output)),
            failed.Success ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    // wrk prints latencies as 1.23ms, 456.00us or 1.02s.
    private static double Milliseconds(Match match) => !match.Success ? double.NaN : match.Groups[2].Value switch
    {
        "us" => Number(match) / 1000,
        "s" => Number(match) * 1000,
        _ => Number(match),
    };

    private static Regex WrkPercentile(string percent) => new($@"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
        return await output + await error;
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex PgbenchTps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex PgbenchLatency();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex WrkRate();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex WrkFailed();

    [GeneratedRegex(@"""GET"",""([\d.]+)""")]
    private static partial Regex RedisCsv();
}
