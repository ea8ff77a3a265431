using Microsoft.Extensions.Hosting;
using Npgsql;

namespace RestMan.Data;

/// <summary>SQLSTATEs the migrator and the services look for; outages and conflicts are <see cref="Outages"/>' to classify.</summary>
public static class PostgresErrors
{
    public const string SerializationFailure = Outages.SerializationFailure;
    public const string DeadlockDetected = Outages.DeadlockDetected;
    public const string UniqueViolation = "23505";
    public const string UndefinedObject = "42704";

    public static bool IsUniqueViolation(Exception exception) => SqlStateOf(exception) == UniqueViolation;

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
