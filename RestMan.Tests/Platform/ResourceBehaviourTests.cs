using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Platform;

[Trait("Category", "Platform")]
public sealed class ResourceBehaviourTests
{
    [Fact]
    public async Task A_message_produced_by_one_process_is_consumed_by_another_through_the_kafka_resource()
    {
        await using var app = await TestGraph.StartAsync(o => o.Resources.Add("kafka"));
        var bootstrap = app.GetConnectionString("kafka");
        var metadata = await RunAsync("kcat", ["-b", bootstrap, "-L"]);
        foreach (var topic in new[] { "user.events", "menu.events", "order.events", "bill.events" })
        {
            metadata.Output.ShouldContain($"topic \"{topic}\" with 6 partitions");
            metadata.Output.ShouldContain($"topic \"{topic}.dlq\" with 6 partitions");
        }

        var message = $"order-{Guid.NewGuid():N}";
        var produce = await RunAsync("kcat", ["-b", bootstrap, "-P", "-t", "order.events", "-k", "order-1"], stdin: message);
        produce.ExitCode.ShouldBe(0, produce.Output);

        var consume = await RunAsync("kcat",
            ["-b", bootstrap, "-G", "platform-test", "-o", "beginning", "-c", "1", "-e", "-f", "%k=%s\n", "order.events"]);
        consume.Output.ShouldContain($"order-1={message}");
    }

    [Fact]
    public async Task The_kafka_resource_stops_and_starts_again_like_the_dashboard_buttons_do_with_its_topics_back()
    {
        await using var app = await TestGraph.StartAsync(o => o.Resources.Add("kafka"));
        var bootstrap = app.GetConnectionString("kafka");
        var pid = app.GetProcessId("kafka").ShouldNotBeNull();

        await app.StopResourceAsync("kafka");
        ProcessTable.StillAlive(new HashSet<int> { pid }).ShouldBeEmpty();
        (await RunAsync("kcat", ["-b", bootstrap, "-L", "-m", "2"])).ExitCode.ShouldNotBe(0);

        await app.StartResourceAsync("kafka");
        app.GetConnectionString("kafka").ShouldBe(bootstrap); // same port: clients reconnect where they were
        var metadata = await RunAsync("kcat", ["-b", bootstrap, "-L"]);
        metadata.Output.ShouldContain("topic \"order.events\" with 6 partitions");
        var produce = await RunAsync("kcat", ["-b", bootstrap, "-P", "-t", "order.events", "-k", "k"], stdin: "back");
        produce.ExitCode.ShouldBe(0, produce.Output);
    }

    [Fact]
    public async Task A_resource_with_a_configured_connection_string_is_external_and_nothing_is_started_for_it()
    {
        var port = FreePort();
        using var ownRedis = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        try
        {
            await WaitForPortAsync(port);

            await using var app = await TestGraph.StartAsync(o =>
            {
                o.Resources.Add("auth");
                o.Configuration["ConnectionStrings:redis"] = $"127.0.0.1:{port}";
            });

            app.GetProcessId("redis").ShouldBeNull();
            app.GetConnectionString("redis").ShouldBe($"127.0.0.1:{port}");

            // auth is healthy only if its Redis answers, and the Redis it talks to is ours.
            using var auth = app.CreateHttpClient("auth");
            (await auth.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var clients = await RedisCommandAsync(port, "CLIENT LIST");
            clients.Split('\n').Count(l => l.Contains("addr=")).ShouldBeGreaterThan(1);
        }
        finally
        {
            ownRedis.Kill();
            await ownRedis.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_service_whose_database_is_down_is_unhealthy_but_alive()
    {
        await using var app = await TestGraph.StartAsync(o => o.Resources.Add("kitchen"));
        using var kitchen = app.CreateHttpClient("kitchen");
        (await kitchen.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await app.StopResourceAsync("cockroach");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode health;
        do
        {
            health = (await kitchen.GetAsync("/health")).StatusCode;
            if (health == HttpStatusCode.ServiceUnavailable) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);

        health.ShouldBe(HttpStatusCode.ServiceUnavailable);
        // Named by the PostgreSQL integration's own check; the broker is still fine.
        using var unhealthy = await kitchen.GetAsync("/health");
        using var report = JsonDocument.Parse(await unhealthy.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks");
        checks.GetProperty("PostgreSql").GetProperty("status").GetString().ShouldBe("Unhealthy");
        checks.GetProperty("kafka").GetProperty("status").GetString().ShouldBe("Healthy");
        var body = await kitchen.GetStringAsync("/alive");
        body.ShouldContain("Healthy");
        (await kitchen.GetAsync("/alive")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        if (stdin is not null) await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        return (process.HasExited ? process.ExitCode : -1, await output + await error);
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await RedisCommandAsync(port, "PING");
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> RedisCommandAsync(int port, string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[16384];
        await Task.Delay(50);
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
