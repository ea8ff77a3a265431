using Npgsql;
using RestMan.Data;

namespace RestMan.Auth.Infrastructure;

/// <summary><c>auth.otps</c>: one row per issued code, holding its keyed hash only.</summary>
public sealed class OtpAuditRepository(NpgsqlDataSource dataSource)
{
    public async Task RecordIssuedAsync(
        Guid id, string email, string codeHash, string requestedRole, string clientAddress, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO auth.otps (id, email, code_hash, requested_role, client_address, expires_at, consumed, purpose, created_at)
            VALUES (@id, @email, @code_hash, @requested_role, @client_address, @expires_at, false, 'login', @now)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("code_hash", codeHash);
        command.Parameters.AddWithValue("requested_role", requestedRole);
        command.Parameters.AddWithValue("client_address", clientAddress.Length > 64 ? clientAddress[..64] : clientAddress);
        command.Parameters.AddWithValue("expires_at", expiresAt);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>In one round trip with what the unit of work queued (the sign-in's event).</summary>
    public async Task MarkConsumedAsync(UnitOfWork tx, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var command = new NpgsqlBatchCommand("UPDATE auth.otps SET consumed = true, consumed_at = @now WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
    }
}
