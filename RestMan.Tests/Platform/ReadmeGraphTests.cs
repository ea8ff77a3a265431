using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Platform;

/// <summary>The README's picture of the graph is the AppHost's graph: same resources, same connections.</summary>
[Trait("Category", "Platform")]
public sealed partial class ReadmeGraphTests
{
    // The outside world, drawn for the reader; not a resource.
    private const string Client = "client";

    [Fact]
    public async Task The_readme_graph_shows_exactly_the_resources_and_the_references_and_waits_of_the_AppHost()
    {
        var (readmeNodes, readmeEdges) = ReadmeGraph(await File.ReadAllTextAsync(Path.Combine(LocalInfrastructure.RepositoryRoot, "README.md")));
        var (appHostNodes, appHostEdges) = await AppHostGraphAsync();

        readmeNodes.ShouldBe(appHostNodes, ignoreOrder: true, "resources in the README's graph vs the AppHost's");
        appHostEdges.Except(readmeEdges).ShouldBeEmpty("references or waits of the AppHost missing from the README's graph");
        readmeEdges.Except(appHostEdges).ShouldBeEmpty("arrows in the README's graph the AppHost does not wire");
    }

    /// <summary>The AppHost's resources and who references or waits for whom, built as <c>./run.sh</c> would, without starting anything.</summary>
    private static async Task<(HashSet<string> Nodes, HashSet<string> Edges)> AppHostGraphAsync()
    {
        var dataRoot = TestDataRoots.Create();
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.RestMan_AppHost>(
                [$"--RestMan:DataRoot={dataRoot}", "--RestMan:Ephemeral=true"]);
            var resources = builder.Resources.Where(r => r is not ParameterResource && r is not IResourceWithParent).ToList();
            var edges = new HashSet<string>();
            foreach (var resource in resources)
            {
                var targets = resource.Annotations.OfType<ResourceRelationshipAnnotation>().Where(a => a.Type == "Reference").Select(a => a.Resource)
                    .Concat(resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource));
                foreach (var target in targets.Select(Root).Where(t => t is not ParameterResource && t != resource))
                    edges.Add(Edge(resource.Name, target.Name));
            }
            return (resources.Select(r => r.Name).ToHashSet(), edges);
        }
        finally
        {
            TestDataRoots.Delete(dataRoot);
        }
    }

    private static IResource Root(IResource resource) => resource is IResourceWithParent child ? Root(child.Parent) : resource;

    /// <summary>Nodes and edges of the mermaid block under "## The graph"; an arrow in either direction joins two resources.</summary>
    private static (HashSet<string> Nodes, HashSet<string> Edges) ReadmeGraph(string readme)
    {
        var section = readme[readme.IndexOf("## The graph", StringComparison.Ordinal)..];
        var start = section.IndexOf("```mermaid", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, "the README's graph is a mermaid block under \"## The graph\"");
        var block = section[(section.IndexOf('\n', start) + 1)..section.IndexOf("```", start + 3, StringComparison.Ordinal)];

        var nodes = new HashSet<string>();
        var edges = new HashSet<string>();
        foreach (var line in block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("graph ", StringComparison.Ordinal)))
        {
            var groups = Link().Split(line).Select(group => group.Split('&').Select(node => NodeId().Match(node).Groups[1].Value).ToList()).ToList();
            nodes.UnionWith(groups.SelectMany(g => g));
            for (var i = 0; i + 1 < groups.Count; i++)
                foreach (var from in groups[i])
                foreach (var to in groups[i + 1])
                    edges.Add(Edge(from, to));
        }
        nodes.Remove(Client);
        edges.RemoveWhere(e => e.Split(" — ").Contains(Client));
        return (nodes, edges);
    }

    private static string Edge(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a} — {b}" : $"{b} — {a}";

    // <-->, -->, "-- label -->", "-.label.->".
    [GeneratedRegex(@"<-->|--\s.*?\s-->|-\..*?\.->|-->")]
    private static partial Regex Link();

    // The id before a node's shape: redis[(redis)], client((client)), kafka{{...}}.
    [GeneratedRegex(@"^\s*(\w+)")]
    private static partial Regex NodeId();
}
