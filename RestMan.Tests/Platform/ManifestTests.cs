using System.Diagnostics;
using System.Text.Json;

namespace RestMan.Tests.Platform;

/// <summary>Publish mode: <c>--publisher manifest</c> writes what azd deploys — containers for the engines, a project per service.</summary>
[Trait("Category", "Platform")]
public sealed class ManifestTests
{
    [Fact]
    public async Task The_manifest_has_container_resources_for_the_engines_and_a_project_for_each_service()
    {
        var output = Path.Combine(Path.GetTempPath(), $"restman-manifest-{Guid.NewGuid():N}");
        try
        {
            var manifestPath = Path.Combine(output, "aspire-manifest.json");
            // The AppHost's own build output: it carries Aspire.Hosting.Redis, which the test output does not.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var appHost = Path.Combine(Aspire.Hosting.LocalInfrastructure.RepositoryRoot, "RestMan.AppHost", "bin", configuration, "net10.0", "RestMan.AppHost.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { appHost, "--publisher", "manifest", "--output-path", manifestPath }) info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var log = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            process.ExitCode.ShouldBe(0, await log + await errors);

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            var resources = manifest.RootElement.GetProperty("resources");
            foreach (var (name, image) in new[]
            {
                ("cockroach", "cockroachdb/cockroach"), ("kafka", "apache/kafka"), ("redis", "redis"), ("clickhouse", "clickhouse/clickhouse-server"),
            })
            {
                var resource = resources.GetProperty(name);
                resource.GetProperty("type").GetString().ShouldStartWith("container.");
                resource.GetProperty("image").GetString().ShouldNotBeNull().ShouldContain(image);
                resource.GetProperty("connectionString").GetString().ShouldNotBeNull().ShouldContain($"{{{name}.bindings.tcp.");
                resource.GetProperty("bindings").EnumerateObject().ShouldNotBeEmpty();
            }
            resources.GetProperty("cockroach").GetProperty("args").EnumerateArray().Select(a => a.GetString()).ShouldContain("start-single-node");
            resources.GetProperty("kafka").GetProperty("env").GetProperty("KAFKA_PROCESS_ROLES").GetString().ShouldBe("broker,controller");

            foreach (var service in new[] { "auth", "scheduler", "restaurants", "orders", "kitchen", "billing", "analytics", "web", "gateway" })
            {
                var project = resources.GetProperty(service);
                project.GetProperty("type").GetString().ShouldBe("project.v0", service);
                project.GetProperty("path").GetString().ShouldEndWith(".csproj");
            }
            var gateway = resources.GetProperty("gateway");
            gateway.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean().ShouldBeTrue();
            gateway.GetProperty("env").GetProperty("ConnectionStrings__redis").GetString().ShouldBe("{redis.connectionString}");
            resources.GetProperty("orders").GetProperty("env").GetProperty("ConnectionStrings__kafka").GetString().ShouldBe("{kafka.connectionString}");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
