using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RestMan.Hosting.Processes;
using RestMan.Hosting.Resources;
using RestMan.Hosting.Testing;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Platform;

[Trait("Category", "Platform")]
public sealed class ResourceBehaviourTests
{
    [Fact]
    public async Task A_message_produced_by_one_process_is_consumed_by_another_through_the_kafka_resource()
    {
        await using var app = await DistributedApplicationTestingBuilder.StartAsync<Program>(o => o.Resources.Add("kafka"));
        var bootstrap = app.GetConnectionString("kafka");
        var kafka = app.GetResource<KafkaResource>("kafka");
        kafka.Topics.ShouldBe(
            ["user.events", "user.events.dlq", "menu.events", "menu.events.dlq", "order.events", "order.events.dlq",
             "bill.events", "bill.events.dlq"], ignoreOrder: true);

        var message = $"order-{Guid.NewGuid():N}";
        var produce = await RunAsync("kcat", ["-b", bootstrap, "-P", "-t", "order.events", "-k", "order-1"], stdin: message);
        produce.ExitCode.ShouldBe(0, produce.Output);

        var consume = await RunAsync("kcat",
            ["-b", bootstrap, "-G", "platform-test", "-o", "beginning", "-c", "1", "-e", "-f", "%k=%s\n", "order.events"]);
        consume.Output.ShouldContain($"order-1={message}");
    }

    [Fact]
    public async Task A_resource_with_a_configured_connection_string_is_external_and_nothing_is_started_for_it()
    {
        var port = FreePort.Next();
        var log = new ResourceLog("external-redis", echoToConsole: false);
        await using var ownRedis = ChildProcess.Start("redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], log);
        await WaitForPortAsync(port);

        await using var app = await DistributedApplicationTestingBuilder.StartAsync<Program>(o =>
        {
            o.Resources.Add("auth");
            o.Configuration["ConnectionStrings:redis"] = $"127.0.0.1:{port}";
        });

        var redis = app.GetResource<RedisResource>("redis");
        redis.IsExternal.ShouldBeTrue();
        redis.LocalProcessId.ShouldBeNull();
        app.GetConnectionString("redis").ShouldBe($"127.0.0.1:{port}");

        // auth is healthy only if its Redis answers, and the Redis it talks to is ours.
        using var auth = app.CreateHttpClient("auth");
        (await auth.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var clients = await RedisCommandAsync(port, "CLIENT LIST");
        clients.Split('\n').Count(l => l.Contains("addr=")).ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task A_service_whose_database_is_down_is_unhealthy_but_alive()
    {
        await using var app = await DistributedApplicationTestingBuilder.StartAsync<Program>(o => o.Resources.Add("kitchen"));
        using var kitchen = app.CreateHttpClient("kitchen");
        (await kitchen.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await app.GetResource<CockroachResource>("cockroach").StopAsync();

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
