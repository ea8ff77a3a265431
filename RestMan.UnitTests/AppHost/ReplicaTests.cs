using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace RestMan.UnitTests.AppHost;

/// <summary>
/// <c>RestMan:Replicas:&lt;service&gt;</c> and <c>RestMan:Replicas</c>: several processes of a service in run mode (behind
/// DCP's proxy, which Aspire requires for replicas), the count in the published manifest, one proxy-less process by default.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ReplicaTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private sealed class WebProject : IProjectMetadata
    {
        public string ProjectPath => Path.Combine(RepositoryRoot, "services", "RestMan.Web", "RestMan.Web.csproj");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RestMan.sln"))) return dir.FullName;
        throw new InvalidOperationException("RestMan.sln not found above the test output");
    }

    private static IResourceBuilder<ProjectResource> Web(params string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);
        return builder.AddService<WebProject>("web");
    }

    [Fact]
    public void By_default_a_service_runs_once_on_its_own_port_with_no_proxy()
    {
        var web = Web().Resource;

        web.Annotations.OfType<ReplicaAnnotation>().ShouldBeEmpty();
        web.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").IsProxied.ShouldBeFalse();
    }

    [Fact]
    public void A_service_of_its_own_setting_runs_that_many_replicas_behind_the_proxy()
    {
        var web = Web("--RestMan:Replicas=4", "--RestMan:Replicas:web=2").Resource;

        web.Annotations.OfType<ReplicaAnnotation>().Single().Replicas.ShouldBe(2);
        web.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").IsProxied.ShouldBeTrue();
    }

    [Fact]
    public void The_setting_for_all_applies_to_a_service_without_its_own()
    {
        var web = Web("--RestMan:Replicas=3", "--RestMan:Replicas:gateway=2").Resource;

        web.Annotations.OfType<ReplicaAnnotation>().Single().Replicas.ShouldBe(3);
    }

    [Fact]
    public void A_replica_count_that_is_not_a_whole_number_from_1_to_64_is_refused_naming_the_service()
    {
        Should.Throw<InvalidOperationException>(() => Web("--RestMan:Replicas:web=two")).Message.ShouldContain("'web'");
        Should.Throw<InvalidOperationException>(() => Web("--RestMan:Replicas:web=0")).Message.ShouldContain("1 to 64");
    }

    [Fact]
    public async Task The_published_manifest_carries_each_services_replica_count()
    {
        var output = Path.Combine(Path.GetTempPath(), $"restman-replicas-{Guid.NewGuid():N}");
        try
        {
            var manifestPath = Path.Combine(output, "aspire-manifest.json");
            // The AppHost's own build output: it carries Aspire.Hosting.Redis and the project metadata.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var appHost = Path.Combine(RepositoryRoot, "RestMan.AppHost", "bin", configuration, "net10.0", "RestMan.AppHost.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { appHost, "--publisher", "manifest", "--output-path", manifestPath, "--RestMan:Replicas:orders=3", "--RestMan:Replicas:gateway=2" })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var log = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            process.ExitCode.ShouldBe(0, await log + await errors);

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            var resources = manifest.RootElement.GetProperty("resources");
            resources.GetProperty("orders").GetProperty("replicas").GetInt32().ShouldBe(3);
            resources.GetProperty("gateway").GetProperty("replicas").GetInt32().ShouldBe(2);
            // One replica: nothing to say, or one.
            if (resources.GetProperty("kitchen").TryGetProperty("replicas", out var kitchen)) kitchen.GetInt32().ShouldBe(1);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
