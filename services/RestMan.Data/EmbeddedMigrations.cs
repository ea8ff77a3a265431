using System.Reflection;

namespace RestMan.Data;

/// <summary>Reads <c>Migrations/*.sql</c> files embedded in a service assembly.</summary>
public static class EmbeddedMigrations
{
    private const string FolderMarker = ".Migrations.";
    private const string Extension = ".sql";

    public static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetManifestResourceNames()
            .Select(name => (Name: name, Version: VersionOf(name)))
            .Where(resource => resource.Version is not null)
            .OrderBy(resource => resource.Version, StringComparer.Ordinal)
            .Select(resource => new Migration(resource.Version!, ReadText(assembly, resource.Name)))
            .ToList();
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
