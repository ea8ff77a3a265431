using System.Text.Json;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace RestMan.Email;

/// <summary>
/// Development's stand-in for SMTP: each message is kept in Redis (<c>dev_mailbox:{email}</c>, newest first) for
/// <see cref="Retention"/> and read back through <c>GET /dev/mailbox</c>.
/// </summary>
public sealed class DevMailbox(IConnectionMultiplexer redis, TimeProvider clock) : IEmailSender
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(15);
    private const int MaxMessages = 50;

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var stored = new MailboxMessage(message.To, message.Subject, message.Text, clock.GetUtcNow(), message.Html,
            message.Attachments is { Count: > 0 } files ? files.Select(f => new MailboxAttachment(f.FileName, f.ContentType, f.Content.Length)).ToList() : null);
        var key = Key(message.To);
        var batch = redis.GetDatabase().CreateTransaction();
        _ = batch.ListLeftPushAsync(key, JsonSerializer.Serialize(stored, Json.Options));
        _ = batch.ListTrimAsync(key, 0, MaxMessages - 1);
        _ = batch.KeyExpireAsync(key, Retention);
        await batch.ExecuteAsync();
    }

    /// <summary>Messages to <paramref name="email"/> sent within the retention, newest first.</summary>
    public async Task<IReadOnlyList<MailboxMessage>> ReadAsync(string email)
    {
        var values = await redis.GetDatabase().ListRangeAsync(Key(email));
        // The list's TTL restarts with each message; older messages still leave after their own 15 minutes.
        var oldest = clock.GetUtcNow() - Retention;
        return values
            .Select(v => JsonSerializer.Deserialize<MailboxMessage>((string)v!, Json.Options)!)
            .Where(m => m.SentAt >= oldest)
            .ToList();
    }

    private static string Key(string email) => "dev_mailbox:" + email;
}

/// <summary>One message as the dev mailbox kept it: its HTML body when it had one, and what was attached (not the bytes).</summary>
public sealed record MailboxMessage(
    string To, string Subject, string Text, DateTimeOffset SentAt, string? Html = null, IReadOnlyList<MailboxAttachment>? Attachments = null);

/// <summary>A file attached to a dev mailbox message: its name, type and size in bytes.</summary>
public sealed record MailboxAttachment(string FileName, string ContentType, int Size);
