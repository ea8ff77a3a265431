using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RestMan.Tests.Platform;

/// <summary>
/// Publish mode: <c>--publisher manifest</c> writes what azd deploys — containers for the engines, a project per service —
/// and it is safe by default: Production, every secret a parameter, secure engines with volumes.
/// </summary>
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
            // Each engine's connection string points at its endpoint, named for the protocol it speaks.
            foreach (var (name, image, binding) in new[]
            {
                ("cockroach", "cockroachdb/cockroach", "tcp"), ("kafka", "apache/kafka", "tcp"), ("redis", "redis", "tcp"),
                ("clickhouse", "clickhouse/clickhouse-server", "http"),
            })
            {
                var resource = resources.GetProperty(name);
                resource.GetProperty("type").GetString().ShouldStartWith("container.");
                resource.GetProperty("image").GetString().ShouldNotBeNull().ShouldContain(image);
                resource.GetProperty("connectionString").GetString().ShouldNotBeNull().ShouldContain($"{{{name}.bindings.{binding}.");
                resource.GetProperty("bindings").TryGetProperty(binding, out _).ShouldBeTrue($"{name} has no {binding} binding");
                resource.GetProperty("bindings").EnumerateObject().ShouldNotBeEmpty();
            }
            resources.GetProperty("cockroach").GetProperty("args").EnumerateArray().Select(a => a.GetString()).ShouldContain("start-single-node");
            resources.GetProperty("kafka").GetProperty("env").GetProperty("KAFKA_PROCESS_ROLES").GetString().ShouldBe("broker,controller");
            resources.GetProperty("clickhouse").GetProperty("bindings").GetProperty("http").GetProperty("scheme").GetString().ShouldBe("http");

            foreach (var service in Services)
            {
                var project = resources.GetProperty(service);
                project.GetProperty("type").GetString().ShouldBe("project.v0", service);
                project.GetProperty("path").GetString().ShouldEndWith(".csproj");
            }
            AssertSafeToDeploy(resources);

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

    private static readonly string[] Services = ["auth", "scheduler", "restaurants", "orders", "kitchen", "billing", "analytics", "inventory", "web", "gateway"];
    private static readonly string[] Engines = ["cockroach", "kafka", "redis", "clickhouse"];

    /// <summary>What a deployment must never get: Development, a secret written into the manifest, an insecure engine.</summary>
    private static void AssertSafeToDeploy(JsonElement resources)
    {
        var all = resources.EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        bool IsSecretParameter(string name) => all.TryGetValue(name, out var p) && p.GetProperty("type").GetString() == "parameter.v0"
            && p.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var secret) && secret.GetBoolean();

        // Production everywhere: Development maps the dev mailbox, which hands out every user's sign-in code.
        foreach (var service in Services)
        {
            var env = all[service].GetProperty("env");
            env.GetProperty("ASPNETCORE_ENVIRONMENT").GetString().ShouldBe("Production", service);
            env.GetProperty("DOTNET_ENVIRONMENT").GetString().ShouldBe("Production", service);
        }
        foreach (var (name, resource) in all)
            if (resource.TryGetProperty("env", out var env))
                foreach (var variable in env.EnumerateObject())
                    string.Equals(variable.Value.GetString(), "Development", StringComparison.OrdinalIgnoreCase).ShouldBeFalse($"{name}: {variable.Name}");

        // Every secret is a secret parameter the deployment supplies (or generates once), never a value in the manifest.
        string[] secrets = ["identity-signing-key", "smtp-password", "cockroach-password", "redis-password", "clickhouse-password"];
        foreach (var secret in secrets) IsSecretParameter(secret).ShouldBeTrue($"{secret} is not a secret parameter");
        foreach (var secret in all.Keys.Where(IsSecretParameter))
            if (all[secret].GetProperty("inputs").GetProperty("value").TryGetProperty("default", out var byDefault))
                byDefault.TryGetProperty("generate", out _).ShouldBeTrue($"{secret} has a literal default: {byDefault}");
        foreach (var (name, resource) in all)
        {
            foreach (var (what, value) in Strings(resource))
            {
                // A credential in a variable or a connection string is only ever a reference to a secret parameter.
                if (Regex.IsMatch(what, "PASSWORD|SECRET|SIGNINGKEY|APIKEY", RegexOptions.IgnoreCase) && !what.EndsWith("URI", StringComparison.Ordinal))
                    (Regex.Match(value, @"^\{([\w-]+)\.value\}$") is { Success: true } reference && IsSecretParameter(reference.Groups[1].Value))
                        .ShouldBeTrue($"{name}: {what} is not a secret parameter: {value}");
                foreach (Match password in Regex.Matches(value, @"(?i)password=(?:\{([\w-]+)\.value\})?"))
                    (password.Groups[1].Success && IsSecretParameter(password.Groups[1].Value))
                        .ShouldBeTrue($"{name}: {what} has a password that is not a secret parameter: {value}");
            }
        }
        foreach (var (service, variable, parameter) in new[]
        {
            ("auth", "Identity__SigningKey", "identity-signing-key"), ("gateway", "Identity__SigningKey", "identity-signing-key"),
            ("auth", "Smtp__Host", "smtp-host"), ("auth", "Smtp__Port", "smtp-port"), ("auth", "Smtp__Username", "smtp-username"),
            ("auth", "Smtp__Password", "smtp-password"), ("auth", "Smtp__From", "smtp-from"), ("orders", "Smtp__Password", "smtp-password"),
        })
            all[service].GetProperty("env").GetProperty(variable).GetString().ShouldBe($"{{{parameter}.value}}", $"{service}: {variable}");

        // Engines: data on a volume, CockroachDB secure with a password user over TLS, Redis and ClickHouse with passwords.
        foreach (var engine in Engines)
            all[engine].GetProperty("volumes").EnumerateArray().ShouldNotBeEmpty($"{engine} keeps its data on no volume");
        foreach (var (name, resource) in all)
            if (resource.TryGetProperty("args", out var args))
                args.EnumerateArray().Select(a => a.GetString()).ShouldNotContain("--insecure", name);
        var cockroach = all["cockroach"];
        cockroach.GetProperty("env").GetProperty("COCKROACH_USER").GetString().ShouldNotBeNullOrEmpty();
        cockroach.GetProperty("env").GetProperty("COCKROACH_PASSWORD").GetString().ShouldBe("{cockroach-password.value}");
        cockroach.GetProperty("connectionString").GetString().ShouldNotBeNull().ShouldContain("SSL Mode=Require");
        cockroach.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("target").GetString()).ShouldContain("/cockroach/certs");
        string.Join(' ', all["redis"].GetProperty("args").EnumerateArray().Select(a => a.GetString())).ShouldContain("--requirepass");
        all["clickhouse"].GetProperty("env").GetProperty("CLICKHOUSE_PASSWORD").GetString().ShouldBe("{clickhouse-password.value}");
    }

    /// <summary>Every string a resource hands to a container or process: variables, arguments, its connection string.</summary>
    private static IEnumerable<(string What, string Value)> Strings(JsonElement resource)
    {
        if (resource.TryGetProperty("env", out var env))
            foreach (var variable in env.EnumerateObject()) yield return (variable.Name, variable.Value.GetString() ?? "");
        if (resource.TryGetProperty("args", out var args))
            foreach (var arg in args.EnumerateArray()) yield return ("args", arg.GetString() ?? "");
        if (resource.TryGetProperty("connectionString", out var connectionString)) yield return ("connectionString", connectionString.GetString() ?? "");
    }
}
