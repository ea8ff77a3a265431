using System.Reflection;

namespace RestMan.Data;

/// <summary>Reads <c>Migrations/*.sql</c> files embedded in a service assembly.</summary>
public static class EmbeddedMigrations
{
    private const string FolderMarker = ".Migrations.";
    private const string Extension = ".sql";

    /// <summary>Suffix of a version's CockroachDB variant: <c>0003_x.cockroachdb.sql</c> beside <c>0003_x.sql</c>.</summary>
    public const string CockroachVariant = ".cockroachdb";

    public static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var resources = assembly.GetManifestResourceNames()
            .Select(name => (Name: name, Version: VersionOf(name)))
            .Where(resource => resource.Version is not null)
            .ToList();
        var variants = resources.Where(r => r.Version!.EndsWith(CockroachVariant, StringComparison.Ordinal))
            .ToDictionary(r => r.Version![..^CockroachVariant.Length], r => ReadText(assembly, r.Name), StringComparer.Ordinal);
        var migrations = resources.Where(r => !r.Version!.EndsWith(CockroachVariant, StringComparison.Ordinal))
            .OrderBy(resource => resource.Version, StringComparer.Ordinal)
            .Select(resource => new Migration(resource.Version!, ReadText(assembly, resource.Name), variants.GetValueOrDefault(resource.Version!)))
            .ToList();
        var orphan = variants.Keys.FirstOrDefault(version => migrations.All(m => m.Version != version));
        return orphan is null ? migrations : throw new InvalidOperationException($"'{orphan}{CockroachVariant}.sql' has no '{orphan}.sql' beside it.");
    }

    /// <summary>"RestMan.Orders.Migrations.0001_init.sql" → "0001_init"; null for resources that are not migrations.</summary>
    public static string? VersionOf(string resourceName)
    {
        var folder = resourceName.LastIndexOf(FolderMarker, StringComparison.Ordinal);
        if (folder < 0 || !resourceName.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var start = folder + FolderMarker.Length;
        var version = resourceName[start..^Extension.Length];
        return version.Length == 0 ? null : version;
    }

    private static string ReadText(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' cannot be opened.");
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
