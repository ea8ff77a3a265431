using Npgsql;

namespace RestMan.Data;

/// <summary>SQLSTATE classification shared by the transaction retry loop and the migrator.</summary>
public static class PostgresErrors
{
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";
    public const string UniqueViolation = "23505";
    public const string UndefinedObject = "42704";

    /// <summary>True when the whole transaction may simply be run again (CockroachDB's "restart transaction").</summary>
    public static bool IsTransactionConflict(Exception exception) =>
        SqlStateOf(exception) is SerializationFailure or DeadlockDetected;

    public static bool IsUniqueViolation(Exception exception) => SqlStateOf(exception) == UniqueViolation;

    /// <summary>
    /// True when the database could not be reached, dropped the connection or is briefly short of resources: refused or
    /// reset sockets, a server shutting down or starting up (57P01-57P03), connection-class errors (08xxx), 53xxx.
    /// </summary>
    public static bool IsConnectionOutage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // By SQLSTATE class, not IsTransient: that also covers 40001, a conflict with its own attempt budget.
            if (current is PostgresException postgres)
                return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                       || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal);
            if (current is NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }

    /// <summary>The SQLSTATE of the first <see cref="PostgresException"/> in the exception chain, if any.</summary>
    public static string? SqlStateOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres.SqlState;
            }
        }

        return null;
    }
}
