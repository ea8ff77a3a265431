namespace RestMan.Data;

/// <summary>
/// One schema change: its version (the file name without ".sql", ordered ordinally) and its SQL; where CockroachDB and
/// PostgreSQL need different statements (e.g. dropping a UNIQUE constraint), <paramref name="CockroachSql"/> is what
/// CockroachDB runs instead, from a file beside it named <c>{version}.cockroachdb.sql</c>.
/// </summary>
public sealed record Migration(string Version, string Sql, string? CockroachSql = null)
{
    /// <summary>The statements for the engine at hand.</summary>
    public string SqlFor(bool cockroachDb) => cockroachDb && CockroachSql is not null ? CockroachSql : Sql;
}
