namespace RestMan.Data;

/// <summary>One schema change: its version (the file name without ".sql", ordered ordinally) and its SQL.</summary>
public sealed record Migration(string Version, string Sql);
