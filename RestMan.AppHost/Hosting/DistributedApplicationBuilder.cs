using Microsoft.Extensions.Configuration;
using RestMan.Hosting.Resources;
using RestMan.Hosting.Testing;

namespace RestMan.Hosting;

/// <summary>Collects the resource graph, as Aspire's <c>IDistributedApplicationBuilder</c> does.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly TestingHook? _testing;

    internal DistributedApplicationBuilder(string[] args, TestingHook? testing)
    {
        _testing = testing;
        Configuration = new ConfigurationManager();
        Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine(args);
        if (testing is not null) Configuration.AddInMemoryCollection(testing.Options.Configuration);
    }

    public ConfigurationManager Configuration { get; }
    public IReadOnlyList<Resource> Resources => _resources;
    public bool IsTesting => _testing is not null;

    public T AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
            throw new InvalidOperationException($"a resource named '{resource.Name}' already exists");
        if (resource is InfrastructureResource infrastructure
            && Configuration.GetConnectionString(resource.Name) is { Length: > 0 } external)
            infrastructure.ExternalConnectionString = external;
        _resources.Add(resource);
        return resource;
    }

    public DistributedApplication Build()
    {
        _testing?.Options.ConfigureBuilder?.Invoke(this);
        var resources = _testing?.Options.Resources is { Count: > 0 } only ? WithDependencies(only) : _resources;
        var dataRoot = _testing is not null
            ? TestDataRoots.Create()
            : Configuration["DataRoot"] ?? Path.Combine(RepositoryLayout.Root, ".restman");
        var context = new DistributedApplicationContext(Configuration, IsTesting, dataRoot, echoLogs: !IsTesting);
        var app = new DistributedApplication(context, resources, deleteDataOnDispose: IsTesting);
        _testing?.Built(app);
        return app;
    }

    /// <summary>The named resources and everything they reference or wait for.</summary>
    private List<Resource> WithDependencies(IEnumerable<string> names)
    {
        var chosen = new HashSet<Resource>();
        void Visit(Resource r)
        {
            if (chosen.Add(r)) foreach (var d in r.Dependencies) Visit(d);
        }
        foreach (var name in names)
            Visit(_resources.FirstOrDefault(r => r.Name == name)
                ?? throw new ArgumentException($"no resource named '{name}' in the graph"));
        return _resources.Where(chosen.Contains).ToList();
    }
}

/// <summary>The resource types of RestMan's graph, in Aspire's <c>builder.AddX("name")</c> style.</summary>
public static class ResourceBuilderExtensions
{
    public static CockroachResource AddCockroachDB(this DistributedApplicationBuilder builder, string name, string databaseName) =>
        builder.AddResource(new CockroachResource(name, databaseName));

    public static KafkaResource AddKafka(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new KafkaResource(name));

    public static RedisResource AddRedis(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RedisResource(name));

    public static ClickHouseResource AddClickHouse(this DistributedApplicationBuilder builder, string name, string databaseName) =>
        builder.AddResource(new ClickHouseResource(name, databaseName));

    public static ProjectResource AddProject<TProject>(this DistributedApplicationBuilder builder, string name)
        where TProject : Projects.IProjectMetadata, new() =>
        builder.AddResource(new ProjectResource(name, new TProject().ProjectPath));
}
